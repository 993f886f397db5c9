//! The unit digest's reads — what changed on the accounts a set of our units is responsible
//! for since a day (its secret feed addresses are access tokens, see `tokens`).

use chrono::NaiveDate;
use counterpart_core::ids::{AccountId, AssignmentId, PersonId, UnitId, UserId};
use counterpart_core::mirror::analysis::FindingKind;
use counterpart_core::person::display_name;
use counterpart_core::user::User;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::Visibility;
use crate::db::Store;
use crate::dialect::placeholders;
use crate::error::Result;
use crate::insights::InsightView;
use crate::time::{Timestamp, date_from_db, date_to_db, from_db, to_db};
use crate::users::{USER_COLUMNS, user};

/// Changes of each kind a digest lists at most.
pub const DIGEST_ROWS: i64 = 100;

/// A rating given since the day asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatingChange {
    /// The relationship rated.
    pub assignment_id: AssignmentId,
    /// The partner person and their name.
    pub partner: (PersonId, String),
    /// Our person's name.
    pub ours: String,
    /// When.
    pub rated_on: NaiveDate,
    /// The relationship now, 1–5.
    pub relationship: i64,
    /// Satisfaction now, 1–5.
    pub satisfaction: i64,
    /// The relationship rating before, if there was one.
    pub previous: Option<i64>,
}

/// A counterpart pair that began or ended since the day asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PairChange {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The partner person and their name.
    pub partner: (PersonId, String),
    /// Our person's name.
    pub ours: String,
    /// The day it began, or ended.
    pub day: NaiveDate,
    /// Whether it ended (else it began).
    pub ended: bool,
}

/// A finding of the mirror first seen since the day asked about and not resolved since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewFinding {
    /// The account and its name.
    pub account: (AccountId, String),
    /// What kind of finding.
    pub kind: FindingKind,
    /// 0–100, as the mirror rated it last.
    pub severity: i64,
    /// The partner person it is about, with their name, if any.
    pub contact: Option<(PersonId, String)>,
    /// Our person it is about, by name, if any.
    pub ours: Option<String>,
    /// When an analysis first saw it.
    pub first_seen_at: Timestamp,
}

/// A key contact of an account the units are responsible for, with what sets the pairs'
/// contact intervals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitKeyContact {
    /// The account.
    pub account_id: AccountId,
    /// The partner person.
    pub person_id: PersonId,
    /// Their level's rank, if set.
    pub rank: Option<i64>,
    /// The account's tier key, if rated.
    pub tier: Option<String>,
}

/// The active accounts of `units` that a reader sees, as a condition on the alias `a` with
/// the units bound from `$first`, and the values to bind (the units, then what the reader's
/// [`Visibility`] needs).
/// A current pair of a key contact with what its contact rhythm needs (the digest's due pairs:
/// the whole house's 150,000 pairs read as these six columns, not as whole counterpart views).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairRhythm {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Since when the pair holds.
    pub valid_from: NaiveDate,
    /// The last contact logged.
    pub last_contact: Option<NaiveDate>,
    /// The pair's own contact interval in days, if set.
    pub contact_every_days: Option<i64>,
}

fn unit_accounts(units: &[UnitId], seen: &Visibility, first: usize) -> (String, Vec<i64>) {
    let (visible, hidden) = seen.accounts("a.id", first + units.len());
    let mut ids: Vec<i64> = units.iter().map(|u| u.get()).collect();
    ids.extend(hidden);
    (
        format!(
            "a.active = 1 AND a.responsible_unit_id IN ({}) AND {visible}",
            placeholders(first, units.len())
        ),
        ids,
    )
}

/// The partner people who are key contacts of the active accounts of `units` that a reader
/// sees, as a subquery with its values bound from `$2`, and those values.
fn unit_partners(units: &[UnitId], seen: &Visibility) -> (String, Vec<i64>) {
    let (accounts, ids) = unit_accounts(units, seen, 2);
    (
        format!(
            "SELECT k.person_id FROM key_contacts k JOIN accounts a ON a.id = k.account_id \
             WHERE {accounts}"
        ),
        ids,
    )
}

/// The key contacts of the account `$2`.
const ACCOUNT_PARTNERS: &str = "SELECT k.person_id FROM key_contacts k WHERE k.account_id = $2";

