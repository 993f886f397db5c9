//! Turning what the database returns back into domain values, in one place.

use counterpart_core::validate::Problem;

/// A stored value the domain refuses (an unknown enum key, say): the database holds something
/// this program did not write.
pub(crate) fn decode(p: Problem) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored value rejected: {p:?}").into())
}

/// The rows of a `json_rows` aggregate (the dialect's); rows may borrow texts from `text`.
pub(crate) fn json<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
