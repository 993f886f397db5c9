//! Logging in: throttling per login name, client address and trusted device (counted before
//! the password is checked, which runs on the bounded pool of [`crate::hashing`]), the second
//! step for users with a second factor (a code, counted against the same throttle), and the
//! count of failed attempts the owner sees at the next login.

use chrono::Duration;
use counterpart_core::ids::UserId;
use counterpart_core::throttle::{Policy, Wait};
use counterpart_core::user::{User, Username};
use sqlx::{AnyConnection, Row};

use crate::db::Store;
use crate::error::Result;
use crate::login_throttle::reserve;
use crate::second_factor::{Accepted, audit_recovery_use, use_code};
use crate::time::{from_db, to_db};
use crate::users::{random_token, token_hash, user_by_name, user_on};
use crate::{Timestamp, dialect};

/// How long a login half done (the password right, the code to come) waits for its code.
pub const CHALLENGE_LIFETIME: Duration = Duration::minutes(5);
/// Wrong codes one half-done login allows; then the password must be given again.
pub const CHALLENGE_FAILURES: i64 = 5;

/// Throttle rows idle this long are deleted, so that guessed names do not pile up.
const THROTTLE_RETENTION: Duration = Duration::days(1);
/// Trusted devices older than this are forgotten.
const DEVICE_LIFETIME: Duration = Duration::days(365);
/// Trusted devices kept per user (the newest).
const DEVICES_PER_USER: i64 = 20;

/// One login attempt as it arrives.
#[derive(Clone, Copy, Debug)]
pub struct LoginAttempt<'a> {
    /// The name typed.
    pub username: &'a str,
    /// The password typed.
    pub password: &'a str,
    /// The client's address, when known (see the web layer's trusted-proxy setting).
    pub client: Option<&'a str>,
    /// The trusted-device cookie the browser sent, if any.
    pub device: Option<&'a str>,
}

/// The result of a login attempt.
#[derive(Clone, Debug)]
pub enum LoginOutcome {
    /// Name and password match an active user.
    Success(Box<LoginSuccess>),
    /// Unknown name, wrong password or disabled user (deliberately not told apart).
    BadCredentials,
    /// Too many attempts for this name, address or device; the next is admitted after this.
    Throttled(Duration),
    /// Every hashing slot is busy; try again in a few seconds.
    Busy,
    /// The password is right and the user has a second factor: the code is to come. The
    /// string is the half-done login's token for the browser's cookie (only its hash is kept);
    /// the attempt stays counted against the throttle until the code is right.
    SecondFactor(String),
}

/// The second step of a login: the code, with the half-done login it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct CodeAttempt<'a> {
    /// The half-done login's token (from the browser's cookie).
    pub challenge: &'a str,
    /// The code typed: six digits from the app, or a recovery code.
    pub code: &'a str,
    /// The client's address, when known.
    pub client: Option<&'a str>,
    /// The trusted-device cookie the browser sent, if any.
    pub device: Option<&'a str>,
}

/// The result of the second step.
#[derive(Clone, Debug)]
pub enum CodeOutcome {
    /// The code is right: logged in.
    Success(Box<LoginSuccess>),
    /// Wrong, or used already.
    WrongCode,
    /// No such half-done login (expired, too many wrong codes, or never begun): log in again.
    Expired,
    /// Too many attempts for this name, address or device; the next is admitted after this.
    Throttled(Duration),
}

/// A successful login.
#[derive(Clone, Debug)]
pub struct LoginSuccess {
    /// Who logged in.
    pub user: User,
    /// Failed attempts at this name since the previous successful login.
    pub failed_before: i64,
    /// The last of them.
    pub last_failed_at: Option<Timestamp>,
    /// A new trusted-device token for the browser's cookie.
    pub device_token: String,
}

/// The throttle keys an attempt counts against, with their policies.
fn throttle_keys(
    name: &Username,
    client: Option<&str>,
    device: Option<String>,
) -> Vec<(String, Policy)> {
    match device {
        // A browser the owner logged in from: only its own count applies.
        Some(hash) => vec![(format!("device:{hash}"), Policy::DEVICE)],
        None => {
            let mut keys = vec![(format!("name:{}", name.as_str()), Policy::NAME)];
            if let Some(client) = client {
                keys.push((format!("addr:{client}"), Policy::ADDRESS));
            }
            keys
        }
    }
}

