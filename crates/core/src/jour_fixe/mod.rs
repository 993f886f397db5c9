//! The customer jour fixe: a unit's recurring meeting in which everyone who knows a partner
//! says what they know ("Wer hat die Informationen?"), so that one common picture emerges.
//!
//! A [`Series`] is the recurrence (an iCalendar RRULE in the series' time zone, see
//! [`recurrence`]) with its participants and the accounts it covers; each occurrence that is
//! prepared, moved or cancelled becomes a [`Meeting`]. Its agenda is prepared from the data a
//! few days before ([`agenda`]); in the meeting, contributions become insights, decisions are
//! noted and [`Action`]s agreed. Invitations and the calendar feed are iCalendar ([`ics`]).

pub mod agenda;
pub mod ics;
pub mod recurrence;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, ActionId, MeetingId, PersonId, SeriesId, UnitId};
use crate::importance::Tier;
use crate::macros::string_enum;
use crate::person::parse_date;
use crate::validate::{FieldErrors, Problem, optional_multiline, optional_text, required_text};

pub use recurrence::Repeat;

/// The longest series name.
pub const MAX_NAME: usize = 120;
/// The longest place or video link.
pub const MAX_PLACE: usize = 300;
/// The longest action title.
pub const MAX_TITLE: usize = 300;
/// The longest decision or agenda item text.
pub const MAX_NOTE: usize = 2000;
/// The shortest and longest meeting, in minutes.
pub const DURATION_MINUTES: (i64, i64) = (15, 480);

/// Which accounts a series covers besides those chosen one by one: a rule over the account
/// filters, evaluated whenever an agenda is prepared (so a new tier-A account is discussed
/// without anyone adding it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRule {
    /// Only internal (`Some(true)`) or external (`Some(false)`) accounts.
    pub internal: Option<bool>,
    /// Only this importance tier.
    pub tier: Option<Tier>,
    /// Only accounts this unit of ours (or one below it) is responsible for.
    pub unit_id: Option<UnitId>,
}

/// A jour-fixe series as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    /// Its id.
    pub id: SeriesId,
    /// The unit of ours it belongs to.
    pub unit_id: UnitId,
    /// Its name, e.g. "Kunden-Jour-fixe Isar".
    pub name: String,
    /// Who convenes it (a person of ours).
    pub convenor_id: PersonId,
    /// The first meeting's start, wall time in `time_zone`.
    pub first_start: NaiveDateTime,
    /// The IANA time zone the recurrence is in.
    pub time_zone: String,
    /// The recurrence: an RRULE value without the `RRULE:` prefix.
    pub rrule: String,
    /// How long a meeting lasts, in minutes.
    pub duration_minutes: i64,
    /// A room, an address or a video link.
    pub place: Option<String>,
    /// The rule over the account filters, if the series has one.
    pub rule: Option<CoverageRule>,
    /// The iCalendar UID of the series' event.
    pub uid: String,
    /// The iCalendar SEQUENCE: raised by every change an invitee must learn of.
    pub sequence: i64,
    /// When it was cancelled (no more meetings).
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Series {
    /// The schedule its meetings follow.
    pub fn schedule(&self) -> Result<recurrence::Schedule, Problem> {
        recurrence::Schedule::new(self.first_start, &self.time_zone, &self.rrule)
    }
}

/// The series form's raw values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesFields {
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The unit of ours it belongs to (an id).
    #[serde(default)]
    pub unit_id: String,
    /// The first meeting's day.
    #[serde(default)]
    pub first_date: String,
    /// Its start time, `HH:MM`.
    #[serde(default)]
    pub start_time: String,
    /// Minutes.
    #[serde(default)]
    pub duration_minutes: String,
    /// The IANA time zone; empty: the configured one.
    #[serde(default)]
    pub time_zone: String,
    /// How it repeats: a [`Repeat`] key.
    #[serde(default)]
    pub repeat: String,
    /// The RRULE when `repeat` is `custom`.
    #[serde(default)]
    pub rrule: String,
    /// Room, address or video link.
    #[serde(default)]
    pub place: String,
    /// `1` to cover accounts by a rule as well.
    #[serde(default)]
    pub rule: String,
    /// The rule's kind filter: `internal`, `external` or empty.
    #[serde(default)]
    pub rule_internal: String,
    /// The rule's tier: `A`, `B`, `C` or empty.
    #[serde(default)]
    pub rule_tier: String,
    /// The rule's responsible unit (an id) or empty.
    #[serde(default)]
    pub rule_unit_id: String,
}

