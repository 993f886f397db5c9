//! The login throttle's counter in the database: one attempt counted against every key (a
//! login name, a client address, a trusted device) or refused while any must still wait. Both
//! steps of a login count here — the password (`login`) and the second factor's code
//! (`second_factor`).

use counterpart_core::throttle::{self, Policy, State, Wait};
use sqlx::{AnyConnection, Row};

use crate::Timestamp;
use crate::error::Result;
use crate::time::{from_db, to_db};

/// Counts one attempt against every key, or refuses it without counting when any key must
/// still wait. The rows are locked for the transaction (PostgreSQL: by the upsert; SQLite: the
/// single writer), so parallel attempts are counted one after another.
pub(crate) async fn reserve(
    conn: &mut AnyConnection,
    keys: &[(String, Policy)],
) -> Result<Result<(), Wait>> {
    let now = crate::now();
    let mut next = Vec::with_capacity(keys.len());
    for (key, policy) in keys {
        // Creates the key's row or, when it exists, locks it for this transaction (the no-op
        // update takes the row lock); either way returns it, with no gap in which a finished
        // login could delete it.
        let row = sqlx::query(
            "INSERT INTO login_throttle (key, failures, last_at, blocked_until) \
             VALUES ($1, 0, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures \
             RETURNING failures, last_at, blocked_until",
        )
        .bind(key)
        .bind(to_db(now))
        .bind(to_db(Timestamp::UNIX_EPOCH))
        .fetch_one(&mut *conn)
        .await?;
        let state = State {
            failures: row.try_get("failures")?,
            last_at: from_db(row.try_get("last_at")?)?,
            blocked_until: from_db(row.try_get("blocked_until")?)?,
        };
        match throttle::attempt(state, now, policy) {
            Ok(state) => next.push((key, state)),
            Err(wait) => return Ok(Err(wait)),
        }
    }
    for (key, state) in next {
        sqlx::query(
            "UPDATE login_throttle SET failures = $1, last_at = $2, blocked_until = $3 \
             WHERE key = $4",
        )
        .bind(state.failures)
        .bind(to_db(state.last_at))
        .bind(to_db(state.blocked_until))
        .bind(key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Ok(()))
}