/// Deletes throttle rows idle for a day, a batch at a time, in a transaction of its own: rows
/// that a running login holds locked are left for the next time (PostgreSQL's `SKIP LOCKED`),
/// so that pruning never waits for a login that waits for it.
async fn prune_throttle(conn: &mut AnyConnection, backend: crate::Backend) -> Result<()> {
    let now = crate::now();
    sqlx::query(&format!(
        "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle \
         WHERE last_at < $1 AND blocked_until < $2 LIMIT 500{})",
        dialect::skip_locked(backend)
    ))
    .bind(to_db(now - THROTTLE_RETENTION))
    .bind(to_db(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The user a trusted-device token belongs to, if it is still trusted.
async fn device_user(conn: &mut AnyConnection, token: &str) -> Result<Option<(UserId, String)>> {
    let hash = token_hash(token);
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT user_id FROM trusted_devices WHERE token_hash = $1 AND created_at > $2",
    )
    .bind(&hash)
    .bind(to_db(crate::now() - DEVICE_LIFETIME))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| (UserId::new(id), hash)))
}

impl Store {
    /// Checks a login attempt. The attempt is counted against the throttle before the
    /// password is checked; a right password takes the count back.
    pub async fn login(&self, attempt: LoginAttempt<'_>) -> Result<LoginOutcome> {
        // A name no user can have is wrong without hashing, throttling or writing anything.
        let Ok(name) = Username::parse(attempt.username) else {
            return Ok(LoginOutcome::BadCredentials);
        };
        let mut conn = self.pool().acquire().await?;
        let found = user_by_name(&mut conn, name.as_str()).await?;
        let device = match attempt.device {
            Some(token) => device_user(&mut conn, token)
                .await?
                .filter(|(owner, _)| found.as_ref().is_some_and(|(u, _)| u.id == *owner))
                .map(|(_, hash)| hash),
            None => None,
        };
        drop(conn);
        let keys = throttle_keys(&name, attempt.client, device);
        let mut tx = self.write().await?;
        if let Err(Wait(wait)) = reserve(&mut tx, &keys).await? {
            // A refused attempt leaves nothing behind, not even the rows of keys it created:
            // a script sending ever new names from a waiting address grows nothing.
            tx.rollback().await?;
            return Ok(LoginOutcome::Throttled(wait));
        }
        tx.commit().await?;
        let mut tx = self.write().await?;
        prune_throttle(&mut tx, self.backend()).await?;
        tx.commit().await?;
        let hash = found.as_ref().map(|(_, h)| h.clone());
        let checked = self
            .hash_pool()
            .verify(attempt.password.to_owned(), hash)
            .await?;
        let Some(matches) = checked else {
            return Ok(LoginOutcome::Busy);
        };
        let mut tx = self.write().await?;
        let now = crate::now();
        let outcome = match found {
            Some((user, _)) if matches && user.active => {
                if has_second_factor(&mut tx, user.id).await? {
                    LoginOutcome::SecondFactor(challenge(&mut tx, user.id).await?)
                } else {
                    LoginOutcome::Success(Box::new(complete_login(&mut tx, user, &keys).await?))
                }
            }
            Some((user, _)) => {
                sqlx::query(
                    "UPDATE users SET failed_logins = failed_logins + 1, \
                     last_failed_login_at = $1 WHERE id = $2",
                )
                .bind(to_db(now))
                .bind(user.id.get())
                .execute(&mut *tx)
                .await?;
                LoginOutcome::BadCredentials
            }
            None => LoginOutcome::BadCredentials,
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// The second step of a login: the code of a user with a second factor, for the half-done
    /// login of the first. Counted against the same throttle keys as the password, before it
    /// is checked; a right code takes the counts back and logs in, a wrong one counts as a
    /// failed login for the owner's notice.
    pub async fn login_code(&self, attempt: CodeAttempt<'_>) -> Result<CodeOutcome> {
        let hash = token_hash(attempt.challenge);
        let now = crate::now();
        let mut conn = self.pool().acquire().await?;
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT c.user_id FROM login_challenges c JOIN users u ON u.id = c.user_id \
             WHERE c.token_hash = $1 AND c.expires_at > $2 AND u.active = 1",
        )
        .bind(&hash)
        .bind(to_db(now))
        .fetch_optional(&mut *conn)
        .await?;
        let Some((user_id,)) = row else {
            return Ok(CodeOutcome::Expired);
        };
        let user = user_on(&mut conn, UserId::new(user_id)).await?;
        let Ok(name) = Username::parse(&user.username) else {
            return Ok(CodeOutcome::Expired);
        };
        let device = match attempt.device {
            Some(token) => device_user(&mut conn, token)
                .await?
                .filter(|(owner, _)| *owner == user.id)
                .map(|(_, hash)| hash),
            None => None,
        };
        drop(conn);
        let keys = throttle_keys(&name, attempt.client, device);
        let mut tx = self.write().await?;
        if let Err(Wait(wait)) = reserve(&mut tx, &keys).await? {
            tx.rollback().await?;
            return Ok(CodeOutcome::Throttled(wait));
        }
        tx.commit().await?;
        let mut tx = self.write().await?;
        let outcome = match use_code(&mut tx, user.id, attempt.code, now).await? {
            Some(accepted) => {
                sqlx::query("DELETE FROM login_challenges WHERE token_hash = $1")
                    .bind(&hash)
                    .execute(&mut *tx)
                    .await?;
                if accepted == Accepted::Recovery {
                    audit_recovery_use(&mut tx, user.id).await?;
                }
                CodeOutcome::Success(Box::new(complete_login(&mut tx, user, &keys).await?))
            }
            None => {
                sqlx::query(
                    "UPDATE users SET failed_logins = failed_logins + 1, \
                     last_failed_login_at = $1 WHERE id = $2",
                )
                .bind(to_db(now))
                .bind(user.id.get())
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE login_challenges SET failures = failures + 1 WHERE token_hash = $1",
                )
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM login_challenges WHERE token_hash = $1 AND failures >= $2",
                )
                .bind(&hash)
                .bind(CHALLENGE_FAILURES)
                .execute(&mut *tx)
                .await?;
                CodeOutcome::WrongCode
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }
}

/// Whether a user has turned on a second factor.
async fn has_second_factor(conn: &mut AnyConnection, user: UserId) -> Result<bool> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM second_factors WHERE user_id = $1")
        .bind(user.get())
        .fetch_one(conn)
        .await?;
    Ok(count > 0)
}

