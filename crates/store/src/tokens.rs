//! Every secret the product issues to a user, kept alike (issue 15): personal API tokens, the
//! calendar subscription, the digest feed addresses. The token itself is shown once; only its
//! hash is stored. It may expire; revoking stops it at once; its last use is noted at most
//! once a minute (a token used by a script on every request must not turn every read into a
//! write).

use chrono::{DateTime, Duration, Utc};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{UnitId, UserId};
use counterpart_core::user::{MAX_TOKENS_PER_USER, TokenKind, TokenScope};
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::time::{from_db, to_db};
use crate::users::{random_token, token_hash};

/// A token as listed (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessToken {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub user_id: UserId,
    /// What it opens.
    pub kind: TokenKind,
    /// What it may do.
    pub scope: TokenScope,
    /// What its owner called it ("Reporting", "HR sync"); may be empty.
    pub label: String,
    /// For a digest feed: the unit whose digest it delivers.
    pub unit_id: Option<UnitId>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working by itself, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AccessToken {
    /// Whether it opens anything at `now`: not revoked, not expired.
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

/// What a new token is.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// What it opens.
    pub kind: TokenKind,
    /// What it may do.
    pub scope: TokenScope,
    /// Its label.
    pub label: String,
    /// For a digest feed: the unit.
    pub unit_id: Option<UnitId>,
    /// When it expires, if ever.
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewToken {
    /// A digest feed address for `unit`: read only, never expiring (revoked by hand).
    pub fn digest(unit: UnitId) -> Self {
        Self {
            kind: TokenKind::Digest,
            scope: TokenScope::Read,
            label: String::new(),
            unit_id: Some(unit),
            expires_at: None,
        }
    }

    /// A calendar subscription address: read only, never expiring (revoked by hand).
    pub fn calendar() -> Self {
        Self {
            kind: TokenKind::Calendar,
            scope: TokenScope::Read,
            label: String::new(),
            unit_id: None,
            expires_at: None,
        }
    }
}

/// A token with its owner's login name, as administrators list them.
#[derive(Clone, Debug)]
pub struct TokenOfUser {
    /// The token.
    pub token: AccessToken,
    /// Its owner's login name.
    pub username: String,
}

const COLUMNS: &str = "t.id, t.user_id, t.kind, t.scope, t.label, t.unit_id, t.created_at, \
    t.expires_at, t.last_used_at, t.revoked_at";

fn token(row: &AnyRow) -> Result<AccessToken, sqlx::Error> {
    let at = |column: &str| -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        row.try_get::<Option<String>, _>(column)?
            .as_deref()
            .map(from_db)
            .transpose()
    };
    Ok(AccessToken {
        id: row.try_get("id")?,
        user_id: UserId::new(row.try_get("user_id")?),
        kind: row.try_get::<String, _>("kind")?.parse().map_err(decode)?,
        scope: row.try_get::<String, _>("scope")?.parse().map_err(decode)?,
        label: row.try_get("label")?,
        unit_id: row.try_get::<Option<i64>, _>("unit_id")?.map(UnitId::new),
        created_at: from_db(&row.try_get::<String, _>("created_at")?)?,
        expires_at: at("expires_at")?,
        last_used_at: at("last_used_at")?,
        revoked_at: at("revoked_at")?,
    })
}

