//! Data protection: everything stored about one person (the access report, Art. 15 DSGVO),
//! read through the table registry's links, so that a table added with a column pointing to a
//! person is in the report as soon as its registry line names the link (a test fails until it
//! does).

use std::collections::HashMap;

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{PersonId, UserId};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::Result;
use crate::registry::{self, Columns, Link, NEVER_SHOWN, Section, Table};
use crate::{Actor, Timestamp};

/// One section of an access report: the rows of one table that relate to the person in one
/// way (a registry [`Link`]).
#[derive(Clone, Debug, Serialize)]
pub struct AccessSection {
    /// What the rows are.
    #[serde(skip)]
    pub section: Section,
    /// Its key in the JSON ([`Section::key`]).
    pub key: &'static str,
    /// The table they are from.
    pub table: &'static str,
    /// The columns shown, in order.
    pub columns: Vec<String>,
    /// The rows: column name → value.
    pub rows: Vec<Map<String, Json>>,
}

/// Everything stored about one person.
#[derive(Clone, Debug, Serialize)]
pub struct AccessReport {
    /// The person.
    pub person: PersonId,
    /// Their user account, if they have one.
    pub user: Option<UserId>,
    /// When the report was produced.
    pub produced_at: Timestamp,
    /// Every link of the registry, in its order, found rows or not.
    pub sections: Vec<AccessSection>,
}

impl Store {
    /// Everything stored about a person, for an access request, and an audit entry saying
    /// that it was produced and by whom (with the person's id, nothing else about them).
    /// `None` when there is no such person.
    pub async fn access_report(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Option<AccessReport>> {
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM persons WHERE id = $1")
            .bind(person.get())
            .fetch_optional(self.pool())
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let user: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE person_id = $1")
            .bind(person.get())
            .fetch_optional(self.pool())
            .await?;
        let user = user.map(|(id,)| UserId::new(id));
        // Recorded first, so that the report lists itself among the reports produced.
        let mut tx = self.write().await?;
        let label = format!("#{person}");
        record::<()>(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::AccessReport,
                id: person.get(),
                action: AuditAction::Create,
                label: &label,
            },
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        let mut kinds: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (table, column, kind, _) in self.schema_columns().await? {
            kinds.entry(table).or_default().push((column, kind));
        }
        let mut sections = Vec::new();
        for (table, link) in registry::links() {
            let columns = shown_columns(link, kinds.get(table.name));
            let rows = self
                .linked_rows(table, link, &columns, person, user)
                .await?;
            sections.push(AccessSection {
                section: link.section,
                key: link.section.key(),
                table: table.name,
                columns: columns.into_iter().map(|(c, _)| c).collect(),
                rows,
            });
        }
        Ok(Some(AccessReport {
            person,
            user,
            produced_at: crate::now(),
            sections,
        }))
    }

    /// The rows of `table` that `link` relates to the person, with the columns given.
    async fn linked_rows(
        &self,
        table: &Table,
        link: &Link,
        columns: &[(String, String)],
        person: PersonId,
        user: Option<UserId>,
    ) -> Result<Vec<Map<String, Json>>> {
        let (condition, binds) = placeholders(link.condition, person, user);
        let select = columns
            .iter()
            .map(|(c, _)| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {select} FROM {} WHERE {condition} ORDER BY {}",
            table.name, table.order
        );
        let query = binds
            .into_iter()
            .fold(sqlx::query(&sql), |q, value| q.bind(value));
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let values = crate::dump::row_values(row, columns)?;
                Ok(columns.iter().map(|(c, _)| c.clone()).zip(values).collect())
            })
            .collect()
    }
}

/// The columns of a link's rows the report shows, with their kinds, in the schema's order.
fn shown_columns(link: &Link, live: Option<&Vec<(String, String)>>) -> Vec<(String, String)> {
    let live = live.cloned().unwrap_or_default();
    match link.columns {
        Columns::All => live
            .into_iter()
            .filter(|(c, _)| !NEVER_SHOWN.contains(&c.as_str()))
            .collect(),
        Columns::Only(only) => only
            .iter()
            .filter_map(|wanted| live.iter().find(|(c, _)| c == wanted).cloned())
            .collect(),
    }
}

/// A link's condition with `{person}` and `{user}` turned into numbered placeholders, and the
/// values to bind to them in order (a user id of NULL matches no row).
fn placeholders(
    condition: &str,
    person: PersonId,
    user: Option<UserId>,
) -> (String, Vec<Option<i64>>) {
    let mut sql = String::with_capacity(condition.len());
    let mut binds = Vec::new();
    let mut rest = condition;
    while let Some(start) = rest.find('{') {
        sql.push_str(&rest[..start]);
        let after = &rest[start..];
        let (value, len) = if after.starts_with("{person}") {
            (Some(person.get()), "{person}".len())
        } else if after.starts_with("{user}") {
            (user.map(UserId::get), "{user}".len())
        } else {
            (None, 0)
        };
        if len == 0 {
            sql.push('{');
            rest = &after[1..];
            continue;
        }
        binds.push(value);
        sql.push_str(&format!("${}", binds.len()));
        rest = &after[len..];
    }
    sql.push_str(rest);
    (sql, binds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mention_of_the_person_or_user_gets_its_own_placeholder() {
        let (sql, binds) = placeholders(
            "author_id = {user} OR author_person_id = {person} OR x = {person}",
            PersonId::new(7),
            None,
        );
        assert_eq!(sql, "author_id = $1 OR author_person_id = $2 OR x = $3");
        assert_eq!(binds, vec![None, Some(7), Some(7)]);
    }

    #[test]
    fn every_link_names_the_person_or_their_user() {
        for (table, link) in registry::links() {
            assert!(
                link.condition.contains("{person}") || link.condition.contains("{user}"),
                "{}: {:?}",
                table.name,
                link.section
            );
        }
    }
}
