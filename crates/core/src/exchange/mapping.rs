//! Which column of a file holds what: detected from the header row, correctable by the user.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::text::fold;
use crate::user::Language;

string_enum! {
    /// A kind of data an import column can hold. The key (`as_str`) is stable: it is what a
    /// web form sends and what [`Mapping::from_keys`] accepts.
    pub enum Column {
        /// The person's id in the source system (Personalnummer), for re-imports.
        ExternalId = "external_id",
        /// Academic title, e.g. "Dr.".
        AcademicTitle = "academic_title",
        /// Given name(s).
        GivenName = "given_name",
        /// Family name (required).
        FamilyName = "family_name",
        /// Job title in the person's organization.
        JobTitle = "job_title",
        /// Rung on the shared ladder: rank number or name.
        Level = "level",
        /// Function: key or name.
        Function = "function",
        /// Unit (department, team …) by name.
        Unit = "unit",
        /// The manager: e-mail, external id, or name.
        Manager = "manager",
        /// The boss this person assists: e-mail, external id, or name.
        AssistantOf = "assistant_of",
        /// E-mail address.
        Email = "email",
        /// Office phone.
        Phone = "phone",
        /// Mobile phone.
        Mobile = "mobile",
        /// Free notes.
        Notes = "notes",
    }
}

