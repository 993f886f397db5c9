//! Creating and changing people.

use chrono::NaiveDate;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{FunctionId, LevelId, OrganizationId, PersonId, UnitId};
use counterpart_core::person::{Person, PersonInput};
use sqlx::AnyConnection;

use super::checks::check_links;
use super::rows::{PERSON_COLUMNS, label, person, person_on};
use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::Result;
use crate::jobs::enqueue_mirror_of_people_on;
use crate::orgs::organization_on;
use crate::time::{date_to_db, to_db};
use crate::versioned::{self, Fields};

/// Inserts a person's position as it is now, from `valid_from`.
pub(super) async fn insert_position(
    conn: &mut AnyConnection,
    person: &Person,
    valid_from: NaiveDate,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO positions (person_id, organization_id, unit_id, job_title, level_id, valid_from) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(person.id.get())
    .bind(person.organization_id.get())
    .bind(person.unit_id.map(UnitId::get))
    .bind(&person.job_title)
    .bind(person.level_id.map(LevelId::get))
    .bind(date_to_db(valid_from))
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes an import's values onto an existing person (and corrects their current position).
pub(crate) async fn write_person(
    conn: &mut AnyConnection,
    id: PersonId,
    input: &PersonInput,
    external_id: Option<&str>,
    reactivate: bool,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE persons SET unit_id = $1, given_name = $2, family_name = $3, academic_title = $4, \
         job_title = $5, level_id = $6, function_id = $7, reports_to_id = $8, assistant_of_id = $9, \
         email = $10, phone = $11, mobile = $12, notes = $13, search_text = $14, external_id = $15, \
         active = CASE WHEN $16 = 1 THEN 1 ELSE active END, updated_at = $17, version = version + 1 \
         WHERE id = $18",
    )
    .bind(input.unit_id.map(UnitId::get))
    .bind(&input.given_name)
    .bind(&input.family_name)
    .bind(&input.academic_title)
    .bind(&input.job_title)
    .bind(input.level_id.map(LevelId::get))
    .bind(input.function_id.map(FunctionId::get))
    .bind(input.reports_to_id.map(PersonId::get))
    .bind(input.assistant_of_id.map(PersonId::get))
    .bind(input.email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(input.phone.as_ref().map(|p| p.as_str().to_owned()))
    .bind(input.mobile.as_ref().map(|p| p.as_str().to_owned()))
    .bind(&input.notes)
    .bind(input.search_text())
    .bind(external_id)
    .bind(i64::from(reactivate))
    .bind(now)
    .bind(id.get())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE positions SET unit_id = $1, job_title = $2, level_id = $3 WHERE person_id = $4 AND valid_to IS NULL",
    )
    .bind(input.unit_id.map(UnitId::get))
    .bind(&input.job_title)
    .bind(input.level_id.map(LevelId::get))
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// The use case `Store::create_person` on an open transaction.
pub(crate) async fn create_person_on(
    tx: &mut AnyConnection,
    actor: &Actor,
    organization_id: OrganizationId,
    input: &PersonInput,
    valid_from: NaiveDate,
) -> Result<Person> {
    organization_on(&mut *tx, organization_id).await?;
    check_links(&mut *tx, organization_id, None, input).await?;
    let now = to_db(crate::now());
    let row = sqlx::query(&format!(
        "INSERT INTO persons (organization_id, unit_id, given_name, family_name, academic_title, \
         job_title, level_id, function_id, reports_to_id, assistant_of_id, email, phone, mobile, \
         notes, search_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
         RETURNING {}",
        PERSON_COLUMNS.replace("p.", "")
    ))
    .bind(organization_id.get())
    .bind(input.unit_id.map(UnitId::get))
    .bind(&input.given_name)
    .bind(&input.family_name)
    .bind(&input.academic_title)
    .bind(&input.job_title)
    .bind(input.level_id.map(LevelId::get))
    .bind(input.function_id.map(FunctionId::get))
    .bind(input.reports_to_id.map(PersonId::get))
    .bind(input.assistant_of_id.map(PersonId::get))
    .bind(input.email.as_ref().map(|e| e.as_str().to_owned()))
    .bind(input.phone.as_ref().map(|p| p.as_str().to_owned()))
    .bind(input.mobile.as_ref().map(|p| p.as_str().to_owned()))
    .bind(&input.notes)
    .bind(input.search_text())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let created = person(&row)?;
    insert_position(&mut *tx, &created, valid_from).await?;
    let change = Change {
        entity: EntityKind::Person,
        id: created.id.get(),
        action: AuditAction::Create,
        label: &label(&created),
    };
    record(&mut *tx, actor, change, None, Some(&created)).await?;
    Ok(created)
}

impl Store {
    /// Creates a person in an organization, with a first position from `valid_from`.
    pub async fn create_person(
        &self,
        actor: &Actor,
        organization_id: OrganizationId,
        input: &PersonInput,
        valid_from: NaiveDate,
    ) -> Result<Person> {
        let mut tx = self.write().await?;
        let out = create_person_on(&mut tx, actor, organization_id, input, valid_from).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Changes a person (and corrects their current position), if nobody changed them since
    /// `version`.
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: PersonId,
        version: i64,
        input: &PersonInput,
    ) -> Result<Person> {
        let mut tx = self.write().await?;
        let before = person_on(&mut tx, id).await?;
        check_links(&mut tx, before.organization_id, Some(id), input).await?;
        let fields = Fields::new()
            .set("unit_id", input.unit_id.map(UnitId::get))
            .set("given_name", &input.given_name)
            .set("family_name", &input.family_name)
            .set("academic_title", &input.academic_title)
            .set("job_title", &input.job_title)
            .set("level_id", input.level_id.map(LevelId::get))
            .set("function_id", input.function_id.map(FunctionId::get))
            .set("reports_to_id", input.reports_to_id.map(PersonId::get))
            .set("assistant_of_id", input.assistant_of_id.map(PersonId::get))
            .set("email", input.email.as_ref().map(|e| e.as_str().to_owned()))
            .set("phone", input.phone.as_ref().map(|p| p.as_str().to_owned()))
            .set(
                "mobile",
                input.mobile.as_ref().map(|p| p.as_str().to_owned()),
            )
            .set("notes", &input.notes)
            .set("search_text", input.search_text());
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        sqlx::query(
            "UPDATE positions SET unit_id = $1, job_title = $2, level_id = $3 \
             WHERE person_id = $4 AND valid_to IS NULL",
        )
        .bind(after.unit_id.map(UnitId::get))
        .bind(&after.job_title)
        .bind(after.level_id.map(LevelId::get))
        .bind(id.get())
        .execute(&mut *tx)
        .await?;
        enqueue_mirror_of_people_on(&mut tx, &[id]).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deactivates (left, retired) or reactivates a person; everything known stays.
    pub async fn set_person_active(
        &self,
        actor: &Actor,
        id: PersonId,
        version: i64,
        active: bool,
    ) -> Result<Person> {
        let mut tx = self.write().await?;
        let before = person_on(&mut tx, id).await?;
        let after = versioned::set_active(&mut tx, actor, &before, version, active).await?;
        enqueue_mirror_of_people_on(&mut tx, &[id]).await?;
        tx.commit().await?;
        Ok(after)
    }
}
