//! What one of ours learned about a partner person or an account: the brief's "needs,
//! satisfaction, future ideas, current developments, also in their environment", written down
//! so that it is available, prepared, to their own unit and to whoever meets the customer next.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, InsightId, PersonId, UnitId, UserId};
use crate::macros::string_enum;
use crate::person::{optional_id, parse_date};
use crate::validate::{FieldErrors, Problem, optional_multiline};

string_enum! {
    /// What an insight is about, in the brief's words.
    pub enum Category {
        /// Bedürfnisse: what they need.
        Needs = "needs",
        /// Zufriedenheit: how satisfied they are.
        Satisfaction = "satisfaction",
        /// Zukunftsideen: what they plan or dream of.
        FutureIdeas = "future_ideas",
        /// Aktuelle Entwicklungen: what is changing for them now.
        Developments = "developments",
        /// Umfeld: their environment (market, competitors, their own partners).
        Environment = "environment",
        /// Anything else.
        Other = "other",
    }
}

string_enum! {
    /// How sure the one who learned it is.
    pub enum Certainty {
        /// Heard, not checked.
        Heard = "heard",
        /// Confirmed.
        Confirmed = "confirmed",
    }
}

/// The longest insight text.
pub const MAX_TEXT: usize = 4000;

/// An insight as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insight {
    /// Its id.
    pub id: InsightId,
    /// The partner person it is about, if any.
    pub partner_id: Option<PersonId>,
    /// The account it is about, if any (at least one of the two is set).
    pub account_id: Option<AccountId>,
    /// Its category.
    pub category: Category,
    /// What was learned.
    pub text: String,
    /// When it was learned.
    pub learned_on: NaiveDate,
    /// The user who wrote it down.
    pub author_id: UserId,
    /// The person of our house that user is, if linked: who of ours learned it.
    pub author_person_id: Option<PersonId>,
    /// That person's unit when it was written: who may read a confidential insight.
    pub author_unit_id: Option<UnitId>,
    /// From whom (a partner person), if said.
    pub source_id: Option<PersonId>,
    /// Heard or confirmed.
    pub certainty: Certainty,
    /// Until when it holds, if it expires.
    pub valid_until: Option<NaiveDate>,
    /// Seen only by the author, their unit, the units above it and administrators.
    pub confidential: bool,
    /// Withdrawn by its author: kept, no longer shown.
    pub withdrawn: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Insight {
    /// Whether its "valid until" has passed on `today`.
    pub fn is_stale(&self, today: NaiveDate) -> bool {
        self.valid_until.is_some_and(|until| until < today)
    }
}

/// The insight form's raw values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightFields {
    /// The category's key.
    #[serde(default)]
    pub category: String,
    /// The text.
    #[serde(default)]
    pub text: String,
    /// `YYYY-MM-DD` or `TT.MM.JJJJ`; empty: today.
    #[serde(default)]
    pub learned_on: String,
    /// A partner person's id, or empty.
    #[serde(default)]
    pub source_id: String,
    /// `heard` or `confirmed`; empty: heard.
    #[serde(default)]
    pub certainty: String,
    /// A date, or empty.
    #[serde(default)]
    pub valid_until: String,
    /// `1` for confidential.
    #[serde(default)]
    pub confidential: String,
}

/// A validated insight, before it is about someone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsightInput {
    /// Its category.
    pub category: Category,
    /// What was learned.
    pub text: String,
    /// When.
    pub learned_on: NaiveDate,
    /// From whom.
    pub source_id: Option<PersonId>,
    /// Heard or confirmed.
    pub certainty: Certainty,
    /// Until when.
    pub valid_until: Option<NaiveDate>,
    /// Confidential.
    pub confidential: bool,
}

impl InsightInput {
    /// Checks the form: a category, a text, dates that exist ("valid until" not before it was
    /// learned); `today` fills an empty date.
    pub fn parse(f: &InsightFields, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let category = e.take(
            "category",
            if f.category.trim().is_empty() {
                Err(Problem::Required)
            } else {
                f.category
                    .trim()
                    .parse()
                    .map_err(|_| Problem::UnknownChoice)
            },
        );
        let text = e.take(
            "text",
            optional_multiline(&f.text, MAX_TEXT).and_then(|t| t.ok_or(Problem::Required)),
        );
        let learned_on = e.take(
            "learned_on",
            if f.learned_on.trim().is_empty() {
                Ok(today)
            } else {
                parse_date(&f.learned_on)
            },
        );
        let source = e.take("source_id", optional_id(&f.source_id));
        let certainty = e.take(
            "certainty",
            match f.certainty.trim() {
                "" => Ok(Certainty::Heard),
                other => other.parse().map_err(|_| Problem::UnknownChoice),
            },
        );
        let valid_until = e.take(
            "valid_until",
            match f.valid_until.trim() {
                "" => Ok(None),
                other => parse_date(other).map(Some),
            },
        );
        if let (Some(from), Some(Some(until))) = (learned_on, valid_until)
            && until < from
        {
            e.add("valid_until", Problem::EndBeforeStart);
        }
        e.into_result(|| Self {
            category: category.unwrap_or(Category::Other),
            text: text.unwrap_or_default(),
            learned_on: learned_on.unwrap_or(today),
            source_id: source.flatten(),
            certainty: certainty.unwrap_or(Certainty::Heard),
            valid_until: valid_until.flatten(),
            confidential: matches!(f.confidential.trim(), "1" | "on" | "true"),
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
    fn a_quick_insight_needs_only_a_category_and_a_text() {
        let input = InsightInput::parse(
            &InsightFields {
                category: "satisfaction".into(),
                text: "Sehr zufrieden mit der Reaktionszeit.\r\nWill mehr davon.".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(input.category, Category::Satisfaction);
        assert_eq!(input.learned_on, today());
        assert_eq!(input.certainty, Certainty::Heard);
        assert!(!input.confidential);
        assert_eq!(
            input.text,
            "Sehr zufrieden mit der Reaktionszeit.\nWill mehr davon."
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = InsightInput::parse(
            &InsightFields {
                category: "gossip".into(),
                text: "  ".into(),
                learned_on: "31.02.2026".into(),
                certainty: "maybe".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        for field in ["category", "text", "learned_on", "certainty"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        let early = InsightInput::parse(
            &InsightFields {
                category: "needs".into(),
                text: "x".into(),
                learned_on: "2026-12-01".into(),
                valid_until: "2026-11-30".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(early.get("valid_until"), Some(&Problem::EndBeforeStart));
        let control = InsightInput::parse(
            &InsightFields {
                category: "needs".into(),
                text: "bell\u{7}".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(control.get("text"), Some(&Problem::ControlCharacter));
    }
}
