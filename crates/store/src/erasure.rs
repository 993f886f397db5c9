//! Erasure of a person (Art. 17 DSGVO), driven by the table registry's links: each link says
//! what erasing does to its rows ([`Erase`]), so a table added with a column pointing to a
//! person is erased as soon as its link is written (a test fails until it is). Where a record
//! must stay (what one of ours recorded about others, the audit log), it stays pseudonymised:
//! their name, e-mail address and phone numbers are replaced by the pseudonym in every column
//! the registry names as holding mentions ([`Table::mentions`]). One transaction; the audit log
//! keeps a tombstone naming the person by id only.

use std::collections::BTreeMap;

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::person::display_name;
use counterpart_core::text::fold;
use serde::Serialize;
use serde_json::Value as Json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::dialect::{self, Serialized};
use crate::error::{Refusal, Result, StoreError};
use crate::registry::{self, Erase, Link, Section, TABLES, Table};
use crate::time::{date_to_db, from_db, to_db};
use crate::{Actor, Timestamp};

/// What erasing a person does to the rows of one link: how many there are and what happens to
/// them.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ErasureCount {
    /// What the rows are.
    #[serde(skip)]
    pub section: Section,
    /// The table.
    pub table: &'static str,
    /// What happens to them.
    #[serde(skip)]
    pub erase: Erase,
    /// How many rows.
    pub rows: i64,
}

/// What erasing a person would do (the confirmation shows it), or did (the audit tombstone
/// keeps the counts).
#[derive(Clone, Debug, Serialize)]
pub struct ErasurePlan {
    /// The person.
    pub person: PersonId,
    /// Their user account, if they have one.
    pub user: Option<UserId>,
    /// Every link of the registry with rows, in load order.
    pub counts: Vec<ErasureCount>,
    /// What stops the erasure, if anything (rows of a link marked [`Erase::Refuse`]).
    #[serde(skip)]
    pub blocked_by: Option<Section>,
}

/// A person erased.
#[derive(Clone, Debug, Serialize)]
pub struct Erased {
    /// What was done, link by link.
    pub plan: ErasurePlan,
    /// Rows of other records whose text named them and now reads the pseudonym.
    pub mentions_replaced: i64,
}

/// A person whose records show no activity for a while: a candidate for erasure.
#[derive(Clone, Debug)]
pub struct Dormant {
    /// The person.
    pub person: PersonId,
    /// Their name with title.
    pub name: String,
    /// Their organization.
    pub organization: String,
    /// Whether they are of our own house.
    pub own: bool,
    /// The last contact, change, insight or login: when, as a timestamp or a date as stored.
    pub last_activity: String,
}

/// A value bound to a placeholder.
#[derive(Clone, Debug)]
pub(crate) enum Bound {
    /// An id, or NULL.
    Id(Option<i64>),
    /// A text.
    Text(String),
}

