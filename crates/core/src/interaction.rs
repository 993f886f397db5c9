//! The contact log: a contact with a partner person that happened — a meeting, a call, an
//! e-mail, a visit, an event — when, and in a line or two what it was about.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, InteractionId, PersonId, UserId};
use crate::macros::string_enum;
use crate::person::parse_date;
use crate::validate::{FieldErrors, Problem, optional_multiline};

string_enum! {
    /// How the contact happened.
    pub enum Kind {
        /// A meeting.
        Meeting = "meeting",
        /// A phone or video call.
        Call = "call",
        /// An e-mail.
        Email = "email",
        /// A visit, at theirs or ours.
        Visit = "visit",
        /// An event: a fair, a dinner, a conference.
        Event = "event",
    }
}

/// The longest summary.
pub const MAX_SUMMARY: usize = 2000;

/// A contact as logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// Its id.
    pub id: InteractionId,
    /// The partner person met.
    pub partner_id: PersonId,
    /// The account it was about, if any.
    pub account_id: Option<AccountId>,
    /// How.
    pub kind: Kind,
    /// When.
    pub happened_on: NaiveDate,
    /// What it was about.
    pub summary: String,
    /// The user who logged it.
    pub author_id: UserId,
    /// The person of our house that user is, if linked: who of ours was there.
    pub author_person_id: Option<PersonId>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// The contact form's raw values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionFields {
    /// The kind's key.
    #[serde(default)]
    pub kind: String,
    /// A date; empty: today.
    #[serde(default)]
    pub happened_on: String,
    /// What it was about.
    #[serde(default)]
    pub summary: String,
}

/// A validated contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteractionInput {
    /// How.
    pub kind: Kind,
    /// When (not in the future).
    pub happened_on: NaiveDate,
    /// What it was about.
    pub summary: String,
}

impl InteractionInput {
    /// Checks the form: a kind, a summary, a date that exists and is not after `today`.
    pub fn parse(f: &InteractionFields, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.take(
            "kind",
            match f.kind.trim() {
                "" => Err(Problem::Required),
                other => other.parse().map_err(|_| Problem::UnknownChoice),
            },
        );
        let happened_on = e.take(
            "happened_on",
            match f.happened_on.trim() {
                "" => Ok(today),
                other => parse_date(other).and_then(|d| {
                    if d > today {
                        Err(Problem::InvalidDate)
                    } else {
                        Ok(d)
                    }
                }),
            },
        );
        let summary = e.take(
            "summary",
            optional_multiline(&f.summary, MAX_SUMMARY).and_then(|s| s.ok_or(Problem::Required)),
        );
        e.into_result(|| Self {
            kind: kind.unwrap_or(Kind::Meeting),
            happened_on: happened_on.unwrap_or(today),
            summary: summary.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    #[test]
    fn a_call_is_logged_with_a_kind_and_a_line() {
        let input = InteractionInput::parse(
            &InteractionFields {
                kind: "call".into(),
                summary: "Rückruf wegen der Rechnung; geklärt.".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!((input.kind, input.happened_on), (Kind::Call, today()));
    }

    #[test]
    fn missing_unknown_and_future_values_are_named() {
        let errors = InteractionInput::parse(
            &InteractionFields {
                kind: "telepathy".into(),
                happened_on: "2027-01-01".into(),
                summary: String::new(),
            },
            today(),
        )
        .unwrap_err();
        for field in ["kind", "happened_on", "summary"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
