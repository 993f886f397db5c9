//! Reading people and positions from rows, and how a person changes by compare-and-set.

use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{FunctionId, LevelId, OrganizationId, PersonId, PositionId, UnitId};
use counterpart_core::person::{Person, Position};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::views::{PersonSummary, PositionView};
use crate::error::{Result, StoreError};
use crate::time::date_from_db;
use crate::versioned::Versioned;

/// The columns of a person, on the alias `p`.
pub(super) const PERSON_COLUMNS: &str = "p.id, p.organization_id, p.unit_id, p.given_name, p.family_name, \
    p.academic_title, p.job_title, p.level_id, p.function_id, p.reports_to_id, p.assistant_of_id, \
    p.email, p.phone, p.mobile, p.notes, p.active, p.version";

/// The summary select: person columns plus unit and organization names.
pub(crate) fn summary_select(where_clause: &str) -> String {
    format!(
        "SELECT {PERSON_COLUMNS}, u.name AS unit_name, o.name AS organization_name \
         FROM persons p JOIN organizations o ON o.id = p.organization_id \
         LEFT JOIN units u ON u.id = p.unit_id {where_clause}"
    )
}

/// Reads a person from a row of [`PERSON_COLUMNS`].
pub(crate) fn person(row: &AnyRow) -> Result<Person, sqlx::Error> {
    let id = |name: &str| row.try_get::<Option<i64>, _>(name);
    Ok(Person {
        id: PersonId::new(row.try_get("id")?),
        organization_id: OrganizationId::new(row.try_get("organization_id")?),
        unit_id: id("unit_id")?.map(UnitId::new),
        given_name: row.try_get("given_name")?,
        family_name: row.try_get("family_name")?,
        academic_title: row.try_get("academic_title")?,
        job_title: row.try_get("job_title")?,
        level_id: id("level_id")?.map(LevelId::new),
        function_id: id("function_id")?.map(FunctionId::new),
        reports_to_id: id("reports_to_id")?.map(PersonId::new),
        assistant_of_id: id("assistant_of_id")?.map(PersonId::new),
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        mobile: row.try_get("mobile")?,
        notes: row.try_get("notes")?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

/// Reads a person with their unit's and organization's names from a row of
/// [`summary_select`].
pub(crate) fn summary(row: &AnyRow) -> Result<PersonSummary, sqlx::Error> {
    Ok(PersonSummary {
        person: person(row)?,
        unit_name: row.try_get("unit_name")?,
        organization_name: row.try_get("organization_name")?,
    })
}

impl Versioned for Person {
    const TABLE: &'static str = "persons";
    const COLUMNS: &'static str = "id, organization_id, unit_id, given_name, family_name, \
        academic_title, job_title, level_id, function_id, reports_to_id, assistant_of_id, \
        email, phone, mobile, notes, active, version";
    const ENTITY: EntityKind = EntityKind::Person;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        person(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        label(self)
    }
}

/// One person, read on an open connection.
pub(crate) async fn person_on(conn: &mut AnyConnection, id: PersonId) -> Result<Person> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::Person, id.get()))?;
    Ok(person(&row)?)
}

/// Reads a position with its organization's and unit's names.
pub(super) fn position(row: &AnyRow) -> Result<PositionView, sqlx::Error> {
    let valid_to: Option<String> = row.try_get("valid_to")?;
    Ok(PositionView {
        position: Position {
            id: PositionId::new(row.try_get("id")?),
            person_id: PersonId::new(row.try_get("person_id")?),
            organization_id: OrganizationId::new(row.try_get("organization_id")?),
            unit_id: row.try_get::<Option<i64>, _>("unit_id")?.map(UnitId::new),
            job_title: row.try_get("job_title")?,
            level_id: row.try_get::<Option<i64>, _>("level_id")?.map(LevelId::new),
            valid_from: date_from_db(row.try_get("valid_from")?)?,
            valid_to: valid_to.as_deref().map(date_from_db).transpose()?,
        },
        organization_name: row.try_get("organization_name")?,
        unit_name: row.try_get("unit_name")?,
    })
}

/// How the audit log names a person.
pub(super) fn label(person: &Person) -> String {
    person.display_name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_returns_the_columns_a_read_selects() {
        assert_eq!(
            PERSON_COLUMNS.replace("p.", ""),
            <Person as Versioned>::COLUMNS
        );
    }
}
