//! Counterpart assignments and the ratings of each relationship.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use counterpart_core::account::{Assignment, AssignmentInput, AssignmentKind, Rating, RatingInput};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, AssignmentId, PersonId, RatingId, UserId};
use counterpart_core::importance::Tier;
use counterpart_core::org::OrganizationKind;
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::accounts::{partner_units_on, person_chain_on};
use crate::audit::{Change, conflict, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::jobs::{enqueue_mirror_of_contacts_on, enqueue_mirror_of_people_on};
use crate::orgs::organization_on;
use crate::people::{PersonSummary, person_on};
use crate::time::{date_from_db, date_to_db, to_db};
use crate::{Actor, Visibility};

/// An assignment with the other side's person and the relationship's latest rating.
#[derive(Clone, Debug, Serialize)]
pub struct CounterpartView {
    /// The assignment.
    pub assignment: Assignment,
    /// The person on the other side (ours when listing a partner's counterparts, and vice versa).
    pub person: PersonSummary,
    /// The latest relationship rating.
    pub relationship: Option<i64>,
    /// When it was given.
    pub rated_on: Option<NaiveDate>,
    /// The pair's last contact, logged or rated.
    pub last_contact: Option<NaiveDate>,
    /// The pair's own expected contact interval in days; `None`: the default.
    pub contact_every_days: Option<i64>,
}

const ASSIGNMENT_COLUMNS: &str =
    "s.id, s.partner_id, s.our_id, s.kind, s.valid_from, s.valid_to, s.version";

pub(crate) fn assignment(row: &AnyRow) -> Result<Assignment, sqlx::Error> {
    let to: Option<String> = row.try_get("valid_to")?;
    Ok(Assignment {
        id: AssignmentId::new(row.try_get("id")?),
        partner_id: PersonId::new(row.try_get("partner_id")?),
        our_id: PersonId::new(row.try_get("our_id")?),
        kind: row.try_get::<String, _>("kind")?.parse().map_err(decode)?,
        valid_from: date_from_db(row.try_get("valid_from")?)?,
        valid_to: to.as_deref().map(date_from_db).transpose()?,
        version: row.try_get("version")?,
    })
}

async fn assignment_on(conn: &mut AnyConnection, id: AssignmentId) -> Result<Assignment> {
    let row = sqlx::query(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM assignments s WHERE s.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::Assignment, id.get()))?;
    Ok(assignment(&row)?)
}

fn rating(row: &AnyRow) -> Result<Rating, sqlx::Error> {
    Ok(Rating {
        id: RatingId::new(row.try_get("id")?),
        assignment_id: AssignmentId::new(row.try_get("assignment_id")?),
        rated_on: date_from_db(row.try_get("rated_on")?)?,
        relationship: row.try_get("relationship")?,
        partnership: row.try_get("partnership")?,
        satisfaction: row.try_get("satisfaction")?,
        comment: row.try_get("comment")?,
        rated_by: row.try_get::<Option<i64>, _>("rated_by")?.map(UserId::new),
        rated_by_name: row.try_get("rated_by_name")?,
    })
}

/// The label of an assignment in the audit log: "Partner ↔ Ours".
async fn label(conn: &mut AnyConnection, a: &Assignment) -> Result<String> {
    let partner = person_on(conn, a.partner_id).await?.display_name();
    let ours = person_on(conn, a.our_id).await?.display_name();
    Ok(format!("{partner} ↔ {ours}"))
}

/// Ends an assignment on `day` with an audit entry.
async fn end_on(
    conn: &mut AnyConnection,
    actor: &Actor,
    before: &Assignment,
    day: NaiveDate,
) -> Result<Assignment> {
    // The version read is compared by the write itself: on PostgreSQL another transaction
    // may have changed the row between the read and this statement.
    let row = sqlx::query(&format!(
        "UPDATE assignments SET valid_to = $1, version = version + 1 \
         WHERE id = $2 AND version = $3 RETURNING {}",
        ASSIGNMENT_COLUMNS.replace("s.", "")
    ))
    .bind(date_to_db(day))
    .bind(before.id.get())
    .bind(before.version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Err(conflict(conn, EntityKind::Assignment, before.id.get()).await);
    };
    let after = assignment(&row)?;
    let label = label(conn, &after).await?;
    let change = Change {
        entity: EntityKind::Assignment,
        id: after.id.get(),
        action: AuditAction::Update,
        label: &label,
    };
    record(conn, actor, change, Some(before), Some(&after)).await?;
    Ok(after)
}