impl Store {
    /// Issues a token to `user`; returns it with the secret, which is shown once. At most
    /// [`MAX_TOKENS_PER_USER`] live tokens per user (checked under the write lock, so two
    /// requests at once cannot both pass). Audited.
    pub async fn create_token(
        &self,
        actor: &Actor,
        user: UserId,
        new: &NewToken,
    ) -> Result<(AccessToken, String)> {
        let secret = random_token();
        let now = crate::now();
        let mut tx = self.write().await?;
        // PostgreSQL: the user's row is the lock two creations queue on.
        sqlx::query("UPDATE users SET id = id WHERE id = $1")
            .bind(user.get())
            .execute(&mut *tx)
            .await?;
        let (live,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM access_tokens WHERE user_id = $1 AND revoked_at IS NULL \
             AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(user.get())
        .bind(to_db(now))
        .fetch_one(&mut *tx)
        .await?;
        if live >= MAX_TOKENS_PER_USER {
            return Err(StoreError::Invalid(FieldErrors::single(
                "label",
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_TOKENS_PER_USER,
                },
            )));
        }
        let row = sqlx::query(&format!(
            "INSERT INTO access_tokens (user_id, kind, scope, label, unit_id, token_hash, \
               created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING {}",
            COLUMNS.replace("t.", "")
        ))
        .bind(user.get())
        .bind(new.kind.as_str())
        .bind(new.scope.as_str())
        .bind(&new.label)
        .bind(new.unit_id.map(UnitId::get))
        .bind(token_hash(&secret))
        .bind(to_db(now))
        .bind(new.expires_at.map(to_db))
        .fetch_one(&mut *tx)
        .await?;
        let created = token(&row)?;
        let change = Change {
            entity: EntityKind::AccessToken,
            id: created.id,
            action: AuditAction::Create,
            label: created.kind.as_str(),
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        tx.commit().await?;
        Ok((created, secret))
    }

    /// Revokes a token of `owner` (of anyone, for `None`: an administrator); it stops
    /// working at once. Audited.
    pub async fn revoke_token(
        &self,
        actor: &Actor,
        id: i64,
        owner: Option<UserId>,
    ) -> Result<AccessToken> {
        let mut tx = self.write().await?;
        let row = sqlx::query(&format!(
            "UPDATE access_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
             AND ($3 IS NULL OR user_id = $3) RETURNING {}",
            COLUMNS.replace("t.", "")
        ))
        .bind(to_db(crate::now()))
        .bind(id)
        .bind(owner.map(UserId::get))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::not_found(EntityKind::AccessToken, id))?;
        let revoked = token(&row)?;
        let change = Change {
            entity: EntityKind::AccessToken,
            id,
            action: AuditAction::Update,
            label: &format!("{} revoked", revoked.kind),
        };
        record(&mut tx, actor, change, None, Some(&revoked)).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// A user's tokens (of one kind, or all), newest first.
    pub async fn tokens_of(
        &self,
        user: UserId,
        kind: Option<TokenKind>,
    ) -> Result<Vec<AccessToken>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM access_tokens t WHERE t.user_id = $1 \
             AND ($2 IS NULL OR t.kind = $2) ORDER BY t.id DESC"
        ))
        .bind(user.get())
        .bind(kind.map(TokenKind::as_str))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(token).collect::<Result<_, _>>()?)
    }

    /// Every user's live tokens, newest first, with their owners: what administrators see
    /// and may revoke.
    pub async fn live_tokens(&self, limit: i64) -> Result<Vec<TokenOfUser>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, u.username FROM access_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $1) \
             ORDER BY t.id DESC LIMIT $2"
        ))
        .bind(to_db(crate::now()))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TokenOfUser {
                    token: token(row)?,
                    username: row.try_get("username")?,
                })
            })
            .collect()
    }

    /// The token a secret is, if it is one of `kind` that opens anything now (not revoked,
    /// not expired, its user active); notes its use, at most once a minute.
    pub async fn use_token(&self, secret: &str, kind: TokenKind) -> Result<Option<AccessToken>> {
        let now = crate::now();
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM access_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.kind = $2 AND t.revoked_at IS NULL \
             AND (t.expires_at IS NULL OR t.expires_at > $3) AND u.active = 1"
        ))
        .bind(token_hash(secret))
        .bind(kind.as_str())
        .bind(to_db(now))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let found = token(&row)?;
        if found
            .last_used_at
            .is_none_or(|at| now - at >= Duration::minutes(1))
        {
            let mut tx = self.write().await?;
            sqlx::query("UPDATE access_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(to_db(now))
                .bind(found.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Some(found))
    }
}