/// A validated series (without its convenor, who is the one creating it unless changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesInput {
    /// The name.
    pub name: String,
    /// The unit of ours.
    pub unit_id: UnitId,
    /// The first meeting's start, wall time in `time_zone`.
    pub first_start: NaiveDateTime,
    /// The time zone.
    pub time_zone: String,
    /// The RRULE.
    pub rrule: String,
    /// Minutes.
    pub duration_minutes: i64,
    /// Where.
    pub place: Option<String>,
    /// The coverage rule, if any.
    pub rule: Option<CoverageRule>,
}

fn parse_id(raw: &str) -> Result<Option<i64>, Problem> {
    match raw.trim() {
        "" => Ok(None),
        other => other.parse().map(Some).map_err(|_| Problem::NotFound),
    }
}

/// The years a series may begin in.
const FIRST_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl SeriesInput {
    /// Checks the form. `default_zone` is the configured time zone, used when none is given.
    pub fn parse(f: &SeriesFields, default_zone: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.take("name", required_text(&f.name, MAX_NAME));
        let unit_id = e.take(
            "unit_id",
            parse_id(&f.unit_id).and_then(|u| u.map(UnitId::new).ok_or(Problem::Required)),
        );
        let first_date = e.take(
            "first_date",
            parse_date(&f.first_date).and_then(|day| {
                // Every page and the planning job expand the series from its first day: one
                // in the year 1 cost a second per read.
                if FIRST_YEARS.contains(&day.year()) {
                    Ok(day)
                } else {
                    Err(Problem::OutOfRange {
                        min: i64::from(*FIRST_YEARS.start()),
                        max: i64::from(*FIRST_YEARS.end()),
                    })
                }
            }),
        );
        let start_time = e.take(
            "start_time",
            match f.start_time.trim() {
                "" => Err(Problem::Required),
                t => NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| Problem::InvalidDate),
            },
        );
        let (min, max) = DURATION_MINUTES;
        let duration_minutes = e.take(
            "duration_minutes",
            match f.duration_minutes.trim() {
                "" => Ok(60),
                d => d
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (min..=max).contains(d))
                    .ok_or(Problem::OutOfRange { min, max }),
            },
        );
        let time_zone = e.take(
            "time_zone",
            match f.time_zone.trim() {
                "" => Ok(default_zone.to_owned()),
                z => z
                    .parse::<chrono_tz::Tz>()
                    .map(|tz| tz.name().to_owned())
                    .map_err(|_| Problem::UnknownChoice),
            },
        );
        let repeat = e.take(
            "repeat",
            match f.repeat.trim() {
                "" => Err(Problem::Required),
                r => r.parse::<Repeat>().map_err(|_| Problem::UnknownChoice),
            },
        );
        let place = e.take("place", optional_text(&f.place, MAX_PLACE));
        let rule = if f.rule.trim().is_empty() {
            None
        } else {
            let internal = e.take(
                "rule_internal",
                match f.rule_internal.trim() {
                    "" => Ok(None),
                    "internal" => Ok(Some(true)),
                    "external" => Ok(Some(false)),
                    _ => Err(Problem::UnknownChoice),
                },
            );
            let tier = e.take(
                "rule_tier",
                match f.rule_tier.trim() {
                    "" => Ok(None),
                    t => t
                        .parse::<Tier>()
                        .map(Some)
                        .map_err(|_| Problem::UnknownChoice),
                },
            );
            let unit = e.take("rule_unit_id", parse_id(&f.rule_unit_id));
            Some(CoverageRule {
                internal: internal.flatten(),
                tier: tier.flatten(),
                unit_id: unit.flatten().map(UnitId::new),
            })
        };
        // The recurrence needs a valid start: checked only when the rest of it is.
        let mut first_start = None;
        let mut rrule = None;
        if let (Some(date), Some(time), Some(zone), Some(repeat)) =
            (first_date, start_time, &time_zone, repeat)
        {
            let start = date.and_time(time);
            match repeat.rrule(date, &f.rrule) {
                Err(problem) => e.add("rrule", problem),
                Ok(rule) => match recurrence::Schedule::new(start, zone, &rule) {
                    Ok(schedule) => {
                        first_start = Some(start);
                        rrule = Some(schedule.rrule().to_owned());
                    }
                    // A wall time the clocks skip (02:30 on the day summer time begins).
                    Err(Problem::InvalidDate) => e.add("start_time", Problem::InvalidDate),
                    Err(problem) => e.add("rrule", problem),
                },
            }
        }
        e.into_result(|| Self {
            name: name.unwrap_or_default(),
            unit_id: unit_id.unwrap_or(UnitId::new(0)),
            first_start: first_start.unwrap_or_default(),
            time_zone: time_zone.unwrap_or_default(),
            rrule: rrule.unwrap_or_default(),
            duration_minutes: duration_minutes.unwrap_or(60),
            place: place.flatten(),
            rule,
        })
    }
}

