//! Users, password hashes (argon2id), sessions and login throttling, all in the database so
//! that several server instances share them. What administrators do with users (the list,
//! details, the person link, passwords) is in [`admin`].

mod admin;

pub use admin::{
    EmailLink, NewUser, OwnPassword, USERS_PER_PAGE, UserListEntry, UserPage, UserQuery,
};

use blake2::{Blake2s256, Digest};
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::user::{Language, User};
use counterpart_core::validate::Problem;
use rand_core::{OsRng, RngCore};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::time::{Timestamp, from_db, to_db};

/// 32 random bytes as hex: session tokens, CSRF tokens, generated passwords.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// `N` bytes from the operating system's random source: TOTP secrets, recovery codes.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn token_hash(token: &str) -> String {
    hex(&Blake2s256::digest(token.as_bytes()))
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.person_id, u.email, \
    u.language, u.active, u.version";

pub(crate) fn user(row: &AnyRow) -> Result<User, sqlx::Error> {
    let decode = |p: Problem| sqlx::Error::Decode(format!("stored value rejected: {p:?}").into());
    Ok(User {
        id: UserId::new(row.try_get("id")?),
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get::<String, _>("role")?.parse().map_err(decode)?,
        person_id: row
            .try_get::<Option<i64>, _>("person_id")?
            .map(PersonId::new),
        email: row.try_get("email")?,
        language: row
            .try_get::<Option<String>, _>("language")?
            .map(|l| l.parse())
            .transpose()
            .map_err(decode)?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

pub(crate) async fn user_by_name(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<(User, String)>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1"
    ))
    .bind(username.trim().to_lowercase())
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((user(&r)?, r.try_get("password_hash")?)))
        .transpose()
}

pub(crate) async fn user_on(conn: &mut AnyConnection, id: UserId) -> Result<User> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?;
    match row {
        Some(row) => Ok(user(&row)?),
        None => Err(StoreError::not_found(EntityKind::User, id.get())),
    }
}

impl Store {
    /// Remembers a user's interface language.
    pub async fn set_user_language(&self, id: UserId, language: Language) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.as_str())
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Marks a view of the user's "My day" at `now` and returns the last view of their
    /// previous visit, what "new since your last visit" counts from (`None` on the first
    /// visit). Views within `VISIT_GAP` of each other are one visit, so reloading the page
    /// does not hide what is new. A personal reading marker, like the language, not audited.
    ///
    /// A view within `MARK_EVERY` of the last one marked is not written: every write makes
    /// each pooled SQLite connection drop its page cache, and My day is the landing page. The
    /// last view of a visit is then known to `MARK_EVERY`, and the next visit counts a little
    /// early rather than late: it may show again what came in during the previous visit's
    /// last minute, never hide anything.
    pub async fn visit_my_day(&self, id: UserId, now: Timestamp) -> Result<Option<Timestamp>> {
        const VISIT_GAP: chrono::TimeDelta = chrono::TimeDelta::minutes(30);
        const MARK_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);
        let marked: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT visit_seen_at, visit_previous_at FROM users WHERE id = $1")
                .bind(id.get())
                .fetch_optional(self.pool())
                .await?;
        if let Some((Some(seen), previous)) = marked
            && (now - from_db(&seen)?).abs() < MARK_EVERY
        {
            return Ok(previous.as_deref().map(from_db).transpose()?);
        }
        let mut tx = self.write().await?;
        let (seen, previous): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT visit_seen_at, visit_previous_at FROM users WHERE id = $1")
                .bind(id.get())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::not_found(EntityKind::User, id.get()))?;
        let seen = seen.as_deref().map(from_db).transpose()?;
        let previous = previous.as_deref().map(from_db).transpose()?;
        if seen.is_some_and(|s| now - s < VISIT_GAP) {
            sqlx::query("UPDATE users SET visit_seen_at = $1 WHERE id = $2")
                .bind(to_db(now))
                .bind(id.get())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(previous);
        }
        sqlx::query(
            "UPDATE users SET visit_previous_at = visit_seen_at, visit_seen_at = $1 WHERE id = $2",
        )
        .bind(to_db(now))
        .bind(id.get())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
