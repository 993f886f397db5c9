//! Checking the links of a person: level, function, unit, manager and boss.

use std::collections::HashMap;

use counterpart_core::hierarchy::would_create_cycle;
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_core::person::PersonInput;
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::AnyConnection;

use super::rows::person_on;
use crate::error::{Result, StoreError};
use crate::orgs::unit_on;

/// Whether a row with this id exists in `table`.
async fn exists(conn: &mut AnyConnection, table: &str, id: i64) -> Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The reports-to chain above `start`, as child → parent pairs.
async fn manager_chain(conn: &mut AnyConnection, start: PersonId) -> Result<HashMap<i64, i64>> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "WITH RECURSIVE chain (id, parent, depth) AS ( \
           SELECT id, reports_to_id, 0 FROM persons WHERE id = $1 \
           UNION ALL \
           SELECT p.id, p.reports_to_id, c.depth + 1 FROM persons p \
           JOIN chain c ON p.id = c.parent WHERE c.depth < 200) \
         SELECT id, parent FROM chain",
    )
    .bind(start.get())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, parent)| parent.map(|p| (id, p)))
        .collect())
}

/// Checks every reference of a person's input inside the transaction, collecting all problems.
pub(super) async fn check_links(
    conn: &mut AnyConnection,
    organization_id: OrganizationId,
    person_id: Option<PersonId>,
    input: &PersonInput,
) -> Result<()> {
    let mut errors = FieldErrors::default();
    if let Some(level) = input.level_id
        && !exists(conn, "levels", level.get()).await?
    {
        errors.add("level_id", Problem::NotFound);
    }
    if let Some(function) = input.function_id
        && !exists(conn, "functions", function.get()).await?
    {
        errors.add("function_id", Problem::NotFound);
    }
    if let Some(unit_id) = input.unit_id {
        match unit_on(conn, unit_id).await {
            Ok(unit) if unit.organization_id != organization_id => {
                errors.add("unit_id", Problem::OtherOrganization);
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => errors.add("unit_id", Problem::NotFound),
            Err(e) => return Err(e),
        }
    }
    for (field, target) in [
        ("reports_to_id", input.reports_to_id),
        ("assistant_of_id", input.assistant_of_id),
    ] {
        let Some(target) = target else { continue };
        if Some(target) == person_id {
            errors.add(field, Problem::SelfReference);
            continue;
        }
        match person_on(conn, target).await {
            Ok(other) if other.organization_id != organization_id => {
                errors.add(field, Problem::OtherOrganization);
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => errors.add(field, Problem::NotFound),
            Err(e) => return Err(e),
        }
    }
    if let (Some(me), Some(manager), None) =
        (person_id, input.reports_to_id, errors.get("reports_to_id"))
    {
        let chain = manager_chain(conn, manager).await?;
        if would_create_cycle(me.get(), manager.get(), 10_000, |p| chain.get(&p).copied()) {
            errors.add("reports_to_id", Problem::Cycle);
        }
    }
    errors.into_result(|| ()).map_err(Into::into)
}