impl Column {
    /// The stable key, e.g. `given_name`.
    pub const fn key(self) -> &'static str {
        self.as_str()
    }

    /// The column from its key; `None` for an unknown key.
    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// The header an export writes in German, e.g. "Vorname".
    pub const fn header_de(self) -> &'static str {
        match self {
            Self::ExternalId => "Personalnummer",
            Self::AcademicTitle => "Titel",
            Self::GivenName => "Vorname",
            Self::FamilyName => "Nachname",
            Self::JobTitle => "Position",
            Self::Level => "Ebene",
            Self::Function => "Funktionsbereich",
            Self::Unit => "Abteilung",
            Self::Manager => "Vorgesetzte(r)",
            Self::AssistantOf => "Assistenz von",
            Self::Email => "E-Mail",
            Self::Phone => "Telefon",
            Self::Mobile => "Mobil",
            Self::Notes => "Notizen",
        }
    }

    /// The header an export writes in English, e.g. "Given name".
    pub const fn header_en(self) -> &'static str {
        match self {
            Self::ExternalId => "External ID",
            Self::AcademicTitle => "Academic title",
            Self::GivenName => "Given name",
            Self::FamilyName => "Family name",
            Self::JobTitle => "Job title",
            Self::Level => "Level",
            Self::Function => "Function",
            Self::Unit => "Unit",
            Self::Manager => "Manager",
            Self::AssistantOf => "Assistant to",
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::Mobile => "Mobile",
            Self::Notes => "Notes",
        }
    }

    /// The canonical header in the given language. [`detect`] recognises both languages.
    pub const fn header(self, lang: Language) -> &'static str {
        match lang {
            Language::De => self.header_de(),
            Language::En => self.header_en(),
        }
    }

    /// The words that name the person a reference column points at (normalized), for headers
    /// that add how that person is identified ([`reference_by`]).
    fn person_words(self) -> impl Iterator<Item = String> {
        let extra: &[&str] = match self {
            Self::Manager => &["Vorgesetzten", "Manager", "Chef", "Chefin", "Führungskraft"],
            // Not "Assistenz" alone: "Assistenz E-Mail" is this person's assistant, the
            // other way round.
            Self::AssistantOf => &[],
            _ => &[],
        };
        [self.header_de(), self.header_en()]
            .into_iter()
            .chain(self.synonyms().iter().copied())
            .chain(extra.iter().copied())
            .map(normalize)
            .filter(|word| !word.is_empty())
    }

    /// Further headers seen in HR exports, Outlook and address books, besides the canonical
    /// ones and the key. Compared after [`normalize`], so case, spaces, hyphens and umlaut
    /// spellings do not matter.
    ///
    /// "Funktion" is a job title: in German HR files it names the position ("Funktion:
    /// Leiterin Einkauf"), so only "Funktionsbereich" and "Function" mean [`Column::Function`].
    /// "Title" is the academic title, as in Outlook's export ("Title", "First Name", …).
    const fn synonyms(self) -> &'static [&'static str] {
        match self {
            Self::ExternalId => &[
                "ID",
                "Personalnr",
                "Pers.-Nr.",
                "PersNr",
                "Mitarbeiternummer",
                "Mitarbeiter-ID",
                "Externe ID",
                "Employee ID",
                "Employee number",
                "Staff ID",
                "Personnel number",
                "UID",
            ],
            Self::AcademicTitle => &["Akademischer Titel", "Title", "Grad", "Akademischer Grad"],
            Self::GivenName => &["First name", "Forename", "Rufname", "Vornamen"],
            Self::FamilyName => &[
                "Name",
                "Last name",
                "Surname",
                "Familienname",
                "Zuname",
                "Nachnamen",
            ],
            Self::JobTitle => &[
                "Funktion",
                "Stellenbezeichnung",
                "Stelle",
                "Positionsbezeichnung",
                "Berufsbezeichnung",
                "Jobtitel",
                "Position title",
                "Role",
                "Rolle",
            ],
            Self::Level => &[
                "Hierarchieebene",
                "Führungsebene",
                "Hierarchiestufe",
                "Stufe",
                "Hierarchy level",
                "Management level",
            ],
            Self::Function => &["Job function", "Business function", "Funktionsgruppe"],
            Self::Unit => &[
                "Department",
                "Organisationseinheit",
                "Organizational unit",
                "Organisational unit",
                "Org.-Einheit",
                "OE",
                "Bereich",
                "Team",
                "Division",
                "Abt.",
            ],
            Self::Manager => &[
                "Vorgesetzte",
                "Vorgesetzter",
                "Vorgesetzte/r",
                "Führungskraft",
                "Berichtet an",
                "Reports to",
                "Line manager",
                "Supervisor",
            ],
            Self::AssistantOf => &[
                "Assistenz für",
                "Assistent von",
                "Assistentin von",
                "Sekretariat von",
                "Sekretariat für",
                "Assistant of",
            ],
            Self::Email => &[
                "Mail",
                "E-Mail-Adresse",
                "E-mail address",
                "Email address",
                "E-Mail geschäftlich",
                "Business email",
            ],
            Self::Phone => &[
                "Tel.",
                "Tel",
                "Telefonnummer",
                "Telefon geschäftlich",
                "Durchwahl",
                "Festnetz",
                "Phone number",
                "Telephone",
                "Business phone",
                "Office phone",
                "Work phone",
            ],
            Self::Mobile => &[
                "Handy",
                "Mobiltelefon",
                "Mobilnummer",
                "Mobilfunk",
                "Mobile phone",
                "Cell",
                "Cell phone",
            ],
            Self::Notes => &[
                "Notiz",
                "Bemerkung",
                "Bemerkungen",
                "Anmerkung",
                "Anmerkungen",
                "Kommentar",
                "Note",
                "Comment",
                "Comments",
            ],
        }
    }
}

/// A header reduced for comparison: folded (case, umlauts, ß, accents) and without spaces
/// or punctuation, so "E-Mail", "e mail" and "EMAIL" meet.
fn normalize(header: &str) -> String {
    fold(header).replace(' ', "")
}

