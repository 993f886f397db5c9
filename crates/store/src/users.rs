//! Users, password hashes (argon2id), sessions and login throttling, all in the database so
//! that several server instances share them.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use blake2::{Blake2s256, Digest};
use chrono::Duration;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::user::{Language, Role, User, Username, check_new_password};
use counterpart_core::validate::{FieldErrors, Problem};
use rand_core::{OsRng, RngCore};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::time::{from_db, to_db};
use crate::{Actor, Timestamp, dialect};

/// Failed logins for one name within [`THROTTLE_WINDOW_MINUTES`] before further tries are
/// refused without checking the password.
const MAX_FAILURES: i64 = 10;
/// The window for counting failed logins.
const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// A freshly created session: the secret token goes into the cookie, only its hash is stored.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The cookie value.
    pub token: String,
    /// The CSRF token bound to this session.
    pub csrf_token: String,
}

/// The user behind a valid session.
#[derive(Clone, Debug)]
pub struct SessionUser {
    /// The user.
    pub user: User,
    /// The CSRF token every state-changing request of this session must carry.
    pub csrf_token: String,
}

/// The result of a login attempt.
#[derive(Clone, Debug)]
pub enum LoginOutcome {
    /// Name and password match an active user.
    Success(User),
    /// Unknown name, wrong password or disabled user (deliberately not told apart).
    BadCredentials,
    /// Too many failures for this name recently; try again later.
    Throttled,
}

/// 32 random bytes as hex: session tokens, CSRF tokens, generated passwords.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    hex(&Blake2s256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id and a random salt. CPU-heavy: call off the async threads.
fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Hash(e.to_string()))
}

/// Checks a password against a stored hash. CPU-heavy: call off the async threads.
fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Hash(e.to_string()))?
}

/// A hash of a random password, verified against when the user does not exist so that an
/// unknown name takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.person_id, u.language, \
    u.active, u.version";

fn user(row: &AnyRow) -> Result<User, sqlx::Error> {
    let decode = |p: Problem| sqlx::Error::Decode(format!("stored value rejected: {p:?}").into());
    Ok(User {
        id: UserId::new(row.try_get("id")?),
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get::<String, _>("role")?.parse().map_err(decode)?,
        person_id: row
            .try_get::<Option<i64>, _>("person_id")?
            .map(PersonId::new),
        language: row
            .try_get::<Option<String>, _>("language")?
            .map(|l| l.parse())
            .transpose()
            .map_err(decode)?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

async fn user_by_name(conn: &mut AnyConnection, username: &str) -> Result<Option<(User, String)>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1"
    ))
    .bind(username.trim().to_lowercase())
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((user(&r)?, r.try_get("password_hash")?)))
        .transpose()
}

async fn require_user(conn: &mut AnyConnection, username: &str) -> Result<User> {
    user_by_name(conn, username)
        .await?
        .map(|(u, _)| u)
        .ok_or_else(|| FieldErrors::single("username", Problem::NotFound).into())
}

impl Store {
    /// Creates a user with a hashed password.
    pub async fn create_user(
        &self,
        actor: &Actor,
        username: &Username,
        display_name: &str,
        password: &str,
        role: Role,
        person_id: Option<PersonId>,
    ) -> Result<User> {
        let mut errors = FieldErrors::default();
        errors.take("password", check_new_password(password));
        let display_name = errors.take(
            "display_name",
            counterpart_core::validate::required_text(display_name, 100),
        );
        errors.into_result(|| ())?;
        let hash = hash_blocking(password.to_owned()).await?;
        self.insert_user(
            actor,
            username,
            &display_name.unwrap_or_default(),
            &hash,
            role,
            person_id,
        )
        .await
    }

    /// Inserts a user with an already computed hash (used by the demo loader, whose fixed demo
    /// passwords are hashed once per start).
    pub(crate) async fn insert_user(
        &self,
        actor: &Actor,
        username: &Username,
        display_name: &str,
        password_hash: &str,
        role: Role,
        person_id: Option<PersonId>,
    ) -> Result<User> {
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, role, person_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             RETURNING id, username, display_name, role, person_id, language, active, version",
        )
        .bind(username.as_str())
        .bind(display_name)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(person_id.map(PersonId::get))
        .bind(to_db(crate::now()))
        .fetch_one(&mut *tx)
        .await;
        let created = match inserted {
            Ok(row) => user(&row)?,
            Err(e) if dialect::is_unique_violation(&e, "users_username", "users.username") => {
                return Err(FieldErrors::single("username", Problem::Taken).into());
            }
            Err(e) => return Err(e.into()),
        };
        let change = Change {
            entity: EntityKind::User,
            id: created.id.get(),
            action: AuditAction::Create,
            label: &created.username,
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Hashes a password for [`Store::insert_user`]-style bulk loading.
    pub(crate) async fn hash_password(&self, password: &str) -> Result<String> {
        hash_blocking(password.to_owned()).await
    }

    /// All users by name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(user).collect::<Result<_, _>>()?)
    }

