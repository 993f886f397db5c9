//! Creating and changing accounts.

use counterpart_core::account::{Account, AccountInput, account_name};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, OrganizationId, PersonId, UnitId};
use counterpart_core::org::OrganizationKind;
use counterpart_core::text::fold;
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::AnyConnection;

use super::internal::unit_chain_on;
use super::rows::{account, account_on, name_taken};
use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::orgs::{organization_on, unit_on};
use crate::people::person_on;
use crate::time::to_db;
use crate::versioned::{self, Fields};

/// Checks an account's references and fills in its name; returns the name.
///
/// The partner is an external company, an internal department kept as an organization, or a
/// unit of our own house (a neighbouring department): then the unit is required, and neither
/// the key account manager nor the responsible unit may sit inside it.
async fn check_account(conn: &mut AnyConnection, input: &AccountInput) -> Result<String> {
    let mut errors = FieldErrors::default();
    let org = match organization_on(conn, input.organization_id).await {
        Ok(org) => Some(org),
        Err(StoreError::NotFound { .. }) => {
            errors.add("organization_id", Problem::NotFound);
            None
        }
        Err(e) => return Err(e),
    };
    let in_house = org
        .as_ref()
        .is_some_and(|o| o.kind == OrganizationKind::Own);
    let mut fallback = org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    // The partner unit, when it is a unit of our own house.
    let mut partner_unit = None;
    match input.unit_id {
        Some(unit_id) => match unit_on(conn, unit_id).await {
            Ok(unit) if Some(unit.organization_id) != org.as_ref().map(|o| o.id) => {
                errors.add("unit_id", Problem::OtherOrganization);
            }
            // A neighbouring department is named by itself: "Nordlicht – Controlling" says
            // nothing the department's name does not.
            Ok(unit) if in_house => {
                fallback = unit.name;
                partner_unit = Some(unit.id);
            }
            Ok(unit) => fallback = format!("{fallback} – {}", unit.name),
            Err(StoreError::NotFound { .. }) => errors.add("unit_id", Problem::NotFound),
            Err(e) => return Err(e),
        },
        None if in_house => errors.add("unit_id", Problem::PartnerUnitRequired),
        None => {}
    }
    if let Some(unit_id) = input.responsible_unit_id {
        let own = own_org(conn).await?;
        match unit_on(conn, unit_id).await {
            Ok(unit) if Some(unit.organization_id) != own => {
                errors.add("responsible_unit_id", Problem::OtherOrganization);
            }
            Ok(unit) if is_inside(conn, Some(unit.id), partner_unit).await? => {
                errors.add("responsible_unit_id", Problem::InsidePartnerUnit);
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => {
                errors.add("responsible_unit_id", Problem::NotFound)
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(manager) = input.manager_id {
        let own = own_org(conn).await?;
        match person_on(conn, manager).await {
            Ok(p) if Some(p.organization_id) != own => {
                errors.add("manager_id", Problem::OtherOrganization);
            }
            Ok(p) if is_inside(conn, p.unit_id, partner_unit).await? => {
                errors.add("manager_id", Problem::InsidePartnerUnit);
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => errors.add("manager_id", Problem::NotFound),
            Err(e) => return Err(e),
        }
    }
    let name = errors.take("name", account_name(input.name.as_deref(), &fallback));
    errors
        .into_result(|| name.unwrap_or_default())
        .map_err(Into::into)
}

/// Whether `unit` is `partner_unit` or lies below it (false when either is `None`).
async fn is_inside(
    conn: &mut AnyConnection,
    unit: Option<UnitId>,
    partner_unit: Option<UnitId>,
) -> Result<bool> {
    let Some(partner_unit) = partner_unit else {
        return Ok(false);
    };
    Ok(unit_chain_on(conn, unit).await?.contains(&partner_unit))
}

/// Our own organization's id.
pub(crate) async fn own_org(conn: &mut AnyConnection) -> Result<Option<OrganizationId>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM organizations WHERE kind = 'own'")
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| OrganizationId::new(id)))
}

/// The use case `Store::create_account` on an open transaction.
pub(crate) async fn create_account_on(
    tx: &mut AnyConnection,
    actor: &Actor,
    input: &AccountInput,
) -> Result<Account> {
    let name = check_account(&mut *tx, input).await?;
    let now = to_db(crate::now());
    let row = sqlx::query(
        "INSERT INTO accounts (organization_id, unit_id, name, relation, mode, responsible_unit_id, \
         manager_id, notes, created_at, updated_at, search_text, restricted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11) \
         RETURNING id, organization_id, unit_id, name, relation, mode, responsible_unit_id, manager_id, \
         notes, restricted, active, version",
    )
    .bind(input.organization_id.get())
    .bind(input.unit_id.map(UnitId::get))
    .bind(&name)
    .bind(input.relation.as_str())
    .bind(input.mode.as_str())
    .bind(input.responsible_unit_id.map(UnitId::get))
    .bind(input.manager_id.map(PersonId::get))
    .bind(&input.notes)
    .bind(&now)
    .bind(fold(&name))
    .bind(i64::from(input.restricted))
    .fetch_one(&mut *tx)
    .await
    .map_err(name_taken)?;
    let created = account(&row)?;
    let change = Change {
        entity: EntityKind::Account,
        id: created.id.get(),
        action: AuditAction::Create,
        label: &created.name,
    };
    record(&mut *tx, actor, change, None, Some(&created)).await?;
    Ok(created)
}

impl Store {
    /// Creates an account.
    pub async fn create_account(&self, actor: &Actor, input: &AccountInput) -> Result<Account> {
        let mut tx = self.write().await?;
        let out = create_account_on(&mut tx, actor, input).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Changes an account, if nobody changed it since `version`.
    pub async fn update_account(
        &self,
        actor: &Actor,
        id: AccountId,
        version: i64,
        input: &AccountInput,
    ) -> Result<Account> {
        let mut tx = self.write().await?;
        let before = account_on(&mut tx, id).await?;
        let name = check_account(&mut tx, input).await?;
        let fields = Fields::new()
            .set("organization_id", input.organization_id.get())
            .set("unit_id", input.unit_id.map(UnitId::get))
            .set("search_text", fold(&name))
            .set("name", &name)
            .set("relation", input.relation.as_str())
            .set("mode", input.mode.as_str())
            .set(
                "responsible_unit_id",
                input.responsible_unit_id.map(UnitId::get),
            )
            .set("manager_id", input.manager_id.map(PersonId::get))
            .set("notes", &input.notes)
            .set("restricted", i64::from(input.restricted));
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        if before.relation != after.relation || before.organization_id != after.organization_id {
            enqueue_on(&mut tx, Job::ImportanceScores(Accounts::One(id))).await?;
        }
        // Its mode, manager and responsible unit are what "nobody responsible" reads.
        enqueue_on(&mut tx, Job::MirrorScores(Accounts::One(id))).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deactivates or reactivates an account.
    pub async fn set_account_active(
        &self,
        actor: &Actor,
        id: AccountId,
        version: i64,
        active: bool,
    ) -> Result<Account> {
        let mut tx = self.write().await?;
        let before = account_on(&mut tx, id).await?;
        let after = versioned::set_active(&mut tx, actor, &before, version, active).await?;
        if active {
            // What it stored when it was deactivated may be out of date.
            enqueue_on(&mut tx, Job::MirrorScores(Accounts::One(id))).await?;
        }
        tx.commit().await?;
        Ok(after)
    }
}
