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
    /// The value holds a control character (NUL, escape, …) or, in a one-line field, a line
    /// break or tab.
    ControlCharacter,
    /// The current password given does not match.
    WrongPassword,
    /// The one-time code (of the authenticator app, or a recovery code) is not right now.
    WrongCode,
    /// The repetition differs from the first entry.
    Mismatch,
    /// Must be a person of our own organization.
    NotOwnOrganization,
    /// An account in our own house needs the unit that is the partner (the neighbouring
    /// department); our whole house cannot be its own partner.
    PartnerUnitRequired,
    /// One of ours who is not inside the partner unit of an internal account (a key contact
    /// of such an account, or a partner person of a counterpart assignment).
    OutsidePartnerUnit,
    /// One of ours who is inside the partner's own unit (or is the partner person): nobody is
    /// their own counterpart, nor the counterpart of their own department.
    InsidePartnerUnit,
    /// Not a recurrence a calendar understands (an iCalendar RRULE such as
    /// `FREQ=MONTHLY;BYDAY=1TU`), or one that repeats more often than daily.
    InvalidRecurrence,
    /// A restricted account needs a responsible unit of ours: it decides who sees it.
    RestrictedNeedsUnit,
    /// A restricted account would be hidden from the one saving it: its responsible unit is
    /// neither theirs nor below theirs.
    RestrictedBeyondOwnUnit,
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

/// Whether a text may hold several lines (notes, descriptions, comments) or only one (names,
/// titles). Decides which whitespace control characters [`clean_text`] lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// One line: no line break, no tab.
    One,
    /// Several lines: line feeds and tabs are allowed.
    Many,
}

/// The one rule for text coming in from outside (forms, imports, restores, the command line):
/// line breaks are normalised to LF (browsers send CR LF from text areas, old Macs a lone CR),
/// and every control character is refused (NUL, escape, DEL, the C1 range), except LF and tab
/// in a text of [`Lines::Many`]. Does not trim.
pub fn clean_text(value: &str, lines: Lines) -> Result<std::borrow::Cow<'_, str>, Problem> {
    use std::borrow::Cow;
    let allowed = |c: char| lines == Lines::Many && (c == '\n' || c == '\t');
    let normalised: Cow<'_, str> = if value.contains('\r') {
        Cow::Owned(value.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(value)
    };
    if normalised.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(Problem::ControlCharacter);
    }
    Ok(normalised)
}

/// Trims a one-line text field and checks its length; `None` for an empty optional field.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, Problem> {
    bounded(value, max, Lines::One)
}

/// Trims a one-line text field that must not be empty and checks its length.
pub fn required_text(value: &str, max: usize) -> Result<String, Problem> {
    optional_text(value, max)?.ok_or(Problem::Required)
}

/// Trims a multi-line text field (notes, descriptions, comments), normalises its line breaks
/// to LF and checks its length; `None` when empty.
pub fn optional_multiline(value: &str, max: usize) -> Result<Option<String>, Problem> {
    bounded(value, max, Lines::Many)
}

fn bounded(value: &str, max: usize, lines: Lines) -> Result<Option<String>, Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    // The length check comes first so that a huge value is not copied to be normalised.
    if trimmed.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    Ok(Some(clean_text(trimmed, lines)?.into_owned()))
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
    fn control_characters_are_refused_and_line_breaks_normalised() {
        for bad in ["a\0b", "a\u{1b}[31mb", "a\u{7f}", "a\u{85}b", "a\u{8}"] {
            assert_eq!(
                optional_text(bad, 100),
                Err(Problem::ControlCharacter),
                "{bad:?}"
            );
            assert_eq!(
                optional_multiline(bad, 100),
                Err(Problem::ControlCharacter),
                "{bad:?}"
            );
        }
        assert_eq!(optional_text("a\nb", 100), Err(Problem::ControlCharacter));
        assert_eq!(optional_text("a\tb", 100), Err(Problem::ControlCharacter));
        assert_eq!(
            optional_multiline("Zeile 1\r\nZeile 2\rZeile 3\n\tEinzug", 100),
            Ok(Some("Zeile 1\nZeile 2\nZeile 3\n\tEinzug".to_owned()))
        );
        // Surrounding white space, a pasted tab or line end included, is trimmed first.
        assert_eq!(required_text("\tMüller\r\n", 100), Ok("Müller".to_owned()));
        assert_eq!(clean_text("ok", Lines::One), Ok("ok".into()));
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