/// SQL written in the registry with `{person}`, `{user}` and `{pseudonym}` turned into
/// numbered placeholders, with the values to bind in order (a user of NULL matches no row).
pub(crate) fn bind_template(
    sql: &str,
    person: PersonId,
    user: Option<UserId>,
    pseudonym: &str,
) -> (String, Vec<Bound>) {
    let mut out = String::with_capacity(sql.len());
    let mut binds = Vec::new();
    let mut rest = sql;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let found = [
            ("{person}", Bound::Id(Some(person.get()))),
            ("{user}", Bound::Id(user.map(UserId::get))),
            ("{pseudonym}", Bound::Text(pseudonym.to_owned())),
        ]
        .into_iter()
        .find(|(token, _)| after.starts_with(token));
        match found {
            Some((token, value)) => {
                binds.push(value);
                out.push_str(&format!("${}", binds.len()));
                rest = &after[token.len()..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    (out, binds)
}

/// Runs a statement written with the registry's tokens.
async fn execute(
    conn: &mut AnyConnection,
    sql: &str,
    ids: (PersonId, Option<UserId>),
    pseudonym: &str,
) -> Result<u64> {
    let (sql, binds) = bind_template(sql, ids.0, ids.1, pseudonym);
    let query = binds
        .into_iter()
        .fold(sqlx::query(&sql), |q, value| match value {
            Bound::Id(id) => q.bind(id),
            Bound::Text(text) => q.bind(text),
        });
    Ok(query.execute(conn).await?.rows_affected())
}

/// Counts the rows a condition selects.
async fn count(
    conn: &mut AnyConnection,
    table: &str,
    condition: &str,
    ids: (PersonId, Option<UserId>),
) -> Result<i64> {
    let (sql, binds) = bind_template(
        &format!("SELECT COUNT(*) FROM {table} WHERE {condition}"),
        ids.0,
        ids.1,
        "",
    );
    let query = binds
        .into_iter()
        .fold(sqlx::query_as::<_, (i64,)>(&sql), |q, value| match value {
            Bound::Id(id) => q.bind(id),
            Bound::Text(text) => q.bind(text),
        });
    Ok(query.fetch_one(conn).await?.0)
}

/// The foreign keys of the schema that do not point to people: (table, column, referenced).
/// References to `persons` and `users` are the links' business; every other one is followed
/// when rows are deleted, so that what depends on a deleted row goes with it.
type References = Vec<(String, String, String)>;

/// Deletes the rows of `table` where `condition` holds, and first, recursively, the rows of
/// other tables that point to them.
async fn delete_with_dependents(
    conn: &mut AnyConnection,
    references: &References,
    table: &str,
    condition: &str,
    ids: (PersonId, Option<UserId>),
    depth: usize,
    gone: &mut Vec<(EntityKind, i64)>,
) -> Result<u64> {
    if depth < 6 {
        for (child, column, parent) in references {
            if parent == table && child != table {
                let inner = format!("{column} IN (SELECT id FROM {table} WHERE {condition})");
                Box::pin(delete_with_dependents(
                    conn,
                    references,
                    child,
                    &inner,
                    ids,
                    depth + 1,
                    gone,
                ))
                .await?;
            }
        }
    }
    // The audit entries about the rows that go are about the person too (an insight about
    // them, a contact with them): they are redacted once the rows are gone.
    if let Some((_, entity)) = AUDITED_AS.iter().find(|(t, _)| *t == table) {
        let (sql, binds) = bind_template(
            &format!("SELECT id FROM {table} WHERE {condition}"),
            ids.0,
            ids.1,
            "",
        );
        let query =
            binds
                .into_iter()
                .fold(sqlx::query_as::<_, (i64,)>(&sql), |q, value| match value {
                    Bound::Id(id) => q.bind(id),
                    Bound::Text(text) => q.bind(text),
                });
        gone.extend(
            query
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|(id,)| (*entity, id)),
        );
    }
    execute(
        conn,
        &format!("DELETE FROM {table} WHERE {condition}"),
        ids,
        "",
    )
    .await
}

/// The tables whose rows the audit log names by entity and id.
const AUDITED_AS: &[(&str, EntityKind)] = &[
    ("positions", EntityKind::Position),
    ("key_contacts", EntityKind::KeyContact),
    ("assignments", EntityKind::Assignment),
    ("ratings", EntityKind::Rating),
    ("insights", EntityKind::Insight),
    ("interactions", EntityKind::Interaction),
    ("access_tokens", EntityKind::AccessToken),
    ("import_uploads", EntityKind::ImportUpload),
    ("jf_contributions", EntityKind::Contribution),
    ("jf_actions", EntityKind::Action),
];

/// Redacts the audit entries about rows that were deleted: `#id` as the label, no values
/// (every value of such a row was about the person).
async fn redact_gone(conn: &mut AnyConnection, gone: &[(EntityKind, i64)]) -> Result<()> {
    for (entity, id) in gone {
        sqlx::query(
            "UPDATE audit_log SET label = $1, before_json = NULL, after_json = NULL \
             WHERE entity = $2 AND entity_id = $3",
        )
        .bind(format!("#{id}"))
        .bind(entity.as_str())
        .bind(*id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Fields of a person or a user record that are personal: an audit entry about an erased
/// person keeps none of them.
const PERSONAL_FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "academic_title",
    "job_title",
    "email",
    "phone",
    "mobile",
    "notes",
    "search_text",
    "external_id",
    "username",
    "display_name",
    "name",
    "label",
    "language",
];

/// An audit entry's JSON without the personal fields (kept as `null`, so the entry still says
/// that they were there).
fn redacted(json: &str) -> String {
    match serde_json::from_str::<Json>(json) {
        Ok(Json::Object(mut map)) => {
            for field in PERSONAL_FIELDS {
                if let Some(value) = map.get_mut(*field) {
                    *value = Json::Null;
                }
            }
            Json::Object(map).to_string()
        }
        _ => "null".to_owned(),
    }
}

/// Redacts the audit entries a link selects: `#id` as the label, no personal fields.
async fn redact(
    conn: &mut AnyConnection,
    condition: &str,
    ids: (PersonId, Option<UserId>),
) -> Result<()> {
    let (sql, binds) = bind_template(
        &format!("SELECT id, entity_id, before_json, after_json FROM audit_log WHERE {condition}"),
        ids.0,
        ids.1,
        "",
    );
    let query = binds
        .into_iter()
        .fold(sqlx::query(&sql), |q, value| match value {
            Bound::Id(id) => q.bind(id),
            Bound::Text(text) => q.bind(text),
        });
    let rows = query.fetch_all(&mut *conn).await?;
    for row in rows {
        let id: i64 = row.try_get(0)?;
        let entity_id: i64 = row.try_get(1)?;
        let before: Option<String> = row.try_get(2)?;
        let after: Option<String> = row.try_get(3)?;
        sqlx::query(
            "UPDATE audit_log SET label = $1, before_json = $2, after_json = $3 WHERE id = $4",
        )
        .bind(format!("#{entity_id}"))
        .bind(before.as_deref().map(redacted))
        .bind(after.as_deref().map(redacted))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// How the person is written where others' records mention them: their name with and without
/// title, family name first, with a salutation, their e-mail addresses and phone numbers, and
/// their user account's name. Longest first, so that a longer form is replaced whole.
fn needles(person: &PersonRow, user: Option<&UserRow>) -> Vec<String> {
    let family = person.family_name.trim();
    let given = person.given_name.as_deref().map(str::trim).unwrap_or("");
    let mut all = vec![
        display_name(person.academic_title.as_deref(), Some(given), family),
        display_name(None, Some(given), family),
    ];
    if !given.is_empty() {
        all.push(format!("{family}, {given}"));
    }
    for salutation in ["Frau", "Herrn", "Herr", "Mrs", "Mr", "Ms", "Dr."] {
        all.push(format!("{salutation} {family}"));
    }
    all.extend(
        [&person.email, &person.phone, &person.mobile]
            .into_iter()
            .flatten()
            .cloned(),
    );
    if let Some(user) = user {
        all.push(user.display_name.clone());
        all.extend(user.email.clone());
    }
    let mut all: Vec<String> = all
        .into_iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| n.chars().count() >= 4)
        .collect();
    all.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    all.dedup();
    all
}

/// Text with every needle replaced by the pseudonym; `None` when nothing was there.
fn replaced(text: &str, needles: &[String], pseudonym: &str) -> Option<String> {
    let mut out = text.to_owned();
    for needle in needles {
        if out.contains(needle.as_str()) {
            out = out.replace(needle.as_str(), pseudonym);
        }
    }
    (out != text).then_some(out)
}

/// A key column's value, to find the row again.
enum Key {
    Int(i64),
    /// A text.
    Text(String),
}

fn key_of(row: &AnyRow, i: usize) -> std::result::Result<Key, sqlx::Error> {
    match row.try_get::<i64, _>(i) {
        Ok(n) => Ok(Key::Int(n)),
        Err(_) => Ok(Key::Text(row.try_get::<String, _>(i)?)),
    }
}

/// Tables whose folded search text is made from one of their mention columns.
const SEARCH_TEXT_OF: &[(&str, &str)] = &[("insights", "text"), ("interactions", "summary")];

/// Replaces the needles in every mention column of every table; the number of rows changed.
async fn replace_mentions(
    conn: &mut AnyConnection,
    needles: &[String],
    pseudonym: &str,
) -> Result<i64> {
    if needles.is_empty() {
        return Ok(0);
    }
    let mut changed = 0;
    for table in TABLES.iter().filter(|t| !t.mentions.is_empty()) {
        let keys: Vec<&str> = table.order.split(',').map(str::trim).collect();
        let mut conditions = Vec::new();
        let mut n = 0;
        for column in table.mentions {
            for _ in needles {
                n += 1;
                conditions.push(format!("{column} LIKE ${n}"));
            }
        }
        let sql = format!(
            "SELECT {}, {} FROM {} WHERE {}",
            keys.join(", "),
            table.mentions.join(", "),
            table.name,
            conditions.join(" OR ")
        );
        let mut query = sqlx::query(&sql);
        for _ in table.mentions {
            for needle in needles {
                query = query.bind(format!("%{needle}%"));
            }
        }
        let rows = query.fetch_all(&mut *conn).await?;
        for row in rows {
            let mut sets = Vec::new();
            let mut values: Vec<Option<String>> = Vec::new();
            for (i, column) in table.mentions.iter().enumerate() {
                let text: Option<String> = row.try_get(keys.len() + i)?;
                if let Some(new) = text.and_then(|t| replaced(&t, needles, pseudonym)) {
                    if SEARCH_TEXT_OF
                        .iter()
                        .any(|(t, c)| *t == table.name && c == column)
                    {
                        sets.push("search_text".to_owned());
                        values.push(Some(fold(&new)));
                    }
                    sets.push((*column).to_owned());
                    values.push(Some(new));
                }
            }
            if sets.is_empty() {
                continue;
            }
            let assignments: Vec<String> = sets
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 1))
                .collect();
            let wheres: Vec<String> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} = ${}", sets.len() + i + 1))
                .collect();
            let sql = format!(
                "UPDATE {} SET {} WHERE {}",
                table.name,
                assignments.join(", "),
                wheres.join(" AND ")
            );
            let mut update = sqlx::query(&sql);
            for value in values {
                update = update.bind(value);
            }
            for i in 0..keys.len() {
                update = match key_of(&row, i)? {
                    Key::Int(v) => update.bind(v),
                    Key::Text(v) => update.bind(v),
                };
            }
            update.execute(&mut *conn).await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The person's fields erasure looks for elsewhere.
struct PersonRow {
    academic_title: Option<String>,
    given_name: Option<String>,
    family_name: String,
    email: Option<String>,
    phone: Option<String>,
    mobile: Option<String>,
}

/// Their user account's fields erasure looks for elsewhere.
struct UserRow {
    id: UserId,
    display_name: String,
    email: Option<String>,
    /// An active administrator: erasing them must leave another.
    admin: bool,
}

async fn person_row(conn: &mut AnyConnection, person: PersonId) -> Result<Option<PersonRow>> {
    let row = sqlx::query(
        "SELECT academic_title, given_name, family_name, email, phone, mobile \
         FROM persons WHERE id = $1",
    )
    .bind(person.get())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(PersonRow {
            academic_title: row.try_get(0)?,
            given_name: row.try_get(1)?,
            family_name: row.try_get(2)?,
            email: row.try_get(3)?,
            phone: row.try_get(4)?,
            mobile: row.try_get(5)?,
        })
    })
    .transpose()
}

async fn user_row(conn: &mut AnyConnection, person: PersonId) -> Result<Option<UserRow>> {
    let row =
        sqlx::query("SELECT id, display_name, email, role, active FROM users WHERE person_id = $1")
            .bind(person.get())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|row| {
        Ok(UserRow {
            id: UserId::new(row.try_get(0)?),
            display_name: row.try_get(1)?,
            email: row.try_get(2)?,
            admin: row.try_get::<String, _>(3)? == "admin" && row.try_get::<i64, _>(4)? == 1,
        })
    })
    .transpose()
}

/// Counts the rows of every link, in load order; the first link marked [`Erase::Refuse`]
/// with rows blocks.
async fn plan_on(
    conn: &mut AnyConnection,
    person: PersonId,
    user: Option<UserId>,
) -> Result<ErasurePlan> {
    let mut counts = Vec::new();
    let mut blocked_by = None;
    for (table, link) in registry::links() {
        let rows = count(conn, table.name, link.condition, (person, user)).await?;
        if rows > 0 {
            if link.erase == Erase::Refuse && blocked_by.is_none() {
                blocked_by = Some(link.section);
            }
            counts.push(ErasureCount {
                section: link.section,
                table: table.name,
                erase: link.erase,
                rows,
            });
        }
    }
    Ok(ErasurePlan {
        person,
        user,
        counts,
        blocked_by,
    })
}

/// The links of a table in the order erasure applies them: rows that stay changed first,
/// deletions last (the person's own row goes after the references to it are cleared).
fn in_erasure_order(table: &Table) -> Vec<&Link> {
    let mut links: Vec<&Link> = table.links.iter().collect();
    links.sort_by_key(|l| matches!(l.erase, Erase::Delete));
    links
}

impl Store {
    /// What erasing a person would do, link by link; `None` when there is no such person.
    pub async fn erasure_plan(&self, person: PersonId) -> Result<Option<ErasurePlan>> {
        let mut conn = self.pool().acquire().await?;
        if person_row(&mut conn, person).await?.is_none() {
            return Ok(None);
        }
        let user = user_row(&mut conn, person).await?.map(|u| u.id);
        Ok(Some(plan_on(&mut conn, person, user).await?))
    }

    /// Erases a person (Art. 17 DSGVO) in one transaction: every link's rows as the registry
    /// says ([`Erase`]), what depends on deleted rows with them, their name, e-mail address
    /// and phone numbers replaced by `pseudonym` wherever others' records mention them,
    /// uploads waiting for an import dropped (a file may list them), the accounts they are a
    /// key contact or counterpart at queued for the mirror, and an audit tombstone naming the
    /// person by id with the counts. Not found when the person is gone (erased meanwhile);
    /// refused while a link marked [`Erase::Refuse`] has rows, or when it would leave no
    /// active administrator.
    pub async fn erase_person(
        &self,
        actor: &Actor,
        person: PersonId,
        pseudonym: &str,
    ) -> Result<Erased> {
        let mut tx = self.write().await?;
        // Erasures, and changes of administrators, one after another across instances: the
        // second erasure of one person finds it gone.
        if let Some(lock) = dialect::serialize(self.backend(), Serialized::Administrators) {
            tx.execute(lock.as_str()).await?;
        }
        let Some(found) = person_row(&mut tx, person).await? else {
            return Err(StoreError::not_found(EntityKind::Person, person.get()));
        };
        let user = user_row(&mut tx, person).await?;
        let user_id = user.as_ref().map(|u| u.id);
        let ids = (person, user_id);
        let plan = plan_on(&mut tx, person, user_id).await?;
        if let Some(section) = plan.blocked_by {
            return Err(StoreError::Refused(Refusal::ErasureBlocked(section)));
        }
        let needles = needles(&found, user.as_ref());
        crate::jobs::enqueue_mirror_of_people_on(&mut tx, &[person]).await?;
        let references: References = self
            .schema_references()
            .await?
            .into_iter()
            .filter(|(_, _, parent)| parent != "persons" && parent != "users")
            .collect();
        let mut gone = Vec::new();
        for table in TABLES.iter().rev() {
            for link in in_erasure_order(table) {
                match link.erase {
                    Erase::Keep | Erase::Refuse => {}
                    Erase::Delete => {
                        delete_with_dependents(
                            &mut tx,
                            &references,
                            table.name,
                            link.condition,
                            ids,
                            0,
                            &mut gone,
                        )
                        .await?;
                    }
                    Erase::Set(set) => {
                        execute(
                            &mut tx,
                            &format!("UPDATE {} SET {set} WHERE {}", table.name, link.condition),
                            ids,
                            pseudonym,
                        )
                        .await?;
                    }
                    Erase::Redact => redact(&mut tx, link.condition, ids).await?,
                }
            }
        }
        redact_gone(&mut tx, &gone).await?;
        let (admins,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
                .fetch_one(&mut *tx)
                .await?;
        if admins == 0 && user.as_ref().is_some_and(|u| u.admin) {
            return Err(StoreError::Refused(Refusal::LastAdministrator));
        }
        // A file waiting for its import's confirmation may list them; its uploader uploads it
        // again.
        sqlx::query("DELETE FROM import_uploads")
            .execute(&mut *tx)
            .await?;
        let mentions_replaced = replace_mentions(&mut tx, &needles, pseudonym).await?;
        let erased = Erased {
            plan,
            mentions_replaced,
        };
        let summary = Tombstone::of(&erased);
        let label = format!("#{person}");
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Erasure,
                id: person.get(),
                action: AuditAction::Delete,
                label: &label,
            },
            None,
            Some(&summary),
        )
        .await?;
        tx.commit().await?;
        Ok(erased)
    }

    /// People, ours and partners', with no contact, change, insight or login since `since`:
    /// one page of them by name (`limit` from `offset`) and how many there are in all.
    pub async fn dormant_people(
        &self,
        since: Timestamp,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<Dormant>)> {
        let at = to_db(since);
        let on = date_to_db(since.date_naive());
        let filter = format!(
            "FROM persons p JOIN organizations o ON o.id = p.organization_id WHERE {DORMANT}"
        );
        let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {filter}"))
            .bind(&at)
            .bind(&on)
            .fetch_one(self.pool())
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT p.id, p.academic_title, p.given_name, p.family_name, o.name, o.kind, \
             p.created_at, \
             (SELECT MAX(a.at) FROM audit_log a WHERE a.entity = 'person' AND a.entity_id = p.id), \
             (SELECT MAX(i.happened_on) FROM interactions i WHERE i.partner_id = p.id), \
             (SELECT MAX(i.happened_on) FROM interactions i WHERE i.author_person_id = p.id), \
             (SELECT MAX(n.learned_on) FROM insights n WHERE n.partner_id = p.id), \
             (SELECT MAX(n.learned_on) FROM insights n WHERE n.source_id = p.id), \
             (SELECT MAX(n.learned_on) FROM insights n WHERE n.author_person_id = p.id), \
             (SELECT MAX(u.last_login_at) FROM users u WHERE u.person_id = p.id) \
             {filter} ORDER BY p.family_name, p.given_name, p.id LIMIT $3 OFFSET $4"
        ))
        .bind(&at)
        .bind(&on)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        let people = rows
            .iter()
            .map(|row| {
                let created: String = row.try_get(6)?;
                let last = (7..=13)
                    .filter_map(|i| row.try_get::<Option<String>, _>(i).ok().flatten())
                    .chain([created])
                    .max()
                    .unwrap_or_default();
                let kind: String = row.try_get(5)?;
                Ok(Dormant {
                    person: PersonId::new(row.try_get(0)?),
                    name: display_name(
                        row.try_get::<Option<String>, _>(1)?.as_deref(),
                        row.try_get::<Option<String>, _>(2)?.as_deref(),
                        &row.try_get::<String, _>(3)?,
                    ),
                    organization: row.try_get(4)?,
                    own: kind == "own",
                    last_activity: last,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        Ok((total, people))
    }

    /// Whether a person still shows no activity since `since` (checked again before a bulk
    /// erasure, so that someone met meanwhile is kept).
    pub async fn is_dormant(&self, person: PersonId, since: Timestamp) -> Result<bool> {
        let found: Option<(i64,)> = sqlx::query_as(&format!(
            "SELECT p.id FROM persons p WHERE p.id = $3 AND {DORMANT}"
        ))
        .bind(to_db(since))
        .bind(date_to_db(since.date_naive()))
        .bind(person.get())
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }
}

/// A person `p` without activity since `$1` (a timestamp) and `$2` (its date): created
/// before, no change of their record, no login or change by their user account, no contact
/// with them, by them or attended by them, no insight about them, from them or by them. Each
/// column is asked on its own (no `OR` across columns), so that each is an index lookup.
const DORMANT: &str = "p.created_at < $1 \
     AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'person' \
         AND a.entity_id = p.id AND a.at >= $1) \
     AND NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id \
         AND u.last_login_at >= $1) \
     AND NOT EXISTS (SELECT 1 FROM users u JOIN audit_log b ON b.actor_user_id = u.id \
         WHERE u.person_id = p.id AND b.at >= $1) \
     AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.partner_id = p.id \
         AND i.happened_on >= $2) \
     AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.author_person_id = p.id \
         AND i.happened_on >= $2) \
     AND NOT EXISTS (SELECT 1 FROM interaction_people ip JOIN interactions j \
         ON j.id = ip.interaction_id WHERE ip.person_id = p.id AND j.happened_on >= $2) \
     AND NOT EXISTS (SELECT 1 FROM insights n WHERE n.partner_id = p.id \
         AND n.learned_on >= $2) \
     AND NOT EXISTS (SELECT 1 FROM insights n WHERE n.source_id = p.id \
         AND n.learned_on >= $2) \
     AND NOT EXISTS (SELECT 1 FROM insights n WHERE n.author_person_id = p.id \
         AND n.learned_on >= $2)";

/// The tombstone's JSON: how many rows of each section were erased or pseudonymised, and how
/// many mentions replaced; nothing about the person but their id.
#[derive(Serialize)]
struct Tombstone {
    person: i64,
    user: Option<i64>,
    sections: BTreeMap<String, i64>,
    mentions_replaced: i64,
}

impl Tombstone {
    fn of(erased: &Erased) -> Self {
        let mut sections = BTreeMap::new();
        for c in &erased.plan.counts {
            *sections
                .entry(format!("{}.{}", c.table, c.section.key()))
                .or_insert(0) += c.rows;
        }
        Self {
            person: erased.plan.person.get(),
            user: erased.plan.user.map(UserId::get),
            sections,
            mentions_replaced: erased.mentions_replaced,
        }
    }
}

/// When a stored moment or date was, for the review list (a timestamp's date part).
pub fn activity_date(stored: &str) -> Option<chrono::NaiveDate> {
    from_db(stored)
        .map(|t| t.date_naive())
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(stored.get(..10)?, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_become_placeholders_in_order() {
        let (sql, binds) = bind_template(
            "a = {pseudonym} WHERE b = {user} OR c = {person}",
            PersonId::new(7),
            None,
            "X",
        );
        assert_eq!(sql, "a = $1 WHERE b = $2 OR c = $3");
        assert!(matches!(&binds[0], Bound::Text(t) if t == "X"));
        assert!(matches!(binds[1], Bound::Id(None)));
        assert!(matches!(binds[2], Bound::Id(Some(7))));
    }

    #[test]
    fn mentions_are_replaced_longest_first() {
        let person = PersonRow {
            academic_title: Some("Dr.".into()),
            given_name: Some("Jörg".into()),
            family_name: "Krüger".into(),
            email: Some("j.krueger@example.com".into()),
            phone: Some("+49 30 1234".into()),
            mobile: None,
        };
        let needles = needles(&person, None);
        let text = "Dr. Jörg Krüger (j.krueger@example.com, +49 30 1234) sprach mit Herrn Krüger; \
                    Krüger-Werke bleiben.";
        assert_eq!(
            replaced(text, &needles, "Früheres Teammitglied").unwrap(),
            "Früheres Teammitglied (Früheres Teammitglied, Früheres Teammitglied) sprach mit \
             Früheres Teammitglied; Krüger-Werke bleiben."
        );
        assert_eq!(replaced("nichts", &needles, "X"), None);
    }

    #[test]
    fn redaction_keeps_the_shape_without_personal_fields() {
        let json = r#"{"family_name":"Krüger","email":"a@b.de","unit_id":3}"#;
        assert_eq!(
            redacted(json),
            r#"{"email":null,"family_name":null,"unit_id":3}"#
        );
    }

    #[test]
    fn every_link_says_what_erasure_does_and_deletes_only_what_is_theirs() {
        // The person's own record goes last among its table's links.
        let persons = TABLES.iter().find(|t| t.name == "persons").unwrap();
        let order = in_erasure_order(persons);
        assert_eq!(order.last().unwrap().section, Section::MasterData);
        // Only audit entries are redacted, and the audit log is never deleted from.
        for (table, link) in registry::links() {
            if link.erase == Erase::Redact {
                assert_eq!(table.name, "audit_log");
            }
            if table.name == "audit_log" {
                assert_ne!(link.erase, Erase::Delete);
            }
        }
    }
}
