//! Organizations and their units.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::hierarchy::would_create_cycle;
use counterpart_core::ids::{AccountId, OrganizationId, UnitId};
use counterpart_core::org::{Organization, OrganizationInput, OrganizationKind, Unit, UnitInput};
use counterpart_core::text::fold;
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Refusal, Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::time::to_db;
use crate::versioned::{self, Fields, Versioned};
use crate::{Actor, dialect};

/// Which organizations to list.
#[derive(Clone, Debug, Default)]
pub struct OrganizationFilter {
    /// Only this kind.
    pub kind: Option<OrganizationKind>,
    /// Include deactivated ones.
    pub include_inactive: bool,
    /// Only this page of [`ORGANIZATIONS_PER_PAGE`] (counting from 0) and the first of the
    /// next, to tell whether there is one; `None`: all.
    pub page: Option<u32>,
}

/// Organizations a list page shows.
pub const ORGANIZATIONS_PER_PAGE: u32 = 100;

/// An organization with the sizes shown in lists.
#[derive(Clone, Debug, Serialize)]
pub struct OrganizationSummary {
    /// The organization.
    pub organization: Organization,
    /// Active units.
    pub units: i64,
    /// Active people.
    pub people: i64,
}

/// The columns of an organization, on the alias `o`.
const ORG_COLUMNS: &str = "o.id, o.name, o.kind, o.notes, o.active, o.version";
/// The columns of a unit, on the alias `u`.
const UNIT_COLUMNS: &str =
    "u.id, u.organization_id, u.parent_id, u.name, u.kind, u.active, u.version";