string_enum! {
    /// Whether a meeting takes place.
    pub enum MeetingStatus {
        /// It takes (or took) place.
        Planned = "planned",
        /// It was called off; the series goes on.
        Cancelled = "cancelled",
    }
}

/// One meeting of a series: an occurrence that was prepared, moved or cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Its id.
    pub id: MeetingId,
    /// Its series.
    pub series_id: SeriesId,
    /// The occurrence of the recurrence it is (the iCalendar RECURRENCE-ID), in UTC.
    pub occurrence: DateTime<Utc>,
    /// When it takes place (moved meetings differ from `occurrence`), in UTC.
    pub starts_at: DateTime<Utc>,
    /// How long, in minutes.
    pub duration_minutes: i64,
    /// Where, if other than the series' place.
    pub place: Option<String>,
    /// Whether it takes place.
    pub status: MeetingStatus,
    /// The iCalendar SEQUENCE of this occurrence.
    pub sequence: i64,
    /// When its agenda was prepared; `None`: not yet.
    pub prepared_at: Option<DateTime<Utc>>,
    /// The day "what changed" counts from: the previous meeting's, or `None` for the first.
    pub since_on: Option<NaiveDate>,
    /// Raised by every contribution, decision, action and agenda change: what the live page
    /// polls for.
    pub revision: i64,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// An action agreed in a meeting (or noted on an account): who does what by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Its id.
    pub id: ActionId,
    /// The meeting it was agreed in.
    pub meeting_id: Option<MeetingId>,
    /// The account it is about.
    pub account_id: Option<AccountId>,
    /// What is to be done.
    pub title: String,
    /// Who does it (a person of ours).
    pub owner_id: PersonId,
    /// By when.
    pub due_on: NaiveDate,
    /// When it was done; `None`: open.
    pub done_on: Option<NaiveDate>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Action {
    /// Open and past its due day on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_on.is_none() && self.due_on < today
    }
}

/// The action form's raw values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionFields {
    /// What is to be done.
    #[serde(default)]
    pub title: String,
    /// The owner (a person id).
    #[serde(default)]
    pub owner_id: String,
    /// By when.
    #[serde(default)]
    pub due_on: String,
}

/// A validated action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionInput {
    /// What.
    pub title: String,
    /// Who.
    pub owner_id: PersonId,
    /// By when.
    pub due_on: NaiveDate,
}

impl ActionInput {
    /// Checks the form: a title, an owner, a due day.
    pub fn parse(f: &ActionFields) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = e.take("title", required_text(&f.title, MAX_TITLE));
        let owner = e.take(
            "owner_id",
            parse_id(&f.owner_id).and_then(|o| o.map(PersonId::new).ok_or(Problem::Required)),
        );
        let due_on = e.take("due_on", parse_date(&f.due_on));
        e.into_result(|| Self {
            title: title.unwrap_or_default(),
            owner_id: owner.unwrap_or(PersonId::new(0)),
            due_on: due_on.unwrap_or_default(),
        })
    }
}