/// Begins the second step: a half-done login for [`CHALLENGE_LIFETIME`], its token returned
/// for the browser's cookie. Forgets expired half-done logins on the way.
async fn challenge(conn: &mut AnyConnection, user: UserId) -> Result<String> {
    let token = random_token();
    let now = crate::now();
    sqlx::query("DELETE FROM login_challenges WHERE expires_at < $1")
        .bind(to_db(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(user.get())
    .bind(to_db(now))
    .bind(to_db(now + CHALLENGE_LIFETIME))
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// A login proven (by the password, and the code when a second factor is on): the throttle
/// counts taken back, the failed attempts before it read for the owner's notice and reset,
/// the browser trusted.
async fn complete_login(
    conn: &mut AnyConnection,
    user: User,
    keys: &[(String, Policy)],
) -> Result<LoginSuccess> {
    let now = crate::now();
    for (key, _) in keys {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    let row = sqlx::query("SELECT failed_logins, last_failed_login_at FROM users WHERE id = $1")
        .bind(user.id.get())
        .fetch_one(&mut *conn)
        .await?;
    let failed_before: i64 = row.try_get("failed_logins")?;
    let last_failed_at = row
        .try_get::<Option<String>, _>("last_failed_login_at")?
        .as_deref()
        .map(from_db)
        .transpose()?;
    sqlx::query(
        "UPDATE users SET last_login_at = $1, failed_logins = 0, \
         last_failed_login_at = NULL WHERE id = $2",
    )
    .bind(to_db(now))
    .bind(user.id.get())
    .execute(&mut *conn)
    .await?;
    let device_token = trust_device(&mut *conn, user.id).await?;
    Ok(LoginSuccess {
        user,
        failed_before,
        last_failed_at,
        device_token,
    })
}

/// Remembers a new trusted device for the user and forgets the oldest beyond the limit.
async fn trust_device(conn: &mut AnyConnection, user: UserId) -> Result<String> {
    let token = random_token();
    let now = crate::now();
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash(&token))
    .bind(user.get())
    .bind(to_db(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM trusted_devices WHERE created_at < $1 OR (user_id = $2 AND token_hash NOT IN \
         (SELECT token_hash FROM trusted_devices WHERE user_id = $2 ORDER BY created_at DESC LIMIT $3))",
    )
    .bind(to_db(now - DEVICE_LIFETIME))
    .bind(user.get())
    .bind(DEVICES_PER_USER)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trusted_device_is_throttled_on_its_own() {
        let name = Username::parse("schneider").unwrap();
        let keys = throttle_keys(&name, Some("192.0.2.7"), None);
        assert_eq!(
            keys.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["name:schneider", "addr:192.0.2.7"]
        );
        let keys = throttle_keys(&name, Some("192.0.2.7"), Some("abc".into()));
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].0, "device:abc");
    }
}
