//! When a series meets: an iCalendar RRULE (RFC 5545) from its first start in its time zone,
//! expanded by the `rrule` crate. The wall time stays put across daylight-saving changes
//! (09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer), as calendar clients
//! expand it.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rrule::{Frequency, RRule, Unvalidated};

use crate::macros::string_enum;
use crate::validate::Problem;

/// The longest RRULE accepted.
pub const MAX_RRULE: usize = 200;

string_enum! {
    /// How a series repeats, as the form offers it; `Custom` takes an RRULE.
    pub enum Repeat {
        /// Every week on the first meeting's weekday.
        Weekly = "weekly",
        /// Every other week on that weekday.
        Fortnightly = "fortnightly",
        /// Monthly on the same weekday of the month (the first Tuesday, say).
        MonthlyWeekday = "monthly_weekday",
        /// Monthly on the same day of the month.
        MonthlyDay = "monthly_day",
        /// Every three months on the same weekday of the month.
        QuarterlyWeekday = "quarterly_weekday",
        /// An RRULE written by hand.
        Custom = "custom",
    }
}

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Which week of its month a day is in: 1–4, or -1 for the fifth (then "the last").
pub fn week_of_month(day: NaiveDate) -> i64 {
    match day.day0() / 7 + 1 {
        5 => -1,
        n => i64::from(n),
    }
}

impl Repeat {
    /// The RRULE for a series whose first meeting is on `first`; `custom` is the hand-written
    /// rule (`RRULE:` prefix optional), read only for [`Repeat::Custom`].
    pub fn rrule(self, first: NaiveDate, custom: &str) -> Result<String, Problem> {
        let day = WEEKDAYS[first.weekday().num_days_from_monday() as usize];
        // The n-th such weekday of its month; the fifth is "the last" (not every month has one).
        let nth = week_of_month(first);
        Ok(match self {
            Self::Weekly => format!("FREQ=WEEKLY;BYDAY={day}"),
            Self::Fortnightly => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"),
            Self::MonthlyWeekday => format!("FREQ=MONTHLY;BYDAY={nth}{day}"),
            Self::MonthlyDay => format!("FREQ=MONTHLY;BYMONTHDAY={}", first.day()),
            Self::QuarterlyWeekday => format!("FREQ=MONTHLY;INTERVAL=3;BYDAY={nth}{day}"),
            Self::Custom => {
                let rule = custom.trim();
                let rule = rule.strip_prefix("RRULE:").unwrap_or(rule);
                if rule.is_empty() {
                    return Err(Problem::Required);
                }
                if rule.chars().count() > MAX_RRULE {
                    return Err(Problem::TooLong { max: MAX_RRULE });
                }
                rule.to_ascii_uppercase()
            }
        })
    }

    /// The choice that gives `rrule` for a first meeting on `first`, `Custom` if none does.
    pub fn of(rrule: &str, first: NaiveDate) -> Self {
        Self::ALL
            .iter()
            .copied()
            .find(|r| *r != Self::Custom && r.rrule(first, "").as_deref() == Ok(rrule))
            .unwrap_or(Self::Custom)
    }
}

