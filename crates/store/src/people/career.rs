//! A person's career: a new position, perhaps with a new employer, as one record.

use chrono::{Duration, NaiveDate};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{LevelId, PersonId, UnitId};
use counterpart_core::person::{Person, PersonInput, PositionChange};
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::AnyConnection;

use super::checks::check_links;
use super::edit::insert_position;
use super::rows::{PERSON_COLUMNS, label, person, person_on};
use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::Result;
use crate::jobs::enqueue_mirror_of_people_on;
use crate::orgs::organization_on;
use crate::time::{date_from_db, date_to_db, to_db};
use crate::versioned::{self, Fields};

impl Store {
    /// Starts a new position: a promotion, a move inside the organization or a change of
    /// employer. The current position ends the day before; the person stays one record. On a
    /// change of employer, reports-to and assistant links (which pointed into the old
    /// organization) are cleared, and so are the links of those who reported to them.
    pub async fn change_position(
        &self,
        actor: &Actor,
        id: PersonId,
        version: i64,
        change: &PositionChange,
    ) -> Result<Person> {
        let mut tx = self.write().await?;
        let before = person_on(&mut tx, id).await?;
        organization_on(&mut tx, change.organization_id)
            .await
            .map_err(|_| FieldErrors::single("organization_id", Problem::NotFound))?;
        let moves_employer = change.organization_id != before.organization_id;
        let probe = links_to_check(&before, change, moves_employer);
        check_links(&mut tx, change.organization_id, Some(id), &probe).await?;
        end_current_position(&mut tx, id, change.valid_from).await?;
        if moves_employer {
            // Before the person's own update, so that the log lists their entries first.
            release_people_left_behind(&mut tx, actor, id).await?;
        }
        let (reports_to, assistant_of) = if moves_employer {
            (None, None)
        } else {
            (before.reports_to_id, before.assistant_of_id)
        };
        let fields = Fields::new()
            .set("organization_id", change.organization_id.get())
            .set("unit_id", change.unit_id.map(UnitId::get))
            .set("job_title", &change.job_title)
            .set("level_id", change.level_id.map(LevelId::get))
            .set("reports_to_id", reports_to.map(PersonId::get))
            .set("assistant_of_id", assistant_of.map(PersonId::get));
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        insert_position(&mut tx, &after, change.valid_from).await?;
        enqueue_mirror_of_people_on(&mut tx, &[id]).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The links of the new position to check: its unit and level, and the manager when the
/// person stays with their employer (a new employer clears the links).
fn links_to_check(before: &Person, change: &PositionChange, moves_employer: bool) -> PersonInput {
    PersonInput {
        given_name: None,
        family_name: before.family_name.clone(),
        academic_title: None,
        job_title: None,
        level_id: change.level_id,
        function_id: None,
        unit_id: change.unit_id,
        reports_to_id: if moves_employer {
            None
        } else {
            before.reports_to_id
        },
        assistant_of_id: None,
        email: None,
        phone: None,
        mobile: None,
        notes: None,
    }
}

/// Ends a person's current position the day before `valid_from`; refused when that would end
/// it before it began.
async fn end_current_position(
    tx: &mut AnyConnection,
    id: PersonId,
    valid_from: NaiveDate,
) -> Result<()> {
    let current: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, valid_from FROM positions WHERE person_id = $1 AND valid_to IS NULL \
         ORDER BY valid_from DESC LIMIT 1",
    )
    .bind(id.get())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((position_id, from)) = current else {
        return Ok(());
    };
    let ends = valid_from - Duration::days(1);
    if ends < date_from_db(&from)? {
        return Err(FieldErrors::single("valid_from", Problem::EndBeforeStart).into());
    }
    sqlx::query("UPDATE positions SET valid_to = $1 WHERE id = $2")
        .bind(date_to_db(ends))
        .bind(position_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Clears the links of everyone who reported to, or assisted, a person who moves to another
/// employer, each with its audit entry.
async fn release_people_left_behind(
    tx: &mut AnyConnection,
    actor: &Actor,
    id: PersonId,
) -> Result<()> {
    let left_behind = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.reports_to_id = $1 OR p.assistant_of_id = $1"
    ))
    .bind(id.get())
    .fetch_all(&mut *tx)
    .await?;
    for row in &left_behind {
        let old = person(row)?;
        let row = sqlx::query(&format!(
            "UPDATE persons SET \
             reports_to_id = CASE WHEN reports_to_id = $1 THEN NULL ELSE reports_to_id END, \
             assistant_of_id = CASE WHEN assistant_of_id = $1 THEN NULL ELSE assistant_of_id END, \
             updated_at = $2, version = version + 1 WHERE id = $3 RETURNING {}",
            PERSON_COLUMNS.replace("p.", "")
        ))
        .bind(id.get())
        .bind(to_db(crate::now()))
        .bind(old.id.get())
        .fetch_one(&mut *tx)
        .await?;
        let new = person(&row)?;
        let change = Change {
            entity: EntityKind::Person,
            id: new.id.get(),
            action: AuditAction::Update,
            label: &label(&new),
        };
        record(&mut *tx, actor, change, Some(&old), Some(&new)).await?;
    }
    Ok(())
}