/// Checks the two sides of a new assignment: the partner is a person of a partner
/// organization, or one of ours inside the partner unit of an account of our own house (a
/// neighbouring department); ours is one of ours, never the partner themselves nor anyone
/// inside the partner's own department.
async fn check_sides(conn: &mut AnyConnection, partner: PersonId, ours: PersonId) -> Result<()> {
    let mut errors = FieldErrors::default();
    // The partner units the partner person is inside (empty for an external partner).
    let mut inside = Vec::new();
    match person_on(&mut *conn, partner).await {
        Ok(p) => {
            let org = organization_on(&mut *conn, p.organization_id).await?;
            if org.kind == OrganizationKind::Own {
                let chain = person_chain_on(&mut *conn, p.id).await?;
                inside = partner_units_on(&mut *conn, &chain).await?;
                if inside.is_empty() {
                    errors.add("partner_id", Problem::OutsidePartnerUnit);
                }
            }
        }
        Err(StoreError::NotFound { .. }) => errors.add("partner_id", Problem::NotFound),
        Err(e) => return Err(e),
    }
    match person_on(&mut *conn, ours).await {
        Ok(p) => {
            let org = organization_on(&mut *conn, p.organization_id).await?;
            if org.kind != OrganizationKind::Own {
                errors.add("our_id", Problem::OtherOrganization);
            } else if p.id == partner {
                errors.add("our_id", Problem::SelfReference);
            } else if !inside.is_empty()
                && person_chain_on(&mut *conn, p.id)
                    .await?
                    .iter()
                    .any(|u| inside.contains(u))
            {
                errors.add("our_id", Problem::InsidePartnerUnit);
            }
        }
        Err(StoreError::NotFound { .. }) => errors.add("our_id", Problem::NotFound),
        Err(e) => return Err(e),
    }
    Ok(errors.into_result(|| ())?)
}

/// The use case `Store::assign` on an open transaction.
pub(crate) async fn assign_on(
    tx: &mut AnyConnection,
    actor: &Actor,
    input: &AssignmentInput,
) -> Result<Assignment> {
    check_sides(&mut *tx, input.partner_id, input.our_id).await?;
    let current = sqlx::query(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM assignments s WHERE s.partner_id = $1 AND s.valid_to IS NULL"
    ))
    .bind(input.partner_id.get())
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(assignment)
    .collect::<Result<Vec<_>, _>>()?;
    if current.iter().any(|a| a.our_id == input.our_id) {
        return Err(FieldErrors::single("our_id", Problem::Taken).into());
    }
    if input.kind == AssignmentKind::Primary {
        for old in current.iter().filter(|a| a.kind == AssignmentKind::Primary) {
            let ends = input.valid_from - Duration::days(1);
            if ends < old.valid_from {
                return Err(FieldErrors::single("valid_from", Problem::EndBeforeStart).into());
            }
            end_on(&mut *tx, actor, old, ends).await?;
        }
    }
    let row = sqlx::query(&format!(
        "INSERT INTO assignments (partner_id, our_id, kind, valid_from) VALUES ($1, $2, $3, $4) RETURNING {}",
        ASSIGNMENT_COLUMNS.replace("s.", "")
    ))
    .bind(input.partner_id.get())
    .bind(input.our_id.get())
    .bind(input.kind.as_str())
    .bind(date_to_db(input.valid_from))
    .fetch_one(&mut *tx)
    .await?;
    let created = assignment(&row)?;
    let label = label(&mut *tx, &created).await?;
    let change = Change {
        entity: EntityKind::Assignment,
        id: created.id.get(),
        action: AuditAction::Create,
        label: &label,
    };
    record(&mut *tx, actor, change, None, Some(&created)).await?;
    Ok(created)
}

