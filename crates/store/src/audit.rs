//! The audit log: who changed what, when, and how it looked before and after.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AuditId, UserId};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::time::{from_db, to_db};
use crate::{Actor, Timestamp};

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Its id.
    pub id: AuditId,
    /// When.
    pub at: Timestamp,
    /// The user who made the change, if any.
    pub actor_user_id: Option<UserId>,
    /// The actor's name at the time.
    pub actor_name: String,
    /// What kind of record.
    pub entity: EntityKind,
    /// The record's id.
    pub entity_id: i64,
    /// What happened.
    pub action: AuditAction,
    /// The record's name at the time, for reading the log.
    pub label: String,
    /// The record before, as JSON.
    pub before: Option<String>,
    /// The record after, as JSON.
    pub after: Option<String>,
}

impl Store {
    /// Names of the records audit entries point at (people, units, organizations, accounts,
    /// users), by id; unknown ids (deleted meanwhile) are left out. Levels, functions and
    /// criteria are few: their lists name them.
    pub async fn names_of(
        &self,
        reference: counterpart_core::audit::Reference,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        use counterpart_core::audit::Reference;
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if reference == Reference::Person {
            let ids: Vec<_> = ids
                .into_iter()
                .map(counterpart_core::ids::PersonId::new)
                .collect();
            return Ok(self
                .person_labels(&ids)
                .await?
                .into_iter()
                .map(|(id, label)| (id.get(), label.name))
                .collect());
        }
        let (table, name) = match reference {
            Reference::Unit => ("units", "name"),
            Reference::Organization => ("organizations", "name"),
            Reference::Account => ("accounts", "name"),
            Reference::User => ("users", "display_name"),
            Reference::Person | Reference::Level | Reference::Function | Reference::Criterion => {
                return Ok(Default::default());
            }
        };
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!("SELECT id, {name} FROM {table} WHERE id IN ({list})")
            })
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?)))
            .collect()
    }
}

impl AuditEntry {
    /// The fields whose values differ between before and after: (field, before, after).
    pub fn changes(&self) -> Vec<(String, String, String)> {
        let parse = |text: &Option<String>| {
            text.as_deref()
                .and_then(|t| {
                    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t).ok()
                })
                .unwrap_or_default()
        };
        let (before, after) = (parse(&self.before), parse(&self.after));
        let show = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| {
                !counterpart_core::audit::UNSHOWN_FIELDS.contains(&k.as_str())
                    && before.get(*k) != after.get(*k)
            })
            .map(|k| (k.clone(), show(before.get(k)), show(after.get(k))))
            .collect()
    }
}

/// Which audit entries to list.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only entries about this kind of record.
    pub entity: Option<EntityKind>,
    /// Only entries about this record (with `entity`).
    pub entity_id: Option<i64>,
    /// Only entries older than this id (for paging backwards).
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// What an audit entry is about.
pub(crate) struct Change<'a> {
    pub(crate) entity: EntityKind,
    pub(crate) id: i64,
    pub(crate) action: AuditAction,
    /// The record's name, shown in the log.
    pub(crate) label: &'a str,
}

/// Writes one audit entry on the given connection, inside the caller's transaction.
pub(crate) async fn record<T: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_>,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let json = |v: Option<&T>| v.map(serde_json::to_string).transpose();
    let before = json(before).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let after = json(after).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_name, entity, entity_id, action, label, \
         before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(to_db(crate::now()))
    .bind(actor.user_id.map(UserId::get))
    .bind(&actor.name)
    .bind(change.entity.as_str())
    .bind(change.id)
    .bind(change.action.as_str())
    .bind(change.label)
    .bind(before)
    .bind(after)
    .execute(conn)
    .await?;
    Ok(())
}

/// The audit action of a value that was (`had`) or is (`has`) there.
pub(crate) fn action_of(had: bool, has: bool) -> AuditAction {
    match (had, has) {
        (false, _) => AuditAction::Create,
        (true, true) => AuditAction::Update,
        (true, false) => AuditAction::Delete,
    }
}

/// The last change of a record: who and when, for "changed meanwhile by …".
pub(crate) async fn last_change(
    conn: &mut AnyConnection,
    entity: EntityKind,
    entity_id: i64,
) -> Result<Option<(String, Timestamp)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT actor_name, at FROM audit_log WHERE entity = $1 AND entity_id = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .fetch_optional(conn)
    .await?;
    row.map(|(name, at)| Ok((name, from_db(&at)?))).transpose()
}

/// The error for an update that lost a race: names who changed the record last.
pub(crate) async fn conflict(conn: &mut AnyConnection, entity: EntityKind, id: i64) -> StoreError {
    match last_change(conn, entity, id).await {
        Ok(last) => StoreError::Conflict {
            entity,
            id,
            changed_by: last.as_ref().map(|l| l.0.clone()),
            changed_at: last.map(|l| l.1),
        },
        Err(e) => e,
    }
}

fn entry(row: &AnyRow) -> Result<AuditEntry, sqlx::Error> {
    let decode =
        |e: counterpart_core::validate::Problem| sqlx::Error::Decode(format!("{e:?}").into());
    Ok(AuditEntry {
        id: AuditId::new(row.try_get("id")?),
        at: from_db(row.try_get("at")?)?,
        actor_user_id: row
            .try_get::<Option<i64>, _>("actor_user_id")?
            .map(UserId::new),
        actor_name: row.try_get("actor_name")?,
        entity: row
            .try_get::<String, _>("entity")?
            .parse()
            .map_err(decode)?,
        entity_id: row.try_get("entity_id")?,
        action: row
            .try_get::<String, _>("action")?
            .parse()
            .map_err(decode)?,
        label: row.try_get("label")?,
        before: row.try_get("before_json")?,
        after: row.try_get("after_json")?,
    })
}

impl Store {
    /// Lists audit entries, newest first.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor_user_id, actor_name, entity, entity_id, action, label, \
             before_json, after_json FROM audit_log \
             WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
             AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4",
        )
        .bind(filter.entity.map(EntityKind::as_str))
        .bind(filter.entity_id)
        .bind(filter.before_id)
        .bind(filter.limit.clamp(1, 500))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(entry).collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_the_fields_that_differ() {
        let e = AuditEntry {
            id: AuditId::new(1),
            at: crate::now(),
            actor_user_id: None,
            actor_name: "x".into(),
            entity: EntityKind::Person,
            entity_id: 1,
            action: AuditAction::Update,
            label: "x".into(),
            before: Some(
                r#"{"job_title":"Referent","level_id":5,"version":1,"notes":null}"#.into(),
            ),
            after: Some(
                r#"{"job_title":"Leiter Einkauf","level_id":3,"version":2,"notes":null}"#.into(),
            ),
        };
        assert_eq!(
            e.changes(),
            [
                (
                    "job_title".into(),
                    "Referent".into(),
                    "Leiter Einkauf".into()
                ),
                ("level_id".into(), "5".into(), "3".into()),
            ]
        );
    }
}
