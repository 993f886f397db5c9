//! Planning an import against the organization as it is: the preview, and the order in which
//! new people are inserted.

use std::collections::HashSet;

use counterpart_core::exchange::mapping::Mapping;
use counterpart_core::exchange::plan::{
    ExistingPerson, ImportPlan, PersonRef, PlanContext, RowAction, plan,
};
use counterpart_core::exchange::read::Table;
use counterpart_core::ids::OrganizationId;
use counterpart_core::person::{Person, PersonFields};
use sqlx::{AnyConnection, Row};

use crate::db::Store;
use crate::error::Result;
use crate::orgs::{organization_on, unit};
use crate::people::person;

/// Reads one person as the plan compares them: every field as text.
fn existing(row: &sqlx::any::AnyRow) -> Result<ExistingPerson, sqlx::Error> {
    let p: Person = person(row)?;
    let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    Ok(ExistingPerson {
        id: p.id,
        external_id: row.try_get("external_id")?,
        active: p.active,
        fields: PersonFields {
            given_name: p.given_name.unwrap_or_default(),
            family_name: p.family_name,
            academic_title: p.academic_title.unwrap_or_default(),
            job_title: p.job_title.unwrap_or_default(),
            level_id: id(p.level_id.map(|x| x.get())),
            function_id: id(p.function_id.map(|x| x.get())),
            unit_id: id(p.unit_id.map(|x| x.get())),
            reports_to_id: id(p.reports_to_id.map(|x| x.get())),
            assistant_of_id: id(p.assistant_of_id.map(|x| x.get())),
            email: p.email.unwrap_or_default(),
            phone: p.phone.unwrap_or_default(),
            mobile: p.mobile.unwrap_or_default(),
            notes: p.notes.unwrap_or_default(),
        },
    })
}

/// Plans an import against what the connection sees.
pub(super) async fn plan_on(
    conn: &mut AnyConnection,
    org: OrganizationId,
    table: &Table,
    mapping: &Mapping,
) -> Result<ImportPlan> {
    organization_on(conn, org).await?;
    let levels = crate::ladder::levels_on(conn).await?;
    let functions = crate::ladder::functions_on(conn).await?;
    let units = sqlx::query(
        "SELECT u.id, u.organization_id, u.parent_id, u.name, u.kind, u.active, u.version FROM units u \
         WHERE u.organization_id = $1 ORDER BY u.id",
    )
    .bind(org.get())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(unit)
    .collect::<Result<Vec<_>, _>>()?;
    let people = sqlx::query(
        "SELECT p.id, p.organization_id, p.unit_id, p.given_name, p.family_name, p.academic_title, p.job_title, \
         p.level_id, p.function_id, p.reports_to_id, p.assistant_of_id, p.email, p.phone, p.mobile, p.notes, \
         p.active, p.version, p.external_id FROM persons p WHERE p.organization_id = $1",
    )
    .bind(org.get())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(existing)
    .collect::<Result<Vec<_>, _>>()?;
    let ctx = PlanContext {
        levels: &levels,
        functions: &functions,
        units: &units,
        existing: &people,
    };
    Ok(plan(table, mapping, &ctx))
}

/// The order in which to insert new people so that every manager and boss comes before the
/// people who point to them (within the file); references that would still point forward
/// (only possible through a loop mixing manager and assistant links) are set afterwards.
pub(super) fn insertion_order(plan: &ImportPlan) -> Vec<usize> {
    let creates: Vec<usize> = (0..plan.rows.len())
        .filter(|&j| plan.rows[j].action == RowAction::Create)
        .collect();
    let is_create: HashSet<usize> = creates.iter().copied().collect();
    let parents = |j: usize| {
        let p = &plan.rows[j].person;
        [p.manager, p.assistant_of]
            .into_iter()
            .flatten()
            .filter_map(|r| match r {
                PersonRef::Row(i) if is_create.contains(&i) && i != j => Some(i),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let mut placed = HashSet::with_capacity(creates.len());
    let mut on_path = HashSet::new();
    let mut order = Vec::with_capacity(creates.len());
    for &start in &creates {
        // Iterative depth-first post-order over "must come before".
        let mut stack = vec![(start, false)];
        while let Some((j, expanded)) = stack.pop() {
            if placed.contains(&j) {
                continue;
            }
            if expanded {
                on_path.remove(&j);
                placed.insert(j);
                order.push(j);
                continue;
            }
            if !on_path.insert(j) {
                continue;
            }
            stack.push((j, true));
            for parent in parents(j) {
                if !placed.contains(&parent) && !on_path.contains(&parent) {
                    stack.push((parent, false));
                }
            }
        }
    }
    order
}

impl Store {
    /// Checks a table against an organization without writing anything: the preview.
    pub async fn plan_import(
        &self,
        org: OrganizationId,
        table: &Table,
        mapping: &Mapping,
    ) -> Result<ImportPlan> {
        plan_on(&mut *self.pool().acquire().await?, org, table, mapping).await
    }
}
