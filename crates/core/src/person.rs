//! People, in any organization, and the positions they held over time.
//!
//! A person is one record for life: when they move to another company, a new position starts
//! and everything known about them stays attached.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{FunctionId, LevelId, OrganizationId, PersonId, PositionId, UnitId};
use crate::validate::{FieldErrors, Problem, optional_multiline, optional_text, required_text};

/// A syntactically valid e-mail address (trimmed, at most 254 characters).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` without spaces; keeps the spelling as typed.
    pub fn parse(value: &str) -> Result<Self, Problem> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Problem::Required);
        }
        if value.chars().count() > 254 {
            return Err(Problem::TooLong { max: 254 });
        }
        let valid = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Self(value.to_owned()))
        } else {
            Err(Problem::InvalidEmail)
        }
    }

    /// The address as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as people write it: digits with `+ ( ) / - .` and spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Accepts 3–20 digits with the usual separators, at most 40 characters.
    pub fn parse(value: &str) -> Result<Self, Problem> {
        let value = value.trim();
        if value.is_empty() {
            return Err(Problem::Required);
        }
        if value.chars().count() > 40 {
            return Err(Problem::TooLong { max: 40 });
        }
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_digit() || " +()/-.".contains(c));
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if allowed && (3..=20).contains(&digits) && !value[1..].contains('+') {
            Ok(Self(value.to_owned()))
        } else {
            Err(Problem::InvalidPhone)
        }
    }

    /// The number as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses an optional id from a form field: empty means none.
pub fn optional_id<T: std::str::FromStr>(value: &str) -> Result<Option<T>, Problem> {
    let value = value.trim();
    if value.is_empty() {
        Ok(None)
    } else {
        value.parse().map(Some).map_err(|_| Problem::NotFound)
    }
}

fn optional<T>(
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, Problem>,
) -> Result<Option<T>, Problem> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        parse(value).map(Some)
    }
}

/// Parses a date written as `YYYY-MM-DD` (what `<input type=date>` sends) or `DD.MM.YYYY`.
pub fn parse_date(value: &str) -> Result<NaiveDate, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
        .map_err(|_| Problem::InvalidDate)
}

/// A person as stored, with their current position's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Its id.
    pub id: PersonId,
    /// The organization of the current position.
    pub organization_id: OrganizationId,
    /// The unit of the current position.
    pub unit_id: Option<UnitId>,
    /// Given name(s).
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: String,
    /// Academic title, e.g. "Dr." or "Prof. Dr.".
    pub academic_title: Option<String>,
    /// Job title in the person's own organization, e.g. "Leiterin Einkauf".
    pub job_title: Option<String>,
    /// Rung on the shared ladder.
    pub level_id: Option<LevelId>,
    /// Function, e.g. sales or assistant/secretariat.
    pub function_id: Option<FunctionId>,
    /// Direct manager (same organization).
    pub reports_to_id: Option<PersonId>,
    /// The boss this person assists, for assistants and secretariats.
    pub assistant_of_id: Option<PersonId>,
    /// E-mail address.
    pub email: Option<String>,
    /// Office phone.
    pub phone: Option<String>,
    /// Mobile phone.
    pub mobile: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// False once deactivated (left, retired); kept with everything known.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Person {
    /// "Dr. Katharina Schneider".
    pub fn display_name(&self) -> String {
        display_name(
            self.academic_title.as_deref(),
            self.given_name.as_deref(),
            &self.family_name,
        )
    }

    /// "Dr. Katharina Schneider – Managing director": how a chosen person reads in a form.
    pub fn label(&self) -> String {
        match &self.job_title {
            Some(title) => format!("{} – {title}", self.display_name()),
            None => self.display_name(),
        }
    }
}