/// The use case `Store::rate` on an open transaction.
pub(crate) async fn rate_on(
    tx: &mut AnyConnection,
    actor: &Actor,
    id: AssignmentId,
    input: &RatingInput,
) -> Result<Rating> {
    let assignment = assignment_on(&mut *tx, id).await?;
    let row = sqlx::query(
        "INSERT INTO ratings (assignment_id, rated_on, relationship, partnership, satisfaction, comment, \
         rated_by, rated_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id, assignment_id, rated_on, relationship, partnership, satisfaction, comment, rated_by, rated_by_name",
    )
    .bind(id.get())
    .bind(date_to_db(input.rated_on))
    .bind(input.relationship)
    .bind(input.partnership)
    .bind(input.satisfaction)
    .bind(&input.comment)
    .bind(actor.user_id.map(UserId::get))
    .bind(&actor.name)
    .bind(to_db(crate::now()))
    .fetch_one(&mut *tx)
    .await?;
    let created = rating(&row)?;
    sqlx::query(
        "UPDATE assignments SET latest_relationship = $1, latest_rated_on = $2 \
         WHERE id = $3 AND (latest_rated_on IS NULL OR latest_rated_on <= $2)",
    )
    .bind(input.relationship)
    .bind(date_to_db(input.rated_on))
    .bind(id.get())
    .execute(&mut *tx)
    .await?;
    // A rating is a contact too: it moves the pair's last contact forward, never back.
    sqlx::query(
        "UPDATE assignments SET last_contact_on = $1 \
         WHERE id = $2 AND (last_contact_on IS NULL OR last_contact_on < $1)",
    )
    .bind(date_to_db(input.rated_on))
    .bind(id.get())
    .execute(&mut *tx)
    .await?;
    // The pair's rating and last contact are what the mirror's "stale" finding reads.
    enqueue_mirror_of_contacts_on(&mut *tx, &[assignment.partner_id]).await?;
    let label = label(&mut *tx, &assignment).await?;
    let change = Change {
        entity: EntityKind::Rating,
        id: created.id.get(),
        action: AuditAction::Create,
        label: &label,
    };
    record(&mut *tx, actor, change, None, Some(&created)).await?;
    Ok(created)
}

impl Store {
    /// Assigns one of our people to a partner person. A new primary ends the current primary
    /// the day before (history stays); the same pair cannot be assigned twice at once.
    pub async fn assign(&self, actor: &Actor, input: &AssignmentInput) -> Result<Assignment> {
        let mut tx = self.write().await?;
        let out = assign_on(&mut tx, actor, input).await?;
        enqueue_mirror_of_people_on(&mut tx, &[input.partner_id]).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Ends an assignment on `day` (inclusive), if nobody changed it since `version`.
    pub async fn end_assignment(
        &self,
        actor: &Actor,
        id: AssignmentId,
        version: i64,
        day: NaiveDate,
    ) -> Result<Assignment> {
        let mut tx = self.write().await?;
        let before = assignment_on(&mut tx, id).await?;
        if before.version != version {
            return Err(conflict(&mut tx, EntityKind::Assignment, id.get()).await);
        }
        if day < before.valid_from {
            return Err(FieldErrors::single("valid_to", Problem::EndBeforeStart).into());
        }
        let after = end_on(&mut tx, actor, &before, day).await?;
        enqueue_mirror_of_people_on(&mut tx, &[before.partner_id]).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a pair's own expected contact interval in days (`None`: back to the default), if
    /// nobody changed the assignment since `version`; audited.
    pub async fn set_contact_interval(
        &self,
        actor: &Actor,
        id: AssignmentId,
        version: i64,
        every_days: Option<i64>,
    ) -> Result<Assignment> {
        /// What the audit log keeps of the change.
        #[derive(Serialize)]
        struct Interval {
            contact_every_days: Option<i64>,
        }
        let mut tx = self.write().await?;
        let before = assignment_on(&mut tx, id).await?;
        let old: Option<i64> =
            sqlx::query_scalar("SELECT contact_every_days FROM assignments WHERE id = $1")
                .bind(id.get())
                .fetch_one(&mut *tx)
                .await?;
        let row = sqlx::query(&format!(
            "UPDATE assignments SET contact_every_days = $1, version = version + 1 \
             WHERE id = $2 AND version = $3 RETURNING {}",
            ASSIGNMENT_COLUMNS.replace("s.", "")
        ))
        .bind(every_days)
        .bind(id.get())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(conflict(&mut tx, EntityKind::Assignment, id.get()).await);
        };
        let after = assignment(&row)?;
        let label = label(&mut tx, &before).await?;
        let change = Change {
            entity: EntityKind::Assignment,
            id: id.get(),
            action: AuditAction::Update,
            label: &label,
        };
        let (old, new) = (
            Interval {
                contact_every_days: old,
            },
            Interval {
                contact_every_days: every_days,
            },
        );
        record(&mut tx, actor, change, Some(&old), Some(&new)).await?;
        enqueue_mirror_of_contacts_on(&mut tx, &[before.partner_id]).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A pair's last contact (logged or rated) and its own expected contact interval.
    pub async fn pair_contact(&self, id: AssignmentId) -> Result<(Option<NaiveDate>, Option<i64>)> {
        let (last, every): (Option<String>, Option<i64>) = sqlx::query_as(
            "SELECT last_contact_on, contact_every_days FROM assignments WHERE id = $1",
        )
        .bind(id.get())
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Assignment,
            id: id.get(),
        })?;
        Ok((last.as_deref().map(date_from_db).transpose()?, every))
    }

