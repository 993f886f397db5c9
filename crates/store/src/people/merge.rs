//! Two records of one human made one: an import under a new e-mail address, a person entered
//! twice by hand. Everything known about the second moves to the first, in one transaction.

use std::collections::HashSet;

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::PersonId;
use counterpart_core::person::{Person, search_text};
use counterpart_core::validate::{FieldErrors, Problem};
use sqlx::AnyConnection;

use super::rows::{label, person_on};
use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::jobs::enqueue_mirror_of_people_on;
use crate::time::date_to_db;
use crate::versioned::{self, Fields};

/// A refusal of the merge, named at the form's field for the other person.
fn refused(problem: Problem) -> StoreError {
    StoreError::Invalid(FieldErrors::single("other_id", problem))
}

/// Runs one statement with the two ids bound as `$1` (the one kept) and `$2` (the one that
/// goes).
async fn move_refs(
    conn: &mut AnyConnection,
    sql: &str,
    keep: PersonId,
    gone: PersonId,
) -> Result<()> {
    sqlx::query(sql)
        .bind(keep.get())
        .bind(gone.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether `start`'s chain of managers comes back to `start`.
async fn reports_in_a_loop(conn: &mut AnyConnection, start: PersonId) -> Result<bool> {
    let mut seen = HashSet::from([start.get()]);
    let mut at = start.get();
    loop {
        let up: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT reports_to_id FROM persons WHERE id = $1")
                .bind(at)
                .fetch_optional(&mut *conn)
                .await?;
        match up.and_then(|(p,)| p) {
            None => return Ok(false),
            Some(next) if !seen.insert(next) => return Ok(true),
            Some(next) => at = next,
        }
    }
}

impl Store {
    /// Merges person `gone` into person `keep` (of the same organization), if nobody changed
    /// `keep` since `version`: `keep`'s empty fields take `gone`'s values; `gone`'s positions,
    /// key-contact roles, counterpart assignments with their ratings, locks, the accounts they
    /// manage, the people reporting to or assisted by them and their user move to `keep`;
    /// where both held the same role (a key contact of one account, the same counterpart),
    /// `keep`'s stays and `gone`'s duplicate ends (a current assignment) or goes (a key-contact
    /// role, a lock). Then `gone` is deleted. The audit log records both; refused when the two
    /// are one, of different organizations, both users, or when the merge would put someone
    /// above themselves.
    pub async fn merge_people(
        &self,
        actor: &Actor,
        keep: PersonId,
        version: i64,
        gone: PersonId,
    ) -> Result<Person> {
        if keep == gone {
            return Err(refused(Problem::SelfReference));
        }
        let mut tx = self.write().await?;
        let before = person_on(&mut tx, keep).await?;
        let other = person_on(&mut tx, gone).await?;
        if before.organization_id != other.organization_id {
            return Err(refused(Problem::OtherOrganization));
        }
        let users: Vec<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE person_id IN ($1, $2)")
            .bind(keep.get())
            .bind(gone.get())
            .fetch_all(&mut *tx)
            .await?;
        if users.len() > 1 {
            return Err(refused(Problem::Taken));
        }
        let after =
            versioned::update(&mut tx, actor, &before, version, filled(&before, &other)).await?;
        let today = date_to_db(crate::now().date_naive());
        // Extra columns the core type does not carry: a blank one takes the other's value.
        move_refs(
            &mut tx,
            "UPDATE persons SET \
               external_id = COALESCE(external_id, (SELECT external_id FROM persons WHERE id = $2)), \
               capacity = COALESCE(capacity, (SELECT capacity FROM persons WHERE id = $2)) \
             WHERE id = $1",
            keep,
            gone,
        )
        .await?;
        relink_reports(&mut tx, keep, gone).await?;
        move_roles(&mut tx, keep, gone, &today).await?;
        let into = format!("{} → {}", label(&other), label(&after));
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Person,
                id: gone.get(),
                action: AuditAction::Delete,
                label: &into,
            },
            Some(&other),
            None,
        )
        .await?;
        move_refs(&mut tx, "DELETE FROM persons WHERE id = $2", keep, gone).await?;
        enqueue_mirror_of_people_on(&mut tx, &[keep]).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Whoever reported to or was assisted by `gone` now has `keep`; `keep` never reports to
/// or assists itself. Refused when that puts someone above themselves.
async fn relink_reports(conn: &mut AnyConnection, keep: PersonId, gone: PersonId) -> Result<()> {
    // Nobody reports to or assists the one who goes; nobody to themselves.
    for column in ["reports_to_id", "assistant_of_id"] {
        move_refs(
            conn,
            &format!("UPDATE persons SET {column} = $1 WHERE {column} = $2 AND id <> $1"),
            keep,
            gone,
        )
        .await?;
        move_refs(
            conn,
            &format!("UPDATE persons SET {column} = NULL WHERE id = $1 AND {column} IN ($1, $2)"),
            keep,
            gone,
        )
        .await?;
    }
    if reports_in_a_loop(conn, keep).await? {
        return Err(refused(Problem::Cycle));
    }
    Ok(())
}

/// Moves every role of `gone` to `keep`: positions, managed accounts, the user, key-contact
/// roles, assignments (with their ratings) and locks on either side. Where both held the same
/// role, `keep`'s stays: the double's current assignment ends on `today`, its duplicate
/// key-contact role and lock go.
async fn move_roles(
    conn: &mut AnyConnection,
    keep: PersonId,
    gone: PersonId,
    today: &str,
) -> Result<()> {
    move_refs(
        conn,
        "UPDATE positions SET person_id = $1 WHERE person_id = $2",
        keep,
        gone,
    )
    .await?;
    move_refs(
        conn,
        "UPDATE accounts SET manager_id = $1 WHERE manager_id = $2",
        keep,
        gone,
    )
    .await?;
    move_refs(
        conn,
        "UPDATE users SET person_id = $1 WHERE person_id = $2",
        keep,
        gone,
    )
    .await?;
    // The contacts with them or by them.
    for column in ["partner_id", "author_person_id"] {
        move_refs(
            conn,
            &format!("UPDATE interactions SET {column} = $1 WHERE {column} = $2"),
            keep,
            gone,
        )
        .await?;
    }
    // The contacts they took part in; where both did, keep's row stays.
    move_refs(
        conn,
        "DELETE FROM interaction_people WHERE person_id = $2 AND interaction_id IN \
             (SELECT interaction_id FROM interaction_people WHERE person_id = $1)",
        keep,
        gone,
    )
    .await?;
    move_refs(
        conn,
        "UPDATE interaction_people SET person_id = $1 WHERE person_id = $2",
        keep,
        gone,
    )
    .await?;
    // What the mirror found about them (the next analysis sorts out the open ones).
    for column in ["contact_id", "ours_id"] {
        move_refs(
            conn,
            &format!("UPDATE findings SET {column} = $1 WHERE {column} = $2"),
            keep,
            gone,
        )
        .await?;
    }
    // What we learned about them, from them, or by them.
    for column in ["partner_id", "source_id", "author_person_id"] {
        move_refs(
            conn,
            &format!("UPDATE insights SET {column} = $1 WHERE {column} = $2"),
            keep,
            gone,
        )
        .await?;
    }
    // A key contact of an account both were: keep's role stays.
    move_refs(
        conn,
        "DELETE FROM key_contacts WHERE person_id = $2 AND account_id IN \
             (SELECT account_id FROM key_contacts WHERE person_id = $1)",
        keep,
        gone,
    )
    .await?;
    move_refs(
        conn,
        "UPDATE key_contacts SET person_id = $1 WHERE person_id = $2",
        keep,
        gone,
    )
    .await?;
    // Counterparts on either side: a current role keep already has ends for gone's
    // record (its ratings stay with it, in the history); then every record moves.
    // As a partner person, one primary and one deputy at a time, and one role for each of
    // ours; as one of ours, one role per partner person.
    let duplicates = [
        (
            "partner_id",
            "our_id",
            "AND (k.kind = assignments.kind OR k.our_id = assignments.our_id)",
        ),
        (
            "our_id",
            "partner_id",
            "AND k.partner_id = assignments.partner_id",
        ),
    ];
    for (side, other_side, same_role) in duplicates {
        sqlx::query(&format!(
            "UPDATE assignments SET valid_to = $3 WHERE {side} = $2 AND valid_to IS NULL AND \
                 EXISTS (SELECT 1 FROM assignments k WHERE k.{side} = $1 AND k.valid_to IS NULL \
                 {same_role})"
        ))
        .bind(keep.get())
        .bind(gone.get())
        .bind(today)
        .execute(&mut *conn)
        .await?;
        move_refs(
            conn,
            &format!("UPDATE assignments SET {side} = $1 WHERE {side} = $2"),
            keep,
            gone,
        )
        .await?;
        move_refs(
            conn,
            &format!(
                "DELETE FROM counterpart_locks WHERE {side} = $2 AND {other_side} IN \
                     (SELECT {other_side} FROM counterpart_locks WHERE {side} = $1)"
            ),
            keep,
            gone,
        )
        .await?;
        move_refs(
            conn,
            &format!("UPDATE counterpart_locks SET {side} = $1 WHERE {side} = $2"),
            keep,
            gone,
        )
        .await?;
    }
    Ok(())
}

/// The fields of `keep` with its blanks filled from `other`; notes joined.
fn filled<'q>(keep: &'q Person, other: &'q Person) -> Fields<'q> {
    let or = |a: &'q Option<String>, b: &'q Option<String>| a.clone().or_else(|| b.clone());
    let notes = match (&keep.notes, &other.notes) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}\n\n{b}")),
        (a, b) => or(a, b),
    };
    let given = or(&keep.given_name, &other.given_name);
    let job = or(&keep.job_title, &other.job_title);
    let email = or(&keep.email, &other.email);
    let search = search_text(
        &keep.family_name,
        given.as_deref(),
        job.as_deref(),
        email.as_deref(),
    );
    let id_or = |a: Option<i64>, b: Option<i64>| a.or(b);
    Fields::new()
        .set("given_name", given)
        .set(
            "academic_title",
            or(&keep.academic_title, &other.academic_title),
        )
        .set("job_title", job)
        .set(
            "unit_id",
            id_or(
                keep.unit_id.map(|u| u.get()),
                other.unit_id.map(|u| u.get()),
            ),
        )
        .set(
            "level_id",
            id_or(
                keep.level_id.map(|l| l.get()),
                other.level_id.map(|l| l.get()),
            ),
        )
        .set(
            "function_id",
            id_or(
                keep.function_id.map(|f| f.get()),
                other.function_id.map(|f| f.get()),
            ),
        )
        .set("email", email)
        .set("phone", or(&keep.phone, &other.phone))
        .set("mobile", or(&keep.mobile, &other.mobile))
        .set("notes", notes)
        .set("search_text", search)
}
