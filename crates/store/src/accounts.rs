//! Accounts and their key contacts.

use counterpart_core::account::{
    Account, AccountInput, KeyContact, KeyContactInput, Relation, account_name,
};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, KeyContactId, OrganizationId, PersonId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::org::OrganizationKind;
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, conflict, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::orgs::{organization_on, unit_on};
use crate::people::person_on;
use crate::time::to_db;
use crate::versioned::{self, Fields, Versioned};
use crate::{Actor, dialect};

/// Which accounts to list.
#[derive(Clone, Debug, Default)]
pub struct AccountFilter {
    /// Only customers (`Customer`, including "both") or suppliers (`Supplier`, including "both").
    pub relation: Option<Relation>,
    /// Only internal (`Some(true)`) or external (`Some(false)`) accounts.
    pub internal: Option<bool>,
    /// Only this tier.
    pub tier: Option<Tier>,
    /// Only accounts our unit is responsible for.
    pub responsible_unit_id: Option<UnitId>,
    /// Include deactivated accounts.
    pub include_inactive: bool,
}

/// An account with the names and counts shown in lists.
#[derive(Clone, Debug, Serialize)]
pub struct AccountSummary {
    /// The account.
    pub account: Account,
    /// The partner organization's name.
    pub organization_name: String,
    /// An internal department rather than an external company.
    pub internal: bool,
    /// Our responsible unit's name.
    pub responsible_unit_name: Option<String>,
    /// Our key account manager's name.
    pub manager_name: Option<String>,
    /// Importance score 0–100, if rated.
    pub score: Option<f64>,
    /// Importance tier, if rated.
    pub tier: Option<Tier>,
    /// Key contacts.
    pub contacts: i64,
    /// Key contacts without a current counterpart.
    pub gaps: i64,
    /// Mirror score 0–100 as last recorded, if analysed.
    pub mirror_score: Option<f64>,
}

/// The columns of an account, on the alias `a`.
const ACCOUNT_COLUMNS: &str = "a.id, a.organization_id, a.unit_id, a.name, a.relation, a.mode, \
    a.responsible_unit_id, a.manager_id, a.notes, a.active, a.version";

/// Reads an account from a row of [`ACCOUNT_COLUMNS`].
pub(crate) fn account(row: &AnyRow) -> Result<Account, sqlx::Error> {
    let id = |name: &str| row.try_get::<Option<i64>, _>(name);
    Ok(Account {
        id: AccountId::new(row.try_get("id")?),
        organization_id: OrganizationId::new(row.try_get("organization_id")?),
        unit_id: id("unit_id")?.map(UnitId::new),
        name: row.try_get("name")?,
        relation: row
            .try_get::<String, _>("relation")?
            .parse()
            .map_err(decode)?,
        mode: row.try_get::<String, _>("mode")?.parse().map_err(decode)?,
        responsible_unit_id: id("responsible_unit_id")?.map(UnitId::new),
        manager_id: id("manager_id")?.map(PersonId::new),
        notes: row.try_get("notes")?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

impl Versioned for Account {
    const TABLE: &'static str = "accounts";
    const COLUMNS: &'static str = "id, organization_id, unit_id, name, relation, mode, \
        responsible_unit_id, manager_id, notes, active, version";
    const ENTITY: EntityKind = EntityKind::Account;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        account(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        self.name.clone()
    }

    fn write_error(error: sqlx::Error) -> StoreError {
        name_taken(error)
    }
}

/// One account, read on an open connection.
pub(crate) async fn account_on(conn: &mut AnyConnection, id: AccountId) -> Result<Account> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::Account, id.get()))?;
    Ok(account(&row)?)
}

/// Reads a key contact from a row of `key_contacts`.
fn key_contact(row: &AnyRow) -> Result<KeyContact, sqlx::Error> {
    Ok(KeyContact {
        id: KeyContactId::new(row.try_get("id")?),
        account_id: AccountId::new(row.try_get("account_id")?),
        person_id: PersonId::new(row.try_get("person_id")?),
        role: row.try_get::<String, _>("role")?.parse().map_err(decode)?,
        stance: row
            .try_get::<String, _>("stance")?
            .parse()
            .map_err(decode)?,
        influence: row.try_get("influence")?,
        version: row.try_get("version")?,
    })
}

