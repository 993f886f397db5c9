//! A user's calendar subscription: a secret address serving the meetings of their series as
//! iCalendar. Only the token's hash is kept; revoking stops it at once.

use chrono::{DateTime, Utc};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::UserId;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::time::{from_db, to_db};
use crate::users::{random_token, token_hash};

/// A calendar address as listed (never its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalendarToken {
    /// Its id.
    pub id: i64,
    /// Its user.
    pub user_id: UserId,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When a calendar last fetched it.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, user_id, created_at, last_used_at, revoked_at";

fn token(row: &AnyRow) -> Result<CalendarToken, sqlx::Error> {
    let at = |column: &str| -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        row.try_get::<Option<String>, _>(column)?
            .as_deref()
            .map(from_db)
            .transpose()
    };
    Ok(CalendarToken {
        id: row.try_get("id")?,
        user_id: UserId::new(row.try_get("user_id")?),
        created_at: from_db(&row.try_get::<String, _>("created_at")?)?,
        last_used_at: at("last_used_at")?,
        revoked_at: at("revoked_at")?,
    })
}

impl Store {
    /// Makes a calendar address for `user`; returns the token, shown once. Audited.
    pub async fn create_calendar_token(
        &self,
        actor: &Actor,
        user: UserId,
    ) -> Result<(CalendarToken, String)> {
        let secret = random_token();
        let mut tx = self.write().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             RETURNING {COLUMNS}"
        ))
        .bind(user.get())
        .bind(token_hash(&secret))
        .bind(to_db(crate::now()))
        .fetch_one(&mut *tx)
        .await?;
        let created = token(&row)?;
        let change = Change {
            entity: EntityKind::CalendarToken,
            id: created.id,
            action: AuditAction::Create,
            label: "calendar",
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        tx.commit().await?;
        Ok((created, secret))
    }

    /// Revokes a calendar address of `owner` (of anyone, for `None`: an administrator).
    /// Audited.
    pub async fn revoke_calendar_token(
        &self,
        actor: &Actor,
        id: i64,
        owner: Option<UserId>,
    ) -> Result<CalendarToken> {
        let mut tx = self.write().await?;
        let row = sqlx::query(&format!(
            "UPDATE calendar_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
             AND ($3 IS NULL OR user_id = $3) RETURNING {COLUMNS}"
        ))
        .bind(to_db(crate::now()))
        .bind(id)
        .bind(owner.map(UserId::get))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::not_found(EntityKind::CalendarToken, id))?;
        let revoked = token(&row)?;
        let change = Change {
            entity: EntityKind::CalendarToken,
            id,
            action: AuditAction::Update,
            label: "calendar revoked",
        };
        record(&mut tx, actor, change, None, Some(&revoked)).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// A user's calendar addresses, newest first.
    pub async fn calendar_tokens_of(&self, user: UserId) -> Result<Vec<CalendarToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM calendar_tokens WHERE user_id = $1 ORDER BY id DESC"
        ))
        .bind(user.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(token).collect::<Result<_, _>>()?)
    }

    /// The user a calendar token opens, if valid (not revoked, the user active); marks it
    /// used.
    pub async fn use_calendar_token(&self, secret: &str) -> Result<Option<UserId>> {
        let found: Option<(i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.user_id FROM calendar_tokens c JOIN users u ON u.id = c.user_id \
             WHERE c.token_hash = $1 AND c.revoked_at IS NULL AND u.active = 1",
        )
        .bind(token_hash(secret))
        .fetch_optional(self.pool())
        .await?;
        let Some((id, user)) = found else {
            return Ok(None);
        };
        let mut tx = self.write().await?;
        sqlx::query("UPDATE calendar_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(to_db(crate::now()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(UserId::new(user)))
    }
}
