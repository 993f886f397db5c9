//! Importing people from a table (CSV, XLSX, vCard): preview and commit, all or nothing.
//!
//! The plan is pure ([`counterpart_core::exchange::plan`]); this module reads what it checks
//! against and writes a plan without problems in one transaction. New people are inserted in
//! bulk with ids reserved up front, managers before their reports, so that even a million rows
//! take seconds. Updates keep what the file does not mention.

use std::collections::{HashMap, HashSet};

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::exchange::mapping::Mapping;
use counterpart_core::exchange::plan::{
    ExistingPerson, ImportPlan, PersonRef, PlanContext, RowAction, plan,
};
use counterpart_core::exchange::read::Table;
use counterpart_core::ids::{OrganizationId, PersonId, UnitId};
use counterpart_core::person::{Person, PersonFields, PersonInput};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::bulk::{Value, insert_rows};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::orgs::{organization_on, unit};
use crate::people::{person, person_on};
use crate::time::{date_to_db, to_db};
use crate::{Actor, dialect};

/// How far an import has come, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    /// What is being done.
    pub phase: ImportPhase,
    /// Rows done in this phase.
    pub done: usize,
    /// Rows in this phase.
    pub total: usize,
}

/// The phases of an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Reading what the file is checked against and checking every row.
    Checking,
    /// Inserting new people.
    Creating,
    /// Writing changed people.
    Updating,
    /// Committing.
    Finishing,
}

