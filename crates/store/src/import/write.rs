//! Writing an import's people: new units, new people in bulk (ids reserved up front, managers
//! before their reports), then the changed people one by one with their audit entries.

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::exchange::plan::{ImportPlan, RowAction};
use counterpart_core::ids::{OrganizationId, PersonId, UnitId};
use counterpart_core::person::PersonInput;
use sqlx::AnyConnection;

use super::plan::insertion_order;
use super::progress::{ImportPhase, Progress, tell};
use crate::audit::{Change, record};
use crate::bulk::{Value, insert_rows};
use crate::error::{Result, StoreError};
use crate::people::{person_on, write_person};
use crate::time::{date_to_db, to_db};
use crate::{Actor, Backend};

/// New people built and sent per round.
const CHUNK: usize = 10_000;

/// The columns of a new person's row, as [`Writer::person_row`] fills them.
const PERSON_COLUMNS: &[&str] = &[
    "id",
    "organization_id",
    "unit_id",
    "given_name",
    "family_name",
    "academic_title",
    "job_title",
    "level_id",
    "function_id",
    "reports_to_id",
    "assistant_of_id",
    "email",
    "phone",
    "mobile",
    "notes",
    "search_text",
    "external_id",
    "created_at",
    "updated_at",
];

/// The columns of a new person's first position, as [`Writer::position_row`] fills them.
const POSITION_COLUMNS: &[&str] = &[
    "person_id",
    "organization_id",
    "unit_id",
    "job_title",
    "level_id",
    "valid_from",
];

/// A checked plan on its way into the database, with what its rows refer to.
pub(super) struct Writer<'p> {
    /// The plan, without problems.
    plan: &'p ImportPlan,
    /// The organization the people belong to.
    org: OrganizationId,
    /// Each row's person: a reserved id for a new one, the matched one otherwise.
    person_ids: Vec<PersonId>,
    /// What each new or changed row writes, by row index.
    inputs: HashMap<usize, PersonInput>,
    /// `created_at` and `updated_at` of what the import writes.
    now: String,
    /// The first day of new people's positions.
    today: NaiveDate,
    /// Told how far the import has come.
    progress: Progress<'p>,
}