    /// The best tier of the active accounts a reader sees in which a partner person is a key
    /// contact: what sets their pairs' default contact intervals.
    pub async fn partner_tier(&self, partner: PersonId, seen: &Visibility) -> Result<Option<Tier>> {
        Ok(self.partner_tiers(&[partner], seen).await?.remove(&partner))
    }

    /// [`Store::partner_tier`] of several partner people at once; those in no rated account
    /// are missing.
    pub async fn partner_tiers(
        &self,
        partners: &[PersonId],
        seen: &Visibility,
    ) -> Result<HashMap<PersonId, Tier>> {
        let ids: Vec<i64> = partners.iter().map(|id| id.get()).collect();
        let (_, hidden) = seen.accounts("a.id", 1);
        // One JSON value per chunk of ids rather than a row per person (My day: hundreds).
        let rows = self
            .rows_by_ids_and(&ids, &hidden, |list, first| {
                let (visible, _) = seen.accounts("a.id", first);
                format!(
                    "SELECT {} FROM (SELECT k.person_id, MIN(a.tier) AS tier FROM key_contacts k \
                     JOIN accounts a ON a.id = k.account_id \
                     WHERE k.person_id IN ({list}) AND a.active = 1 AND a.tier IS NOT NULL \
                     AND {visible} GROUP BY k.person_id) t",
                    crate::dialect::json_rows(self.backend(), "person_id, tier")
                )
            })
            .await?;
        let mut tiers = HashMap::new();
        for row in &rows {
            let (values,): (String,) = FromRow::from_row(row)?;
            for (person, tier) in crate::decode::json::<(i64, String)>(&values)? {
                tiers.insert(PersonId::new(person), tier.parse().map_err(decode)?);
            }
        }
        Ok(tiers)
    }

    /// An account's stored tier, if rated.
    pub async fn account_tier(&self, account: AccountId) -> Result<Option<Tier>> {
        let tier: Option<Option<String>> =
            sqlx::query_scalar("SELECT tier FROM accounts WHERE id = $1")
                .bind(account.get())
                .fetch_optional(self.pool())
                .await?;
        Ok(tier
            .flatten()
            .map(|t| t.parse().map_err(decode))
            .transpose()?)
    }

    /// An account's importance score as the importance job stored it (to a tenth, as the
    /// lists show it); `None` before it has any.
    pub async fn account_importance(&self, account: AccountId) -> Result<Option<f64>> {
        let score: Option<Option<f64>> =
            sqlx::query_scalar("SELECT score FROM accounts WHERE id = $1")
                .bind(account.get())
                .fetch_optional(self.pool())
                .await?;
        Ok(score.flatten())
    }

    /// One assignment.
    pub async fn assignment(&self, id: AssignmentId) -> Result<Assignment> {
        assignment_on(&mut *self.pool().acquire().await?, id).await
    }

    /// The counterparts of a partner person a reader sees (current ones, or all when
    /// `history`), with our people and the latest rating.
    pub async fn counterparts_of(
        &self,
        partner: PersonId,
        history: bool,
        seen: &Visibility,
    ) -> Result<Vec<CounterpartView>> {
        self.counterpart_views(("s.partner_id", "s.our_id"), &[partner], history, seen)
            .await
    }

    /// The current counterparts of several partner people at once (an account's key
    /// contacts): each person's in the order [`Store::counterparts_of`] gives them.
    pub async fn counterparts_of_each(
        &self,
        partners: &[PersonId],
        seen: &Visibility,
    ) -> Result<Vec<CounterpartView>> {
        self.counterpart_views(("s.partner_id", "s.our_id"), partners, false, seen)
            .await
    }

