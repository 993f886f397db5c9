//! Timestamps as fixed-width RFC 3339 UTC text, which sorts and compares correctly as text in
//! both databases.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// A point in time, UTC.
pub type Timestamp = DateTime<Utc>;

/// The current time.
pub fn now() -> Timestamp {
    Utc::now()
}

/// Formats a timestamp for storage: `2026-11-27T05:20:45.123456Z`.
pub(crate) fn to_db(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads a stored timestamp; a malformed one is a decode error, not a panic.
pub(crate) fn from_db(text: &str) -> Result<Timestamp, sqlx::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Formats a date for storage: `2026-11-27`.
pub(crate) fn date_to_db(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads a stored date.
pub(crate) fn date_from_db(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
