//! Sessions in the database, so that several server instances share them. Only a hash of the
//! session token is stored; the CSRF token is bound to the session. A user sees their live
//! sessions (when started, when last seen, a coarse browser label) and ends any but the one
//! they use; an administrator ends all of a user's. Every ending by hand is audited.

use chrono::Duration;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::UserId;
use counterpart_core::user::User;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::login::LoginSuccess;
use crate::time::{from_db, to_db};
use crate::users::{USER_COLUMNS, random_token, token_hash, user, user_on};
use crate::{Actor, Timestamp};

/// How often a session's last use is noted at most: a page view must not be a write.
pub const SEEN_EVERY: Duration = Duration::minutes(1);

/// The longest browser label kept (the labels are made of a few fixed words).
pub const MAX_DEVICE_LABEL: usize = 40;

/// How many of a user's sessions the list shows at most, the most recently seen first.
pub const SESSIONS_SHOWN: i64 = 100;

/// A live session as its user sees it in the list (never its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// Its id, by which the list names it.
    pub id: i64,
    /// When the login was.
    pub created_at: Timestamp,
    /// When it was last used (to the minute), if it was after the login.
    pub last_seen_at: Option<Timestamp>,
    /// When it ends unless used again.
    pub expires_at: Timestamp,
    /// The browser, coarsely ("Firefox, Windows"); empty when not recognised.
    pub device: String,
    /// Whether it is the session that asks.
    #[serde(skip)]
    pub current: bool,
}

const SESSION_COLUMNS: &str = "s.id, s.created_at, s.last_seen_at, s.expires_at, s.device";

fn session_info(row: &AnyRow, current: bool) -> Result<SessionInfo, sqlx::Error> {
    Ok(SessionInfo {
        id: row.try_get("id")?,
        created_at: from_db(&row.try_get::<String, _>("created_at")?)?,
        last_seen_at: row
            .try_get::<Option<String>, _>("last_seen_at")?
            .as_deref()
            .map(from_db)
            .transpose()?,
        expires_at: from_db(&row.try_get::<String, _>("expires_at")?)?,
        device: row.try_get("device")?,
        current,
    })
}

/// What the audit log keeps of sessions ended by hand: their list entries, no token.
#[derive(Serialize)]
struct Ended<'a> {
    sessions: &'a [SessionInfo],
}