/// Removes parenthesised and bracketed parts and asterisks: "Nachname (Pflicht)*" → "Nachname".
fn strip_remarks(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '*' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

static KNOWN_HEADERS: LazyLock<HashMap<String, Column>> = LazyLock::new(|| {
    let mut known = HashMap::new();
    for &column in Column::ALL {
        let names = [column.header_de(), column.header_en(), column.key()];
        for name in names.into_iter().chain(column.synonyms().iter().copied()) {
            known.entry(normalize(name)).or_insert(column);
        }
    }
    known
});

/// The column a header names, if it is one we know.
pub fn recognise(header: &str) -> Option<Column> {
    let known = &*KNOWN_HEADERS;
    let (plain, stripped) = (normalize(header), normalize(&strip_remarks(header)));
    known
        .get(&plain)
        .copied()
        .or_else(|| {
            known
                .get(&stripped)
                .copied()
                .filter(|_| !stripped.is_empty())
        })
        .or_else(|| reference_by(&plain).or_else(|| reference_by(&stripped)))
}

/// Words that join a person and an identifier in a header: "E-Mail *des* Vorgesetzten".
const JOINERS: [&str; 6] = ["des", "der", "vom", "von", "of", "the"];

/// A header naming the manager or the assisted boss together with how they are identified:
/// "Vorgesetzte(r) E-Mail", "E-Mail Vorgesetzte(r)", "Manager E-Mail", "Vorgesetzter
/// Personalnr.", "Name der Führungskraft", "Assistenz von (E-Mail)". The cells of such a
/// column resolve like the plain "Vorgesetzte(r)" column's: by e-mail, personnel number or
/// name. `header` is normalized.
fn reference_by(header: &str) -> Option<Column> {
    if header.is_empty() {
        return None;
    }
    let identifies = |rest: &str| {
        let mut rest = rest;
        for joiner in JOINERS {
            rest = rest.strip_prefix(joiner).unwrap_or(rest);
            rest = rest.strip_suffix(joiner).unwrap_or(rest);
        }
        matches!(
            KNOWN_HEADERS.get(rest),
            Some(Column::Email | Column::ExternalId | Column::FamilyName | Column::GivenName)
        ) || ["vollername", "fullname", "nameundvorname"].contains(&rest)
    };
    [Column::Manager, Column::AssistantOf]
        .into_iter()
        .find(|&column| {
            column.person_words().any(|word| {
                header
                    .strip_prefix(word.as_str())
                    .or_else(|| header.strip_suffix(word.as_str()))
                    .is_some_and(identifies)
            })
        })
}

/// Which [`Column`] each header index holds; `None` leaves that column out of the import.
/// Each column is on at most one index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mapping {
    columns: Vec<Option<Column>>,
}

/// Why a user's mapping could not be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// The key is not one of [`Column`]'s keys.
    #[error("Column {index}: \"{key}\" is not a known kind of data.")]
    UnknownKey {
        /// Zero-based header index.
        index: usize,
        /// The key sent.
        key: String,
    },
    /// The header index does not exist.
    #[error("There is no column {index}: the file has {len} columns.")]
    NoSuchIndex {
        /// Zero-based header index sent.
        index: usize,
        /// Number of headers.
        len: usize,
    },
    /// The same kind of data was chosen for two columns.
    #[error("\"{}\" is chosen for two columns ({first_header} and {second_header}).", .column.header_en())]
    Twice {
        /// The column chosen twice.
        column: Column,
        /// The first header it was chosen for.
        first_header: String,
        /// The second header it was chosen for.
        second_header: String,
    },
}

impl MappingError {
    /// The error as a sentence in the user's language.
    pub fn message(&self, lang: Language) -> String {
        match lang {
            Language::En => self.to_string(),
            Language::De => match self {
                Self::UnknownKey { index, key } => {
                    format!("Spalte {index}: „{key}“ ist keine bekannte Angabe.")
                }
                Self::NoSuchIndex { index, len } => {
                    format!("Es gibt keine Spalte {index}: Die Datei hat {len} Spalten.")
                }
                Self::Twice {
                    column,
                    first_header,
                    second_header,
                } => format!(
                    "„{}“ ist für zwei Spalten gewählt ({first_header} und {second_header}).",
                    column.header_de()
                ),
            },
        }
    }
}

impl Mapping {
    /// A mapping of `len` headers with nothing mapped.
    pub fn unmapped(len: usize) -> Self {
        Self {
            columns: vec![None; len],
        }
    }

    /// Recognises German and English headers (see [`detect`]).
    pub fn detect(headers: &[String]) -> Self {
        let mut mapping = Self::unmapped(headers.len());
        for (index, header) in headers.iter().enumerate() {
            if let Some(column) = recognise(header)
                && mapping.index_of(column).is_none()
            {
                mapping.columns[index] = Some(column);
            }
        }
        mapping
    }