/// A decision or an agenda item's text: required, several lines allowed.
pub fn parse_note(field: &'static str, text: &str) -> Result<String, FieldErrors> {
    optional_multiline(text, MAX_NOTE)
        .and_then(|t| t.ok_or(Problem::Required))
        .map_err(|p| FieldErrors::single(field, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> SeriesFields {
        SeriesFields {
            name: "Kunden-Jour-fixe Isar".into(),
            unit_id: "7".into(),
            first_date: "2026-10-06".into(),
            start_time: "09:00".into(),
            repeat: "monthly_weekday".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_monthly_series_on_the_first_tuesday_is_understood() {
        let input = SeriesInput::parse(&fields(), "Europe/Berlin").unwrap();
        assert_eq!(input.rrule, "FREQ=MONTHLY;BYDAY=1TU");
        assert_eq!(input.time_zone, "Europe/Berlin");
        assert_eq!(input.duration_minutes, 60);
        assert_eq!(input.first_start.to_string(), "2026-10-06 09:00:00");
        assert_eq!(input.rule, None);
    }

    #[test]
    fn every_wrong_field_is_named() {
        let errors = SeriesInput::parse(
            &SeriesFields {
                name: " ".into(),
                unit_id: "x".into(),
                first_date: "2026-02-30".into(),
                start_time: "9 Uhr".into(),
                duration_minutes: "5".into(),
                time_zone: "Mars/Olympus".into(),
                repeat: "hourly".into(),
                place: "Raum\u{1b}[31m".into(),
                ..Default::default()
            },
            "Europe/Berlin",
        )
        .unwrap_err();
        for field in [
            "name",
            "unit_id",
            "first_date",
            "start_time",
            "duration_minutes",
            "time_zone",
            "repeat",
            "place",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_series_begins_in_a_year_a_calendar_can_reach() {
        for (day, allowed) in [
            ("0001-01-01", false),
            ("1999-12-31", false),
            ("2000-01-01", true),
            ("2100-12-31", true),
            ("2101-01-01", false),
        ] {
            let mut f = fields();
            f.first_date = day.into();
            match SeriesInput::parse(&f, "Europe/Berlin") {
                Ok(_) => assert!(allowed, "{day} accepted"),
                Err(errors) => {
                    assert!(!allowed, "{day}: {errors:?}");
                    assert_eq!(
                        errors.get("first_date"),
                        Some(&Problem::OutOfRange {
                            min: 2000,
                            max: 2100
                        }),
                        "{day}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_custom_rule_is_checked_and_a_skipped_hour_refused() {
        let mut f = fields();
        f.repeat = "custom".into();
        f.rrule = "FREQ=MINUTELY".into();
        let errors = SeriesInput::parse(&f, "Europe/Berlin").unwrap_err();
        assert_eq!(errors.get("rrule"), Some(&Problem::InvalidRecurrence));

        let mut f = fields();
        f.first_date = "2027-03-28".into();
        f.start_time = "02:30".into();
        f.repeat = "weekly".into();
        let errors = SeriesInput::parse(&f, "Europe/Berlin").unwrap_err();
        assert_eq!(errors.get("start_time"), Some(&Problem::InvalidDate));
    }

    #[test]
    fn a_rule_covers_tier_a_of_a_unit() {
        let mut f = fields();
        f.rule = "1".into();
        f.rule_tier = "A".into();
        f.rule_unit_id = "3".into();
        let input = SeriesInput::parse(&f, "Europe/Berlin").unwrap();
        assert_eq!(
            input.rule,
            Some(CoverageRule {
                internal: None,
                tier: Some(Tier::A),
                unit_id: Some(UnitId::new(3)),
            })
        );
    }

    #[test]
    fn an_action_needs_a_title_an_owner_and_a_day() {
        let errors = ActionInput::parse(&ActionFields::default()).unwrap_err();
        for field in ["title", "owner_id", "due_on"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let action = ActionInput::parse(&ActionFields {
            title: "Angebot Haustechnik nachreichen".into(),
            owner_id: "12".into(),
            due_on: "2026-12-15".into(),
        })
        .unwrap();
        assert_eq!(action.owner_id, PersonId::new(12));
    }
}
