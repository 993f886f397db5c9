//! The customer jour fixe: series (who meets when about which accounts), their meetings with
//! prepared agendas ([`meetings`]), what is said, decided and agreed in them ([`live`]), and
//! the users' calendar subscriptions ([`calendar`]).

mod live;
mod meetings;

use chrono::NaiveDateTime;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, PersonId, SeriesId, UnitId};
use counterpart_core::jour_fixe::{CoverageRule, Series, SeriesInput};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::accounts::AccountFilter;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::time::{from_db, to_db};
use crate::versioned::{self, Fields, Versioned};
use crate::{Actor, Visibility};

pub use live::{ActionView, Contribution, ContributionKind};
pub use meetings::{AgendaItem, MeetingStamp, MeetingSummary};

const COLUMNS: &str = "id, unit_id, name, convenor_id, first_start, time_zone, rrule, \
    duration_minutes, place, rule_active, rule_internal, rule_tier, rule_unit_id, uid, sequence, \
    cancelled_at, version";

/// The most participants a series has.
pub const MAX_PARTICIPANTS: i64 = 200;
/// The most accounts a series covers by choice (a rule covers any number).
pub const MAX_CHOSEN_ACCOUNTS: i64 = 500;

/// How a wall time is stored: `2026-10-06T09:00:00`.
const WALL_TIME: &str = "%Y-%m-%dT%H:%M:%S";

fn series(row: &AnyRow) -> Result<Series, sqlx::Error> {
    let first: String = row.try_get("first_start")?;
    let rule = (row.try_get::<i64, _>("rule_active")? != 0)
        .then(|| {
            Ok::<_, sqlx::Error>(CoverageRule {
                internal: row
                    .try_get::<Option<i64>, _>("rule_internal")?
                    .map(|i| i != 0),
                tier: row
                    .try_get::<Option<String>, _>("rule_tier")?
                    .map(|t| t.parse().map_err(decode))
                    .transpose()?,
                unit_id: row
                    .try_get::<Option<i64>, _>("rule_unit_id")?
                    .map(UnitId::new),
            })
        })
        .transpose()?;
    Ok(Series {
        id: SeriesId::new(row.try_get("id")?),
        unit_id: UnitId::new(row.try_get("unit_id")?),
        name: row.try_get("name")?,
        convenor_id: PersonId::new(row.try_get("convenor_id")?),
        first_start: NaiveDateTime::parse_from_str(&first, WALL_TIME)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        time_zone: row.try_get("time_zone")?,
        rrule: row.try_get("rrule")?,
        duration_minutes: row.try_get("duration_minutes")?,
        place: row.try_get("place")?,
        rule,
        uid: row.try_get("uid")?,
        sequence: row.try_get("sequence")?,
        cancelled_at: row
            .try_get::<Option<String>, _>("cancelled_at")?
            .as_deref()
            .map(from_db)
            .transpose()?,
        version: row.try_get("version")?,
    })
}

impl Versioned for Series {
    const TABLE: &'static str = "jf_series";
    const COLUMNS: &'static str = COLUMNS;
    const ENTITY: EntityKind = EntityKind::Series;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        series(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        self.name.clone()
    }
}

pub(crate) async fn series_on(conn: &mut AnyConnection, id: SeriesId) -> Result<Series> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jf_series WHERE id = $1"))
        .bind(id.get())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::not_found(EntityKind::Series, id.get()))?;
    Ok(series(&row)?)
}

/// A series as lists show it.
#[derive(Clone, Debug, Serialize)]
pub struct SeriesSummary {
    /// The series.
    pub series: Series,
    /// Its unit's name.
    pub unit_name: String,
    /// Its convenor's name.
    pub convenor_name: String,
    /// How many take part.
    pub participants: i64,
}

/// Which series a list holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeriesFilter {
    /// Only those of this unit of ours.
    pub unit_id: Option<UnitId>,
    /// Cancelled ones too.
    pub include_cancelled: bool,
}

/// Someone taking part in a series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// The person of ours.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// Their e-mail address, for the invitation.
    pub email: Option<String>,
}