    /// The partner people one of ours holds relationships to ("my counterparts") that a
    /// reader sees.
    pub async fn counterparts_held_by(
        &self,
        ours: PersonId,
        history: bool,
        seen: &Visibility,
    ) -> Result<Vec<CounterpartView>> {
        self.counterpart_views(("s.our_id", "s.partner_id"), &[ours], history, seen)
            .await
    }

    /// How many partner people one of ours is the current counterpart of, of those a reader
    /// sees: the length of [`Store::counterparts_held_by`] without reading the pairs.
    pub async fn counterparts_held_count(&self, ours: PersonId, seen: &Visibility) -> Result<u64> {
        let (visible, hidden) = seen.pairs("partner_id", 2);
        let sql = format!(
            "SELECT COUNT(*) FROM assignments WHERE our_id = $1 AND valid_to IS NULL AND {visible}"
        );
        let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(ours.get());
        for id in hidden {
            query = query.bind(id);
        }
        let (count,) = query.fetch_one(self.pool()).await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// The pairs whose `side` is one of `ids`, with the person on the `other` side, that a
    /// reader sees: the pairs of hidden partners are left out.
    async fn counterpart_views(
        &self,
        (side, other): (&str, &str),
        ids: &[PersonId],
        history: bool,
        seen: &Visibility,
    ) -> Result<Vec<CounterpartView>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.get()).collect();
        let current = if history {
            ""
        } else {
            "AND s.valid_to IS NULL"
        };
        // One JSON value per chunk of ids: a row each crossed from the database one by one,
        // with its thirty columns converted each time (My day: a row per pair held).
        let views = crate::dialect::json_rows_ordered(
            self.backend(),
            VIEW_COLUMNS,
            "CASE WHEN s.valid_to IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN s.kind = 'primary' THEN 0 ELSE 1 END, lower(p.family_name), s.id",
        );
        let rows: Vec<AnyRow> = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT {views} FROM persons p JOIN organizations o ON o.id = p.organization_id \
                     LEFT JOIN units u ON u.id = p.unit_id \
                     JOIN assignments s ON {other} = p.id WHERE {side} IN ({list}) {current}"
                )
            })
            .await?;
        let mut views = Vec::new();
        for row in &rows {
            let (json,): (String,) = FromRow::from_row(row)?;
            for view in crate::decode::json::<ViewJson>(&json)? {
                let view = view.into_view()?;
                // Hidden partners are few (key contacts of hidden accounts only): left out
                // here rather than by a longer statement.
                if seen.sees_pairs_of(view.assignment.partner_id) {
                    views.push(view);
                }
            }
        }
        Ok(views)
    }

    /// Rates a relationship. The assignment keeps its latest relationship rating for lists.
    pub async fn rate(
        &self,
        actor: &Actor,
        id: AssignmentId,
        input: &RatingInput,
    ) -> Result<Rating> {
        let mut tx = self.write().await?;
        let out = rate_on(&mut tx, actor, id, input).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The ratings of a relationship, oldest first.
    pub async fn ratings(&self, id: AssignmentId) -> Result<Vec<Rating>> {
        let rows = sqlx::query(
            "SELECT id, assignment_id, rated_on, relationship, partnership, satisfaction, comment, rated_by, \
             rated_by_name FROM ratings WHERE assignment_id = $1 ORDER BY rated_on, id",
        )
        .bind(id.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(rating).collect::<Result<_, _>>()?)
    }

    /// The relationship ratings of several relationships, oldest first: their trends.
    pub async fn relationship_series(
        &self,
        ids: &[AssignmentId],
    ) -> Result<HashMap<AssignmentId, Vec<i64>>> {
        self.rating_series(ids, "relationship", None).await
    }

    /// The last `last` relationship ratings of several relationships, oldest first: what a
    /// trend compares, without reading every rating ever given.
    pub async fn recent_relationship_series(
        &self,
        ids: &[AssignmentId],
        last: usize,
    ) -> Result<HashMap<AssignmentId, Vec<i64>>> {
        self.rating_series(ids, "relationship", Some(last)).await
    }

    /// The satisfaction ratings of several relationships, oldest first.
    pub async fn satisfaction_series(
        &self,
        ids: &[AssignmentId],
    ) -> Result<HashMap<AssignmentId, Vec<i64>>> {
        self.rating_series(ids, "satisfaction", None).await
    }

    /// The last `last` satisfaction ratings of several relationships, oldest first.
    pub async fn recent_satisfaction_series(
        &self,
        ids: &[AssignmentId],
        last: usize,
    ) -> Result<HashMap<AssignmentId, Vec<i64>>> {
        self.rating_series(ids, "satisfaction", Some(last)).await
    }

    /// One rating dimension (a column name of ours, never input) of several relationships,
    /// all ratings or the `last` of each, as one JSON value per chunk of ids: a row per
    /// rating crossed from the database one by one (thousands for a holder of hundreds of
    /// pairs). Every rating is read from the index by pair and day (migration 16) and the
    /// last ones kept here: SQL's window functions took three times as long for a holder of
    /// 245 pairs.
    async fn rating_series(
        &self,
        ids: &[AssignmentId],
        dimension: &'static str,
        last: Option<usize>,
    ) -> Result<HashMap<AssignmentId, Vec<i64>>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.get()).collect();
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT {} FROM (SELECT assignment_id, rated_on, id, {dimension} AS value \
                     FROM ratings WHERE assignment_id IN ({list})) r",
                    crate::dialect::json_rows_ordered(
                        self.backend(),
                        "assignment_id, value",
                        "assignment_id, rated_on, id"
                    )
                )
            })
            .await?;
        let mut series: HashMap<AssignmentId, Vec<i64>> = HashMap::new();
        for row in &rows {
            let (values,): (String,) = FromRow::from_row(row)?;
            for (id, value) in crate::decode::json::<(i64, i64)>(&values)? {
                series.entry(AssignmentId::new(id)).or_default().push(value);
            }
        }
        if let Some(last) = last {
            for values in series.values_mut() {
                values.drain(..values.len().saturating_sub(last));
            }
        }
        Ok(series)
    }
}