/// Where an import goes: an organization that exists, or a new one created in the import's
/// own transaction (so that an import that fails or is killed leaves no empty organization).
#[derive(Clone, Copy, Debug)]
pub enum ImportTarget<'a> {
    /// An existing organization.
    Existing(OrganizationId),
    /// A new organization, created with the people or not at all.
    New(&'a counterpart_core::org::OrganizationInput),
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    /// People created.
    pub created: usize,
    /// People changed.
    pub updated: usize,
    /// People matched and unchanged.
    pub unchanged: usize,
    /// Units created.
    pub new_units: usize,
}

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
async fn plan_on(
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
fn insertion_order(plan: &ImportPlan) -> Vec<usize> {
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

/// Beyond this many changed people, one portfolio-wide mirror job instead of one per account.
const MIRROR_JOBS_PER_PERSON: usize = 200;

/// New people built and sent per round.
const CHUNK: usize = 10_000;

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

const POSITION_COLUMNS: &[&str] = &[
    "person_id",
    "organization_id",
    "unit_id",
    "job_title",
    "level_id",
    "valid_from",
];

impl Store {
    /// The active people of an organization as an export that imports back unchanged:
    /// levels, functions and units by name (in `lang`), managers by e-mail (or name).
    pub async fn export_people(
        &self,
        org: OrganizationId,
        lang: counterpart_core::user::Language,
    ) -> Result<Vec<counterpart_core::exchange::export::ExportPerson>> {
        let de = lang == counterpart_core::user::Language::De;
        let rows = sqlx::query(
            "SELECT p.external_id, p.academic_title, p.given_name, p.family_name, p.job_title, \
             l.name_de AS level_de, l.name_en AS level_en, f.name_de AS function_de, f.name_en AS function_en, \
             u.name AS unit, m.email AS m_email, m.given_name AS m_given, m.family_name AS m_family, \
             b.email AS b_email, b.given_name AS b_given, b.family_name AS b_family, \
             p.email, p.phone, p.mobile, p.notes \
             FROM persons p LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
             LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN persons m ON m.id = p.reports_to_id \
             LEFT JOIN persons b ON b.id = p.assistant_of_id \
             WHERE p.organization_id = $1 AND p.active = 1 ORDER BY p.id",
        )
        .bind(org.get())
        .fetch_all(self.pool())
        .await?;
        let text = |row: &sqlx::any::AnyRow, column: &str| -> Result<String, sqlx::Error> {
            Ok(row
                .try_get::<Option<String>, _>(column)?
                .unwrap_or_default())
        };
        // A person is referred to by e-mail when they have one, else by "Given Family".
        let reference = |row: &sqlx::any::AnyRow, prefix: &str| -> Result<String, sqlx::Error> {
            let email = text(row, &format!("{prefix}_email"))?;
            if !email.is_empty() {
                return Ok(email);
            }
            let name = format!(
                "{} {}",
                text(row, &format!("{prefix}_given"))?,
                text(row, &format!("{prefix}_family"))?
            );
            Ok(name.trim().to_owned())
        };
        rows.iter()
            .map(|row| {
                Ok(counterpart_core::exchange::export::ExportPerson {
                    external_id: text(row, "external_id")?,
                    academic_title: text(row, "academic_title")?,
                    given_name: text(row, "given_name")?,
                    family_name: text(row, "family_name")?,
                    job_title: text(row, "job_title")?,
                    level: text(row, if de { "level_de" } else { "level_en" })?,
                    function: text(row, if de { "function_de" } else { "function_en" })?,
                    unit: text(row, "unit")?,
                    manager: reference(row, "m")?,
                    assistant_of: reference(row, "b")?,
                    email: text(row, "email")?,
                    phone: text(row, "phone")?,
                    mobile: text(row, "mobile")?,
                    notes: text(row, "notes")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Checks a table against an organization without writing anything: the preview.
    pub async fn plan_import(
        &self,
        org: OrganizationId,
        table: &Table,
        mapping: &Mapping,
    ) -> Result<ImportPlan> {
        plan_on(&mut *self.pool().acquire().await?, org, table, mapping).await
    }

    /// Imports a table into an organization in one transaction: all rows or none. The plan is
    /// computed again inside the transaction; when it has problems, or other counts than
    /// `expected` (what the user confirmed), nothing is written.
    pub async fn apply_import(
        &self,
        actor: &Actor,
        target: ImportTarget<'_>,
        table: &Table,
        mapping: &Mapping,
        expected: Option<(usize, usize, usize)>,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportOutcome> {
        let report = |phase, done, total| progress(ImportProgress { phase, done, total });
        report(ImportPhase::Checking, 0, table.rows.len());
        let mut tx = self.write().await?;
        if let Some(lock) = dialect::lock_for_bulk(self.backend(), "persons") {
            sqlx::query(&lock).execute(&mut *tx).await?;
        }
        let org = match target {
            ImportTarget::Existing(org) => org,
            ImportTarget::New(input) => {
                crate::orgs::create_organization_on(&mut tx, actor, input)
                    .await?
                    .id
            }
        };
        let plan = plan_on(&mut tx, org, table, mapping).await?;
        if !plan.problems.is_empty() {
            return Err(StoreError::ImportProblems(Box::new(plan)));
        }
        let counts = (plan.created, plan.updated, plan.unchanged);
        if expected.is_some_and(|e| e != counts) {
            return Err(StoreError::ImportChanged);
        }
        report(ImportPhase::Checking, table.rows.len(), table.rows.len());
        let now = to_db(crate::now());
        let today = crate::now().date_naive();

        // Units named in the file that do not exist yet, as top-level units.
        let mut unit_ids = Vec::with_capacity(plan.new_units.len());
        for name in &plan.new_units {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO units (organization_id, name, kind, created_at, updated_at) \
                 VALUES ($1, $2, 'department', $3, $3) RETURNING id",
            )
            .bind(org.get())
            .bind(name)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            unit_ids.push(UnitId::new(id));
        }

        // Ids for new people, reserved up front so references between rows are known.
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
        let order = insertion_order(&plan);
        let inputs: HashMap<usize, PersonInput> = plan
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
        // Where each new person is inserted; a link to someone inserted later is set afterwards.
        let slot: HashMap<PersonId, usize> = order
            .iter()
            .enumerate()
            .map(|(k, j)| (person_ids[*j], k))
            .collect();
        let forward = |j: usize, target: Option<PersonId>| {
            target.filter(|t| slot.get(t).is_some_and(|k| *k > slot[&person_ids[j]]))
        };
        let mut deferred_links: Vec<(PersonId, Option<PersonId>, Option<PersonId>)> = Vec::new();
        let total = order.len();
        // Rows are built a chunk at a time (bounded memory), then sent in multi-row statements.
        for (c, chunk) in order.chunks(CHUNK).enumerate() {
            let mut people = Vec::with_capacity(chunk.len());
            let mut positions = Vec::with_capacity(chunk.len());
            for &j in chunk {
                let input = &inputs[&j];
                let (manager, boss) = (input.reports_to_id, input.assistant_of_id);
                let (late_manager, late_boss) = (forward(j, manager), forward(j, boss));
                if late_manager.is_some() || late_boss.is_some() {
                    deferred_links.push((person_ids[j], manager, boss));
                }
                people.push(vec![
                    person_ids[j].get().into(),
                    org.get().into(),
                    input.unit_id.map(UnitId::get).into(),
                    input.given_name.clone().into(),
                    input.family_name.clone().into(),
                    input.academic_title.clone().into(),
                    input.job_title.clone().into(),
                    input.level_id.map(|l| l.get()).into(),
                    input.function_id.map(|f| f.get()).into(),
                    if late_manager.is_some() {
                        Value::NullI
                    } else {
                        manager.map(PersonId::get).into()
                    },
                    if late_boss.is_some() {
                        Value::NullI
                    } else {
                        boss.map(PersonId::get).into()
                    },
                    input.email.as_ref().map(|e| e.as_str().to_owned()).into(),
                    input.phone.as_ref().map(|p| p.as_str().to_owned()).into(),
                    input.mobile.as_ref().map(|p| p.as_str().to_owned()).into(),
                    input.notes.clone().into(),
                    input.search_text().into(),
                    plan.rows[j].external_id.clone().into(),
                    now.clone().into(),
                    now.clone().into(),
                ]);
                positions.push(vec![
                    person_ids[j].get().into(),
                    org.get().into(),
                    input.unit_id.map(UnitId::get).into(),
                    input.job_title.clone().into(),
                    input.level_id.map(|l| l.get()).into(),
                    date_to_db(today).into(),
                ]);
            }
            insert_rows(&mut tx, self.backend(), "persons", PERSON_COLUMNS, people).await?;
            insert_rows(
                &mut tx,
                self.backend(),
                "positions",
                POSITION_COLUMNS,
                positions,
            )
            .await?;
            report(ImportPhase::Creating, ((c + 1) * CHUNK).min(total), total);
        }
        for (id, manager, boss) in &deferred_links {
            sqlx::query(
                "UPDATE persons SET reports_to_id = $1, assistant_of_id = $2 WHERE id = $3",
            )
            .bind(manager.map(PersonId::get))
            .bind(boss.map(PersonId::get))
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        }

        // Updates: clear the links first (the final graph has no loop, the way there might).
        let updates: Vec<usize> = (0..plan.rows.len())
            .filter(|&j| matches!(plan.rows[j].action, RowAction::Update(_)))
            .collect();
        for &j in &updates {
            sqlx::query(
                "UPDATE persons SET reports_to_id = NULL, assistant_of_id = NULL WHERE id = $1",
            )
            .bind(person_ids[j].get())
            .execute(&mut *tx)
            .await?;
        }
        for (k, &j) in updates.iter().enumerate() {
            let id = person_ids[j];
            let before = person_on(&mut tx, id).await?;
            let input = &inputs[&j];
            crate::people::write_person(
                &mut tx,
                id,
                input,
                plan.rows[j].external_id.as_deref(),
                plan.rows[j].reactivate,
                &now,
            )
            .await?;
            let after = person_on(&mut tx, id).await?;
            let change = Change {
                entity: EntityKind::Person,
                id: id.get(),
                action: AuditAction::Update,
                label: &after.display_name(),
            };
            record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
            if (k + 1) % 1_000 == 0 {
                report(ImportPhase::Updating, k + 1, updates.len());
            }
        }
        report(ImportPhase::Finishing, 0, 1);
        if let Some(sql) = dialect::reset_identity(self.backend(), "persons") {
            sqlx::query(&sql).execute(&mut *tx).await?;
        }
        let outcome = ImportOutcome {
            created: plan.created,
            updated: plan.updated,
            unchanged: plan.unchanged,
            new_units: plan.new_units.len(),
        };
        let org_name = organization_on(&mut tx, org).await?.name;
        let label = format!("Import: {org_name}");
        let change = Change {
            entity: EntityKind::Organization,
            id: org.get(),
            action: AuditAction::Update,
            label: &label,
        };
        record(&mut tx, actor, change, None, Some(&outcome)).await?;
        // New people are nobody's key contact or counterpart yet: only the accounts of the
        // changed people have a mirror to recompute (all of them, after a large update).
        let changed: Vec<PersonId> = updates.iter().map(|&j| person_ids[j]).collect();
        if changed.len() > MIRROR_JOBS_PER_PERSON {
            let all = crate::jobs::Job::MirrorScores(crate::jobs::Accounts::All);
            crate::jobs::enqueue_on(&mut tx, all).await?;
        } else {
            crate::jobs::enqueue_mirror_of_people_on(&mut tx, &changed).await?;
        }
        tx.commit().await?;
        report(ImportPhase::Finishing, 1, 1);
        Ok(outcome)
    }
}
