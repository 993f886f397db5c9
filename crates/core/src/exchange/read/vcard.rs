//! vCard contacts (RFC 2426 version 3.0 and RFC 6350 version 4.0; the common parts of 2.1).
//!
//! Only what a person record holds is kept: names, organization and unit, title, e-mail
//! addresses, phone numbers, note and UID. Photos, addresses and the like are skipped.

use serde::{Deserialize, Serialize};

use super::{Limits, ReadError, Table, TableRow, decode_text};
use crate::exchange::mapping::Column;
use crate::user::Language;

/// One contact. Text fields are empty when the vCard does not have them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VCard {
    /// `UID`: a stable id from the address book.
    pub uid: String,
    /// `FN`: the name as displayed, e.g. "Dr. Katharina Schneider".
    pub formatted_name: String,
    /// `N`, first component.
    pub family_name: String,
    /// `N`, second component.
    pub given_name: String,
    /// `N`, third component: middle names.
    pub additional_names: String,
    /// `N`, fourth component, e.g. "Dr." or "Prof. Dr.".
    pub honorific_prefix: String,
    /// `N`, fifth component, e.g. "MBA".
    pub honorific_suffix: String,
    /// `ORG`, first component: the organization's name.
    pub organization: String,
    /// `ORG`, further components: units from the top down, e.g. ["Vertrieb", "Key Accounts"].
    pub units: Vec<String>,
    /// `TITLE`: the job title.
    pub title: String,
    /// `EMAIL`, in file order.
    pub emails: Vec<String>,
    /// `TEL`, in file order.
    pub phones: Vec<VCardPhone>,
    /// `NOTE`.
    pub note: String,
}

/// One `TEL` of a vCard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VCardPhone {
    /// What kind of number, from its `TYPE` parameters.
    pub kind: PhoneKind,
    /// The number as written (a `tel:` URI prefix is removed).
    pub number: String,
}

/// The kind of a phone number, from `TYPE=`. A number with several types gets the first
/// that applies in this order: cell, fax, work, home.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// `cell` (also `mobile`, `iphone`).
    Cell,
    /// `fax`.
    Fax,
    /// `work`.
    Work,
    /// `home`.
    Home,
    /// No type, `voice` only, or anything else.
    Other,
}

impl PhoneKind {
    fn from_types(types: &[String]) -> Self {
        let has = |t: &str| types.iter().any(|x| x == t);
        if has("cell") || has("mobile") || has("iphone") {
            Self::Cell
        } else if has("fax") {
            Self::Fax
        } else if has("work") {
            Self::Work
        } else if has("home") {
            Self::Home
        } else {
            Self::Other
        }
    }

    fn type_param(self) -> &'static str {
        match self {
            Self::Cell => ";TYPE=cell",
            Self::Fax => ";TYPE=fax",
            Self::Work => ";TYPE=work,voice",
            Self::Home => ";TYPE=home,voice",
            Self::Other => ";TYPE=voice",
        }
    }
}

/// Reads every vCard of a `.vcf` file (one or many contacts).
///
/// Handles folded lines, `\,` `\;` `\n` escapes, grouped properties (`item1.EMAIL`), `TYPE`
/// written as `TYPE=CELL`, `TYPE="work,voice"`, repeated `TYPE=` or bare `CELL`, `tel:`
/// URIs, and version 2.1/3.0 `QUOTED-PRINTABLE` values with their `CHARSET`. The file may be
/// UTF-8 or Windows-1252 like a CSV file. Content outside `BEGIN:VCARD` … `END:VCARD` and
/// unknown properties are skipped; a contact without `END:VCARD` is an error (a cut-off file).
/// The [`Limits`] hold as for a table: the file's size, one card per row, one property value
/// per cell.
pub fn read_vcards(bytes: &[u8], limits: &Limits) -> Result<Vec<VCard>, ReadError> {
    let mut cards = Vec::new();
    each_vcard(bytes, limits, |card| cards.push(card))?;
    Ok(cards)
}