/// Joins title, given and family name with single spaces, leaving out what is missing.
pub fn display_name(title: Option<&str>, given: Option<&str>, family: &str) -> String {
    [title, given, Some(family)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Raw text values of a person form or JSON body, before validation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonFields {
    /// Given name(s).
    pub given_name: String,
    /// Family name (required).
    pub family_name: String,
    /// Academic title.
    pub academic_title: String,
    /// Job title.
    pub job_title: String,
    /// Level id, empty for none.
    pub level_id: String,
    /// Function id, empty for none.
    pub function_id: String,
    /// Unit id, empty for none.
    pub unit_id: String,
    /// Manager's person id, empty for none.
    pub reports_to_id: String,
    /// Person id of the boss this person assists, empty for none.
    pub assistant_of_id: String,
    /// E-mail address.
    pub email: String,
    /// Office phone.
    pub phone: String,
    /// Mobile phone.
    pub mobile: String,
    /// Free notes.
    pub notes: String,
}

/// Validated input for creating or editing a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonInput {
    /// Given name(s).
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: String,
    /// Academic title.
    pub academic_title: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// Rung on the shared ladder (checked to exist by the store).
    pub level_id: Option<LevelId>,
    /// Function (checked to exist by the store).
    pub function_id: Option<FunctionId>,
    /// Unit (checked by the store: same organization).
    pub unit_id: Option<UnitId>,
    /// Manager (checked by the store: same organization, no loop).
    pub reports_to_id: Option<PersonId>,
    /// Boss this person assists (checked by the store: same organization, not self).
    pub assistant_of_id: Option<PersonId>,
    /// E-mail address.
    pub email: Option<Email>,
    /// Office phone.
    pub phone: Option<Phone>,
    /// Mobile phone.
    pub mobile: Option<Phone>,
    /// Free notes.
    pub notes: Option<String>,
}

impl PersonInput {
    /// Validates every field, collecting all problems at once.
    pub fn parse(f: &PersonFields) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let given_name = e.take("given_name", optional_text(&f.given_name, 100));
        let family_name = e.take("family_name", required_text(&f.family_name, 100));
        let academic_title = e.take("academic_title", optional_text(&f.academic_title, 40));
        let job_title = e.take("job_title", optional_text(&f.job_title, 200));
        let level_id = e.take("level_id", optional_id(&f.level_id));
        let function_id = e.take("function_id", optional_id(&f.function_id));
        let unit_id = e.take("unit_id", optional_id(&f.unit_id));
        let reports_to_id = e.take("reports_to_id", optional_id(&f.reports_to_id));
        let assistant_of_id = e.take("assistant_of_id", optional_id(&f.assistant_of_id));
        let email = e.take("email", optional(&f.email, Email::parse));
        let phone = e.take("phone", optional(&f.phone, Phone::parse));
        let mobile = e.take("mobile", optional(&f.mobile, Phone::parse));
        let notes = e.take("notes", optional_multiline(&f.notes, 4000));
        e.into_result(|| Self {
            given_name: given_name.flatten(),
            family_name: family_name.unwrap_or_default(),
            academic_title: academic_title.flatten(),
            job_title: job_title.flatten(),
            level_id: level_id.flatten(),
            function_id: function_id.flatten(),
            unit_id: unit_id.flatten(),
            reports_to_id: reports_to_id.flatten(),
            assistant_of_id: assistant_of_id.flatten(),
            email: email.flatten(),
            phone: phone.flatten(),
            mobile: mobile.flatten(),
            notes: notes.flatten(),
        })
    }

    /// Text the search index folds for this person.
    pub fn search_text(&self) -> String {
        search_text(
            &self.family_name,
            self.given_name.as_deref(),
            self.job_title.as_deref(),
            self.email.as_ref().map(Email::as_str),
        )
    }
}

/// The folded text the search looks in: family name, given name, job title and e-mail.
pub fn search_text(
    family: &str,
    given: Option<&str>,
    job_title: Option<&str>,
    email: Option<&str>,
) -> String {
    let mut parts = vec![family];
    parts.extend(given);
    parts.extend(job_title);
    parts.extend(email);
    crate::text::fold(&parts.join(" "))
}

