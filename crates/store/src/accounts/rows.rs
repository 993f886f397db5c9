//! Reading accounts and key contacts from rows, and how an account changes by
//! compare-and-set.

use counterpart_core::account::{Account, KeyContact};
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{AccountId, KeyContactId, OrganizationId, PersonId, UnitId};
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::decode::decode;
use crate::dialect;
use crate::error::{Result, StoreError};
use crate::versioned::Versioned;

/// The columns of an account, on the alias `a`.
pub(super) const ACCOUNT_COLUMNS: &str = "a.id, a.organization_id, a.unit_id, a.name, a.relation, a.mode, \
    a.responsible_unit_id, a.manager_id, a.notes, a.restricted, a.active, a.version";

/// Reads an account from a row of [`ACCOUNT_COLUMNS`].
pub(super) fn account(row: &AnyRow) -> Result<Account, sqlx::Error> {
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
        restricted: row.try_get::<i64, _>("restricted")? != 0,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

impl Versioned for Account {
    const TABLE: &'static str = "accounts";
    const COLUMNS: &'static str = "id, organization_id, unit_id, name, relation, mode, \
        responsible_unit_id, manager_id, notes, restricted, active, version";
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
pub(super) fn key_contact(row: &AnyRow) -> Result<KeyContact, sqlx::Error> {
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
pub(super) async fn key_contact_on(
    conn: &mut AnyConnection,
    id: KeyContactId,
) -> Result<KeyContact> {
    let row = sqlx::query(
        "SELECT id, account_id, person_id, role, stance, influence, version FROM key_contacts WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::KeyContact, id.get()))?;
    Ok(key_contact(&row)?)
}

/// Maps a clash of account names to a field error.
pub(super) fn name_taken(error: sqlx::Error) -> StoreError {
    if dialect::is_unique_violation(&error, "accounts_name", "accounts.name") {
        FieldErrors::single("name", Problem::Taken).into()
    } else {
        error.into()
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
