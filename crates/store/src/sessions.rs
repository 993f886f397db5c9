//! Sessions in the database, so that several server instances share them. Only a hash of the
//! session token is stored; the CSRF token is bound to the session.

use chrono::Duration;
use counterpart_core::user::User;
use sqlx::Row;

use crate::Timestamp;
use crate::db::Store;
use crate::error::Result;
use crate::login::LoginSuccess;
use crate::time::{from_db, to_db};
use crate::users::{USER_COLUMNS, random_token, token_hash, user};

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
    /// Failed attempts at the user's name before the login that started this session; given
    /// once, on the first request after the login.
    pub login_notice: Option<LoginNotice>,
}

/// "Since your last login, someone tried your name 3 times, last at …".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginNotice {
    /// How many failed attempts.
    pub failed: i64,
    /// The last of them.
    pub last_at: Option<Timestamp>,
}

impl Store {
    /// Starts a session after a successful login, valid for `ttl` after its last use. The
    /// browser's previous session, if it sent one, ends: a login always gets a new token.
    pub async fn create_session(
        &self,
        login: &LoginSuccess,
        ttl: Duration,
        replaces: Option<&str>,
    ) -> Result<NewSession> {
        let session = NewSession {
            token: random_token(),
            csrf_token: random_token(),
        };
        let now = crate::now();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, \
             failed_logins, last_failed_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash(&session.token))
        .bind(login.user.id.get())
        .bind(&session.csrf_token)
        .bind(to_db(now))
        .bind(to_db(now + ttl))
        .bind(login.failed_before)
        .bind(login.last_failed_at.map(to_db))
        .execute(&mut *tx)
        .await?;
        if let Some(old) = replaces {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash(old))
                .execute(&mut *tx)
                .await?;
        }
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
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at, s.failed_logins AS notice_failed, \
             s.last_failed_login_at AS notice_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        ))
        .bind(&hash)
        .bind(to_db(now))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: Timestamp = from_db(row.try_get("expires_at")?)?;
        let failed: i64 = row.try_get("notice_failed")?;
        let login_notice = (failed > 0)
            .then(|| {
                let last_at = row
                    .try_get::<Option<String>, _>("notice_at")?
                    .as_deref()
                    .map(from_db)
                    .transpose()?;
                Ok::<_, sqlx::Error>(LoginNotice { failed, last_at })
            })
            .transpose()?;
        let extend = expires - now < ttl / 2;
        if extend || login_notice.is_some() {
            let mut tx = self.write().await?;
            sqlx::query(
                "UPDATE sessions SET expires_at = $1, failed_logins = 0, \
                 last_failed_login_at = NULL WHERE token_hash = $2",
            )
            .bind(to_db(if extend { now + ttl } else { expires }))
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(Some(SessionUser {
            user: user(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            login_notice,
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