/// One position a person held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Its id.
    pub id: PositionId,
    /// Whose position.
    pub person_id: PersonId,
    /// Employer.
    pub organization_id: OrganizationId,
    /// Unit there.
    pub unit_id: Option<UnitId>,
    /// Job title there.
    pub job_title: Option<String>,
    /// Level there.
    pub level_id: Option<LevelId>,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day; `None` for the current position.
    pub valid_to: Option<NaiveDate>,
}

/// Validated input for a new position: a promotion, a move or a change of employer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PositionChange {
    /// New employer (may be the same).
    pub organization_id: OrganizationId,
    /// New unit.
    pub unit_id: Option<UnitId>,
    /// New job title.
    pub job_title: Option<String>,
    /// New level.
    pub level_id: Option<LevelId>,
    /// First day of the new position; the current one ends the day before.
    pub valid_from: NaiveDate,
}

impl PositionChange {
    /// Parses the fields of the "new position" form.
    pub fn parse(
        organization_id: &str,
        unit_id: &str,
        job_title: &str,
        level_id: &str,
        valid_from: &str,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let organization = e.take(
            "organization_id",
            optional_id(organization_id).and_then(|o| o.ok_or(Problem::Required)),
        );
        let unit_id = e.take("unit_id", optional_id(unit_id));
        let job_title = e.take("job_title", optional_text(job_title, 200));
        let level_id = e.take("level_id", optional_id(level_id));
        let valid_from = e.take("valid_from", parse_date(valid_from));
        e.into_result(|| Self {
            organization_id: organization.unwrap_or(OrganizationId::new(0)),
            unit_id: unit_id.flatten(),
            job_title: job_title.flatten(),
            level_id: level_id.flatten(),
            valid_from: valid_from.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(Email::parse("k.schneider@nordlicht.example").is_ok());
        assert_eq!(Email::parse(" a@b.de ").unwrap().as_str(), "a@b.de");
        for bad in [
            "schneider",
            "a@b",
            "@b.de",
            "a b@c.de",
            "a@@b.de",
            "a@.de",
            "a@b..de",
        ] {
            assert_eq!(Email::parse(bad), Err(Problem::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(Phone::parse("+49 (0)221 / 123-456").is_ok());
        assert!(Phone::parse("0171 2345678").is_ok());
        assert_eq!(Phone::parse("12"), Err(Problem::InvalidPhone));
        assert_eq!(Phone::parse("call me"), Err(Problem::InvalidPhone));
        assert_eq!(Phone::parse("12+34"), Err(Problem::InvalidPhone));
    }

    #[test]
    fn person_input_reports_every_bad_field() {
        let fields = PersonFields {
            family_name: " ".into(),
            email: "nope".into(),
            level_id: "x".into(),
            mobile: "abc".into(),
            ..Default::default()
        };
        let errors = PersonInput::parse(&fields).unwrap_err();
        assert_eq!(errors.get("family_name"), Some(&Problem::Required));
        assert_eq!(errors.get("email"), Some(&Problem::InvalidEmail));
        assert_eq!(errors.get("level_id"), Some(&Problem::NotFound));
        assert_eq!(errors.get("mobile"), Some(&Problem::InvalidPhone));
        assert_eq!(errors.0.len(), 4);
    }

    #[test]
    fn person_input_keeps_umlauts_and_folds_search_text() {
        let fields = PersonFields {
            given_name: "Jürgen".into(),
            family_name: "Weiß".into(),
            academic_title: "Dr.".into(),
            level_id: "2".into(),
            ..Default::default()
        };
        let input = PersonInput::parse(&fields).unwrap();
        assert_eq!(input.level_id, Some(LevelId::new(2)));
        assert_eq!(input.search_text(), "weiss jurgen");
        assert_eq!(
            display_name(Some("Dr."), Some("Jürgen"), "Weiß"),
            "Dr. Jürgen Weiß"
        );
        assert_eq!(display_name(None, None, "Weiß"), "Weiß");
    }

    #[test]
    fn dates_in_iso_and_german_form() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(parse_date("2026-03-01"), Ok(d));
        assert_eq!(parse_date("01.03.2026"), Ok(d));
        assert_eq!(parse_date("31.02.2026"), Err(Problem::InvalidDate));
    }
}