/// About how many days lie between two meetings of a rule: its frequency times its
/// interval (a month counted as 30 days); `None` for a rule that is not one.
pub fn interval_days(rrule: &str) -> Option<i64> {
    let part = |key: &str| {
        rrule
            .split(';')
            .find_map(|p| p.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    let every: i64 = part("INTERVAL").map_or(Some(1), |n| n.parse().ok())?;
    let days = match part("FREQ")? {
        "DAILY" => 1,
        "WEEKLY" => 7,
        "MONTHLY" => 30,
        "YEARLY" => 365,
        _ => return None,
    };
    Some(days * every.max(1))
}

/// A checked recurrence: the first start in a time zone and an RRULE.
#[derive(Clone, Debug)]
pub struct Schedule {
    first: DateTime<rrule::Tz>,
    rule: RRule<Unvalidated>,
    text: String,
}

impl Schedule {
    /// Checks a recurrence. The rule must repeat at most daily and not within a day (no
    /// BYHOUR, BYMINUTE, BYSECOND): a jour fixe is not a clock. `Problem::InvalidDate` for a
    /// first start the clocks skip in that zone, `Problem::UnknownChoice` for an unknown zone,
    /// `Problem::InvalidRecurrence` for a rule that is not one.
    pub fn new(first: NaiveDateTime, zone: &str, rrule: &str) -> Result<Self, Problem> {
        let tz: chrono_tz::Tz = zone.parse().map_err(|_| Problem::UnknownChoice)?;
        let first = tz
            .from_local_datetime(&first)
            .earliest()
            .ok_or(Problem::InvalidDate)?
            .with_timezone(&rrule::Tz::Tz(tz));
        if rrule.contains(['\n', '\r', ':']) || rrule.len() > MAX_RRULE {
            return Err(Problem::InvalidRecurrence);
        }
        let rule: RRule<Unvalidated> = rrule.parse().map_err(|_| Problem::InvalidRecurrence)?;
        if matches!(
            rule.get_freq(),
            Frequency::Hourly | Frequency::Minutely | Frequency::Secondly
        ) || !rule.get_by_hour().is_empty()
            || !rule.get_by_minute().is_empty()
            || !rule.get_by_second().is_empty()
        {
            return Err(Problem::InvalidRecurrence);
        }
        rule.clone()
            .validate(first)
            .map_err(|_| Problem::InvalidRecurrence)?;
        // The rule is kept as written: the crate's own rendering of a parsed rule drops the
        // week of a monthly BYDAY (1TU becomes TU: every Tuesday).
        Ok(Self {
            first,
            rule,
            text: rrule.to_owned(),
        })
    }

    /// The rule (without `RRULE:`).
    pub fn rrule(&self) -> &str {
        &self.text
    }

    /// The time zone.
    pub fn zone(&self) -> chrono_tz::Tz {
        match self.first.timezone() {
            rrule::Tz::Tz(tz) => tz,
            rrule::Tz::Local(_) => chrono_tz::UTC,
        }
    }

    /// The first start as wall time in the zone.
    pub fn first_local(&self) -> NaiveDateTime {
        self.first.naive_local()
    }

    /// The starts from `from` (inclusive) up to `until` (exclusive), at most `limit`.
    pub fn between(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u16,
    ) -> Vec<DateTime<Utc>> {
        if until <= from {
            return Vec::new();
        }
        let tz = self.first.timezone();
        let Ok(set) = self.rule.clone().build(self.first) else {
            return Vec::new();
        };
        set.after(from.with_timezone(&tz))
            .before(until.with_timezone(&tz))
            .all(limit)
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&Utc))
            .filter(|d| *d >= from && *d < until)
            .collect()
    }

    /// The first start at or after `from`, if the series has one.
    pub fn next_from(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // Far enough for a yearly series; bounded for a rule that never matches.
        self.between(from, from + chrono::Duration::days(800), 1)
            .into_iter()
            .next()
    }

    /// Whether `at` is one of the series' starts.
    pub fn is_occurrence(&self, at: DateTime<Utc>) -> bool {
        self.next_from(at) == Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_time(NaiveTime::parse_from_str(time, "%H:%M").unwrap())
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn the_choices_name_the_first_meetings_weekday_and_week() {
        let first = NaiveDate::from_ymd_opt(2026, 10, 6).unwrap(); // a Tuesday, the first
        assert_eq!(
            Repeat::MonthlyWeekday.rrule(first, "").unwrap(),
            "FREQ=MONTHLY;BYDAY=1TU"
        );
        assert_eq!(
            Repeat::Fortnightly.rrule(first, "").unwrap(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
        );
        let last = NaiveDate::from_ymd_opt(2026, 9, 29).unwrap(); // the fifth Tuesday
        assert_eq!(
            Repeat::MonthlyWeekday.rrule(last, "").unwrap(),
            "FREQ=MONTHLY;BYDAY=-1TU"
        );
        assert_eq!(
            Repeat::of("FREQ=MONTHLY;BYDAY=1TU", first),
            Repeat::MonthlyWeekday
        );
        assert_eq!(Repeat::of("FREQ=MONTHLY;BYDAY=2TU", first), Repeat::Custom);
    }

    #[test]
    fn the_wall_time_stays_across_daylight_saving() {
        let schedule = Schedule::new(
            at("2026-10-06", "09:00"),
            "Europe/Berlin",
            "FREQ=MONTHLY;BYDAY=1TU",
        )
        .unwrap();
        let starts = schedule.between(utc("2026-10-01T00:00:00Z"), utc("2027-05-01T00:00:00Z"), 20);
        let expected = [
            "2026-10-06T07:00:00Z", // summer time: 09:00 is UTC+2
            "2026-11-03T08:00:00Z", // winter time: UTC+1
            "2026-12-01T08:00:00Z",
            "2027-01-05T08:00:00Z",
            "2027-02-02T08:00:00Z",
            "2027-03-02T08:00:00Z",
            "2027-04-06T07:00:00Z", // summer time again from 28 March
        ];
        assert_eq!(starts, expected.map(utc));
        assert!(schedule.is_occurrence(utc("2026-11-03T08:00:00Z")));
        assert!(!schedule.is_occurrence(utc("2026-11-03T09:00:00Z")));
        assert_eq!(
            schedule.next_from(utc("2026-11-03T08:00:01Z")),
            Some(utc("2026-12-01T08:00:00Z"))
        );
    }

    #[test]
    fn clocks_and_nonsense_are_not_recurrences() {
        let start = at("2026-10-06", "09:00");
        for bad in [
            "FREQ=HOURLY",
            "FREQ=DAILY;BYHOUR=1,2,3",
            "FREQ=WEEKLY;BYMINUTE=5",
            "FREQ=SOMETIMES",
            "BYDAY=MO",
            "FREQ=WEEKLY\nDTSTART:20260101T000000Z",
            "",
        ] {
            assert_eq!(
                Schedule::new(start, "Europe/Berlin", bad).err(),
                Some(Problem::InvalidRecurrence),
                "{bad:?}"
            );
        }
        assert_eq!(
            Schedule::new(start, "Mars/Olympus", "FREQ=WEEKLY").err(),
            Some(Problem::UnknownChoice)
        );
        // 02:30 on 28 March 2027 does not exist in Berlin.
        assert_eq!(
            Schedule::new(at("2027-03-28", "02:30"), "Europe/Berlin", "FREQ=WEEKLY").err(),
            Some(Problem::InvalidDate)
        );
    }

    #[test]
    fn a_rule_says_how_often_it_meets() {
        assert_eq!(interval_days("FREQ=MONTHLY;BYDAY=1TU"), Some(30));
        assert_eq!(interval_days("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"), Some(14));
        assert_eq!(interval_days("FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU"), Some(90));
        assert_eq!(interval_days("FREQ=HOURLY"), None);
        assert_eq!(interval_days("BYDAY=MO"), None);
    }

    #[test]
    fn a_count_ends_the_series() {
        let schedule = Schedule::new(
            at("2026-12-07", "14:00"),
            "Europe/Berlin",
            "FREQ=WEEKLY;COUNT=2",
        )
        .unwrap();
        let starts = schedule.between(utc("2026-01-01T00:00:00Z"), utc("2028-01-01T00:00:00Z"), 10);
        assert_eq!(starts.len(), 2);
        assert_eq!(schedule.next_from(utc("2026-12-15T00:00:00Z")), None);
    }
}