    /// Builds a mapping from a web form's choices: `(header index, column key)` pairs, an
    /// empty key meaning "not imported". Indices not listed are not imported. Refuses unknown
    /// keys, indices beyond the headers, and a column chosen for two indices.
    pub fn from_keys<K: AsRef<str>>(
        headers: &[String],
        choices: &[(usize, K)],
    ) -> Result<Self, MappingError> {
        let mut mapping = Self::unmapped(headers.len());
        for (index, key) in choices {
            let (index, key) = (*index, key.as_ref().trim());
            if index >= headers.len() {
                return Err(MappingError::NoSuchIndex {
                    index,
                    len: headers.len(),
                });
            }
            if key.is_empty() {
                mapping.columns[index] = None;
                continue;
            }
            let column = Column::from_key(key).ok_or_else(|| MappingError::UnknownKey {
                index,
                key: key.to_owned(),
            })?;
            if let Some(first) = mapping.index_of(column).filter(|&i| i != index) {
                return Err(MappingError::Twice {
                    column,
                    first_header: headers[first].clone(),
                    second_header: headers[index].clone(),
                });
            }
            mapping.columns[index] = Some(column);
        }
        Ok(mapping)
    }

    /// Number of header indices covered.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// True for a mapping of no headers.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The column at a header index; `None` when unmapped or beyond the headers.
    pub fn get(&self, index: usize) -> Option<Column> {
        self.columns.get(index).copied().flatten()
    }

    /// Maps a header index to a column, or unmaps it with `None`. A column already mapped at
    /// another index moves here (the user's latest choice wins). An index beyond the headers
    /// is ignored.
    pub fn set(&mut self, index: usize, column: Option<Column>) {
        if index >= self.columns.len() {
            return;
        }
        if let Some(column) = column {
            for slot in &mut self.columns {
                if *slot == Some(column) {
                    *slot = None;
                }
            }
        }
        self.columns[index] = column;
    }

    /// The first header index mapped to `column`.
    pub fn index_of(&self, column: Column) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(column))
    }

    /// Every header index's column, in header order.
    pub fn columns(&self) -> &[Option<Column>] {
        &self.columns
    }

    /// The mapped `(header index, column)` pairs, in header order.
    pub fn mapped(&self) -> impl Iterator<Item = (usize, Column)> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (i, c)))
    }
}