fn rule_columns(
    rule: Option<&CoverageRule>,
) -> (i64, Option<i64>, Option<&'static str>, Option<i64>) {
    match rule {
        None => (0, None, None, None),
        Some(r) => (
            1,
            r.internal.map(i64::from),
            r.tier.map(|t| t.as_str()),
            r.unit_id.map(UnitId::get),
        ),
    }
}

/// Refuses a change to a cancelled series.
fn still_running(series: &Series) -> Result<()> {
    match series.cancelled_at {
        Some(_) => Err(StoreError::not_found(EntityKind::Series, series.id.get())),
        None => Ok(()),
    }
}

/// Records that a series' invitees are to get its invitation as it now stands (an update,
/// or a cancellation).
pub(crate) async fn invite_on(conn: &mut AnyConnection, series: SeriesId) -> Result<()> {
    crate::jobs::enqueue_outside_on(
        conn,
        crate::jobs::OutsideJob::Invitations,
        &format!("series:{series}"),
    )
    .await
}

/// Raises a series' SEQUENCE (its invitations change) and stamps it, in the caller's
/// transaction.
async fn bump_sequence(conn: &mut AnyConnection, id: SeriesId) -> Result<()> {
    sqlx::query("UPDATE jf_series SET sequence = sequence + 1, updated_at = $1 WHERE id = $2")
        .bind(to_db(crate::now()))
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// Starts a series convened by `convenor`, who takes part. Audited.
    pub async fn create_series(
        &self,
        actor: &Actor,
        convenor: PersonId,
        input: &SeriesInput,
    ) -> Result<Series> {
        let mut tx = self.write().await?;
        let now = to_db(crate::now());
        let (rule_active, internal, tier, rule_unit) = rule_columns(input.rule.as_ref());
        let id: i64 = sqlx::query(
            "INSERT INTO jf_series (unit_id, name, convenor_id, first_start, time_zone, rrule, \
             duration_minutes, place, rule_active, rule_internal, rule_tier, rule_unit_id, uid, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(input.unit_id.get())
        .bind(&input.name)
        .bind(convenor.get())
        .bind(input.first_start.format(WALL_TIME).to_string())
        .bind(&input.time_zone)
        .bind(&input.rrule)
        .bind(input.duration_minutes)
        .bind(input.place.as_deref())
        .bind(rule_active)
        .bind(internal)
        .bind(tier)
        .bind(rule_unit)
        .bind(format!("{}@counterpart", crate::random_token()))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let id = SeriesId::new(id);
        sqlx::query("INSERT INTO jf_participants (series_id, person_id) VALUES ($1, $2)")
            .bind(id.get())
            .bind(convenor.get())
            .execute(&mut *tx)
            .await?;
        let created = series_on(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Series,
                id: id.get(),
                action: AuditAction::Create,
                label: &created.name,
            },
            None,
            Some(&created),
        )
        .await?;
        crate::jobs::enqueue_on(&mut tx, crate::jobs::Job::PlanMeetings).await?;
        invite_on(&mut tx, id).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes a series as read at `version`; its invitations get a higher SEQUENCE. Meetings
    /// not yet prepared follow the new recurrence. Audited.
    pub async fn update_series(
        &self,
        actor: &Actor,
        id: SeriesId,
        version: i64,
        input: &SeriesInput,
    ) -> Result<Series> {
        let mut tx = self.write().await?;
        let before = series_on(&mut tx, id).await?;
        still_running(&before)?;
        let (rule_active, internal, tier, rule_unit) = rule_columns(input.rule.as_ref());
        let fields = Fields::new()
            .set("name", &input.name)
            .set("unit_id", input.unit_id.get())
            .set(
                "first_start",
                input.first_start.format(WALL_TIME).to_string(),
            )
            .set("time_zone", &input.time_zone)
            .set("rrule", &input.rrule)
            .set("duration_minutes", input.duration_minutes)
            .set("place", input.place.clone())
            .set("rule_active", rule_active)
            .set("rule_internal", internal)
            .set("rule_tier", tier.map(str::to_owned))
            .set("rule_unit_id", rule_unit)
            .set("sequence", before.sequence + 1);
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        // Planned meetings the new recurrence no longer has, and that nothing was said in,
        // go; the job plans the new ones.
        meetings::drop_unprepared(&mut tx, id).await?;
        crate::jobs::enqueue_on(&mut tx, crate::jobs::Job::PlanMeetings).await?;
        invite_on(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Calls a series off: no more meetings; its invitees get a cancellation. Audited.
    pub async fn cancel_series(&self, actor: &Actor, id: SeriesId, version: i64) -> Result<Series> {
        let mut tx = self.write().await?;
        let before = series_on(&mut tx, id).await?;
        still_running(&before)?;
        let fields = Fields::new()
            .set("cancelled_at", to_db(crate::now()))
            .set("sequence", before.sequence + 1);
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        meetings::drop_unprepared(&mut tx, id).await?;
        invite_on(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One series.
    pub async fn series(&self, id: SeriesId) -> Result<Series> {
        series_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Every series, running ones first, then by name.
    pub async fn series_list(&self) -> Result<Vec<SeriesSummary>> {
        let sql = format!(
            "SELECT {cols}, un.name AS unit_name, p.given_name AS c_given, \
               p.family_name AS c_family, p.academic_title AS c_title, \
               (SELECT COUNT(*) FROM jf_participants t WHERE t.series_id = s.id) AS n \
             FROM jf_series s JOIN units un ON un.id = s.unit_id \
             JOIN persons p ON p.id = s.convenor_id \
             ORDER BY CASE WHEN s.cancelled_at IS NULL THEN 0 ELSE 1 END, s.name, s.id",
            cols = prefixed("s")
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(SeriesSummary {
                    series: series(row)?,
                    unit_name: row.try_get("unit_name")?,
                    convenor_name: name_of(row, "c")?,
                    participants: row.try_get("n")?,
                })
            })
            .collect()
    }

    /// Seek (keyset) pagination of the series: up to `limit` passing `filter` with an id
    /// above `after`, by id.
    pub async fn series_after(
        &self,
        filter: &SeriesFilter,
        after: Option<SeriesId>,
        limit: u32,
    ) -> Result<Vec<Series>> {
        let sql = format!(
            "SELECT {cols} FROM jf_series s WHERE ($1 IS NULL OR s.unit_id = $1) \
             AND ($2 = 1 OR s.cancelled_at IS NULL) AND s.id > $3 ORDER BY s.id LIMIT $4",
            cols = prefixed("s")
        );
        let rows = sqlx::query(&sql)
            .bind(filter.unit_id.map(UnitId::get))
            .bind(i64::from(filter.include_cancelled))
            .bind(after.map_or(0, SeriesId::get))
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(series).collect::<Result<_, _>>()?)
    }

    /// The running series a person of ours takes part in (convenors do).
    pub async fn series_of_person(&self, person: PersonId) -> Result<Vec<Series>> {
        let sql = format!(
            "SELECT {cols} FROM jf_series s \
             JOIN jf_participants t ON t.series_id = s.id AND t.person_id = $1 \
             WHERE s.cancelled_at IS NULL ORDER BY s.name, s.id",
            cols = prefixed("s")
        );
        let rows = sqlx::query(&sql)
            .bind(person.get())
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(series).collect::<Result<_, _>>()?)
    }

    /// Who takes part in a series, by name.
    pub async fn participants(&self, id: SeriesId) -> Result<Vec<Participant>> {
        let rows = sqlx::query(
            "SELECT p.id, p.academic_title AS c_title, p.given_name AS c_given, \
               p.family_name AS c_family, p.email FROM jf_participants t \
             JOIN persons p ON p.id = t.person_id WHERE t.series_id = $1 \
             ORDER BY p.family_name, p.given_name, p.id",
        )
        .bind(id.get())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Participant {
                    person_id: PersonId::new(row.try_get("id")?),
                    name: name_of(row, "c")?,
                    email: row.try_get("email")?,
                })
            })
            .collect()
    }

    /// Adds someone of ours to a series (nothing happens if they take part already: then
    /// `false`); invitations get a higher SEQUENCE. Audited.
    pub async fn add_participant(
        &self,
        actor: &Actor,
        id: SeriesId,
        person: PersonId,
    ) -> Result<bool> {
        self.change_membership(actor, id, Membership::Join(person))
            .await
    }

    /// Takes someone out of a series (not its convenor). Audited.
    pub async fn remove_participant(
        &self,
        actor: &Actor,
        id: SeriesId,
        person: PersonId,
    ) -> Result<()> {
        self.change_membership(actor, id, Membership::Leave(person))
            .await
            .map(drop)
    }

    /// Adds an account to those a series covers (`false` if it was covered already).
    /// Audited.
    pub async fn cover_account(
        &self,
        actor: &Actor,
        id: SeriesId,
        account: AccountId,
    ) -> Result<bool> {
        self.change_membership(actor, id, Membership::Cover(account))
            .await
    }

    /// Takes an account from those a series covers by choice. Audited.
    pub async fn uncover_account(
        &self,
        actor: &Actor,
        id: SeriesId,
        account: AccountId,
    ) -> Result<()> {
        self.change_membership(actor, id, Membership::Uncover(account))
            .await
            .map(drop)
    }

    async fn change_membership(
        &self,
        actor: &Actor,
        id: SeriesId,
        change: Membership,
    ) -> Result<bool> {
        let mut tx = self.write().await?;
        let before = series_on(&mut tx, id).await?;
        still_running(&before)?;
        let (sql, value, label) = match change {
            Membership::Join(p) => (
                "INSERT INTO jf_participants (series_id, person_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
                p.get(),
                format!("{}: + person {p}", before.name),
            ),
            Membership::Leave(p) if p == before.convenor_id => {
                return Err(StoreError::Invalid(
                    counterpart_core::validate::FieldErrors::single(
                        "person_id",
                        counterpart_core::validate::Problem::SelfReference,
                    ),
                ));
            }
            Membership::Leave(p) => (
                "DELETE FROM jf_participants WHERE series_id = $1 AND person_id = $2",
                p.get(),
                format!("{}: − person {p}", before.name),
            ),
            Membership::Cover(a) => (
                "INSERT INTO jf_series_accounts (series_id, account_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
                a.get(),
                format!("{}: + account {a}", before.name),
            ),
            Membership::Uncover(a) => (
                "DELETE FROM jf_series_accounts WHERE series_id = $1 AND account_id = $2",
                a.get(),
                format!("{}: − account {a}", before.name),
            ),
        };
        // A bound on each list; the write lock (SQLite) or the series row (PostgreSQL, locked
        // by the update below first) keeps two joins at once from both passing it.
        let bound = match change {
            Membership::Join(_) => Some((
                "person_id",
                "SELECT COUNT(*) FROM jf_participants WHERE series_id = $1",
                MAX_PARTICIPANTS,
            )),
            Membership::Cover(_) => Some((
                "account_id",
                "SELECT COUNT(*) FROM jf_series_accounts WHERE series_id = $1",
                MAX_CHOSEN_ACCOUNTS,
            )),
            _ => None,
        };
        if let Some((field, count, max)) = bound {
            sqlx::query("UPDATE jf_series SET version = version WHERE id = $1")
                .bind(id.get())
                .execute(&mut *tx)
                .await?;
            let (n,): (i64,) = sqlx::query_as(count)
                .bind(id.get())
                .fetch_one(&mut *tx)
                .await?;
            if n >= max {
                return Err(StoreError::Invalid(
                    counterpart_core::validate::FieldErrors::single(
                        field,
                        counterpart_core::validate::Problem::OutOfRange { min: 0, max },
                    ),
                ));
            }
        }
        let changed = sqlx::query(sql)
            .bind(id.get())
            .bind(value)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        if matches!(change, Membership::Join(_) | Membership::Leave(_)) {
            bump_sequence(&mut tx, id).await?;
            invite_on(&mut tx, id).await?;
        }
        if matches!(change, Membership::Cover(_)) {
            // A meeting within the next days may now have an agenda to prepare.
            crate::jobs::enqueue_on(&mut tx, crate::jobs::Job::PlanMeetings).await?;
        }
        let after = series_on(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Series,
                id: id.get(),
                action: AuditAction::Update,
                label: &label,
            },
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The accounts chosen for a series that a reader sees, by name.
    pub async fn chosen_accounts(
        &self,
        id: SeriesId,
        seen: &Visibility,
    ) -> Result<Vec<(AccountId, String)>> {
        let (visible, hidden) = seen.accounts("a.id", 2);
        let sql = format!(
            "SELECT a.id, a.name FROM jf_series_accounts c JOIN accounts a ON a.id = c.account_id \
             WHERE c.series_id = $1 AND {visible} ORDER BY a.name, a.id"
        );
        let query = sqlx::query_as(&sql).bind(id.get());
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

    /// The active accounts a series covers: those chosen and those its rule finds, whoever
    /// reads (the agenda is prepared once for every participant; readers filter it).
    pub async fn covered_accounts(&self, series: &Series) -> Result<Vec<AccountId>> {
        let mut covered: Vec<AccountId> = sqlx::query_as::<_, (i64,)>(
            "SELECT c.account_id FROM jf_series_accounts c \
             JOIN accounts a ON a.id = c.account_id WHERE c.series_id = $1 AND a.active = 1",
        )
        .bind(series.id.get())
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(id,)| AccountId::new(id))
        .collect();
        if let Some(rule) = &series.rule {
            let units = match rule.unit_id {
                Some(unit) => self.unit_and_below(unit).await?,
                None => Vec::new(),
            };
            let filter = AccountFilter {
                internal: rule.internal,
                tier: rule.tier,
                responsible_unit_ids: units,
                ..AccountFilter::default()
            };
            covered.extend(
                self.accounts(&filter, &Visibility::everything())
                    .await?
                    .into_iter()
                    .map(|a| a.account.id),
            );
        }
        covered.sort_unstable();
        covered.dedup();
        Ok(covered)
    }

    /// The running series that cover an account by choice: (id, name).
    pub async fn series_covering(&self, account: AccountId) -> Result<Vec<(SeriesId, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT s.id, s.name FROM jf_series_accounts c JOIN jf_series s ON s.id = c.series_id \
             WHERE c.account_id = $1 AND s.cancelled_at IS NULL ORDER BY s.name, s.id",
        )
        .bind(account.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| (SeriesId::new(id), name))
            .collect())
    }

    /// A unit and every unit below it.
    async fn unit_and_below(&self, unit: UnitId) -> Result<Vec<UnitId>> {
        let rows: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT id, parent_id FROM units WHERE active = 1")
                .fetch_all(self.pool())
                .await?;
        let mut found = vec![unit.get()];
        let mut i = 0;
        while i < found.len() {
            let parent = found[i];
            found.extend(
                rows.iter()
                    .filter(|(_, p)| *p == Some(parent))
                    .map(|(id, _)| *id),
            );
            i += 1;
        }
        Ok(found.into_iter().map(UnitId::new).collect())
    }
}

#[derive(Clone, Copy)]
enum Membership {
    Join(PersonId),
    Leave(PersonId),
    Cover(AccountId),
    Uncover(AccountId),
}

/// The series columns on an alias.
fn prefixed(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A person's display name from the columns `{p}_title`, `{p}_given`, `{p}_family`.
pub(crate) fn name_of(row: &AnyRow, p: &str) -> Result<String, sqlx::Error> {
    let title: Option<String> = row.try_get(format!("{p}_title").as_str())?;
    let given: Option<String> = row.try_get(format!("{p}_given").as_str())?;
    let family: String = row.try_get(format!("{p}_family").as_str())?;
    Ok(counterpart_core::person::display_name(
        title.as_deref(),
        given.as_deref(),
        &family,
    ))
}
