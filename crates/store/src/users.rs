//! Users, password hashes (argon2id), sessions and login throttling, all in the database so
//! that several server instances share them.

use blake2::{Blake2s256, Digest};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::user::{Language, Role, User, Username, check_new_password};
use counterpart_core::validate::{FieldErrors, Problem};
use rand_core::{OsRng, RngCore};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::Result;
use crate::time::to_db;
use crate::{Actor, dialect};

/// 32 random bytes as hex: session tokens, CSRF tokens, generated passwords.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn token_hash(token: &str) -> String {
    hex(&Blake2s256::digest(token.as_bytes()))
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.person_id, u.language, \
    u.active, u.version";

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
        let hash = self.hash_pool().hash(password.to_owned()).await?;
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
        self.hash_pool().hash(password.to_owned()).await
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
        let hash = self.hash_pool().hash(password.to_owned()).await?;
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