/// Guesses the mapping from a header row: German and English headers, case-, space- and
/// umlaut-insensitive, remarks in parentheses ignored ("Nachname (Pflicht)"). When two
/// headers name the same column, the first is mapped and the other left unmapped.
pub fn detect(headers: &[String]) -> Mapping {
    Mapping::detect(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_manager_or_boss_named_with_an_identifier_is_the_reference_column() {
        for header in [
            "Vorgesetzte(r) E-Mail",
            "E-Mail Vorgesetzte(r)",
            "Manager E-Mail",
            "Manager email",
            "Vorgesetzter Personalnr.",
            "Vorgesetzter Pers.-Nr.",
            "E-Mail des Vorgesetzten",
            "Name der Führungskraft",
            "Reports to (Employee ID)",
            "Line manager name",
        ] {
            assert_eq!(recognise(header), Some(Column::Manager), "{header}");
        }
        for header in [
            "Assistenz von E-Mail",
            "Assistant of (email)",
            "Sekretariat für Name",
        ] {
            assert_eq!(recognise(header), Some(Column::AssistantOf), "{header}");
        }
        // Still themselves: the person's own identifiers, and what only looks alike.
        assert_eq!(recognise("E-Mail"), Some(Column::Email));
        assert_eq!(recognise("Personalnr"), Some(Column::ExternalId));
        assert_eq!(recognise("Assistenz E-Mail"), None);
        assert_eq!(recognise("Manager Telefon"), None);
        assert_eq!(recognise("Vorgesetzte(r)"), Some(Column::Manager));
    }

    #[test]
    fn recognises_german_and_english_headers() {
        let cases = [
            ("Vorname", Column::GivenName),
            ("First name", Column::GivenName),
            ("given_name", Column::GivenName),
            ("NACHNAME", Column::FamilyName),
            ("Surname", Column::FamilyName),
            ("Name", Column::FamilyName),
            ("Titel", Column::AcademicTitle),
            ("Academic title", Column::AcademicTitle),
            ("Funktion", Column::JobTitle),
            ("Position", Column::JobTitle),
            ("Job Title", Column::JobTitle),
            ("Funktionsbereich", Column::Function),
            ("Function", Column::Function),
            ("Hierarchieebene", Column::Level),
            ("Fuehrungsebene", Column::Level),
            ("Organisationseinheit", Column::Unit),
            ("Bereich", Column::Unit),
            ("Vorgesetzte(r)", Column::Manager),
            ("Vorgesetzter", Column::Manager),
            ("Reports to", Column::Manager),
            ("Assistenz von", Column::AssistantOf),
            ("Assistant to", Column::AssistantOf),
            ("E-Mail", Column::Email),
            ("eMail", Column::Email),
            ("Mail", Column::Email),
            ("Tel.", Column::Phone),
            ("Telefon geschäftlich", Column::Phone),
            ("Handy", Column::Mobile),
            ("Personalnummer", Column::ExternalId),
            ("Employee ID", Column::ExternalId),
            ("ID", Column::ExternalId),
            ("Bemerkung", Column::Notes),
            ("Nachname (Pflicht)*", Column::FamilyName),
            (" e-mail  adresse ", Column::Email),
        ];
        for (header, column) in cases {
            assert_eq!(recognise(header), Some(column), "{header}");
        }
        for unknown in ["Anrede", "Geburtstag", "", "()", "Firma"] {
            assert_eq!(recognise(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn canonical_headers_are_recognised_in_both_languages() {
        for &column in Column::ALL {
            assert_eq!(recognise(column.header_de()), Some(column));
            assert_eq!(recognise(column.header_en()), Some(column));
            assert_eq!(Column::from_key(column.key()), Some(column));
        }
        assert_eq!(Column::ALL.len(), 14);
    }

    #[test]
    fn first_of_two_headers_wins() {
        let m = detect(&headers(&["Name", "Nachname", "Anrede", "E-Mail", "Mail"]));
        assert_eq!(
            m.columns(),
            [
                Some(Column::FamilyName),
                None,
                None,
                Some(Column::Email),
                None
            ]
        );
    }

    #[test]
    fn set_moves_a_column_and_ignores_bad_indices() {
        let mut m = detect(&headers(&["Name", "Vorname", "x"]));
        m.set(2, Some(Column::FamilyName));
        assert_eq!(m.get(0), None);
        assert_eq!(m.get(2), Some(Column::FamilyName));
        m.set(1, None);
        assert_eq!(m.get(1), None);
        m.set(9, Some(Column::Notes));
        assert_eq!(m.len(), 3);
        assert_eq!(m.mapped().collect::<Vec<_>>(), [(2, Column::FamilyName)]);
    }

    #[test]
    fn from_keys_checks_the_form() {
        let h = headers(&["A", "B", "C"]);
        let m = Mapping::from_keys(&h, &[(0, "family_name"), (2, "email"), (1, "")]).unwrap();
        assert_eq!(
            m.columns(),
            [Some(Column::FamilyName), None, Some(Column::Email)]
        );
        assert_eq!(
            Mapping::from_keys(&h, &[(0, "boss")]),
            Err(MappingError::UnknownKey {
                index: 0,
                key: "boss".into()
            })
        );
        assert!(matches!(
            Mapping::from_keys(&h, &[(3, "email")]),
            Err(MappingError::NoSuchIndex { index: 3, len: 3 })
        ));
        let twice = Mapping::from_keys(&h, &[(0, "email"), (1, "email")]).unwrap_err();
        assert!(twice.to_string().contains("A and B"));
        assert!(twice.message(Language::De).contains("„E-Mail“"));
    }
}