/// Reads an organization from a row of [`ORG_COLUMNS`].
fn organization(row: &AnyRow) -> Result<Organization, sqlx::Error> {
    Ok(Organization {
        id: OrganizationId::new(row.try_get("id")?),
        name: row.try_get("name")?,
        kind: row.try_get::<String, _>("kind")?.parse().map_err(decode)?,
        notes: row.try_get("notes")?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

/// Reads a unit from a row of [`UNIT_COLUMNS`].
pub(crate) fn unit(row: &AnyRow) -> Result<Unit, sqlx::Error> {
    Ok(Unit {
        id: UnitId::new(row.try_get("id")?),
        organization_id: OrganizationId::new(row.try_get("organization_id")?),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(UnitId::new),
        name: row.try_get("name")?,
        kind: row.try_get::<String, _>("kind")?.parse().map_err(decode)?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

impl Versioned for Organization {
    const TABLE: &'static str = "organizations";
    const COLUMNS: &'static str = "id, name, kind, notes, active, version";
    const ENTITY: EntityKind = EntityKind::Organization;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        organization(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        self.name.clone()
    }

    fn write_error(error: sqlx::Error) -> StoreError {
        organization_write_error(error)
    }
}

impl Versioned for Unit {
    const TABLE: &'static str = "units";
    const COLUMNS: &'static str = "id, organization_id, parent_id, name, kind, active, version";
    const ENTITY: EntityKind = EntityKind::Unit;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        unit(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        self.name.clone()
    }
}

/// One organization, read on an open connection.
pub(crate) async fn organization_on(
    conn: &mut AnyConnection,
    id: OrganizationId,
) -> Result<Organization> {
    let row = sqlx::query(&format!(
        "SELECT {ORG_COLUMNS} FROM organizations o WHERE o.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::Organization, id.get()))?;
    Ok(organization(&row)?)
}

/// One unit, read on an open connection.
pub(crate) async fn unit_on(conn: &mut AnyConnection, id: UnitId) -> Result<Unit> {
    let row = sqlx::query(&format!(
        "SELECT {UNIT_COLUMNS} FROM units u WHERE u.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::Unit, id.get()))?;
    Ok(unit(&row)?)
}

/// Maps a name clash to a field error, or a second own organization to its refusal.
fn organization_write_error(error: sqlx::Error) -> StoreError {
    if dialect::is_unique_violation(&error, "organizations_name", "organizations.name") {
        FieldErrors::single("name", Problem::Taken).into()
    } else if dialect::is_unique_violation(&error, "organizations_one_own", "organizations.kind") {
        StoreError::Refused(Refusal::SecondOwnOrganization)
    } else {
        error.into()
    }
}

/// Checks a unit's parent: it must exist, belong to the same organization and not loop.
async fn check_parent(
    conn: &mut AnyConnection,
    organization_id: OrganizationId,
    unit_id: Option<UnitId>,
    parent_id: Option<UnitId>,
) -> Result<()> {
    let Some(parent_id) = parent_id else {
        return Ok(());
    };
    if Some(parent_id) == unit_id {
        return Err(FieldErrors::single("parent_id", Problem::SelfReference).into());
    }
    let parent = match unit_on(conn, parent_id).await {
        Ok(parent) => parent,
        Err(StoreError::NotFound { .. }) => {
            return Err(FieldErrors::single("parent_id", Problem::NotFound).into());
        }
        Err(e) => return Err(e),
    };
    if parent.organization_id != organization_id {
        return Err(FieldErrors::single("parent_id", Problem::OtherOrganization).into());
    }
    if let Some(unit_id) = unit_id {
        let pairs: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT id, parent_id FROM units WHERE organization_id = $1")
                .bind(organization_id.get())
                .fetch_all(conn)
                .await?;
        let parents: std::collections::HashMap<i64, i64> = pairs
            .into_iter()
            .filter_map(|(id, parent)| parent.map(|p| (id, p)))
            .collect();
        if would_create_cycle(unit_id.get(), parent_id.get(), 10_000, |u| {
            parents.get(&u).copied()
        }) {
            return Err(FieldErrors::single("parent_id", Problem::Cycle).into());
        }
    }
    Ok(())
}

/// The use case `Store::create_organization` on an open transaction.
pub(crate) async fn create_organization_on(
    tx: &mut AnyConnection,
    actor: &Actor,
    input: &OrganizationInput,
) -> Result<Organization> {
    let now = to_db(crate::now());
    let row = sqlx::query(
        "INSERT INTO organizations (name, kind, notes, created_at, updated_at, search_text) \
         VALUES ($1, $2, $3, $4, $4, $5) RETURNING id, name, kind, notes, active, version",
    )
    .bind(&input.name)
    .bind(input.kind.as_str())
    .bind(&input.notes)
    .bind(&now)
    .bind(fold(&input.name))
    .fetch_one(&mut *tx)
    .await
    .map_err(organization_write_error)?;
    let created = organization(&row)?;
    let change = Change {
        entity: EntityKind::Organization,
        id: created.id.get(),
        action: AuditAction::Create,
        label: &created.name,
    };
    record(&mut *tx, actor, change, None, Some(&created)).await?;
    Ok(created)
}

impl Store {
    /// The first `limit` active organizations, by name, whose folded name holds `folded` (a
    /// query folded by [`fold`]): id, name, kind. An empty query finds none.
    pub async fn search_organizations(
        &self,
        folded: &str,
        limit: i64,
    ) -> Result<Vec<(OrganizationId, String, OrganizationKind)>> {
        if folded.trim().is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, kind FROM organizations WHERE active = 1 AND search_text LIKE $1 \
             ORDER BY lower(name), id LIMIT $2",
        )
        .bind(name_pattern(folded))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, name, kind)| {
                Ok((OrganizationId::new(id), name, kind.parse().map_err(decode)?))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The first `limit` active accounts a reader sees, by name, whose folded name holds
    /// `folded`: id, name. An empty query finds none.
    pub async fn search_accounts(
        &self,
        folded: &str,
        limit: i64,
        seen: &crate::Visibility,
    ) -> Result<Vec<(AccountId, String)>> {
        if folded.trim().is_empty() {
            return Ok(Vec::new());
        }
        let (visible, hidden) = seen.accounts("id", 3);
        let sql = format!(
            "SELECT id, name FROM accounts WHERE active = 1 AND search_text LIKE $1 \
             AND {visible} ORDER BY lower(name), id LIMIT $2"
        );
        let query = sqlx::query_as(&sql).bind(name_pattern(folded)).bind(limit);
        let rows: Vec<(i64, String)> = hidden
            .into_iter()
            .fold(query, |q, id| q.bind(id))
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| (AccountId::new(id), name))
            .collect())
    }

    /// How many active organizations there are.
    pub async fn organization_count(&self) -> Result<usize> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations WHERE active = 1")
            .fetch_one(self.pool())
            .await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// How many units an organization has, active and inactive.
    pub async fn unit_count(&self, organization_id: OrganizationId) -> Result<usize> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units WHERE organization_id = $1")
            .bind(organization_id.get())
            .fetch_one(self.pool())
            .await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The first `limit` active units of an organization, by name, whose folded name holds
    /// `folded` (a query folded by [`fold`]), each with its parent's name: many units share
    /// a name ("Team 3"), their parents tell them apart. A query of nothing but blanks and
    /// wildcards finds none.
    pub async fn search_units(
        &self,
        organization_id: OrganizationId,
        folded: &str,
        limit: i64,
    ) -> Result<Vec<(Unit, Option<String>)>> {
        let pattern = name_pattern(folded);
        if pattern.trim_matches(['%', ' ']).is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT {UNIT_COLUMNS}, parent.name AS parent_name FROM units u \
             LEFT JOIN units parent ON parent.id = u.parent_id \
             WHERE u.organization_id = $1 AND u.active = 1 AND u.search_text LIKE $2 \
             ORDER BY lower(u.name), u.id LIMIT $3"
        ))
        .bind(organization_id.get())
        .bind(pattern)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((unit(row)?, row.try_get::<Option<String>, _>("parent_name")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Gives organizations, accounts (before schema 17) and units (before schema 24) written
    /// without a folded name theirs; run at every start, as it finds none once done.
    pub(crate) async fn fold_unsearchable_names(&self) -> Result<()> {
        for table in ["organizations", "accounts", "units"] {
            let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT id, name FROM {table} WHERE search_text = '' AND name <> ''"
            ))
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                continue;
            }
            let mut tx = self.write().await?;
            for (id, name) in rows {
                sqlx::query(&format!(
                    "UPDATE {table} SET search_text = $1 WHERE id = $2"
                ))
                .bind(fold(&name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// Lists organizations with their sizes: our own first, then by name.
    pub async fn organizations(
        &self,
        filter: &OrganizationFilter,
    ) -> Result<Vec<OrganizationSummary>> {
        let tail = filter.page.map_or_else(String::new, |page| {
            let per_page = u64::from(ORGANIZATIONS_PER_PAGE);
            format!(
                " LIMIT {} OFFSET {}",
                per_page + 1,
                u64::from(page) * per_page
            )
        });
        self.organizations_where(
            filter,
            None,
            &format!(
                "ORDER BY CASE WHEN o.kind = 'own' THEN 0 ELSE 1 END, lower(o.name), o.id{tail}"
            ),
        )
        .await
    }

    /// Seek (keyset) pagination: up to `limit` organizations matching a filter (its `page`
    /// ignored) with an id above `after`, by id. A list read this way stays whole while
    /// others write: no row is skipped or repeated because one before it came or went.
    pub async fn organizations_after(
        &self,
        filter: &OrganizationFilter,
        after: Option<OrganizationId>,
        limit: u32,
    ) -> Result<Vec<OrganizationSummary>> {
        self.organizations_where(filter, after, &format!("ORDER BY o.id LIMIT {limit}"))
            .await
    }

    /// The organizations matching a filter and above `after`, in the order and window of
    /// `tail` (SQL made here, never from input).
    async fn organizations_where(
        &self,
        filter: &OrganizationFilter,
        after: Option<OrganizationId>,
        tail: &str,
    ) -> Result<Vec<OrganizationSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS}, \
             (SELECT COUNT(*) FROM units u WHERE u.organization_id = o.id AND u.active = 1) AS unit_count, \
             (SELECT COUNT(*) FROM persons p WHERE p.organization_id = o.id AND p.active = 1) AS person_count \
             FROM organizations o \
             WHERE ($1 IS NULL OR o.kind = $1) AND ($2 = 1 OR o.active = 1) \
             AND ($3 IS NULL OR o.id > $3) {tail}"
        ))
        .bind(filter.kind.map(OrganizationKind::as_str))
        .bind(i64::from(filter.include_inactive))
        .bind(after.map(OrganizationId::get))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OrganizationSummary {
                    organization: organization(row)?,
                    units: row.try_get("unit_count")?,
                    people: row.try_get("person_count")?,
                })
            })
            .collect()
    }

    /// One organization.
    pub async fn organization(&self, id: OrganizationId) -> Result<Organization> {
        organization_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Our own organization, if it exists yet.
    pub async fn own_organization(&self) -> Result<Option<Organization>> {
        let row = sqlx::query(&format!(
            "SELECT {ORG_COLUMNS} FROM organizations o WHERE o.kind = 'own'"
        ))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(organization).transpose()?)
    }

    /// Creates an organization.
    pub async fn create_organization(
        &self,
        actor: &Actor,
        input: &OrganizationInput,
    ) -> Result<Organization> {
        let mut tx = self.write().await?;
        let out = create_organization_on(&mut tx, actor, input).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Changes an organization, if nobody changed it since `version`.
    pub async fn update_organization(
        &self,
        actor: &Actor,
        id: OrganizationId,
        version: i64,
        input: &OrganizationInput,
    ) -> Result<Organization> {
        let mut tx = self.write().await?;
        let before = organization_on(&mut tx, id).await?;
        let fields = Fields::new()
            .set("name", &input.name)
            .set("search_text", fold(&input.name))
            .set("kind", input.kind.as_str())
            .set("notes", &input.notes);
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deactivates or reactivates an organization; its units and people stay as they are.
    pub async fn set_organization_active(
        &self,
        actor: &Actor,
        id: OrganizationId,
        version: i64,
        active: bool,
    ) -> Result<Organization> {
        let mut tx = self.write().await?;
        let before = organization_on(&mut tx, id).await?;
        if before.kind == OrganizationKind::Own && !active {
            return Err(StoreError::Refused(Refusal::DeactivateOwnOrganization));
        }
        let after = versioned::set_active(&mut tx, actor, &before, version, active).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// All units of an organization (active and inactive), unordered; see
    /// [`counterpart_core::org::unit_tree`] for display order.
    pub async fn units(&self, organization_id: OrganizationId) -> Result<Vec<Unit>> {
        let rows = sqlx::query(&format!(
            "SELECT {UNIT_COLUMNS} FROM units u WHERE u.organization_id = $1 ORDER BY u.id"
        ))
        .bind(organization_id.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(unit).collect::<Result<_, _>>()?)
    }

    /// The unit of a person and every unit below it in the person's organization, by id:
    /// nothing for a person without a unit or unknown. One recursive read instead of the
    /// organization's whole unit tree.
    pub async fn unit_and_below_of_person(
        &self,
        person: counterpart_core::ids::PersonId,
    ) -> Result<Vec<UnitId>> {
        // As one JSON value: a division head's subtree is a few hundred units.
        let (ids,): (String,) = sqlx::query_as(&format!(
            "WITH RECURSIVE below (id, organization_id) AS ( \
               SELECT p.unit_id, p.organization_id FROM persons p \
               WHERE p.id = $1 AND p.unit_id IS NOT NULL \
               UNION SELECT u.id, u.organization_id FROM units u \
               JOIN below b ON u.parent_id = b.id AND u.organization_id = b.organization_id) \
             SELECT {} FROM below",
            crate::dialect::json_rows_ordered(self.backend(), "id", "id")
        ))
        .bind(person.get())
        .fetch_one(self.pool())
        .await?;
        Ok(crate::decode::json::<(i64,)>(&ids)?
            .into_iter()
            .map(|(id,)| UnitId::new(id))
            .collect())
    }

    /// One unit.
    pub async fn unit(&self, id: UnitId) -> Result<Unit> {
        unit_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Creates a unit in an organization.
    pub async fn create_unit(
        &self,
        actor: &Actor,
        organization_id: OrganizationId,
        input: &UnitInput,
    ) -> Result<Unit> {
        let mut tx = self.write().await?;
        organization_on(&mut tx, organization_id).await?;
        check_parent(&mut tx, organization_id, None, input.parent_id).await?;
        let now = to_db(crate::now());
        let row = sqlx::query(
            "INSERT INTO units \
             (organization_id, parent_id, name, kind, created_at, updated_at, search_text) \
             VALUES ($1, $2, $3, $4, $5, $5, $6) \
             RETURNING id, organization_id, parent_id, name, kind, active, version",
        )
        .bind(organization_id.get())
        .bind(input.parent_id.map(UnitId::get))
        .bind(&input.name)
        .bind(input.kind.as_str())
        .bind(&now)
        .bind(fold(&input.name))
        .fetch_one(&mut *tx)
        .await?;
        let created = unit(&row)?;
        let change = Change {
            entity: EntityKind::Unit,
            id: created.id.get(),
            action: AuditAction::Create,
            label: &created.name,
        };
        record(&mut tx, actor, change, None, Some(&created)).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes a unit, if nobody changed it since `version`.
    pub async fn update_unit(
        &self,
        actor: &Actor,
        id: UnitId,
        version: i64,
        input: &UnitInput,
    ) -> Result<Unit> {
        let mut tx = self.write().await?;
        let before = unit_on(&mut tx, id).await?;
        check_parent(&mut tx, before.organization_id, Some(id), input.parent_id).await?;
        let fields = Fields::new()
            .set("parent_id", input.parent_id.map(UnitId::get))
            .set("name", &input.name)
            .set("search_text", fold(&input.name))
            .set("kind", input.kind.as_str());
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        if before.parent_id != after.parent_id {
            // Units above a person's are what the mirror's responsibility findings read.
            enqueue_on(&mut tx, Job::MirrorScores(Accounts::All)).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Deactivates or reactivates a unit.
    pub async fn set_unit_active(
        &self,
        actor: &Actor,
        id: UnitId,
        version: i64,
        active: bool,
    ) -> Result<Unit> {
        let mut tx = self.write().await?;
        let before = unit_on(&mut tx, id).await?;
        let after = versioned::set_active(&mut tx, actor, &before, version, active).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// A `LIKE` pattern for a folded query: folded text holds letters, digits and spaces only, so
/// there is no wildcard to escape.
fn name_pattern(folded: &str) -> String {
    format!("%{}%", folded.replace(['%', '_', '\\'], ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_returns_the_columns_a_read_selects() {
        assert_eq!(
            ORG_COLUMNS.replace("o.", ""),
            <Organization as Versioned>::COLUMNS
        );
        assert_eq!(UNIT_COLUMNS.replace("u.", ""), <Unit as Versioned>::COLUMNS);
    }
}
