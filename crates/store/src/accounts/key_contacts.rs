//! Key contacts: the important people of an account.

use counterpart_core::account::{Account, KeyContact, KeyContactInput};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, KeyContactId, PersonId};
use counterpart_core::org::OrganizationKind;
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::{AnyConnection, Row};

use super::internal::person_chain_on;
use super::rows::{ACCOUNT_COLUMNS, account, account_on, key_contact, key_contact_on};
use crate::Actor;
use crate::audit::{Change, conflict, record};
use crate::db::Store;
use crate::decode::decode;
use crate::dialect;
use crate::error::{Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::orgs::organization_on;
use crate::people::person_on;

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
        // An account of our own house names its partner unit (a neighbouring department):
        // its key contacts are the people in that unit or below it.
        Ok(p)
            if organization_on(&mut *tx, account.organization_id)
                .await?
                .kind
                == OrganizationKind::Own
                && !person_chain_on(&mut *tx, p.id)
                    .await?
                    .iter()
                    .any(|u| Some(*u) == account.unit_id) =>
        {
            return Err(FieldErrors::single("person_id", Problem::OutsidePartnerUnit).into());
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

    /// The accounts a reader sees in which a person is a key contact.
    pub async fn key_contact_roles(
        &self,
        person_id: PersonId,
        seen: &crate::Visibility,
    ) -> Result<Vec<(KeyContact, Account)>> {
        let (visible, hidden) = seen.accounts("a.id", 2);
        let sql = format!(
            "SELECT k.id AS kc_id, k.account_id AS kc_account, k.person_id AS kc_person, k.role, k.stance, \
             k.influence, k.version AS kc_version, {ACCOUNT_COLUMNS} \
             FROM key_contacts k JOIN accounts a ON a.id = k.account_id \
             WHERE k.person_id = $1 AND {visible} ORDER BY lower(a.name)"
        );
        let query = sqlx::query(&sql).bind(person_id.get());
        let rows = hidden
            .into_iter()
            .fold(query, |q, id| q.bind(id))
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

    /// Marks a person of the account's organization as a key contact (for an account of our
    /// own house: a person inside its partner unit).
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
        // The version is compared again by the delete itself: on PostgreSQL another
        // transaction may have changed the row since it was read above.
        let deleted = sqlx::query("DELETE FROM key_contacts WHERE id = $1 AND version = $2")
            .bind(id.get())
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() != 1 {
            return Err(conflict(&mut tx, EntityKind::KeyContact, id.get()).await);
        }
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