fn name(row: &AnyRow, prefix: &str) -> Result<String, sqlx::Error> {
    Ok(display_name(
        row.try_get::<Option<String>, _>(format!("{prefix}_title").as_str())?
            .as_deref(),
        row.try_get::<Option<String>, _>(format!("{prefix}_given").as_str())?
            .as_deref(),
        &row.try_get::<String, _>(format!("{prefix}_family").as_str())?,
    ))
}

/// The name columns of the partner (`p`) and our person (`q`).
const NAMES: &str = "p.id AS p_id, p.academic_title AS p_title, p.given_name AS p_given, \
    p.family_name AS p_family, q.academic_title AS q_title, q.given_name AS q_given, \
    q.family_name AS q_family";

impl Store {
    /// The insights a reader sees that were recorded from `since` on about the active
    /// accounts of `units` the reader sees or their key contacts, newest first.
    pub async fn insights_on_units_since(
        &self,
        units: &[UnitId],
        since: NaiveDate,
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        // The same values serve both subqueries. A union of two index lookups rather than
        // one `OR`, as for an account's insights (`Subject::condition`), each bounded by the
        // day in its index ((account_id, created_at), (partner_id, created_at)): with the day
        // outside the union, the whole house's digest read all 1,000,000 insights of the
        // enterprise dataset to keep a week's 12,800 (2.2 s on SQLite, 0.14 s now). One `OR`
        // would be quicker still for the whole house on PostgreSQL, but its planner then
        // walks the insights by day for a unit with few (2.8 s instead of 1.5 ms).
        let (partners, ids) = unit_partners(units, visibility);
        let about = format!(
            "i.id IN (SELECT x.id FROM insights x WHERE x.created_at >= $1 \
             AND x.account_id IN (SELECT a.id FROM accounts a WHERE {}) \
             UNION SELECT x.id FROM insights x WHERE x.created_at >= $1 \
             AND x.partner_id IN ({partners}))",
            unit_accounts(units, visibility, 2).0
        );
        let mut values = vec![to_db(since_start(since)).into()];
        values.extend(ids.into_iter().map(Into::into));
        self.insights_matching(&about, values, visibility, DIGEST_ROWS)
            .await
    }

