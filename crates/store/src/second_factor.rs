//! The optional second factor (issue 15): a TOTP secret per user, turned on by confirming a
//! current code, turned off with a current code (or a recovery code), reset by an
//! administrator; ten single-use recovery codes, shown once and stored as BLAKE2s hashes (80
//! random bits each: a slow hash would add nothing but load, see ADR 0012). A code is accepted
//! once: the time step of the last one accepted is kept, and a code of that step or an earlier
//! one is refused. Every change is audited, never with the secret or a code.

use chrono::Duration;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::UserId;
use counterpart_core::second_factor::{
    Code, RECOVERY_CODE_BYTES, RECOVERY_CODES, TotpSecret, parse_code, recovery_code,
};
use counterpart_core::throttle::{Policy, Wait};
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::login_throttle::reserve;
use crate::time::{from_db, to_db};
use crate::users::{random_bytes, token_hash, user_on};
use crate::{Actor, Timestamp};

/// Whether and since when a user has a second factor, and how many recovery codes are left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecondFactorStatus {
    /// When it was turned on.
    pub enabled_at: Timestamp,
    /// Recovery codes not used yet.
    pub recovery_left: i64,
}

/// Turning the second factor off: done, or wait (too many wrong codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorOff {
    /// Turned off; the recovery codes are gone too.
    Done,
    /// Too many wrong codes: the next is admitted after this.
    Throttled(Duration),
}

/// Which kind of code was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Accepted {
    /// A code of the authenticator app.
    Totp,
    /// A recovery code (now used up).
    Recovery,
}

/// What the audit log keeps of a second factor: dates and counts, never the secret or a code.
#[derive(Serialize)]
struct Audited {
    enabled_at: Option<Timestamp>,
    recovery_codes: i64,
}

fn wrong_code() -> StoreError {
    StoreError::Invalid(FieldErrors::single("code", Problem::WrongCode))
}

/// The user's second factor, if on.
async fn status(conn: &mut AnyConnection, user: UserId) -> Result<Option<SecondFactorStatus>> {
    let row = sqlx::query(
        "SELECT f.enabled_at, (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = f.user_id \
         AND r.used_at IS NULL) AS recovery_left FROM second_factors f WHERE f.user_id = $1",
    )
    .bind(user.get())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(SecondFactorStatus {
            enabled_at: from_db(&row.try_get::<String, _>("enabled_at")?)?,
            recovery_left: row.try_get("recovery_left")?,
        })
    })
    .transpose()
}

/// Checks a code of `user` at `now` and uses it up when it is right: a TOTP code moves the
/// last accepted step on (compare-and-set, so that two requests with one code cannot both
/// pass), a recovery code is marked used. `None` when wrong, used, or no second factor is on.
pub(crate) async fn use_code(
    conn: &mut AnyConnection,
    user: UserId,
    code: &str,
    now: Timestamp,
) -> Result<Option<Accepted>> {
    let Ok(code) = parse_code(code) else {
        return Ok(None);
    };
    match code {
        Code::Totp(code) => {
            let row: Option<(String, i64)> =
                sqlx::query_as("SELECT secret, last_step FROM second_factors WHERE user_id = $1")
                    .bind(user.get())
                    .fetch_optional(&mut *conn)
                    .await?;
            let Some((secret, last_step)) = row else {
                return Ok(None);
            };
            let secret = TotpSecret::parse(&secret)
                .map_err(|p| sqlx::Error::Decode(format!("stored secret: {p:?}").into()))?;
            let Some(step) = secret.check(&code, now.timestamp(), Some(last_step)) else {
                return Ok(None);
            };
            let moved = sqlx::query(
                "UPDATE second_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1",
            )
            .bind(step)
            .bind(user.get())
            .execute(&mut *conn)
            .await?
            .rows_affected();
            Ok((moved == 1).then_some(Accepted::Totp))
        }
        Code::Recovery(code) => {
            let used = sqlx::query(
                "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 \
                 AND used_at IS NULL AND EXISTS (SELECT 1 FROM second_factors f \
                 WHERE f.user_id = $2)",
            )
            .bind(to_db(now))
            .bind(user.get())
            .bind(token_hash(&code))
            .execute(&mut *conn)
            .await?
            .rows_affected();
            Ok((used == 1).then_some(Accepted::Recovery))
        }
    }
}

/// Audits that `user` logged in with a recovery code (one fewer left).
pub(crate) async fn audit_recovery_use(conn: &mut AnyConnection, user: UserId) -> Result<()> {
    let owner = user_on(&mut *conn, user).await?;
    let now = status(&mut *conn, user).await?;
    let change = Change {
        entity: EntityKind::SecondFactor,
        id: user.get(),
        action: AuditAction::Update,
        label: &owner.username,
    };
    let after = Audited {
        enabled_at: now.map(|s| s.enabled_at),
        recovery_codes: now.map_or(0, |s| s.recovery_left),
    };
    let actor = Actor {
        user_id: Some(user),
        name: owner.display_name.clone(),
    };
    record(&mut *conn, &actor, change, None::<&Audited>, Some(&after)).await
}