/// Reads a `.vcf` file straight into a [`Table`] as [`vcards_to_table_in`] makes it, keeping
/// each contact as a compact row rather than a [`VCard`]: a file of a million tiny contacts
/// costs a tenth of the memory.
pub fn read_vcard_table(bytes: &[u8], lang: Language, limits: &Limits) -> Result<Table, ReadError> {
    let mut rows = Vec::new();
    each_vcard(bytes, limits, |card| {
        rows.push(TableRow::from_cells(rows.len() + 1, card_cells(&card)));
    })?;
    Ok(table_of_rows(rows, lang))
}

/// Parses the cards of a file one after another, handing each to `card`.
fn each_vcard(bytes: &[u8], limits: &Limits, mut card: impl FnMut(VCard)) -> Result<(), ReadError> {
    limits.check_size(bytes)?;
    let text = decode_text(bytes);
    let mut count = 0;
    let mut current: Option<(usize, Builder)> = None;
    // Nested vCards (2.1 `AGENT`) are skipped whole.
    let mut nested = 0usize;
    for (line_number, line) in logical_lines(&text) {
        // Escapes and encodings only ever shorten a value, so the line bounds it.
        if line.len() > limits.max_cell_chars * 4 + 200 {
            return Err(ReadError::LineTooLong {
                line: line_number,
                max: limits.max_cell_chars,
            });
        }
        let Some(property) = Property::parse(&line) else {
            continue;
        };
        let is_vcard = property.value.trim().eq_ignore_ascii_case("VCARD");
        match property.name.as_str() {
            "BEGIN" if is_vcard => {
                if current.is_some() {
                    nested += 1;
                } else {
                    current = Some((line_number, Builder::default()));
                }
            }
            "END" if is_vcard => {
                if nested > 0 {
                    nested -= 1;
                } else if let Some((_, builder)) = current.take() {
                    count += 1;
                    limits.check_rows(count)?;
                    card(builder.card);
                }
            }
            _ => {
                if let (Some((_, builder)), 0) = (&mut current, nested) {
                    builder.apply(&property);
                }
            }
        }
    }
    if let Some((line, _)) = current {
        return Err(ReadError::UnterminatedVCard { line });
    }
    if count == 0 {
        return Err(ReadError::NoVCard);
    }
    Ok(())
}

/// Collects one card's properties; the first of a repeated single-valued property wins.
#[derive(Default)]
struct Builder {
    card: VCard,
    seen_fn: bool,
    seen_n: bool,
    seen_org: bool,
    seen_title: bool,
    seen_note: bool,
    seen_uid: bool,
}

impl Builder {
    fn apply(&mut self, p: &Property) {
        let card = &mut self.card;
        match p.name.as_str() {
            "FN" if !std::mem::replace(&mut self.seen_fn, true) => {
                card.formatted_name = unescape(&p.value);
            }
            "N" if !std::mem::replace(&mut self.seen_n, true) => {
                let mut parts = split_structured(&p.value).into_iter();
                let mut next = || parts.next().unwrap_or_default();
                card.family_name = next();
                card.given_name = next();
                card.additional_names = next();
                card.honorific_prefix = next();
                card.honorific_suffix = next();
            }
            "ORG" if !std::mem::replace(&mut self.seen_org, true) => {
                let mut parts = split_structured(&p.value).into_iter();
                card.organization = parts.next().unwrap_or_default();
                card.units = parts.collect();
            }
            "TITLE" if !std::mem::replace(&mut self.seen_title, true) => {
                card.title = unescape(&p.value);
            }
            "NOTE" if !std::mem::replace(&mut self.seen_note, true) => {
                card.note = unescape(&p.value);
            }
            "UID" if !std::mem::replace(&mut self.seen_uid, true) => {
                card.uid = unescape(&p.value);
            }
            "EMAIL" => card.emails.push(unescape(&p.value)),
            "TEL" => {
                let value = unescape(&p.value);
                let number = match value.get(..4) {
                    Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => value[4..].to_owned(),
                    _ => value,
                };
                card.phones.push(VCardPhone {
                    kind: PhoneKind::from_types(&p.types),
                    number,
                });
            }
            _ => {}
        }
    }
}

