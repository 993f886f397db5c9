//! What can be wrong with a row of an import, and how to say it in German and English.

use serde::Serialize;

use crate::user::Language;
use crate::validate::Problem;

/// One problem of an import, located by row and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Row number as a spreadsheet shows it (1 for the header row).
    pub row: usize,
    /// The header of the column as written in the file; `None` for a problem of the whole row.
    pub column: Option<String>,
    /// What is wrong.
    pub problem: ImportProblem,
}

impl RowProblem {
    /// "Row 5, column "E-Mail": Not a valid e-mail address …", for lists and the CLI.
    pub fn message(&self, lang: Language) -> String {
        let what = self.problem.message(lang);
        match (lang, &self.column) {
            (Language::De, Some(column)) => {
                format!("Zeile {}, Spalte „{column}“: {what}", self.row)
            }
            (Language::De, None) => format!("Zeile {}: {what}", self.row),
            (Language::En, Some(column)) => {
                format!("Row {}, column \"{column}\": {what}", self.row)
            }
            (Language::En, None) => format!("Row {}: {what}", self.row),
        }
    }
}

/// What is wrong with a row (or, for [`ImportProblem::NoFamilyNameColumn`], the mapping).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum ImportProblem {
    /// The family name cell is empty.
    MissingName,
    /// No column is mapped to the family name, which every person needs.
    NoFamilyNameColumn,
    /// The level matches no rank and no name of the ladder.
    UnknownLevel {
        /// The cell's text.
        value: String,
    },
    /// The function matches no key and no name.
    UnknownFunction {
        /// The cell's text.
        value: String,
    },
    /// Several existing units of the organization have this name.
    UnitAmbiguous {
        /// The cell's text.
        value: String,
    },
    /// No row of the file and no active person of the organization matches the manager.
    ManagerNotFound {
        /// The cell's text.
        value: String,
    },
    /// The manager's name matches several people.
    ManagerAmbiguous {
        /// The cell's text.
        value: String,
    },
    /// No row of the file and no active person of the organization matches the boss.
    AssistantOfNotFound {
        /// The cell's text.
        value: String,
    },
    /// The boss's name matches several people.
    AssistantOfAmbiguous {
        /// The cell's text.
        value: String,
    },
    /// The row is part of a reports-to loop (within the file or through existing people).
    Cycle,
    /// The e-mail address already appears in an earlier row.
    DuplicateEmail {
        /// That earlier row.
        first_row: usize,
    },
    /// The external id already appears in an earlier row.
    DuplicateExternalId {
        /// That earlier row.
        first_row: usize,
    },
    /// An earlier row already matched the same existing person (by external id or e-mail).
    SamePerson {
        /// That earlier row.
        first_row: usize,
    },
    /// The value is invalid: not an e-mail address, not a phone number, too long …
    Invalid(Problem),
}