/// Deletes `user`'s sessions — all but the one whose token hash is `keep`, or only the one
/// `id` — returns them, and audits the ending when any ended.
async fn end_sessions(
    conn: &mut AnyConnection,
    actor: &Actor,
    user: UserId,
    keep: Option<&str>,
    id: Option<i64>,
) -> Result<Vec<SessionInfo>> {
    let owner = user_on(&mut *conn, user).await?;
    let rows = sqlx::query(&format!(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2) \
         AND ($3 IS NULL OR id = $3) RETURNING {}",
        SESSION_COLUMNS.replace("s.", "")
    ))
    .bind(user.get())
    .bind(keep)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let ended: Vec<SessionInfo> = rows
        .iter()
        .map(|row| session_info(row, false))
        .collect::<Result<_, _>>()?;
    if !ended.is_empty() {
        let change = Change {
            entity: EntityKind::Session,
            id: user.get(),
            action: AuditAction::Delete,
            label: &owner.username,
        };
        let before = Ended { sessions: &ended };
        record(&mut *conn, actor, change, Some(&before), None).await?;
    }
    Ok(ended)
}

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
    /// Whether the user has turned on a second factor.
    pub second_factor: bool,
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
    /// Starts a session after a successful login, valid for `ttl` after its last use, with a
    /// coarse label of the browser (cut to [`MAX_DEVICE_LABEL`]). The browser's previous
    /// session, if it sent one, ends: a login always gets a new token.
    pub async fn create_session(
        &self,
        login: &LoginSuccess,
        ttl: Duration,
        replaces: Option<&str>,
        device: &str,
    ) -> Result<NewSession> {
        let session = NewSession {
            token: random_token(),
            csrf_token: random_token(),
        };
        let now = crate::now();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, \
             failed_logins, last_failed_login_at, device) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token_hash(&session.token))
        .bind(login.user.id.get())
        .bind(&session.csrf_token)
        .bind(to_db(now))
        .bind(to_db(now + ttl))
        .bind(login.failed_before)
        .bind(login.last_failed_at.map(to_db))
        .bind(
            device
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_DEVICE_LABEL)
                .collect::<String>(),
        )
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
    /// when more than half of `ttl` has passed since it was last extended, and notes its use
    /// when the last noted is [`SEEN_EVERY`] ago: at most one write a minute per session.
    pub async fn session(&self, token: &str, ttl: Duration) -> Result<Option<SessionUser>> {
        let hash = token_hash(token);
        let now = crate::now();
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at, s.failed_logins AS notice_failed, \
             s.last_failed_login_at AS notice_at, s.created_at AS started_at, s.last_seen_at, \
             (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = u.id) AS second_factors \
             FROM sessions s \
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
        let seen: Timestamp = match row.try_get::<Option<String>, _>("last_seen_at")? {
            Some(seen) => from_db(&seen)?,
            None => from_db(&row.try_get::<String, _>("started_at")?)?,
        };
        let extend = expires - now < ttl / 2;
        if extend || login_notice.is_some() || now - seen >= SEEN_EVERY {
            let mut tx = self.write().await?;
            sqlx::query(
                "UPDATE sessions SET expires_at = $1, failed_logins = 0, \
                 last_failed_login_at = NULL, last_seen_at = $2 WHERE token_hash = $3",
            )
            .bind(to_db(if extend { now + ttl } else { expires }))
            .bind(to_db(now))
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(Some(SessionUser {
            user: user(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            login_notice,
            second_factor: row.try_get::<i64, _>("second_factors")? > 0,
        }))
    }

    /// A user's live sessions, the most recently used first, the one of `current` (a session
    /// token) marked.
    pub async fn sessions_of(&self, user: UserId, current: &str) -> Result<Vec<SessionInfo>> {
        let rows = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, s.token_hash FROM sessions s \
             WHERE s.user_id = $1 AND s.expires_at > $2 \
             ORDER BY COALESCE(s.last_seen_at, s.created_at) DESC, s.id DESC LIMIT $3"
        ))
        .bind(user.get())
        .bind(to_db(crate::now()))
        .bind(SESSIONS_SHOWN)
        .fetch_all(self.pool())
        .await?;
        let current = token_hash(current);
        rows.iter()
            .map(|row| {
                let hash: String = row.try_get("token_hash")?;
                Ok(session_info(row, hash == current)?)
            })
            .collect()
    }

    /// How many live sessions a user has (the administrators' user page).
    pub async fn session_count(&self, user: UserId) -> Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2")
                .bind(user.get())
                .bind(to_db(crate::now()))
                .fetch_one(self.pool())
                .await?;
        Ok(count)
    }

    /// Ends one of `user`'s sessions, never the one of `current` (a session token: logging
    /// out ends that one). Audited.
    pub async fn end_session(
        &self,
        actor: &Actor,
        user: UserId,
        id: i64,
        current: &str,
    ) -> Result<SessionInfo> {
        let mut tx = self.write().await?;
        let keep = token_hash(current);
        let ended = end_sessions(&mut tx, actor, user, Some(&keep), Some(id)).await?;
        let ended = ended
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::not_found(EntityKind::Session, id))?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Ends every session of `user` but the one of `current` ("sign out everywhere else");
    /// returns how many ended. Audited when any did.
    pub async fn end_other_sessions(
        &self,
        actor: &Actor,
        user: UserId,
        current: &str,
    ) -> Result<usize> {
        let mut tx = self.write().await?;
        let keep = token_hash(current);
        let ended = end_sessions(&mut tx, actor, user, Some(&keep), None).await?;
        tx.commit().await?;
        Ok(ended.len())
    }

    /// Ends every session of `user` (an administrator, or the command line); returns how many
    /// ended. Audited when any did.
    pub async fn end_all_sessions(&self, actor: &Actor, user: UserId) -> Result<usize> {
        let mut tx = self.write().await?;
        let ended = end_sessions(&mut tx, actor, user, None, None).await?;
        tx.commit().await?;
        Ok(ended.len())
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