    /// Sets a new password and ends the user's sessions.
    pub async fn set_password(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
    ) -> Result<User> {
        check_new_password(password).map_err(|p| FieldErrors::single("password", p))?;
        let hash = hash_blocking(password.to_owned()).await?;
        let mut tx = self.write().await?;
        let before = require_user(&mut tx, username).await?;
        sqlx::query("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2")
            .bind(&hash)
            .bind(before.id.get())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(before.id.get())
            .execute(&mut *tx)
            .await?;
        let after = require_user(&mut tx, username).await?;
        let change = Change {
            entity: EntityKind::User,
            id: after.id.get(),
            action: AuditAction::Update,
            label: &after.username,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Disables (ending all sessions) or enables a user.
    pub async fn set_user_active(
        &self,
        actor: &Actor,
        username: &str,
        active: bool,
    ) -> Result<User> {
        let mut tx = self.write().await?;
        let before = require_user(&mut tx, username).await?;
        sqlx::query("UPDATE users SET active = $1, version = version + 1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(before.id.get())
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(before.id.get())
                .execute(&mut *tx)
                .await?;
        }
        let after = require_user(&mut tx, username).await?;
        let change = Change {
            entity: EntityKind::User,
            id: after.id.get(),
            action: if active {
                AuditAction::Reactivate
            } else {
                AuditAction::Deactivate
            },
            label: &after.username,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

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

    /// Checks a login. Throttles a name after repeated failures; the password is verified off
    /// the async threads.
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let name = username.trim().to_lowercase();
        let since = to_db(crate::now() - Duration::minutes(THROTTLE_WINDOW_MINUTES));
        let (failures,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
                .bind(&name)
                .bind(&since)
                .fetch_one(self.pool())
                .await?;
        if failures >= MAX_FAILURES {
            return Ok(LoginOutcome::Throttled);
        }
        let found = user_by_name(&mut *self.pool().acquire().await?, &name).await?;
        let hash = found
            .as_ref()
            .map_or_else(|| dummy_hash().to_owned(), |(_, h)| h.clone());
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| StoreError::Hash(e.to_string()))?;
        let mut tx = self.write().await?;
        let outcome = match found {
            Some((user, _)) if matches && user.active => {
                sqlx::query("DELETE FROM login_failures WHERE username = $1")
                    .bind(&name)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                    .bind(to_db(crate::now()))
                    .bind(user.id.get())
                    .execute(&mut *tx)
                    .await?;
                LoginOutcome::Success(user)
            }
            _ => {
                sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
                    .bind(&name)
                    .bind(to_db(crate::now()))
                    .execute(&mut *tx)
                    .await?;
                LoginOutcome::BadCredentials
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Starts a session for a user, valid for `ttl` after its last use.
    pub async fn create_session(&self, user_id: UserId, ttl: Duration) -> Result<NewSession> {
        let session = NewSession {
            token: random_token(),
            csrf_token: random_token(),
        };
        let now = crate::now();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&session.token))
        .bind(user_id.get())
        .bind(&session.csrf_token)
        .bind(to_db(now))
        .bind(to_db(now + ttl))
        .execute(&mut *tx)
        .await?;
        // Housekeeping on a path that runs rarely enough: forget expired sessions.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(to_db(now))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(session)
    }

    /// The active user behind a session token, if the session is valid. Extends the session
    /// when more than half of `ttl` has passed since it was last extended.
    pub async fn session(&self, token: &str, ttl: Duration) -> Result<Option<SessionUser>> {
        let hash = token_hash(token);
        let now = crate::now();
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        ))
        .bind(&hash)
        .bind(to_db(now))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: Timestamp = from_db(row.try_get("expires_at")?)?;
        if expires - now < ttl / 2 {
            let mut tx = self.write().await?;
            sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
                .bind(to_db(now + ttl))
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Some(SessionUser {
            user: user(&row)?,
            csrf_token: row.try_get("csrf_token")?,
        }))
    }

    /// Ends a session (logout).
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