    /// The current pairs of `partners` that a reader sees (the pairs of hidden partners left
    /// out, as [`Store::counterparts_of_each`] leaves them out), with their contact rhythm.
    pub async fn pair_rhythms(
        &self,
        partners: &[PersonId],
        seen: &Visibility,
    ) -> Result<Vec<PairRhythm>> {
        let ids: Vec<i64> = partners.iter().map(|p| p.get()).collect();
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT id, partner_id, our_id, valid_from, last_contact_on, contact_every_days \
                     FROM assignments WHERE partner_id IN ({list}) AND valid_to IS NULL"
                )
            })
            .await?;
        let mut pairs = Vec::with_capacity(rows.len());
        for row in &rows {
            let (id, partner, ours, valid_from, last_contact, every): (
                i64,
                i64,
                i64,
                String,
                Option<String>,
                Option<i64>,
            ) = sqlx::FromRow::from_row(row)?;
            let partner_id = PersonId::new(partner);
            if seen.sees_pairs_of(partner_id) {
                pairs.push(PairRhythm {
                    assignment_id: AssignmentId::new(id),
                    partner_id,
                    our_id: PersonId::new(ours),
                    valid_from: date_from_db(&valid_from)?,
                    last_contact: last_contact.as_deref().map(date_from_db).transpose()?,
                    contact_every_days: every,
                });
            }
        }
        Ok(pairs)
    }

    /// The mirror's findings on the active accounts of `units` that a reader sees that were
    /// first seen from `since` on and are still open, most severe first.
    pub async fn new_findings_since(
        &self,
        units: &[UnitId],
        since: NaiveDate,
        seen: &Visibility,
    ) -> Result<Vec<NewFinding>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let (accounts, ids) = unit_accounts(units, seen, 2);
        let sql = format!(
            "SELECT f.account_id, a.name AS account_name, f.kind, f.severity, f.first_seen_at, \
               f.contact_id, p.academic_title AS p_title, p.given_name AS p_given, \
               p.family_name AS p_family, q.academic_title AS q_title, \
               q.given_name AS q_given, q.family_name AS q_family \
             FROM findings f JOIN accounts a ON a.id = f.account_id \
             LEFT JOIN persons p ON p.id = f.contact_id LEFT JOIN persons q ON q.id = f.ours_id \
             WHERE f.resolved_at IS NULL AND f.first_seen_at >= $1 AND {accounts} \
             ORDER BY f.severity DESC, f.first_seen_at DESC, f.id LIMIT {DIGEST_ROWS}"
        );
        let rows = ids
            .into_iter()
            .fold(
                sqlx::query(&sql).bind(to_db(since_start(since))),
                |q, id| q.bind(id),
            )
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                let named = |prefix: &str| -> Result<Option<String>, sqlx::Error> {
                    let family: Option<String> =
                        row.try_get(format!("{prefix}_family").as_str())?;
                    family.map(|_| name(row, prefix)).transpose()
                };
                let contact = row
                    .try_get::<Option<i64>, _>("contact_id")?
                    .map(PersonId::new)
                    .zip(named("p")?);
                Ok(NewFinding {
                    account: (
                        AccountId::new(row.try_get("account_id")?),
                        row.try_get("account_name")?,
                    ),
                    kind: row
                        .try_get::<String, _>("kind")?
                        .parse()
                        .map_err(crate::decode::decode)?,
                    severity: row.try_get("severity")?,
                    contact,
                    ours: named("q")?,
                    first_seen_at: from_db(&row.try_get::<String, _>("first_seen_at")?)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The ratings given from `since` on of the key contacts of the active accounts of
    /// `units` that a reader sees, newest first, each with the relationship rating before it.
    pub async fn rating_changes_since(
        &self,
        units: &[UnitId],
        since: NaiveDate,
        seen: &Visibility,
    ) -> Result<Vec<RatingChange>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let (partners, ids) = unit_partners(units, seen);
        self.rating_changes(&partners, &ids, since).await
    }

    /// The ratings given from `since` on of an account's key contacts, newest first.
    pub async fn account_rating_changes_since(
        &self,
        account: AccountId,
        since: NaiveDate,
    ) -> Result<Vec<RatingChange>> {
        self.rating_changes(ACCOUNT_PARTNERS, &[account.get()], since)
            .await
    }

    /// The ratings from `since` on of the partner people `partners` selects (a subquery with
    /// `ids` bound from `$2`).
    async fn rating_changes(
        &self,
        partners: &str,
        ids: &[i64],
        since: NaiveDate,
    ) -> Result<Vec<RatingChange>> {
        let sql = format!(
            "SELECT r.assignment_id, r.rated_on, r.relationship, r.satisfaction, {NAMES}, \
               (SELECT r2.relationship FROM ratings r2 WHERE r2.assignment_id = r.assignment_id \
                AND (r2.rated_on < r.rated_on OR (r2.rated_on = r.rated_on AND r2.id < r.id)) \
                ORDER BY r2.rated_on DESC, r2.id DESC LIMIT 1) AS previous \
             FROM ratings r JOIN assignments s ON s.id = r.assignment_id \
             JOIN persons p ON p.id = s.partner_id JOIN persons q ON q.id = s.our_id \
             WHERE r.rated_on >= $1 AND s.partner_id IN ({partners}) \
             ORDER BY r.rated_on DESC, r.id DESC LIMIT {DIGEST_ROWS}"
        );
        let rows = ids
            .iter()
            .fold(sqlx::query(&sql).bind(date_to_db(since)), |q, id| {
                q.bind(*id)
            })
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(RatingChange {
                    assignment_id: AssignmentId::new(row.try_get("assignment_id")?),
                    partner: (PersonId::new(row.try_get("p_id")?), name(row, "p")?),
                    ours: name(row, "q")?,
                    rated_on: date_from_db(&row.try_get::<String, _>("rated_on")?)?,
                    relationship: row.try_get("relationship")?,
                    satisfaction: row.try_get("satisfaction")?,
                    previous: row.try_get("previous")?,
                })
            })
            .collect()
    }

    /// The counterpart pairs of the key contacts of the active accounts of `units` that a
    /// reader sees that began or ended from `since` on, newest first.
    pub async fn pair_changes_since(
        &self,
        units: &[UnitId],
        since: NaiveDate,
        seen: &Visibility,
    ) -> Result<Vec<PairChange>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let (partners, ids) = unit_partners(units, seen);
        self.pair_changes(&partners, &ids, since).await
    }

    /// The counterpart pairs of an account's key contacts that began or ended from `since`
    /// on, newest first.
    pub async fn account_pair_changes_since(
        &self,
        account: AccountId,
        since: NaiveDate,
    ) -> Result<Vec<PairChange>> {
        self.pair_changes(ACCOUNT_PARTNERS, &[account.get()], since)
            .await
    }

    /// The pairs of the partner people `partners` selects (a subquery with `ids` bound from
    /// `$2`) that began or ended from `since` on.
    async fn pair_changes(
        &self,
        partners: &str,
        ids: &[i64],
        since: NaiveDate,
    ) -> Result<Vec<PairChange>> {
        let sql = format!(
            "SELECT s.id, s.valid_from, s.valid_to, {NAMES} FROM assignments s \
             JOIN persons p ON p.id = s.partner_id JOIN persons q ON q.id = s.our_id \
             WHERE (s.valid_from >= $1 OR s.valid_to >= $1) \
             AND s.partner_id IN ({partners}) \
             ORDER BY s.id DESC LIMIT {DIGEST_ROWS}"
        );
        let rows = ids
            .iter()
            .fold(sqlx::query(&sql).bind(date_to_db(since)), |q, id| {
                q.bind(*id)
            })
            .fetch_all(self.pool())
            .await?;
        let mut changes = Vec::new();
        for row in &rows {
            let partner = (PersonId::new(row.try_get("p_id")?), name(row, "p")?);
            let ours = name(row, "q")?;
            let id = AssignmentId::new(row.try_get("id")?);
            let from = date_from_db(&row.try_get::<String, _>("valid_from")?)?;
            let to: Option<String> = row.try_get("valid_to")?;
            if from >= since {
                changes.push(PairChange {
                    assignment_id: id,
                    partner: partner.clone(),
                    ours: ours.clone(),
                    day: from,
                    ended: false,
                });
            }
            if let Some(to) = to.as_deref().map(date_from_db).transpose()?
                && to >= since
            {
                changes.push(PairChange {
                    assignment_id: id,
                    partner,
                    ours,
                    day: to,
                    ended: true,
                });
            }
        }
        changes.sort_by_key(|c| std::cmp::Reverse(c.day));
        Ok(changes)
    }

    /// The key contacts of the active accounts of `units` that a reader sees, with their
    /// level rank and the account's tier.
    pub async fn unit_key_contacts(
        &self,
        units: &[UnitId],
        seen: &Visibility,
    ) -> Result<Vec<UnitKeyContact>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let (accounts, ids) = unit_accounts(units, seen, 1);
        let sql = format!(
            "SELECT k.account_id, k.person_id, l.rank, a.tier FROM key_contacts k \
             JOIN accounts a ON a.id = k.account_id JOIN persons p ON p.id = k.person_id \
             LEFT JOIN levels l ON l.id = p.level_id \
             WHERE p.active = 1 AND {accounts} \
             ORDER BY k.account_id, k.person_id"
        );
        let rows = ids
            .into_iter()
            .fold(sqlx::query(&sql), |q, id| q.bind(id))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(UnitKeyContact {
                    account_id: AccountId::new(row.try_get("account_id")?),
                    person_id: PersonId::new(row.try_get("person_id")?),
                    rank: row.try_get("rank")?,
                    tier: row.try_get("tier")?,
                })
            })
            .collect()
    }

    /// Who gets the weekly digest by e-mail: active users linked to an active person of our
    /// house who belongs to a unit, with an e-mail address: (user, address, unit).
    pub async fn digest_recipients(&self) -> Result<Vec<(User, String, UnitId)>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, p.unit_id AS r_unit FROM users u \
             JOIN persons p ON p.id = u.person_id \
             JOIN organizations o ON o.id = p.organization_id \
             WHERE u.active = 1 AND p.active = 1 AND o.kind = 'own' \
             AND p.unit_id IS NOT NULL AND u.email IS NOT NULL ORDER BY u.id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let user = user(row)?;
                let email = user.email.clone().unwrap_or_default();
                Ok((user, email, UnitId::new(row.try_get("r_unit")?)))
            })
            .collect()
    }

    /// Claims the weekly digest mail of `week` (e.g. `2026-W49`) for a user: true for the one
    /// caller, of any instance, that is to send it; false when it is claimed already.
    pub async fn claim_digest_mail(&self, week: &str, user: UserId) -> Result<bool> {
        let mut tx = self.write().await?;
        let claimed = sqlx::query(
            "INSERT INTO digest_mails (week, user_id, sent_at) VALUES ($1, $2, $3) \
             ON CONFLICT (week, user_id) DO NOTHING",
        )
        .bind(week)
        .bind(user.get())
        .bind(to_db(crate::now()))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(claimed)
    }
}

/// The first moment of a day (UTC): insights are compared by when they were recorded.
fn since_start(day: NaiveDate) -> Timestamp {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}