/// What [`Store::counterparts_of`] and its kin read of a pair, in the order of
/// [`ViewJson`].
const VIEW_COLUMNS: &str = "s.id, s.partner_id, s.our_id, s.kind, s.valid_from, s.valid_to, \
    s.version, s.latest_relationship, s.latest_rated_on, s.last_contact_on, \
    s.contact_every_days, p.id, p.organization_id, p.unit_id, p.given_name, p.family_name, \
    p.academic_title, p.job_title, p.level_id, p.function_id, p.reports_to_id, \
    p.assistant_of_id, p.email, p.phone, p.mobile, p.notes, p.active, p.version, u.name, o.name";

/// A counterpart view as one JSON array of [`VIEW_COLUMNS`].
#[derive(serde::Deserialize)]
struct ViewJson(
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Option<String>,
    String,
);

impl ViewJson {
    fn into_view(self) -> Result<CounterpartView, sqlx::Error> {
        use counterpart_core::ids::{FunctionId, LevelId, OrganizationId, UnitId};
        let date = |d: Option<String>| d.as_deref().map(date_from_db).transpose();
        let Self(
            id,
            partner_id,
            our_id,
            kind,
            valid_from,
            valid_to,
            version,
            relationship,
            rated_on,
            last_contact,
            contact_every_days,
            person_id,
            organization_id,
            unit_id,
            given_name,
            family_name,
            academic_title,
            job_title,
            level_id,
            function_id,
            reports_to_id,
            assistant_of_id,
            email,
            phone,
            mobile,
            notes,
            active,
            person_version,
            unit_name,
            organization_name,
        ) = self;
        Ok(CounterpartView {
            assignment: Assignment {
                id: AssignmentId::new(id),
                partner_id: PersonId::new(partner_id),
                our_id: PersonId::new(our_id),
                kind: kind.parse().map_err(decode)?,
                valid_from: date_from_db(&valid_from)?,
                valid_to: date(valid_to)?,
                version,
            },
            person: PersonSummary {
                person: counterpart_core::person::Person {
                    id: PersonId::new(person_id),
                    organization_id: OrganizationId::new(organization_id),
                    unit_id: unit_id.map(UnitId::new),
                    given_name,
                    family_name,
                    academic_title,
                    job_title,
                    level_id: level_id.map(LevelId::new),
                    function_id: function_id.map(FunctionId::new),
                    reports_to_id: reports_to_id.map(PersonId::new),
                    assistant_of_id: assistant_of_id.map(PersonId::new),
                    email,
                    phone,
                    mobile,
                    notes,
                    active: active != 0,
                    version: person_version,
                },
                unit_name,
                organization_name,
            },
            relationship,
            rated_on: date(rated_on)?,
            last_contact: date(last_contact)?,
            contact_every_days,
        })
    }
}
