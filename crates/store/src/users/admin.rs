//! What administrators do with users: the paged list, creating and changing users, the link to
//! a person of our own house (one by one, or many at once by e-mail address), disabling, and
//! passwords; and every user's change of their own password.
//!
//! There is always an active administrator: a change that would leave none is refused, with
//! the changes of administrators serialized across instances so that two parallel demotions
//! cannot both pass the check.

use chrono::Duration;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::person::{Email, display_name};
use counterpart_core::throttle::{Policy, Wait};
use counterpart_core::user::{Role, User, UserInput, Username, check_new_password};
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, Row};

use super::{USER_COLUMNS, token_hash, user, user_by_name, user_on};
use crate::audit::{Change, record};
use crate::db::Store;
use crate::dialect::{self, Serialized};
use crate::error::{Refusal, Result, StoreError};
use crate::login_throttle::reserve;
use crate::time::{from_db, to_db};
use crate::versioned::{self, Fields, Versioned};
use crate::{Actor, Timestamp};

/// Users shown per page of the list.
pub const USERS_PER_PAGE: u32 = 50;

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Name, e-mail address, role and person.
    pub details: UserInput,
    /// The first password (at least 10 characters).
    pub password: String,
}

/// Which users to list: those whose login name, name or e-mail address contains the text.
#[derive(Clone, Debug, Default)]
pub struct UserQuery {
    /// Search text; empty for all.
    pub text: String,
    /// The page, from 0.
    pub page: u32,
}

/// One line of the user list.
#[derive(Clone, Debug)]
pub struct UserListEntry {
    /// The user.
    pub user: User,
    /// The name of the linked person, if any.
    pub person_name: Option<String>,
    /// The last successful login.
    pub last_login_at: Option<Timestamp>,
}

/// One page of the user list.
#[derive(Clone, Debug)]
pub struct UserPage {
    /// The users on this page, by login name.
    pub entries: Vec<UserListEntry>,
    /// How many users match in all.
    pub total: u64,
    /// This page, from 0.
    pub page: u32,
}

/// A user without a person whose e-mail address is that of exactly one active person of our
/// own house who is no user yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailLink {
    /// The user.
    pub user_id: UserId,
    /// Their login name.
    pub username: String,
    /// The address both share.
    pub email: String,
    /// The person.
    pub person_id: PersonId,
    /// The person's name.
    pub person_name: String,
}

/// What came of a change of one's own password.
#[derive(Clone, Debug)]
pub enum OwnPassword {
    /// Changed; the user's other sessions have ended.
    Changed(User),
    /// Too many wrong current passwords; the next attempt is admitted after this.
    Throttled(Duration),
    /// Every hashing slot is busy; try again in a few seconds.
    Busy,
}

/// The users matching a search: a `LIKE` on the lowercased login name, name and address, with
/// the search's own wildcards escaped.
const USER_MATCH: &str = "($1 = '' OR lower(u.username) LIKE $1 ESCAPE '\\' \
    OR lower(u.display_name) LIKE $1 ESCAPE '\\' OR u.email LIKE $1 ESCAPE '\\')";

/// `%text%` for `LIKE … ESCAPE '\'`, lowercased; empty for no search.
fn contains_pattern(text: &str) -> String {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return text;
    }
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The proposals of [`Store::email_links`]: users without a person, with an address, matching
/// exactly one active person of our own house whom no user is linked to.
const EMAIL_LINKS: &str = "SELECT u.id AS user_id, u.username, u.email, p.id AS person_id, \
     p.academic_title, p.given_name, p.family_name \
     FROM users u \
     JOIN persons p ON lower(p.email) = u.email AND p.active = 1 \
     JOIN organizations o ON o.id = p.organization_id AND o.kind = 'own' \
     WHERE u.person_id IS NULL AND u.email IS NOT NULL \
     AND NOT EXISTS (SELECT 1 FROM users v WHERE v.person_id = p.id) \
     AND (SELECT COUNT(*) FROM persons q JOIN organizations r ON r.id = q.organization_id \
          WHERE lower(q.email) = u.email AND q.active = 1 AND r.kind = 'own') = 1 \
     ORDER BY u.username";

