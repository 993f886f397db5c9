//! Field-level validation errors. Core names *what* is wrong with *which* field; the web
//! layer turns that into a sentence in the user's language.

use serde::Serialize;

/// What is wrong with a field's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The field must not be empty.
    Required,
    /// The value is longer than allowed.
    TooLong {
        /// Maximum number of characters.
        max: usize,
    },
    /// The value is shorter than allowed.
    TooShort {
        /// Minimum number of characters.
        min: usize,
    },
    /// Not a valid e-mail address.
    InvalidEmail,
    /// Not a valid phone number.
    InvalidPhone,
    /// Not one of the allowed choices.
    UnknownChoice,
    /// Not a valid date (expected YYYY-MM-DD).
    InvalidDate,
    /// A number outside its allowed range.
    OutOfRange {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// Setting this would make a chain of managers (or units) loop back on itself.
    Cycle,
    /// A person or unit cannot point to itself.
    SelfReference,
    /// The referenced person or unit belongs to another organization.
    OtherOrganization,
    /// The referenced record does not exist (or is inactive).
    NotFound,
    /// Another record already uses this value.
    Taken,
    /// The end date lies before the start date.
    EndBeforeStart,
}

/// One problem with one field of a form or JSON body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as it appears in the form or JSON body.
    pub field: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

/// All problems found in one input, in field order. Empty means valid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Records a problem with a field.
    pub fn add(&mut self, field: &'static str, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }

    /// A single-problem error.
    pub fn single(field: &'static str, problem: Problem) -> Self {
        let mut errors = Self::default();
        errors.add(field, problem);
        errors
    }

    /// The first problem of a field, if any.
    pub fn get(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else the collected errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// Keeps the value of a parse, or records its problem and yields `None`.
    pub fn take<T>(&mut self, field: &'static str, parsed: Result<T, Problem>) -> Option<T> {
        parsed.map_err(|problem| self.add(field, problem)).ok()
    }
}

/// Trims a text field and checks its length; `None` for an empty optional field.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Ok(None)
    } else if trimmed.chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(Some(trimmed.to_owned()))
    }
}

/// Trims a text field that must not be empty and checks its length.
pub fn required_text(value: &str, max: usize) -> Result<String, Problem> {
    optional_text(value, max)?.ok_or(Problem::Required)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_trimmed_and_bounded() {
        assert_eq!(required_text("  Müller ", 10), Ok("Müller".to_owned()));
        assert_eq!(required_text("   ", 10), Err(Problem::Required));
        assert_eq!(optional_text("", 10), Ok(None));
        // Length counts characters, not bytes: umlauts are one character.
        assert_eq!(optional_text("ÄÖÜäöüß", 7), Ok(Some("ÄÖÜäöüß".to_owned())));
        assert_eq!(
            optional_text("ÄÖÜäöüßx", 7),
            Err(Problem::TooLong { max: 7 })
        );
    }

    #[test]
    fn errors_collect_in_order() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.take("a", Ok::<_, Problem>(1)), Some(1));
        assert_eq!(errors.take::<i32>("b", Err(Problem::Required)), None);
        errors.add("c", Problem::InvalidEmail);
        assert_eq!(errors.get("b"), Some(&Problem::Required));
        assert_eq!(errors.get("a"), None);
        assert_eq!(errors.into_result(|| ()).unwrap_err().0.len(), 2);
    }
}