impl ImportProblem {
    /// The problem as a sentence in the user's language (without row and column; see
    /// [`RowProblem::message`]).
    pub fn message(&self, lang: Language) -> String {
        let de = lang == Language::De;
        let pick = |german: &str, english: &str| if de { german } else { english }.to_owned();
        match self {
            Self::MissingName => pick("Der Nachname fehlt.", "The family name is missing."),
            Self::NoFamilyNameColumn => pick(
                "Keine Spalte ist dem Nachnamen zugeordnet; ohne Nachnamen kann keine Person \
                 angelegt werden.",
                "No column is mapped to the family name, which every person needs.",
            ),
            Self::UnknownLevel { value } => pick(
                &format!(
                    "Unbekannte Ebene „{value}“: bitte den Rang (z. B. 3) oder den Namen einer \
                     Ebene angeben."
                ),
                &format!(
                    "Unknown level \"{value}\": give the rank (such as 3) or the name of a level."
                ),
            ),
            Self::UnknownFunction { value } => pick(
                &format!("Unbekannter Funktionsbereich „{value}“."),
                &format!("Unknown function \"{value}\"."),
            ),
            Self::UnitAmbiguous { value } => pick(
                &format!(
                    "Mehrere Einheiten der Organisation heißen „{value}“; bitte eine davon \
                     umbenennen."
                ),
                &format!(
                    "Several units of the organization are named \"{value}\"; please rename one."
                ),
            ),
            Self::ManagerNotFound { value } => pick(
                &format!(
                    "Vorgesetzte(r) „{value}“ ist weder in der Datei noch in der Organisation zu \
                     finden (gesucht nach E-Mail, Personalnummer und Name)."
                ),
                &format!(
                    "Manager \"{value}\" is neither in the file nor in the organization (looked \
                     up by e-mail, external id and name)."
                ),
            ),
            Self::ManagerAmbiguous { value } => pick(
                &format!(
                    "„{value}“ passt auf mehrere Personen; bitte die E-Mail-Adresse der \
                     Vorgesetzten angeben."
                ),
                &format!(
                    "\"{value}\" matches several people; please give the manager's e-mail \
                     address."
                ),
            ),
            Self::AssistantOfNotFound { value } => pick(
                &format!(
                    "„{value}“ (Assistenz von) ist weder in der Datei noch in der Organisation zu \
                     finden (gesucht nach E-Mail, Personalnummer und Name)."
                ),
                &format!(
                    "\"{value}\" (assistant to) is neither in the file nor in the organization \
                     (looked up by e-mail, external id and name)."
                ),
            ),
            Self::AssistantOfAmbiguous { value } => pick(
                &format!("„{value}“ passt auf mehrere Personen; bitte die E-Mail-Adresse angeben."),
                &format!("\"{value}\" matches several people; please give the e-mail address."),
            ),
            Self::Cycle => pick(
                "Die Vorgesetzten bilden einen Kreis: Diese Person stünde über sich selbst.",
                "The managers form a loop: this person would end up above themselves.",
            ),
            Self::DuplicateEmail { first_row } => pick(
                &format!("Diese E-Mail-Adresse steht schon in Zeile {first_row}."),
                &format!("This e-mail address already appears in row {first_row}."),
            ),
            Self::DuplicateExternalId { first_row } => pick(
                &format!("Diese Personalnummer steht schon in Zeile {first_row}."),
                &format!("This external id already appears in row {first_row}."),
            ),
            Self::SamePerson { first_row } => pick(
                &format!(
                    "Diese Zeile und Zeile {first_row} beschreiben dieselbe vorhandene Person."
                ),
                &format!("This row and row {first_row} describe the same existing person."),
            ),
            Self::Invalid(problem) => problem.message(if de { Language::De } else { Language::En }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_speaks_both_languages() {
        let value = || "x".to_owned();
        let problems = [
            ImportProblem::MissingName,
            ImportProblem::NoFamilyNameColumn,
            ImportProblem::UnknownLevel { value: value() },
            ImportProblem::UnknownFunction { value: value() },
            ImportProblem::UnitAmbiguous { value: value() },
            ImportProblem::ManagerNotFound { value: value() },
            ImportProblem::ManagerAmbiguous { value: value() },
            ImportProblem::AssistantOfNotFound { value: value() },
            ImportProblem::AssistantOfAmbiguous { value: value() },
            ImportProblem::Cycle,
            ImportProblem::DuplicateEmail { first_row: 2 },
            ImportProblem::DuplicateExternalId { first_row: 2 },
            ImportProblem::SamePerson { first_row: 2 },
            ImportProblem::Invalid(Problem::InvalidEmail),
            ImportProblem::Invalid(Problem::TooLong { max: 40 }),
        ];
        for p in problems {
            let (de, en) = (p.message(Language::De), p.message(Language::En));
            assert!(!de.is_empty() && !en.is_empty() && de != en, "{p:?}");
        }
        let located = RowProblem {
            row: 7,
            column: Some("E-Mail".into()),
            problem: ImportProblem::DuplicateEmail { first_row: 3 },
        };
        assert_eq!(
            located.message(Language::De),
            "Zeile 7, Spalte „E-Mail“: Diese E-Mail-Adresse steht schon in Zeile 3."
        );
        assert_eq!(
            located.message(Language::En),
            "Row 7, column \"E-Mail\": This e-mail address already appears in row 3."
        );
    }
}
