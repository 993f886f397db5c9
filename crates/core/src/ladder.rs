//! The hierarchy ladder shared by all organizations, and the functions people fill.
//!
//! Each organization keeps its own job titles; what makes a managing director comparable to a
//! "Geschäftsführer" elsewhere is the rung of this one ladder. Rank 1 is the top.

use serde::{Deserialize, Serialize};

use crate::ids::{FunctionId, LevelId};
use crate::validate::{FieldErrors, Problem, required_text};

/// One rung of the ladder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// Its id.
    pub id: LevelId,
    /// Position on the ladder, 1 = top. Distances between ranks drive the mirror analysis.
    pub rank: i64,
    /// German name, e.g. "Geschäftsführung".
    pub name_de: String,
    /// English name, e.g. "Managing director".
    pub name_en: String,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A function such as management, sales or assistant/secretariat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Its id.
    pub id: FunctionId,
    /// Stable machine key, e.g. `assistant`.
    pub key: String,
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
    /// True for assistant/secretariat functions: those are paired with each other
    /// ("secretariat to secretariat").
    pub is_assistant: bool,
    /// Display order.
    pub rank: i64,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// The default ladder: (German, English) from the top down.
pub const DEFAULT_LEVELS: [(&str, &str); 5] = [
    ("Vorstand/Geschäftsführung", "Board/Managing director"),
    ("Bereichsleitung", "Division head"),
    ("Abteilungsleitung", "Head of department"),
    ("Teamleitung", "Team lead"),
    ("Sachbearbeitung", "Specialist/clerk"),
];

/// The default functions: (key, German, English, is assistant/secretariat).
pub const DEFAULT_FUNCTIONS: [(&str, &str, &str, bool); 8] = [
    ("management", "Geschäftsleitung", "Management", false),
    ("sales", "Vertrieb", "Sales", false),
    ("technical", "Technik", "Technical", false),
    ("procurement", "Einkauf", "Procurement", false),
    ("finance", "Finanzen", "Finance", false),
    ("hr", "Personal", "HR", false),
    (
        "assistant",
        "Assistenz/Sekretariat",
        "Assistant/secretariat",
        true,
    ),
    ("other", "Sonstiges", "Other", false),
];

/// Validated names for a new or renamed level or function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LadderNames {
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
}

impl LadderNames {
    /// Checks both names (required, at most 80 characters).
    pub fn parse(name_de: &str, name_en: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let de = errors.take("name_de", required_text(name_de, 80));
        let en = errors.take("name_en", required_text(name_en, 80));
        errors.into_result(|| Self {
            name_de: de.unwrap_or_default(),
            name_en: en.unwrap_or_default(),
        })
    }
}

/// Validates a function's machine key: lowercase ASCII letters, digits and `_`, 1–40 long.
pub fn parse_function_key(key: &str) -> Result<String, Problem> {
    let key = required_text(key, 40)?;
    if key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(key)
    } else {
        Err(Problem::UnknownChoice)
    }
}

/// Direction of a reorder step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Move {
    /// Towards rank 1.
    Up,
    /// Away from rank 1.
    Down,
}

/// Moves the item `id` one step up or down in `order` (ids by ascending rank) and returns the
/// new order; unchanged when it is already at that end or not present.
pub fn reorder<T: PartialEq + Copy>(order: &[T], id: T, direction: Move) -> Vec<T> {
    let mut next = order.to_vec();
    if let Some(i) = next.iter().position(|x| *x == id) {
        match direction {
            Move::Up if i > 0 => next.swap(i, i - 1),
            Move::Down if i + 1 < next.len() => next.swap(i, i + 1),
            _ => {}
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorder_moves_one_step_and_stops_at_the_ends() {
        assert_eq!(reorder(&[1, 2, 3], 2, Move::Up), vec![2, 1, 3]);
        assert_eq!(reorder(&[1, 2, 3], 2, Move::Down), vec![1, 3, 2]);
        assert_eq!(reorder(&[1, 2, 3], 1, Move::Up), vec![1, 2, 3]);
        assert_eq!(reorder(&[1, 2, 3], 3, Move::Down), vec![1, 2, 3]);
        assert_eq!(reorder(&[1, 2, 3], 9, Move::Down), vec![1, 2, 3]);
    }

    #[test]
    fn function_keys_are_machine_friendly() {
        assert_eq!(
            parse_function_key(" key_account "),
            Ok("key_account".into())
        );
        assert_eq!(
            parse_function_key("Sekretariat"),
            Err(Problem::UnknownChoice)
        );
        assert_eq!(parse_function_key(""), Err(Problem::Required));
    }

    #[test]
    fn ladder_names_are_both_required() {
        let err = LadderNames::parse("", " ").unwrap_err();
        assert_eq!(err.get("name_de"), Some(&Problem::Required));
        assert_eq!(err.get("name_en"), Some(&Problem::Required));
    }
}