/// Deletes a user's second factor and recovery codes; whether there was one.
async fn remove(conn: &mut AnyConnection, user: UserId) -> Result<Option<SecondFactorStatus>> {
    let before = status(&mut *conn, user).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.get())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM second_factors WHERE user_id = $1")
        .bind(user.get())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_challenges WHERE user_id = $1")
        .bind(user.get())
        .execute(&mut *conn)
        .await?;
    Ok(before)
}

impl Store {
    /// A user's second factor, if on.
    pub async fn second_factor(&self, user: UserId) -> Result<Option<SecondFactorStatus>> {
        status(&mut *self.pool().acquire().await?, user).await
    }

    /// Turns on the second factor with `secret`, once `code` shows that the user's app has it
    /// (a code of now, one step either side); returns the recovery codes, shown once.
    /// Refused when a second factor is on already. Audited.
    pub async fn enable_second_factor(
        &self,
        actor: &Actor,
        user: UserId,
        secret: &TotpSecret,
        code: &str,
    ) -> Result<Vec<String>> {
        let now = crate::now();
        let step = match parse_code(code) {
            Ok(Code::Totp(code)) => secret.check(&code, now.timestamp(), None),
            Ok(Code::Recovery(_)) => None,
            Err(problem) => return Err(FieldErrors::single("code", problem).into()),
        }
        .ok_or_else(wrong_code)?;
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| recovery_code(random_bytes::<RECOVERY_CODE_BYTES>()))
            .collect();
        let mut tx = self.write().await?;
        let owner = user_on(&mut tx, user).await?;
        if status(&mut tx, user).await?.is_some() {
            return Err(FieldErrors::single("code", Problem::Taken).into());
        }
        sqlx::query(
            "INSERT INTO second_factors (user_id, secret, enabled_at, last_step) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user.get())
        .bind(secret.to_base32())
        .bind(to_db(now))
        .bind(step)
        .execute(&mut *tx)
        .await?;
        for code in &codes {
            sqlx::query(
                "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
            )
            .bind(user.get())
            .bind(token_hash(&code.replace('-', "")))
            .bind(to_db(now))
            .execute(&mut *tx)
            .await?;
        }
        let change = Change {
            entity: EntityKind::SecondFactor,
            id: user.get(),
            action: AuditAction::Create,
            label: &owner.username,
        };
        let after = Audited {
            enabled_at: Some(now),
            recovery_codes: i64::try_from(codes.len()).unwrap_or(0),
        };
        record(&mut tx, actor, change, None, Some(&after)).await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// The user turns their second factor off, proving it with a current code or a recovery
    /// code. Wrong codes count against a throttle of their own, like a wrong current password.
    /// Audited.
    pub async fn disable_second_factor(
        &self,
        actor: &Actor,
        user: UserId,
        code: &str,
    ) -> Result<SecondFactorOff> {
        if let Err(problem) = parse_code(code) {
            return Err(FieldErrors::single("code", problem).into());
        }
        let key = [(format!("second-factor:{}", user.get()), Policy::NAME)];
        let mut tx = self.write().await?;
        if let Err(Wait(wait)) = reserve(&mut tx, &key).await? {
            tx.rollback().await?;
            return Ok(SecondFactorOff::Throttled(wait));
        }
        tx.commit().await?;
        let mut tx = self.write().await?;
        if use_code(&mut tx, user, code, crate::now()).await?.is_none() {
            // The attempt stays counted; nothing else changed.
            tx.rollback().await?;
            return Err(wrong_code());
        }
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(&key[0].0)
            .execute(&mut *tx)
            .await?;
        let owner = user_on(&mut tx, user).await?;
        let before = remove(&mut tx, user).await?;
        let change = Change {
            entity: EntityKind::SecondFactor,
            id: user.get(),
            action: AuditAction::Delete,
            label: &owner.username,
        };
        let before = Audited {
            enabled_at: before.map(|s| s.enabled_at),
            recovery_codes: before.map_or(0, |s| s.recovery_left),
        };
        record(&mut tx, actor, change, Some(&before), None).await?;
        tx.commit().await?;
        Ok(SecondFactorOff::Done)
    }

    /// Removes a user's second factor (an administrator, or the command line: the user lost
    /// their phone and their recovery codes); whether there was one. Audited when there was.
    pub async fn reset_second_factor(&self, actor: &Actor, user: UserId) -> Result<bool> {
        let mut tx = self.write().await?;
        let owner = user_on(&mut tx, user).await?;
        let Some(before) = remove(&mut tx, user).await? else {
            tx.rollback().await?;
            return Ok(false);
        };
        let change = Change {
            entity: EntityKind::SecondFactor,
            id: user.get(),
            action: AuditAction::Delete,
            label: &owner.username,
        };
        let before = Audited {
            enabled_at: Some(before.enabled_at),
            recovery_codes: before.recovery_left,
        };
        record(&mut tx, actor, change, Some(&before), None).await?;
        tx.commit().await?;
        Ok(true)
    }
}