/// Unfolds a vCard text into logical lines with the number of their first physical line.
///
/// A line starting with a space or tab continues the previous one (that one character is
/// dropped). A quoted-printable value ending in `=` continues on the next line as well
/// (version 2.1/3.0 "soft line break").
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut soft_break = false;
    for (index, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        // Mac-style lone CRs split further; they are rare enough to count as one line.
        for physical in physical.split('\r') {
            match lines.last_mut() {
                Some((_, current)) if soft_break => {
                    current.pop();
                    current.push_str(physical);
                }
                Some((_, current)) if physical.starts_with([' ', '\t']) => {
                    current.push_str(&physical[1..]);
                }
                _ => lines.push((index + 1, physical.to_owned())),
            }
            soft_break = lines
                .last()
                .is_some_and(|(_, l)| l.ends_with('=') && is_quoted_printable(l));
        }
    }
    lines
}

/// Whether a line's parameters say its value is quoted-printable.
fn is_quoted_printable(line: &str) -> bool {
    let head = &line[..find_value_colon(line).unwrap_or(line.len())];
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// The position of the colon that separates name and parameters from the value: the first
/// one outside double quotes.
fn find_value_colon(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// A content line taken apart.
struct Property {
    /// Upper-case name without group, e.g. `TEL`.
    name: String,
    /// Lower-case `TYPE` values, from `TYPE=a,b`, repeated `TYPE=` and bare parameters.
    types: Vec<String>,
    /// The value, quoted-printable already decoded; escapes still in place.
    value: String,
}

impl Property {
    fn parse(line: &str) -> Option<Self> {
        let colon = find_value_colon(line)?;
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = split_params(head).into_iter();
        let name = parts.next()?;
        let name = name.rsplit('.').next().unwrap_or(name).trim();
        if name.is_empty() {
            return None;
        }
        let mut types = Vec::new();
        let mut quoted_printable = false;
        let mut charset = None;
        for param in parts {
            let (key, val) = match param.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_uppercase(), v),
                // Version 2.1 style: `TEL;CELL;VOICE:` and `;QUOTED-PRINTABLE:`.
                None => ("TYPE".to_owned(), param),
            };
            match key.as_str() {
                "TYPE" => types.extend(
                    val.split(',')
                        .map(|t| t.trim().trim_matches('"').to_ascii_lowercase())
                        .filter(|t| !t.is_empty()),
                ),
                "ENCODING" => {
                    quoted_printable |= val.trim().eq_ignore_ascii_case("QUOTED-PRINTABLE");
                }
                "CHARSET" => charset = Some(val.trim().trim_matches('"').to_ascii_lowercase()),
                _ => {}
            }
        }
        quoted_printable |= types.iter().any(|t| t == "quoted-printable");
        let value = if quoted_printable {
            decode_quoted_printable(value, charset.as_deref())
        } else {
            value.to_owned()
        };
        Some(Self {
            name: name.to_ascii_uppercase(),
            types,
            value,
        })
    }
}

/// Splits `NAME;P1=a;P2="b;c"` at semicolons outside quotes.
fn split_params(head: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, b) in head.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                parts.push(&head[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&head[start..]);
    parts
}

/// Decodes `=XX` escapes; the bytes are UTF-8 unless the charset says Latin-1/Windows-1252
/// (or they are not valid UTF-8).
fn decode_quoted_printable(value: &str, charset: Option<&str>) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'=', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let byte = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(byte).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    let latin = matches!(
        charset,
        Some("iso-8859-1" | "iso-8859-15" | "windows-1252" | "cp1252" | "latin1")
    );
    if !latin && let Ok(text) = std::str::from_utf8(&out) {
        return text.to_owned();
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&out)
        .0
        .into_owned()
}