impl<'p> Writer<'p> {
    /// Creates the plan's new units and reserves the ids of its new people, so that every
    /// row's references are known before anything else is written.
    pub(super) async fn prepare(
        tx: &mut AnyConnection,
        org: OrganizationId,
        plan: &'p ImportPlan,
        progress: Progress<'p>,
    ) -> Result<Self> {
        let now = to_db(crate::now());
        let today = crate::now().date_naive();
        let unit_ids = create_units(&mut *tx, org, &plan.new_units, &now).await?;
        let person_ids = reserve_ids(&mut *tx, plan).await?;
        let inputs = plan
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !matches!(r.action, RowAction::Unchanged(_)))
            .map(|(j, r)| {
                r.person
                    .to_input(&unit_ids, &person_ids)
                    .map(|input| (j, input))
                    .ok_or_else(|| StoreError::ImportChanged)
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            plan,
            org,
            person_ids,
            inputs,
            now,
            today,
            progress,
        })
    }

    /// Inserts the new people with their first positions, managers before their reports, a
    /// chunk at a time (bounded memory) in multi-row statements. A link to someone inserted
    /// later (only possible through a loop mixing manager and assistant links) is set
    /// afterwards.
    pub(super) async fn create_people(
        &self,
        tx: &mut AnyConnection,
        backend: Backend,
    ) -> Result<()> {
        let order = insertion_order(self.plan);
        // Where each new person is inserted.
        let slot: HashMap<PersonId, usize> = order
            .iter()
            .enumerate()
            .map(|(k, j)| (self.person_ids[*j], k))
            .collect();
        let forward = |j: usize, target: Option<PersonId>| {
            target.filter(|t| slot.get(t).is_some_and(|k| *k > slot[&self.person_ids[j]]))
        };
        let mut deferred_links: Vec<(PersonId, Option<PersonId>, Option<PersonId>)> = Vec::new();
        let total = order.len();
        for (c, chunk) in order.chunks(CHUNK).enumerate() {
            let mut people = Vec::with_capacity(chunk.len());
            let mut positions = Vec::with_capacity(chunk.len());
            for &j in chunk {
                let input = &self.inputs[&j];
                let (manager, boss) = (input.reports_to_id, input.assistant_of_id);
                let (late_manager, late_boss) = (forward(j, manager), forward(j, boss));
                if late_manager.is_some() || late_boss.is_some() {
                    deferred_links.push((self.person_ids[j], manager, boss));
                }
                people.push(self.person_row(j, late_manager.is_some(), late_boss.is_some()));
                positions.push(self.position_row(j));
            }
            insert_rows(&mut *tx, backend, "persons", PERSON_COLUMNS, people).await?;
            insert_rows(&mut *tx, backend, "positions", POSITION_COLUMNS, positions).await?;
            let done = ((c + 1) * CHUNK).min(total);
            tell(self.progress, ImportPhase::Creating, done, total);
        }
        set_deferred_links(tx, &deferred_links).await
    }

    /// The row of the new person of row `j`; a manager or boss inserted later is left out
    /// (`late_manager`, `late_boss`) and set afterwards.
    fn person_row(&self, j: usize, late_manager: bool, late_boss: bool) -> Vec<Value> {
        let input = &self.inputs[&j];
        let (manager, boss) = (input.reports_to_id, input.assistant_of_id);
        vec![
            self.person_ids[j].get().into(),
            self.org.get().into(),
            input.unit_id.map(UnitId::get).into(),
            input.given_name.clone().into(),
            input.family_name.clone().into(),
            input.academic_title.clone().into(),
            input.job_title.clone().into(),
            input.level_id.map(|l| l.get()).into(),
            input.function_id.map(|f| f.get()).into(),
            if late_manager {
                Value::NullI
            } else {
                manager.map(PersonId::get).into()
            },
            if late_boss {
                Value::NullI
            } else {
                boss.map(PersonId::get).into()
            },
            input.email.as_ref().map(|e| e.as_str().to_owned()).into(),
            input.phone.as_ref().map(|p| p.as_str().to_owned()).into(),
            input.mobile.as_ref().map(|p| p.as_str().to_owned()).into(),
            input.notes.clone().into(),
            input.search_text().into(),
            self.plan.rows[j].external_id.clone().into(),
            self.now.clone().into(),
            self.now.clone().into(),
        ]
    }

    /// The first position of the new person of row `j`, from today.
    fn position_row(&self, j: usize) -> Vec<Value> {
        let input = &self.inputs[&j];
        vec![
            self.person_ids[j].get().into(),
            self.org.get().into(),
            input.unit_id.map(UnitId::get).into(),
            input.job_title.clone().into(),
            input.level_id.map(|l| l.get()).into(),
            date_to_db(self.today).into(),
        ]
    }

    /// Writes the changed people, each with its audit entry. Their links are cleared first:
    /// the final graph has no loop, the way there might. Returns the people changed.
    pub(super) async fn update_people(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
    ) -> Result<Vec<PersonId>> {
        let updates: Vec<usize> = (0..self.plan.rows.len())
            .filter(|&j| matches!(self.plan.rows[j].action, RowAction::Update(_)))
            .collect();
        for &j in &updates {
            sqlx::query(
                "UPDATE persons SET reports_to_id = NULL, assistant_of_id = NULL WHERE id = $1",
            )
            .bind(self.person_ids[j].get())
            .execute(&mut *tx)
            .await?;
        }
        for (k, &j) in updates.iter().enumerate() {
            self.update_person(&mut *tx, actor, j).await?;
            if (k + 1) % 1_000 == 0 {
                tell(self.progress, ImportPhase::Updating, k + 1, updates.len());
            }
        }
        Ok(updates.iter().map(|&j| self.person_ids[j]).collect())
    }

    /// Writes the changed person of row `j` (and corrects their current position), with the
    /// audit entry of the change.
    async fn update_person(&self, tx: &mut AnyConnection, actor: &Actor, j: usize) -> Result<()> {
        let id = self.person_ids[j];
        let row = &self.plan.rows[j];
        let before = person_on(&mut *tx, id).await?;
        write_person(
            &mut *tx,
            id,
            &self.inputs[&j],
            row.external_id.as_deref(),
            row.reactivate,
            &self.now,
        )
        .await?;
        let after = person_on(&mut *tx, id).await?;
        let change = Change {
            entity: EntityKind::Person,
            id: id.get(),
            action: AuditAction::Update,
            label: &after.display_name(),
        };
        record(tx, actor, change, Some(&before), Some(&after)).await
    }
}

/// Creates the units a file names that do not exist yet, as top-level units; returns their
/// ids in the order of `names`.
async fn create_units(
    tx: &mut AnyConnection,
    org: OrganizationId,
    names: &[String],
    now: &str,
) -> Result<Vec<UnitId>> {
    let mut unit_ids = Vec::with_capacity(names.len());
    for name in names {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO units (organization_id, name, kind, created_at, updated_at, search_text) \
             VALUES ($1, $2, 'department', $3, $3, $4) RETURNING id",
        )
        .bind(org.get())
        .bind(name)
        .bind(now)
        .bind(counterpart_core::text::fold(name))
        .fetch_one(&mut *tx)
        .await?;
        unit_ids.push(UnitId::new(id));
    }
    Ok(unit_ids)
}

/// Each row's person: the next free ids for new people (the table is locked against other
/// writers), the matched person for the others.
async fn reserve_ids(tx: &mut AnyConnection, plan: &ImportPlan) -> Result<Vec<PersonId>> {
    let (max,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM persons")
        .fetch_one(&mut *tx)
        .await?;
    let mut next = max.unwrap_or(0) + 1;
    let mut person_ids = Vec::with_capacity(plan.rows.len());
    for row in &plan.rows {
        person_ids.push(match row.action {
            RowAction::Create => {
                next += 1;
                PersonId::new(next - 1)
            }
            RowAction::Update(id) | RowAction::Unchanged(id) => id,
        });
    }
    Ok(person_ids)
}

/// Sets the links that pointed to people inserted later: (person, manager, boss).
async fn set_deferred_links(
    tx: &mut AnyConnection,
    links: &[(PersonId, Option<PersonId>, Option<PersonId>)],
) -> Result<()> {
    for (id, manager, boss) in links {
        sqlx::query("UPDATE persons SET reports_to_id = $1, assistant_of_id = $2 WHERE id = $3")
            .bind(manager.map(PersonId::get))
            .bind(boss.map(PersonId::get))
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