fn email_link(row: &AnyRow) -> Result<EmailLink, sqlx::Error> {
    let title: Option<String> = row.try_get("academic_title")?;
    let given: Option<String> = row.try_get("given_name")?;
    let family: String = row.try_get("family_name")?;
    Ok(EmailLink {
        user_id: UserId::new(row.try_get("user_id")?),
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        person_id: PersonId::new(row.try_get("person_id")?),
        person_name: display_name(title.as_deref(), given.as_deref(), &family),
    })
}

/// Checks that a person can be linked to a user: they exist, belong to our own house, and no
/// other user is linked to them.
async fn check_person(
    conn: &mut AnyConnection,
    person: PersonId,
    user: Option<UserId>,
) -> Result<()> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT o.kind, (SELECT v.id FROM users v WHERE v.person_id = p.id) \
         FROM persons p JOIN organizations o ON o.id = p.organization_id WHERE p.id = $1",
    )
    .bind(person.get())
    .fetch_optional(&mut *conn)
    .await?;
    let problem = match row {
        None => Problem::NotFound,
        Some((kind, _)) if kind != "own" => Problem::NotOwnOrganization,
        Some((_, Some(other))) if Some(UserId::new(other)) != user => Problem::Taken,
        Some(_) => return Ok(()),
    };
    Err(FieldErrors::single("person_id", problem).into())
}

/// A unique index that a write of user details ran into, as the field it concerns.
fn taken(error: sqlx::Error) -> StoreError {
    let field = if dialect::is_unique_violation(&error, "users_username", "users.username") {
        "username"
    } else if dialect::is_unique_violation(&error, "users_email", "users.email") {
        "email"
    } else if dialect::is_unique_violation(&error, "users_person", "users.person_id") {
        "person_id"
    } else {
        return error.into();
    };
    FieldErrors::single(field, Problem::Taken).into()
}

/// Serializes changes of administrators across instances; run first in the transaction.
async fn serialize_administrators(conn: &mut AnyConnection, backend: crate::Backend) -> Result<()> {
    if let Some(lock) = dialect::serialize(backend, Serialized::Administrators) {
        conn.execute(lock.as_str()).await?;
    }
    Ok(())
}