/// One key contact, read on an open connection.
async fn key_contact_on(conn: &mut AnyConnection, id: KeyContactId) -> Result<KeyContact> {
    let row = sqlx::query(
        "SELECT id, account_id, person_id, role, stance, influence, version FROM key_contacts WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::KeyContact, id.get()))?;
    Ok(key_contact(&row)?)
}

/// Checks an account's references and fills in its name; returns the name.
async fn check_account(conn: &mut AnyConnection, input: &AccountInput) -> Result<String> {
    let mut errors = FieldErrors::default();
    let org = match organization_on(conn, input.organization_id).await {
        Ok(org) if org.kind == OrganizationKind::Own => {
            errors.add("organization_id", Problem::UnknownChoice);
            None
        }
        Ok(org) => Some(org),
        Err(StoreError::NotFound { .. }) => {
            errors.add("organization_id", Problem::NotFound);
            None
        }
        Err(e) => return Err(e),
    };
    let mut fallback = org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    if let Some(unit_id) = input.unit_id {
        match unit_on(conn, unit_id).await {
            Ok(unit) if Some(unit.organization_id) != org.as_ref().map(|o| o.id) => {
                errors.add("unit_id", Problem::OtherOrganization);
            }
            Ok(unit) => fallback = format!("{fallback} – {}", unit.name),
            Err(StoreError::NotFound { .. }) => errors.add("unit_id", Problem::NotFound),
            Err(e) => return Err(e),
        }
    }
    if let Some(unit_id) = input.responsible_unit_id {
        let own = own_org(conn).await?;
        match unit_on(conn, unit_id).await {
            Ok(unit) if Some(unit.organization_id) != own => {
                errors.add("responsible_unit_id", Problem::OtherOrganization);
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

/// Our own organization's id.
pub(crate) async fn own_org(conn: &mut AnyConnection) -> Result<Option<OrganizationId>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM organizations WHERE kind = 'own'")
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| OrganizationId::new(id)))
}

/// Maps a clash of account names to a field error.
fn name_taken(error: sqlx::Error) -> StoreError {
    if dialect::is_unique_violation(&error, "accounts_name", "accounts.name") {
        FieldErrors::single("name", Problem::Taken).into()
    } else {
        error.into()
    }
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
         manager_id, notes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         RETURNING id, organization_id, unit_id, name, relation, mode, responsible_unit_id, manager_id, \
         notes, active, version",
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

/// The use case `Store::add_key_contact` on an open transaction.
pub(crate) async fn add_key_contact_on(
    tx: &mut AnyConnection,
    actor: &Actor,
    account_id: AccountId,
    input: &KeyContactInput,
) -> Result<KeyContact> {
    let account = account_on(&mut *tx, account_id).await?;
    match person_on(&mut *tx, input.person_id).await {
        Ok(p) if p.organization_id != account.organization_id => {
            return Err(FieldErrors::single("person_id", Problem::OtherOrganization).into());
        }
        Ok(_) => {}
        Err(StoreError::NotFound { .. }) => {
            return Err(FieldErrors::single("person_id", Problem::NotFound).into());
        }
        Err(e) => return Err(e),
    }
    let inserted = sqlx::query(
        "INSERT INTO key_contacts (account_id, person_id, role, stance, influence) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, account_id, person_id, role, stance, influence, version",
    )
    .bind(account_id.get())
    .bind(input.person_id.get())
    .bind(input.role.as_str())
    .bind(input.stance.as_str())
    .bind(input.influence)
    .fetch_one(&mut *tx)
    .await;
    let created = match inserted {
        Ok(row) => key_contact(&row)?,
        Err(e)
            if dialect::is_unique_violation(
                &e,
                "key_contacts_account_person",
                "key_contacts.person_id",
            ) =>
        {
            return Err(FieldErrors::single("person_id", Problem::Taken).into());
        }
        Err(e) => return Err(e.into()),
    };
    let label = format!(
        "{} · {}",
        account.name,
        person_on(&mut *tx, input.person_id).await?.display_name()
    );
    let change = Change {
        entity: EntityKind::KeyContact,
        id: created.id.get(),
        action: AuditAction::Create,
        label: &label,
    };
    record(&mut *tx, actor, change, None, Some(&created)).await?;
    Ok(created)
}

impl Store {
    /// Accounts with their names and counts, most important first.
    pub async fn accounts(&self, filter: &AccountFilter) -> Result<Vec<AccountSummary>> {
        let today = crate::time::date_to_db(crate::now().date_naive());
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, a.score, a.tier, a.mirror_score, o.name AS organization_name, o.kind AS organization_kind, \
             ru.name AS responsible_unit_name, \
             m.family_name AS manager_family, \
             m.given_name AS manager_given, m.academic_title AS manager_title, \
             (SELECT COUNT(*) FROM key_contacts k WHERE k.account_id = a.id) AS contact_count, \
             (SELECT COUNT(*) FROM key_contacts k WHERE k.account_id = a.id AND NOT EXISTS ( \
                SELECT 1 FROM assignments s WHERE s.partner_id = k.person_id AND s.valid_from <= $5 \
                AND (s.valid_to IS NULL OR s.valid_to >= $5))) AS gap_count \
             FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             LEFT JOIN units ru ON ru.id = a.responsible_unit_id \
             LEFT JOIN persons m ON m.id = a.manager_id \
             WHERE ($1 = 1 OR a.active = 1) \
             AND ($2 IS NULL OR a.relation = $2 OR a.relation = 'both') \
             AND ($3 IS NULL OR (CASE WHEN o.kind = 'internal' THEN 1 ELSE 0 END) = $3) \
             AND ($4 IS NULL OR a.responsible_unit_id = $4) \
             AND ($6 IS NULL OR a.tier = $6) \
             ORDER BY CASE WHEN a.score IS NULL THEN 1 ELSE 0 END, a.score DESC, lower(a.name)"
        ))
        .bind(i64::from(filter.include_inactive))
        .bind(filter.relation.filter(|r| *r != Relation::Both).map(Relation::as_str))
        .bind(filter.internal.map(i64::from))
        .bind(filter.responsible_unit_id.map(UnitId::get))
        .bind(&today)
        .bind(filter.tier.map(Tier::as_str))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let title: Option<String> = row.try_get("manager_title")?;
                let given: Option<String> = row.try_get("manager_given")?;
                let manager = row
                    .try_get::<Option<String>, _>("manager_family")?
                    .map(|family| {
                        counterpart_core::person::display_name(
                            title.as_deref(),
                            given.as_deref(),
                            &family,
                        )
                    });
                Ok(AccountSummary {
                    account: account(row)?,
                    organization_name: row.try_get("organization_name")?,
                    internal: row.try_get::<String, _>("organization_kind")? == "internal",
                    responsible_unit_name: row.try_get("responsible_unit_name")?,
                    manager_name: manager,
                    score: row.try_get("score")?,
                    tier: row
                        .try_get::<Option<String>, _>("tier")?
                        .map(|t| t.parse())
                        .transpose()
                        .map_err(decode)?,
                    contacts: row.try_get("contact_count")?,
                    gaps: row.try_get("gap_count")?,
                    mirror_score: row.try_get("mirror_score")?,
                })
            })
            .collect()
    }

    /// One account.
    pub async fn account(&self, id: AccountId) -> Result<Account> {
        account_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Accounts of a partner organization.
    pub async fn accounts_of_organization(
        &self,
        organization_id: OrganizationId,
    ) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.organization_id = $1 ORDER BY lower(a.name)"
        ))
        .bind(organization_id.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(account).collect::<Result<_, _>>()?)
    }

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
            .set("name", &name)
            .set("relation", input.relation.as_str())
            .set("mode", input.mode.as_str())
            .set(
                "responsible_unit_id",
                input.responsible_unit_id.map(UnitId::get),
            )
            .set("manager_id", input.manager_id.map(PersonId::get))
            .set("notes", &input.notes);
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        if before.relation != after.relation || before.organization_id != after.organization_id {
            enqueue_on(&mut tx, Job::ImportanceScores(Accounts::One(id))).await?;
        }
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
        tx.commit().await?;
        Ok(after)
    }

    /// The key contacts of an account.
    pub async fn key_contacts(&self, account_id: AccountId) -> Result<Vec<KeyContact>> {
        let rows = sqlx::query(
            "SELECT id, account_id, person_id, role, stance, influence, version FROM key_contacts \
             WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(key_contact).collect::<Result<_, _>>()?)
    }

    /// The accounts in which a person is a key contact.
    pub async fn key_contact_roles(
        &self,
        person_id: PersonId,
    ) -> Result<Vec<(KeyContact, Account)>> {
        let rows = sqlx::query(&format!(
            "SELECT k.id AS kc_id, k.account_id AS kc_account, k.person_id AS kc_person, k.role, k.stance, \
             k.influence, k.version AS kc_version, {ACCOUNT_COLUMNS} \
             FROM key_contacts k JOIN accounts a ON a.id = k.account_id WHERE k.person_id = $1 ORDER BY lower(a.name)"
        ))
        .bind(person_id.get())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let contact = KeyContact {
                    id: KeyContactId::new(row.try_get("kc_id")?),
                    account_id: AccountId::new(row.try_get("kc_account")?),
                    person_id: PersonId::new(row.try_get("kc_person")?),
                    role: row.try_get::<String, _>("role")?.parse().map_err(decode)?,
                    stance: row
                        .try_get::<String, _>("stance")?
                        .parse()
                        .map_err(decode)?,
                    influence: row.try_get("influence")?,
                    version: row.try_get("kc_version")?,
                };
                Ok((contact, account(row)?))
            })
            .collect()
    }

    /// One key contact.
    pub async fn key_contact(&self, id: KeyContactId) -> Result<KeyContact> {
        key_contact_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Marks a person of the account's organization as a key contact.
    pub async fn add_key_contact(
        &self,
        actor: &Actor,
        account_id: AccountId,
        input: &KeyContactInput,
    ) -> Result<KeyContact> {
        let mut tx = self.write().await?;
        let out = add_key_contact_on(&mut tx, actor, account_id, input).await?;
        enqueue_on(&mut tx, Job::MirrorScores(Accounts::One(account_id))).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Changes a key contact's role, stance and influence.
    pub async fn update_key_contact(
        &self,
        actor: &Actor,
        id: KeyContactId,
        version: i64,
        input: &KeyContactInput,
    ) -> Result<KeyContact> {
        let mut tx = self.write().await?;
        let before = key_contact_on(&mut tx, id).await?;
        let row = sqlx::query(
            "UPDATE key_contacts SET role = $1, stance = $2, influence = $3, version = version + 1 \
             WHERE id = $4 AND version = $5 RETURNING id, account_id, person_id, role, stance, influence, version",
        )
        .bind(input.role.as_str())
        .bind(input.stance.as_str())
        .bind(input.influence)
        .bind(id.get())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(conflict(&mut tx, EntityKind::KeyContact, id.get()).await);
        };
        let after = key_contact(&row)?;
        let label = person_on(&mut tx, after.person_id).await?.display_name();
        let change = Change {
            entity: EntityKind::KeyContact,
            id: id.get(),
            action: AuditAction::Update,
            label: &label,
        };
        record(&mut tx, actor, change, Some(&before), Some(&after)).await?;
        enqueue_on(&mut tx, Job::MirrorScores(Accounts::One(after.account_id))).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Removes a person from an account's key contacts (their counterparts stay), if nobody
    /// changed the key contact since `version`.
    pub async fn remove_key_contact(
        &self,
        actor: &Actor,
        id: KeyContactId,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let before = key_contact_on(&mut tx, id).await?;
        if before.version != version {
            return Err(conflict(&mut tx, EntityKind::KeyContact, id.get()).await);
        }
        sqlx::query("DELETE FROM key_contacts WHERE id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        let label = person_on(&mut tx, before.person_id).await?.display_name();
        let change = Change {
            entity: EntityKind::KeyContact,
            id: id.get(),
            action: AuditAction::Delete,
            label: &label,
        };
        record(&mut tx, actor, change, Some(&before), None).await?;
        enqueue_on(&mut tx, Job::MirrorScores(Accounts::One(before.account_id))).await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_returns_the_columns_a_read_selects() {
        assert_eq!(
            ACCOUNT_COLUMNS.replace("a.", ""),
            <Account as Versioned>::COLUMNS
        );
    }
}
