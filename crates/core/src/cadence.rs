//! How often a counterpart pair should be in contact, and whether that is due: the expected
//! contact interval by the partner's level and the account's tier (editable per pair), and the
//! pair's state measured from its last contact — a logged contact or a rating, whichever is
//! newer — or, never in contact, from the day the pair began.
//!
//! | partner's level | tier A | tier B (or none) | tier C |
//! |---|---|---|---|
//! | rank 1 (the top) | 60 | 90 | 180 |
//! | rank 2 | 45 | 60 | 120 |
//! | rank 3 and below, or unknown | 30 | 45 | 90 |
//!
//! The top meets less often but must not be forgotten; the working level talks monthly on
//! the important accounts. A pair is **due** once more days than the interval have passed and
//! **overdue** once half an interval more has passed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::importance::Tier;
use crate::validate::Problem;

/// The shortest interval a pair may be given, in days.
pub const MIN_DAYS: i64 = 1;
/// The longest interval a pair may be given, in days (two years).
pub const MAX_DAYS: i64 = 730;

/// The expected contact interval in days when the pair has none of its own.
pub fn default_days(partner_rank: Option<i64>, tier: Option<Tier>) -> i64 {
    let row = match partner_rank {
        Some(1) => [60, 90, 180],
        Some(2) => [45, 60, 120],
        _ => [30, 45, 90],
    };
    match tier {
        Some(Tier::A) => row[0],
        Some(Tier::B) | None => row[1],
        Some(Tier::C) => row[2],
    }
}

/// Checks a typed interval: empty is "the default", else whole days from [`MIN_DAYS`] to
/// [`MAX_DAYS`] (anything else is out of that range).
pub fn parse_days(raw: &str) -> Result<Option<i64>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(days) if (MIN_DAYS..=MAX_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(Problem::OutOfRange {
            min: MIN_DAYS,
            max: MAX_DAYS,
        }),
    }
}

/// Where a pair stands against its interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Within the interval.
    InTime,
    /// Past the interval.
    Due,
    /// Past the interval by half an interval more.
    Overdue,
}

impl State {
    /// The state `days` after the last contact with an interval of `every_days`.
    pub fn after(days: i64, every_days: i64) -> Self {
        if days > every_days + every_days / 2 {
            Self::Overdue
        } else if days > every_days {
            Self::Due
        } else {
            Self::InTime
        }
    }

    /// The key a page's class and a translation use: `in_time`, `due`, `overdue`.
    pub fn key(self) -> &'static str {
        match self {
            Self::InTime => "in_time",
            Self::Due => "due",
            Self::Overdue => "overdue",
        }
    }
}

/// A pair's contact state on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    /// The expected interval in days (the pair's own or the default).
    pub every_days: i64,
    /// Whether `every_days` is the pair's own setting rather than the default.
    pub own_interval: bool,
    /// The last contact (logged or rated); `None` when never.
    pub last_contact: Option<NaiveDate>,
    /// Days since the last contact, or since the pair began when never in contact.
    pub days: i64,
    /// The state.
    pub state: State,
    /// The day the pair becomes (or became) due.
    pub due_on: NaiveDate,
}

impl Cadence {
    /// The state of a pair that began on `began` with the last contact `last_contact`, on
    /// `today`, against its own interval `own` or the default for the partner's level and the
    /// account's tier.
    pub fn on(
        today: NaiveDate,
        began: NaiveDate,
        last_contact: Option<NaiveDate>,
        own: Option<i64>,
        partner_rank: Option<i64>,
        tier: Option<Tier>,
    ) -> Self {
        let every_days = own
            .unwrap_or_else(|| default_days(partner_rank, tier))
            .max(MIN_DAYS);
        let since = last_contact.map_or(began, |l| l.max(began));
        let days = (today - since).num_days().max(0);
        Self {
            every_days,
            own_interval: own.is_some(),
            last_contact,
            days,
            state: State::after(days, every_days),
            due_on: since + chrono::Days::new(every_days.unsigned_abs()),
        }
    }

    /// Whether the pair is due or overdue.
    pub fn needs_contact(&self) -> bool {
        self.state != State::InTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn defaults_by_level_and_tier() {
        assert_eq!(default_days(Some(1), Some(Tier::A)), 60);
        assert_eq!(default_days(Some(1), None), 90);
        assert_eq!(default_days(Some(2), Some(Tier::C)), 120);
        assert_eq!(default_days(Some(4), Some(Tier::A)), 30);
        assert_eq!(default_days(None, Some(Tier::B)), 45);
    }

    #[test]
    fn in_time_then_due_then_overdue() {
        // Working level, tier A: every 30 days; due after 30, overdue after 45.
        let state = |today| {
            Cadence::on(
                today,
                day(1, 1),
                Some(day(6, 1)),
                None,
                Some(3),
                Some(Tier::A),
            )
        };
        assert_eq!(state(day(7, 1)).state, State::InTime); // 30 days
        assert_eq!(state(day(7, 2)).state, State::Due); // 31
        assert_eq!(state(day(7, 16)).state, State::Due); // 45
        let late = state(day(7, 17)); // 46
        assert_eq!(late.state, State::Overdue);
        assert_eq!(late.days, 46);
        assert_eq!(late.due_on, day(7, 1));
        assert!(late.needs_contact());
    }

    #[test]
    fn never_in_contact_counts_from_the_start_and_own_interval_wins() {
        let c = Cadence::on(day(3, 1), day(1, 1), None, Some(14), Some(1), Some(Tier::C));
        assert_eq!((c.every_days, c.own_interval), (14, true));
        assert_eq!(c.days, 59);
        assert_eq!(c.state, State::Overdue);
        // A contact from before the pair began does not count for it.
        let c = Cadence::on(day(3, 1), day(2, 20), Some(day(1, 5)), None, Some(3), None);
        assert_eq!((c.days, c.state), (9, State::InTime));
    }

    #[test]
    fn typed_intervals_are_checked() {
        assert_eq!(parse_days(" "), Ok(None));
        assert_eq!(parse_days("21"), Ok(Some(21)));
        assert!(matches!(
            parse_days("zwei"),
            Err(Problem::OutOfRange { .. })
        ));
        assert!(matches!(parse_days("0"), Err(Problem::OutOfRange { .. })));
        assert!(matches!(parse_days("731"), Err(Problem::OutOfRange { .. })));
    }
}