/// Undoes vCard text escapes: `\\` `\,` `\;` `\:` and `\n`/`\N` for a line break. Any other
/// backslash is kept as it is.
fn unescape(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(e @ ('\\' | ',' | ';' | ':')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a structured value (`N`, `ORG`) at unescaped semicolons and unescapes each part.
fn split_structured(value: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, b) in value.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b';' => {
                parts.push(unescape(&value[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(unescape(&value[start..]));
    parts
}

/// Escapes text for a vCard value: backslash, comma, semicolon and line breaks (CRLF, CR and
/// LF all become `\n`).
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c => out.push(c),
        }
    }
    out
}

/// Writes vCards as version 4.0: CRLF line ends, lines folded at 75 octets (never inside a
/// UTF-8 character), text escaped.
///
/// `FN` is always written (4.0 requires it, even if empty); `N`, `ORG` and the other
/// properties only when they have content. Phone numbers are written as text, not `tel:`
/// URIs, so that "+49 (0)221 / 123-456" comes back exactly as it went out. Reading the
/// output with [`read_vcards`] gives the same cards, except that a CR in a value comes back
/// as a plain line break.
pub fn write_vcards(cards: &[VCard]) -> String {
    let mut out = String::new();
    for card in cards {
        let mut line = |content: String| fold_line(&mut out, &content);
        line("BEGIN:VCARD".into());
        line("VERSION:4.0".into());
        if !card.uid.is_empty() {
            line(format!("UID:{}", escape(&card.uid)));
        }
        line(format!("FN:{}", escape(&card.formatted_name)));
        let n = [
            &card.family_name,
            &card.given_name,
            &card.additional_names,
            &card.honorific_prefix,
            &card.honorific_suffix,
        ];
        if n.iter().any(|s| !s.is_empty()) {
            let parts: Vec<String> = n.iter().map(|s| escape(s)).collect();
            line(format!("N:{}", parts.join(";")));
        }
        if !card.organization.is_empty() || !card.units.is_empty() {
            let parts: Vec<String> = std::iter::once(&card.organization)
                .chain(&card.units)
                .map(|s| escape(s))
                .collect();
            line(format!("ORG:{}", parts.join(";")));
        }
        if !card.title.is_empty() {
            line(format!("TITLE:{}", escape(&card.title)));
        }
        for email in &card.emails {
            line(format!("EMAIL;TYPE=work:{}", escape(email)));
        }
        for phone in &card.phones {
            line(format!(
                "TEL{}:{}",
                phone.kind.type_param(),
                escape(&phone.number)
            ));
        }
        if !card.note.is_empty() {
            line(format!("NOTE:{}", escape(&card.note)));
        }
        line("END:VCARD".into());
    }
    out
}

/// Appends a content line, folded so that no line exceeds 75 octets (continuation lines
/// start with a space, which counts), with CRLF.
fn fold_line(out: &mut String, content: &str) {
    const LIMIT: usize = 75;
    let mut rest = content;
    let mut first = true;
    loop {
        let room = if first { LIMIT } else { LIMIT - 1 };
        if !first {
            out.push(' ');
        }
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

/// The columns a vCard can fill, in export order.
const VCARD_COLUMNS: [Column; 10] = [
    Column::ExternalId,
    Column::AcademicTitle,
    Column::GivenName,
    Column::FamilyName,
    Column::JobTitle,
    Column::Unit,
    Column::Email,
    Column::Phone,
    Column::Mobile,
    Column::Notes,
];

/// Turns vCards into a [`Table`] with German canonical headers, so they go through
/// [`crate::exchange::mapping::detect`] and [`crate::exchange::plan::plan`] like a
/// spreadsheet. See [`vcards_to_table_in`].
pub fn vcards_to_table(cards: &[VCard]) -> Table {
    vcards_to_table_in(cards, Language::De)
}

/// Turns vCards into a [`Table`] with canonical headers in the given language.
///
/// Row numbers count the contacts from 1 in file order. Given name, family name and e-mail
/// are always columns; the others only when some card has a value for them, because a mapped
/// column that is empty clears the stored value on re-import, and a vCard that never has a
/// note should not wipe notes typed in Counterpart.
///
/// - External ID ← `UID`; title ← `N` prefix; given/family name ← `N`, or split from `FN`
///   when `N` is empty ("Dr. Eva Lang", "Lang, Eva").
/// - Unit ← the last (most specific) unit of `ORG`; the organization itself is not a column,
///   since the user imports into one chosen organization.
/// - E-mail ← the first non-empty `EMAIL`; phone ← the first work number, else the first
///   untyped, else the first home number; mobile ← the first cell number.
pub fn vcards_to_table_in(cards: &[VCard], lang: Language) -> Table {
    let rows = cards
        .iter()
        .enumerate()
        .map(|(n, card)| TableRow::from_cells(n + 1, card_cells(card)))
        .collect();
    table_of_rows(rows, lang)
}

/// The table of rows with every [`VCARD_COLUMNS`] column: those always kept, and the others
/// that some row has a value in.
fn table_of_rows(rows: Vec<TableRow>, lang: Language) -> Table {
    let always = [Column::GivenName, Column::FamilyName, Column::Email];
    let keep: Vec<usize> = (0..VCARD_COLUMNS.len())
        .filter(|&i| {
            always.contains(&VCARD_COLUMNS[i]) || rows.iter().any(|row| !row.get(i).is_empty())
        })
        .collect();
    let headers = keep
        .iter()
        .map(|&i| VCARD_COLUMNS[i].header(lang).to_owned())
        .collect();
    let rows = if keep.len() == VCARD_COLUMNS.len() {
        rows
    } else {
        rows.into_iter()
            .map(|row| TableRow::from_cells(row.number, keep.iter().map(|&i| row.get(i))))
            .collect()
    };
    Table {
        headers,
        header_row: 1,
        rows,
    }
}

/// One card's cells in [`VCARD_COLUMNS`] order, trimmed like a file's cells.
fn card_cells(card: &VCard) -> [String; 10] {
    let (mut title, mut given, mut family) = (
        card.honorific_prefix.trim().to_owned(),
        card.given_name.trim().to_owned(),
        card.family_name.trim().to_owned(),
    );
    if given.is_empty() && family.is_empty() {
        let (t, g, f) = split_formatted_name(&card.formatted_name);
        if title.is_empty() {
            title = t;
        }
        (given, family) = (g, f);
    }
    let first_phone = |kinds: &[PhoneKind]| {
        kinds
            .iter()
            .find_map(|kind| {
                card.phones
                    .iter()
                    .find(|p| p.kind == *kind && !p.number.trim().is_empty())
            })
            .map(|p| p.number.trim().to_owned())
            .unwrap_or_default()
    };
    let unit = card
        .units
        .iter()
        .rev()
        .map(|u| u.trim())
        .find(|u| !u.is_empty())
        .unwrap_or_default();
    let email = card
        .emails
        .iter()
        .map(|e| e.trim())
        .find(|e| !e.is_empty())
        .unwrap_or_default();
    [
        card.uid.trim().to_owned(),
        title,
        given,
        family,
        card.title.trim().to_owned(),
        unit.to_owned(),
        email.to_owned(),
        first_phone(&[PhoneKind::Work, PhoneKind::Other, PhoneKind::Home]),
        first_phone(&[PhoneKind::Cell]),
        note_before_insights(&card.note).trim().to_owned(),
    ]
}

/// The line that opens what we know on an exported vCard's note; an import of that vCard
/// reads the note only up to it, so that an exported card imported again leaves the person's
/// notes as they were.
pub const fn insights_heading(lang: Language) -> &'static str {
    match lang {
        Language::De => "— Was wir wissen (Counterpart) —",
        Language::En => "— What we know (Counterpart) —",
    }
}

/// A note as typed, without what an export of ours appended below its heading
/// ([`insights_heading`]): what we know is kept as insights, not as notes.
fn note_before_insights(note: &str) -> &str {
    [Language::De, Language::En]
        .iter()
        .filter_map(|&lang| note.find(insights_heading(lang)))
        .min()
        .map_or(note, |at| &note[..at])
}

/// Splits a display name into (academic title, given name, family name): "Lang, Eva" or
/// "Dr. Eva Lang" (leading words ending in a dot are the title).
fn split_formatted_name(name: &str) -> (String, String, String) {
    if let Some((family, given)) = name.split_once(',') {
        let (title, given) = split_title(given.trim());
        return (title, given, family.trim().to_owned());
    }
    let (title, rest) = split_title(name.trim());
    match rest.rsplit_once(char::is_whitespace) {
        Some((given, family)) => (title, given.trim().to_owned(), family.to_owned()),
        None => (title, String::new(), rest),
    }
}

fn split_title(name: &str) -> (String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let titled = words
        .iter()
        .take_while(|w| w.ends_with('.') && w.len() > 1)
        .count()
        .min(words.len().saturating_sub(1));
    (words[..titled].join(" "), words[titled..].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for s in ["a,b;c\\d\ne", "", "\\", "x\\n", "Müller, Jürgen; Weiß"] {
            assert_eq!(unescape(&escape(s)), s);
            assert_eq!(split_structured(&escape(s)), [s]);
        }
        assert_eq!(escape("a\r\nb\rc"), "a\\nb\\nc");
        assert_eq!(unescape("\\N\\x"), "\n\\x");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let content = format!("NOTE:{}", "ä".repeat(100));
        fold_line(&mut out, &content);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded: String = logical_lines(&out).into_iter().map(|(_, l)| l).collect();
        assert_eq!(unfolded, content);
    }

    #[test]
    fn quoted_printable_in_both_charsets() {
        assert_eq!(
            decode_quoted_printable("M=C3=BCller", Some("utf-8")),
            "Müller"
        );
        assert_eq!(
            decode_quoted_printable("M=FCller", Some("iso-8859-1")),
            "Müller"
        );
        assert_eq!(decode_quoted_printable("M=FCller", None), "Müller");
        assert_eq!(decode_quoted_printable("a=zz=4", None), "a=zz=4");
    }

    #[test]
    fn parameters_in_every_style() {
        let p = Property::parse("item1.TEL;type=WORK;TYPE=\"voice,CELL\":tel:+49").unwrap();
        assert_eq!(p.name, "TEL");
        assert_eq!(p.types, ["work", "voice", "cell"]);
        let p = Property::parse("TEL;CELL;VOICE:0171").unwrap();
        assert_eq!(p.types, ["cell", "voice"]);
        assert!(Property::parse("no colon here").is_none());
        assert!(Property::parse(":value").is_none());
    }

    #[test]
    fn display_names_split() {
        let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            split_formatted_name("Dr. Eva Maria Lang"),
            s("Dr.", "Eva Maria", "Lang")
        );
        assert_eq!(split_formatted_name("Lang, Eva"), s("", "Eva", "Lang"));
        assert_eq!(split_formatted_name("Lang"), s("", "", "Lang"));
        assert_eq!(split_formatted_name("Prof. Dr."), s("Prof.", "", "Dr."));
        assert_eq!(split_formatted_name(""), s("", "", ""));
    }

    #[test]
    fn unterminated_and_missing_cards() {
        assert_eq!(
            read_vcards(b"hello", &Limits::default()),
            Err(ReadError::NoVCard)
        );
        assert_eq!(
            read_vcards(
                b"BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n\r\nBEGIN:VCARD\r\nFN:y\r\n",
                &Limits::default()
            ),
            Err(ReadError::UnterminatedVCard { line: 5 })
        );
    }
}