/// Refuses a change that left no active administrator (the caller's transaction then rolls
/// back).
async fn require_an_administrator(conn: &mut AnyConnection) -> Result<()> {
    let (admins,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
            .fetch_one(conn)
            .await?;
    if admins == 0 {
        return Err(StoreError::Refused(Refusal::LastAdministrator));
    }
    Ok(())
}

impl Versioned for User {
    const TABLE: &'static str = "users";
    const COLUMNS: &'static str =
        "id, username, display_name, role, person_id, email, language, active, version";
    const ENTITY: EntityKind = EntityKind::User;
    const STAMPED: bool = false;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        user(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        self.username.clone()
    }

    fn write_error(error: sqlx::Error) -> StoreError {
        taken(error)
    }
}

/// Writes a new password hash and ends the user's sessions, but the one named (if any).
async fn replace_password(
    conn: &mut AnyConnection,
    user: UserId,
    hash: &str,
    keep_session: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2")
        .bind(hash)
        .bind(user.get())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.get())
        .bind(keep_session.map(token_hash).unwrap_or_default())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// One user.
    pub async fn user(&self, id: UserId) -> Result<User> {
        user_on(&mut *self.pool().acquire().await?, id).await
    }

    /// The user with a login name; an unknown name is a problem of the field `username`.
    pub async fn user_named(&self, username: &str) -> Result<User> {
        user_by_name(&mut *self.pool().acquire().await?, username)
            .await?
            .map(|(u, _)| u)
            .ok_or_else(|| FieldErrors::single("username", Problem::NotFound).into())
    }

    /// All users by login name (the command line's list; pages use [`Store::user_page`]).
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(user).collect::<Result<_, _>>()?)
    }

    /// One page of the users matching a search, by login name.
    pub async fn user_page(&self, query: &UserQuery) -> Result<UserPage> {
        let pattern = contains_pattern(&query.text);
        let mut conn = self.pool().acquire().await?;
        let (total,): (i64,) =
            sqlx::query_as(&format!("SELECT COUNT(*) FROM users u WHERE {USER_MATCH}"))
                .bind(&pattern)
                .fetch_one(&mut *conn)
                .await?;
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, u.last_login_at, p.academic_title, p.given_name, \
             p.family_name FROM users u LEFT JOIN persons p ON p.id = u.person_id \
             WHERE {USER_MATCH} ORDER BY u.username LIMIT $2 OFFSET $3"
        ))
        .bind(&pattern)
        .bind(i64::from(USERS_PER_PAGE))
        .bind(i64::from(query.page) * i64::from(USERS_PER_PAGE))
        .fetch_all(&mut *conn)
        .await?;
        let entries = rows
            .iter()
            .map(|row| {
                let family: Option<String> = row.try_get("family_name")?;
                let title: Option<String> = row.try_get("academic_title")?;
                let given: Option<String> = row.try_get("given_name")?;
                Ok(UserListEntry {
                    user: user(row)?,
                    person_name: family
                        .map(|family| display_name(title.as_deref(), given.as_deref(), &family)),
                    last_login_at: row
                        .try_get::<Option<String>, _>("last_login_at")?
                        .as_deref()
                        .map(from_db)
                        .transpose()?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(UserPage {
            entries,
            total: u64::try_from(total).unwrap_or(0),
            page: query.page,
        })
    }

    /// Creates a user with a hashed password.
    pub async fn create_user(&self, actor: &Actor, new: &NewUser) -> Result<User> {
        check_new_password(&new.password).map_err(|p| FieldErrors::single("password", p))?;
        let hash = self.hash_pool().hash(new.password.clone()).await?;
        self.insert_user(actor, &new.username, &new.details, &hash)
            .await
    }

    /// Hashes a password for [`Store::insert_user`]-style bulk loading.
    pub(crate) async fn hash_password(&self, password: &str) -> Result<String> {
        self.hash_pool().hash(password.to_owned()).await
    }

    /// Inserts a user with an already computed hash (the demo loader hashes its fixed demo
    /// passwords once per start).
    pub(crate) async fn insert_user(
        &self,
        actor: &Actor,
        username: &Username,
        details: &UserInput,
        password_hash: &str,
    ) -> Result<User> {
        let mut tx = self.write().await?;
        if let Some(person) = details.person_id {
            check_person(&mut tx, person, None).await?;
        }
        let created = sqlx::query(&format!(
            "INSERT INTO users (username, display_name, email, password_hash, role, person_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {}",
            USER_COLUMNS.replace("u.", "")
        ))
        .bind(username.as_str())
        .bind(&details.display_name)
        .bind(details.email.as_ref().map(Email::as_str))
        .bind(password_hash)
        .bind(details.role.as_str())
        .bind(details.person_id.map(PersonId::get))
        .bind(to_db(crate::now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(taken)?;
        let created = user(&created)?;
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

    /// Changes a user's name, address, role and person, if nobody changed the user since
    /// `version`. Refused when it would leave no active administrator.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        version: i64,
        details: &UserInput,
    ) -> Result<User> {
        let mut tx = self.write().await?;
        serialize_administrators(&mut tx, self.backend()).await?;
        let before = user_on(&mut tx, id).await?;
        if let Some(person) = details.person_id {
            check_person(&mut tx, person, Some(id)).await?;
        }
        let fields = Fields::new()
            .set("display_name", details.display_name.clone())
            .set(
                "email",
                details.email.as_ref().map(|e| e.as_str().to_owned()),
            )
            .set("role", details.role.as_str())
            .set("person_id", details.person_id.map(PersonId::get));
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        if before.role == Role::Admin && after.role != Role::Admin {
            require_an_administrator(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Disables (ending all their sessions) or enables a user. Disabling the last active
    /// administrator is refused.
    pub async fn set_user_active(&self, actor: &Actor, id: UserId, active: bool) -> Result<User> {
        let mut tx = self.write().await?;
        serialize_administrators(&mut tx, self.backend()).await?;
        let before = user_on(&mut tx, id).await?;
        let after = versioned::set_active(&mut tx, actor, &before, before.version, active).await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.get())
                .execute(&mut *tx)
                .await?;
            require_an_administrator(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new password (an administrator's reset) and ends all the user's sessions.
    pub async fn set_password(&self, actor: &Actor, id: UserId, password: &str) -> Result<User> {
        check_new_password(password).map_err(|p| FieldErrors::single("password", p))?;
        let hash = self.hash_pool().hash(password.to_owned()).await?;
        let mut tx = self.write().await?;
        let before = user_on(&mut tx, id).await?;
        replace_password(&mut tx, id, &hash, None).await?;
        let after = user_on(&mut tx, id).await?;
        let change = Change {
            entity: EntityKind::User,
            id: id.get(),
            action: AuditAction::Update,
            label: &after.username,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A user changes their own password, giving the current one. Wrong current passwords
    /// count against a throttle of their own, like logins; the session `keep` stays, the
    /// user's other sessions end.
    pub async fn change_own_password(
        &self,
        id: UserId,
        current: &str,
        new: &str,
        keep: &str,
    ) -> Result<OwnPassword> {
        check_new_password(new).map_err(|p| FieldErrors::single("password", p))?;
        let me = self.user(id).await?;
        let key = [(format!("password:{}", id.get()), Policy::NAME)];
        let mut tx = self.write().await?;
        if let Err(Wait(wait)) = reserve(&mut tx, &key).await? {
            tx.rollback().await?;
            return Ok(OwnPassword::Throttled(wait));
        }
        tx.commit().await?;
        let stored = user_by_name(&mut *self.pool().acquire().await?, &me.username)
            .await?
            .map(|(_, hash)| hash);
        let Some(matches) = self.hash_pool().verify(current.to_owned(), stored).await? else {
            return Ok(OwnPassword::Busy);
        };
        if !matches {
            return Err(FieldErrors::single("current_password", Problem::WrongPassword).into());
        }
        let hash = self.hash_pool().hash(new.to_owned()).await?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(&key[0].0)
            .execute(&mut *tx)
            .await?;
        let before = user_on(&mut tx, id).await?;
        replace_password(&mut tx, id, &hash, Some(keep)).await?;
        let after = user_on(&mut tx, id).await?;
        let change = Change {
            entity: EntityKind::User,
            id: id.get(),
            action: AuditAction::Update,
            label: &after.username,
        };
        let actor = Actor {
            user_id: Some(id),
            name: after.display_name.clone(),
        };
        record(&mut tx, &actor, change, Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(OwnPassword::Changed(after))
    }

    /// The users that [`Store::link_users_by_email`] would link now, by login name.
    pub async fn email_links(&self) -> Result<Vec<EmailLink>> {
        let rows = sqlx::query(EMAIL_LINKS).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(email_link).collect::<Result<_, _>>()?)
    }

    /// Links every user without a person to the one active person of our own house with the
    /// same e-mail address, if no user is linked to that person yet; one transaction, an
    /// audit row per user. Returns what it linked.
    pub async fn link_users_by_email(&self, actor: &Actor) -> Result<Vec<EmailLink>> {
        let mut tx = self.write().await?;
        let rows = sqlx::query(EMAIL_LINKS).fetch_all(&mut *tx).await?;
        let links: Vec<EmailLink> = rows.iter().map(email_link).collect::<Result<_, _>>()?;
        for link in &links {
            let before = user_on(&mut tx, link.user_id).await?;
            sqlx::query("UPDATE users SET person_id = $1, version = version + 1 WHERE id = $2")
                .bind(link.person_id.get())
                .bind(link.user_id.get())
                .execute(&mut *tx)
                .await?;
            let after = user_on(&mut tx, link.user_id).await?;
            let change = Change {
                entity: EntityKind::User,
                id: link.user_id.get(),
                action: AuditAction::Update,
                label: &after.username,
            };
            record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        }
        tx.commit().await?;
        Ok(links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_patterns_escape_the_wildcards() {
        assert_eq!(contains_pattern("  "), "");
        assert_eq!(contains_pattern("Ulla"), "%ulla%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
