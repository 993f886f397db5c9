//! Committing an import: the plan checked again inside the transaction, then written, all
//! rows or none.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::exchange::mapping::Mapping;
use counterpart_core::exchange::plan::ImportPlan;
use counterpart_core::exchange::read::Table;
use counterpart_core::ids::{OrganizationId, PersonId};
use serde::Serialize;
use sqlx::AnyConnection;

use super::plan::plan_on;
use super::progress::{ImportPhase, ImportProgress, tell};
use super::write::Writer;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_mirror_of_people_on, enqueue_on};
use crate::orgs::{create_organization_on, organization_on};
use crate::{Actor, Backend, dialect};

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

/// Beyond this many changed people, one portfolio-wide mirror job instead of one per account.
const MIRROR_JOBS_PER_PERSON: usize = 200;

impl Store {
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
        let rows = table.rows.len();
        tell(progress, ImportPhase::Checking, 0, rows);
        let mut tx = self.write().await?;
        if let Some(lock) = dialect::lock_for_bulk(self.backend(), "persons") {
            sqlx::query(&lock).execute(&mut *tx).await?;
        }
        let org = target_organization(&mut tx, actor, target).await?;
        let plan = plan_on(&mut tx, org, table, mapping).await?;
        let plan = confirmed(plan, expected)?;
        tell(progress, ImportPhase::Checking, rows, rows);
        let writer = Writer::prepare(&mut tx, org, &plan, progress).await?;
        writer.create_people(&mut tx, self.backend()).await?;
        let changed = writer.update_people(&mut tx, actor).await?;
        tell(progress, ImportPhase::Finishing, 0, 1);
        let outcome = finish(&mut tx, self.backend(), actor, org, &plan, &changed).await?;
        tx.commit().await?;
        tell(progress, ImportPhase::Finishing, 1, 1);
        Ok(outcome)
    }
}

/// The organization an import goes to: the existing one, or the new one created now, in the
/// import's transaction.
async fn target_organization(
    tx: &mut AnyConnection,
    actor: &Actor,
    target: ImportTarget<'_>,
) -> Result<OrganizationId> {
    Ok(match target {
        ImportTarget::Existing(org) => org,
        ImportTarget::New(input) => create_organization_on(tx, actor, input).await?.id,
    })
}

/// The plan, if it may be written: without problems, and with the counts the user confirmed
/// (`expected`: created, updated, unchanged), if any.
fn confirmed(plan: ImportPlan, expected: Option<(usize, usize, usize)>) -> Result<ImportPlan> {
    if !plan.problems.is_empty() {
        return Err(StoreError::ImportProblems(Box::new(plan)));
    }
    let counts = (plan.created, plan.updated, plan.unchanged);
    if expected.is_some_and(|e| e != counts) {
        return Err(StoreError::ImportChanged);
    }
    Ok(plan)
}

/// After the people are written: moves the id generator past the new people, records the
/// import in the organization's audit log, and enqueues the mirror of the accounts the
/// `changed` people touch. Returns what the import did.
async fn finish(
    tx: &mut AnyConnection,
    backend: Backend,
    actor: &Actor,
    org: OrganizationId,
    plan: &ImportPlan,
    changed: &[PersonId],
) -> Result<ImportOutcome> {
    if let Some(sql) = dialect::reset_identity(backend, "persons") {
        sqlx::query(&sql).execute(&mut *tx).await?;
    }
    let outcome = ImportOutcome {
        created: plan.created,
        updated: plan.updated,
        unchanged: plan.unchanged,
        new_units: plan.new_units.len(),
    };
    let org_name = organization_on(&mut *tx, org).await?.name;
    let label = format!("Import: {org_name}");
    let change = Change {
        entity: EntityKind::Organization,
        id: org.get(),
        action: AuditAction::Update,
        label: &label,
    };
    record(&mut *tx, actor, change, None, Some(&outcome)).await?;
    // New people are nobody's key contact or counterpart yet: only the accounts of the
    // changed people have a mirror to recompute (all of them, after a large update).
    if changed.len() > MIRROR_JOBS_PER_PERSON {
        enqueue_on(tx, Job::MirrorScores(Accounts::All)).await?;
    } else {
        enqueue_mirror_of_people_on(tx, changed).await?;
    }
    Ok(outcome)
}
