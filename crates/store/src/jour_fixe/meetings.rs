//! Meetings of a series and their agendas. An occurrence of the recurrence becomes a meeting
//! when it is prepared (by the job a few days before, or by hand), moved or cancelled; the
//! agenda is prepared from the data once and then kept as prepared.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, ItemId, MeetingId, PersonId, SeriesId, UserId};
use counterpart_core::importance::{RATING_DISPUTE, Spread};
use counterpart_core::jour_fixe::agenda::{
    self, Facts, InsightFact, OpenAction, PairFact, PreparedAccount, RatingFact, Tag,
};
use counterpart_core::jour_fixe::{Meeting, MeetingStatus};
use counterpart_core::mirror::analysis::MirrorBrief;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{name_of, series_on};
use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::time::{date_from_db, date_to_db, from_db, to_db};
use crate::versioned::{self, Fields, Versioned};

/// What happened in a meeting: contributions, actions and items participants added.
const TOUCHES: &str = "SELECT (SELECT COUNT(*) FROM jf_contributions WHERE meeting_id = $1) \
    + (SELECT COUNT(*) FROM jf_actions WHERE meeting_id = $1) \
    + (SELECT COUNT(*) FROM jf_items WHERE meeting_id = $1 AND added_by IS NOT NULL)";

/// How many days before a meeting its agenda is prepared.
pub const PREPARE_DAYS: i64 = 3;
/// How far back the first meeting of a series looks for changes.
pub const FIRST_LOOK_BACK_DAYS: u64 = 90;
/// How far back ratings are read for "before" values.
const RATINGS_LOOK_BACK_DAYS: u64 = 400;

const COLUMNS: &str = "id, series_id, occurrence, starts_at, duration_minutes, place, status, \
    sequence, prepared_at, since_on, revision, version";

fn meeting(row: &AnyRow) -> Result<Meeting, sqlx::Error> {
    Ok(Meeting {
        id: MeetingId::new(row.try_get("id")?),
        series_id: SeriesId::new(row.try_get("series_id")?),
        occurrence: from_db(&row.try_get::<String, _>("occurrence")?)?,
        starts_at: from_db(&row.try_get::<String, _>("starts_at")?)?,
        duration_minutes: row.try_get("duration_minutes")?,
        place: row.try_get("place")?,
        status: row
            .try_get::<String, _>("status")?
            .parse()
            .map_err(decode)?,
        sequence: row.try_get("sequence")?,
        prepared_at: row
            .try_get::<Option<String>, _>("prepared_at")?
            .as_deref()
            .map(from_db)
            .transpose()?,
        since_on: row
            .try_get::<Option<String>, _>("since_on")?
            .as_deref()
            .map(date_from_db)
            .transpose()?,
        revision: row.try_get("revision")?,
        version: row.try_get("version")?,
    })
}

impl Versioned for Meeting {
    const TABLE: &'static str = "jf_meetings";
    const COLUMNS: &'static str = COLUMNS;
    const ENTITY: EntityKind = EntityKind::Meeting;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        meeting(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        format!("series {} at {}", self.series_id, to_db(self.occurrence))
    }
}

pub(crate) async fn meeting_on(conn: &mut AnyConnection, id: MeetingId) -> Result<Meeting> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jf_meetings WHERE id = $1"))
        .bind(id.get())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::not_found(EntityKind::Meeting, id.get()))?;
    Ok(meeting(&row)?)
}

/// Raises a meeting's revision: the live page fetches what is new.
pub(crate) async fn touch(conn: &mut AnyConnection, id: MeetingId) -> Result<()> {
    sqlx::query("UPDATE jf_meetings SET revision = revision + 1 WHERE id = $1")
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops a series' future meetings that were not prepared (after its recurrence changed or
/// it was cancelled): the job plans them again from the recurrence as it is.
pub(crate) async fn drop_unprepared(conn: &mut AnyConnection, series: SeriesId) -> Result<()> {
    sqlx::query(
        "DELETE FROM jf_meetings WHERE series_id = $1 AND prepared_at IS NULL AND starts_at > $2",
    )
    .bind(series.get())
    .bind(to_db(crate::now()))
    .execute(conn)
    .await?;
    Ok(())
}

/// A meeting with its series' name, as lists show it.
#[derive(Clone, Debug, Serialize)]
pub struct MeetingSummary {
    /// The meeting.
    pub meeting: Meeting,
    /// Its series' name.
    pub series_name: String,
}

/// An item on a meeting's agenda.
#[derive(Clone, Debug, Serialize)]
pub struct AgendaItem {
    /// Its id.
    pub id: ItemId,
    /// Its place in the order, from 1.
    pub position: i64,
    /// The account it is about, for a prepared item.
    pub account_id: Option<AccountId>,
    /// Its title: the account's name, or what a participant wrote.
    pub title: String,
    /// What the data said when the agenda was prepared.
    pub prepared: Option<PreparedAccount>,
    /// Who added it, for an item a participant added.
    pub added_by: Option<UserId>,
}

/// What a meeting page's data was read at: see [`Store::meeting_stamp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeetingStamp([i64; 7]);

impl Store {
    /// One meeting.
    pub async fn meeting(&self, id: MeetingId) -> Result<Meeting> {
        meeting_on(&mut *self.pool().acquire().await?, id).await
    }

    /// A meeting's revision: what the live page compares.
    pub async fn meeting_revision(&self, id: MeetingId) -> Result<i64> {
        let revision: Option<(i64,)> =
            sqlx::query_as("SELECT revision FROM jf_meetings WHERE id = $1")
                .bind(id.get())
                .fetch_optional(self.pool())
                .await?;
        revision
            .map(|(r,)| r)
            .ok_or_else(|| StoreError::not_found(EntityKind::Meeting, id.get()))
    }

    /// What a meeting page shows can have changed since `stamp` was read if a new stamp
    /// differs: the meeting's revision (everything said or agreed in it, its agenda) and
    /// version (moved, cancelled), its series' version, who takes part, and the version of
    /// every insight contributed to it (edited, withdrawn or made confidential elsewhere).
    /// One indexed read; what a cache of the page's data compares before serving it.
    pub async fn meeting_stamp(&self, id: MeetingId) -> Result<MeetingStamp> {
        let row: Option<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT m.revision, m.version, s.version, \
               (SELECT COUNT(*) FROM jf_participants t WHERE t.series_id = m.series_id), \
               (SELECT CAST(COALESCE(SUM(t.person_id), 0) AS BIGINT) FROM jf_participants t \
                 WHERE t.series_id = m.series_id), \
               (SELECT COUNT(*) FROM jf_contributions c JOIN insights i ON i.id = c.insight_id \
                 WHERE c.meeting_id = m.id), \
               (SELECT CAST(COALESCE(SUM(i.version), 0) AS BIGINT) FROM jf_contributions c \
                 JOIN insights i ON i.id = c.insight_id WHERE c.meeting_id = m.id) \
             FROM jf_meetings m JOIN jf_series s ON s.id = m.series_id WHERE m.id = $1",
        )
        .bind(id.get())
        .fetch_optional(self.pool())
        .await?;
        let (revision, version, series, n, people, insights, insight_versions) =
            row.ok_or_else(|| StoreError::not_found(EntityKind::Meeting, id.get()))?;
        Ok(MeetingStamp([
            revision,
            version,
            series,
            n,
            people,
            insights,
            insight_versions,
        ]))
    }

    /// A series' meetings as recorded, earliest first.
    pub async fn meetings_of(&self, series: SeriesId) -> Result<Vec<Meeting>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jf_meetings WHERE series_id = $1 ORDER BY starts_at, id"
        ))
        .bind(series.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(meeting).collect::<Result<_, _>>()?)
    }

    /// The meetings of the series a person takes part in between two moments, earliest first.
    pub async fn meetings_of_person(
        &self,
        person: PersonId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<MeetingSummary>> {
        let cols = COLUMNS
            .split(", ")
            .map(|c| format!("m.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols}, s.name AS series_name FROM jf_meetings m \
             JOIN jf_series s ON s.id = m.series_id \
             JOIN jf_participants t ON t.series_id = s.id AND t.person_id = $1 \
             WHERE m.starts_at >= $2 AND m.starts_at < $3 ORDER BY m.starts_at, m.id"
        ))
        .bind(person.get())
        .bind(to_db(from))
        .bind(to_db(until))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MeetingSummary {
                    meeting: meeting(row)?,
                    series_name: row.try_get("series_name")?,
                })
            })
            .collect()
    }

    /// The meeting of a series at an occurrence, recorded now if it was not (the caller has
    /// checked that the series has that occurrence). Audited when recorded.
    pub async fn meeting_at(
        &self,
        actor: &Actor,
        series: SeriesId,
        occurrence: DateTime<Utc>,
    ) -> Result<Meeting> {
        let mut tx = self.write().await?;
        let meeting = meeting_at_on(&mut tx, actor, series, occurrence).await?;
        tx.commit().await?;
        Ok(meeting)
    }

    /// Calls one meeting off (the series goes on); its invitees get a cancellation. Audited.
    pub async fn cancel_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        version: i64,
    ) -> Result<Meeting> {
        let fields = Fields::new().set("status", MeetingStatus::Cancelled.as_str());
        self.change_meeting(actor, id, version, fields).await
    }

    /// Moves one meeting (another start, length or place); its invitees get the update.
    /// Audited.
    pub async fn move_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        version: i64,
        (starts_at, duration_minutes, place): (DateTime<Utc>, i64, Option<String>),
    ) -> Result<Meeting> {
        let fields = Fields::new()
            .set("starts_at", to_db(starts_at))
            .set("duration_minutes", duration_minutes)
            .set("place", place)
            .set("status", MeetingStatus::Planned.as_str());
        self.change_meeting(actor, id, version, fields).await
    }

    /// A change invitees must learn of: written at `version` with the SEQUENCE raised, and
    /// the meeting's invitation queued to be mailed. Audited.
    async fn change_meeting(
        &self,
        actor: &Actor,
        id: MeetingId,
        version: i64,
        fields: Fields<'_>,
    ) -> Result<Meeting> {
        let mut tx = self.write().await?;
        let before = meeting_on(&mut tx, id).await?;
        let fields = fields.set("sequence", before.sequence + 1);
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        crate::jobs::enqueue_outside_on(
            &mut tx,
            crate::jobs::OutsideJob::Invitations,
            &format!("meeting:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A meeting's agenda in its order.
    pub async fn agenda(&self, id: MeetingId) -> Result<Vec<AgendaItem>> {
        let rows = sqlx::query(
            "SELECT id, position, account_id, title, prepared, added_by FROM jf_items \
             WHERE meeting_id = $1 ORDER BY position, id",
        )
        .bind(id.get())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let prepared: Option<String> = row.try_get("prepared")?;
                Ok(AgendaItem {
                    id: ItemId::new(row.try_get("id")?),
                    position: row.try_get("position")?,
                    account_id: row
                        .try_get::<Option<i64>, _>("account_id")?
                        .map(AccountId::new),
                    title: row.try_get("title")?,
                    // An item a newer version prepared differently is shown by its title.
                    prepared: prepared.and_then(|p| serde_json::from_str(&p).ok()),
                    added_by: row.try_get::<Option<i64>, _>("added_by")?.map(UserId::new),
                })
            })
            .collect()
    }

    /// Prepares a meeting's agenda from the data as it is on `today`, unless it was prepared
    /// already (an agenda is kept as prepared). Audited.
    pub async fn prepare_agenda(
        &self,
        actor: &Actor,
        id: MeetingId,
        today: NaiveDate,
    ) -> Result<Meeting> {
        let current = self.meeting(id).await?;
        if current.prepared_at.is_some() {
            return Ok(current);
        }
        let series = self.series(current.series_id).await?;
        // "What changed" counts from the previous meeting that took place.
        let previous: Option<(String,)> = sqlx::query_as(
            "SELECT starts_at FROM jf_meetings WHERE series_id = $1 AND starts_at < $2 \
             AND status = 'planned' AND prepared_at IS NOT NULL ORDER BY starts_at DESC LIMIT 1",
        )
        .bind(series.id.get())
        .bind(to_db(current.starts_at))
        .fetch_optional(self.pool())
        .await?;
        let since = match previous {
            Some((at,)) => from_db(&at)?.date_naive(),
            None => today - chrono::Days::new(FIRST_LOOK_BACK_DAYS),
        };
        let accounts = self.covered_accounts(&series).await?;
        let mut items = Vec::with_capacity(accounts.len());
        for account in accounts {
            let facts = self.agenda_facts(account, since).await?;
            items.push(agenda::prepare(facts, since, today));
        }
        agenda::order(&mut items, today);

        let mut tx = self.write().await?;
        let before = meeting_on(&mut tx, id).await?;
        if before.prepared_at.is_some() {
            // Prepared meanwhile by another instance's job.
            return Ok(before);
        }
        let now = to_db(crate::now());
        for (position, item) in items.iter().enumerate() {
            let json = serde_json::to_string(item).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            sqlx::query(
                "INSERT INTO jf_items (meeting_id, position, account_id, title, prepared, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.get())
            .bind(i64::try_from(position).unwrap_or(i64::MAX) + 1)
            .bind(item.account_id.get())
            .bind(&item.name)
            .bind(json)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE jf_meetings SET prepared_at = $1, since_on = $2, revision = revision + 1, \
             updated_at = $1 WHERE id = $3",
        )
        .bind(&now)
        .bind(date_to_db(since))
        .bind(id.get())
        .execute(&mut *tx)
        .await?;
        let after = meeting_on(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Meeting,
                id: id.get(),
                action: AuditAction::Update,
                label: &format!(
                    "{}: agenda prepared ({} accounts)",
                    series.name,
                    items.len()
                ),
            },
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Whether nothing happened in a prepared meeting yet: no contribution, no action, no item
    /// a participant added. Only then may its agenda be prepared again.
    pub async fn meeting_untouched(&self, id: MeetingId) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as(TOUCHES)
            .bind(id.get())
            .fetch_one(self.pool())
            .await?;
        Ok(n == 0)
    }

    /// Prepares a meeting's agenda again from the data as it is now (accounts added since,
    /// say), as long as nothing happened in it; else it stays as it is. Audited.
    pub async fn prepare_agenda_again(
        &self,
        actor: &Actor,
        id: MeetingId,
        today: NaiveDate,
    ) -> Result<Meeting> {
        let mut tx = self.write().await?;
        let before = meeting_on(&mut tx, id).await?;
        let (n,): (i64,) = sqlx::query_as(TOUCHES)
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 || before.prepared_at.is_none() {
            tx.rollback().await?;
            return self.prepare_agenda(actor, id, today).await;
        }
        sqlx::query("DELETE FROM jf_items WHERE meeting_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE jf_meetings SET prepared_at = NULL, since_on = NULL, \
             revision = revision + 1 WHERE id = $1",
        )
        .bind(id.get())
        .execute(&mut *tx)
        .await?;
        let after = meeting_on(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Meeting,
                id: id.get(),
                action: AuditAction::Update,
                label: "agenda withdrawn to be prepared again",
            },
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.prepare_agenda(actor, id, today).await
    }

    /// What an agenda item about `account` is prepared from, counting changes from `since`.
    pub async fn agenda_facts(&self, account: AccountId, since: NaiveDate) -> Result<Facts> {
        let pool = self.pool();
        let id = account.get();
        let row = sqlx::query("SELECT name, tier, score, mirror_brief FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::not_found(EntityKind::Account, id))?;
        let brief: Option<String> = row.try_get("mirror_brief")?;
        let mut facts = Facts {
            account_id: Some(account),
            name: row.try_get("name")?,
            importance: row.try_get("score")?,
            tier: row
                .try_get::<Option<String>, _>("tier")?
                .and_then(|t| t.parse().ok()),
            brief: brief.and_then(|b| serde_json::from_str::<MirrorBrief>(&b).ok()),
            ..Facts::default()
        };
        let mut people: BTreeMap<PersonId, Tag> = BTreeMap::new();
        let tag = |row: &AnyRow, p: &str| -> Result<Tag, sqlx::Error> {
            Ok(Tag {
                name: name_of(row, p)?,
                level_rank: row.try_get(format!("{p}_rank").as_str())?,
            })
        };
        let contacts = sqlx::query(
            "SELECT p.id, p.academic_title AS k_title, p.given_name AS k_given, \
               p.family_name AS k_family, l.rank AS k_rank FROM key_contacts k \
             JOIN persons p ON p.id = k.person_id LEFT JOIN levels l ON l.id = p.level_id \
             WHERE k.account_id = $1",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        for row in &contacts {
            let person = PersonId::new(row.try_get("id")?);
            let tag = tag(row, "k")?;
            if let Some(rank) = tag.level_rank {
                facts.partner_ranks.insert(person, rank);
            }
            people.insert(person, tag);
        }
        let pairs = sqlx::query(
            "SELECT s.partner_id, s.our_id, s.valid_from, s.valid_to, s.last_contact_on, \
               s.contact_every_days, p.academic_title AS o_title, p.given_name AS o_given, \
               p.family_name AS o_family, l.rank AS o_rank FROM assignments s \
             JOIN key_contacts k ON k.person_id = s.partner_id AND k.account_id = $1 \
             JOIN persons p ON p.id = s.our_id LEFT JOIN levels l ON l.id = p.level_id \
             WHERE s.valid_to IS NULL OR s.valid_to >= $2",
        )
        .bind(id)
        .bind(date_to_db(since))
        .fetch_all(pool)
        .await?;
        for row in &pairs {
            let ours = PersonId::new(row.try_get("our_id")?);
            people.insert(ours, tag(row, "o")?);
            facts.pairs.push(PairFact {
                partner: PersonId::new(row.try_get("partner_id")?),
                ours,
                from: date_from_db(&row.try_get::<String, _>("valid_from")?)?,
                to: row
                    .try_get::<Option<String>, _>("valid_to")?
                    .as_deref()
                    .map(date_from_db)
                    .transpose()?,
                last_contact: row
                    .try_get::<Option<String>, _>("last_contact_on")?
                    .as_deref()
                    .map(date_from_db)
                    .transpose()?,
                every_days: row.try_get("contact_every_days")?,
            });
        }
        let ratings = sqlx::query(
            "SELECT s.partner_id, s.our_id, r.rated_on, r.relationship, r.satisfaction \
             FROM ratings r JOIN assignments s ON s.id = r.assignment_id \
             JOIN key_contacts k ON k.person_id = s.partner_id AND k.account_id = $1 \
             WHERE r.rated_on >= $2",
        )
        .bind(id)
        .bind(date_to_db(
            since - chrono::Days::new(RATINGS_LOOK_BACK_DAYS),
        ))
        .fetch_all(pool)
        .await?;
        for row in &ratings {
            facts.ratings.push(RatingFact {
                partner: PersonId::new(row.try_get("partner_id")?),
                ours: PersonId::new(row.try_get("our_id")?),
                on: date_from_db(&row.try_get::<String, _>("rated_on")?)?,
                relationship: row.try_get("relationship")?,
                satisfaction: row.try_get("satisfaction")?,
            });
        }
        // Only what everyone may read is counted: the agenda goes to all participants.
        let sql = format!(
            "SELECT i.category, i.learned_on FROM insights i WHERE {} \
             AND i.withdrawn = 0 AND i.confidential = 0 AND i.learned_on >= $2",
            crate::Subject::Account(account).condition("i", "insights")
        );
        let insights: Vec<(String, String)> = sqlx::query_as(&sql)
            .bind(id)
            .bind(date_to_db(since))
            .fetch_all(pool)
            .await?;
        for (category, on) in insights {
            facts.insights.push(InsightFact {
                category: category.parse().map_err(decode)?,
                on: date_from_db(&on)?,
            });
        }
        let votes: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT c.id, c.name_de, c.name_en, r.score FROM criterion_ratings r \
             JOIN criteria c ON c.id = r.criterion_id WHERE r.account_id = $1 ORDER BY c.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        let mut by_criterion: BTreeMap<i64, (String, String, Vec<f64>)> = BTreeMap::new();
        for (criterion, de, en, score) in votes {
            by_criterion
                .entry(criterion)
                .or_insert_with(|| (de, en, Vec::new()))
                .2
                .push(score as f64);
        }
        facts.disagreements = by_criterion
            .into_values()
            .filter(|(_, _, scores)| {
                Spread::of(scores.iter().copied()).is_some_and(|s| s.disputed(RATING_DISPUTE))
            })
            .map(|(de, en, _)| (de, en))
            .collect();
        let actions = sqlx::query(
            "SELECT a.title, a.owner_id, a.due_on, p.academic_title AS w_title, \
               p.given_name AS w_given, p.family_name AS w_family, l.rank AS w_rank \
             FROM jf_actions a JOIN persons p ON p.id = a.owner_id \
             LEFT JOIN levels l ON l.id = p.level_id \
             WHERE a.account_id = $1 AND a.done_on IS NULL ORDER BY a.due_on, a.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        for row in &actions {
            let owner = PersonId::new(row.try_get("owner_id")?);
            people.insert(owner, tag(row, "w")?);
            facts.actions.push(OpenAction {
                title: row.try_get("title")?,
                owner,
                due_on: date_from_db(&row.try_get::<String, _>("due_on")?)?,
            });
        }
        // Names for the people the mirror's findings mention, if not named yet.
        if let Some(brief) = &facts.brief {
            let missing: Vec<i64> = brief
                .top
                .iter()
                .flat_map(|f| [f.detail.contact(), f.detail.ours()])
                .flatten()
                .filter(|p| !people.contains_key(p))
                .map(PersonId::get)
                .collect();
            if !missing.is_empty() {
                let rows = self
                    .rows_by_ids(&missing, |list| {
                        format!(
                            "SELECT p.id, p.academic_title AS f_title, p.given_name AS f_given, \
                             p.family_name AS f_family, l.rank AS f_rank FROM persons p \
                             LEFT JOIN levels l ON l.id = p.level_id WHERE p.id IN ({list})"
                        )
                    })
                    .await?;
                for row in &rows {
                    people.insert(PersonId::new(row.try_get("id")?), tag(row, "f")?);
                }
            }
        }
        facts.people = people;
        Ok(facts)
    }

    /// Plans the meetings of every running series that covers an account: each occurrence
    /// starting within [`PREPARE_DAYS`] is recorded and its agenda prepared. What the job queue runs daily and
    /// after a series changes; returns how many agendas it prepared.
    pub async fn plan_meetings(&self, today: NaiveDate) -> Result<usize> {
        let actor = Actor::system();
        let now = crate::now();
        let until = now + chrono::Duration::days(PREPARE_DAYS);
        let mut prepared = 0;
        let running: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM jf_series WHERE cancelled_at IS NULL ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        for (id,) in running {
            let series = self.series(SeriesId::new(id)).await?;
            let Ok(schedule) = series.schedule() else {
                continue;
            };
            // A series that covers no account yet has no agenda to prepare: it waits for its
            // accounts (adding one plans again), rather than keeping an empty agenda.
            if self.covered_accounts(&series).await?.is_empty() {
                continue;
            }
            for occurrence in schedule.between(now, until, 8) {
                let meeting = self.meeting_at(&actor, series.id, occurrence).await?;
                if meeting.prepared_at.is_none() && meeting.status == MeetingStatus::Planned {
                    self.prepare_agenda(&actor, meeting.id, today).await?;
                    prepared += 1;
                }
            }
        }
        Ok(prepared)
    }
}

/// [`Store::meeting_at`] in the caller's transaction.
pub(crate) async fn meeting_at_on(
    conn: &mut AnyConnection,
    actor: &Actor,
    series: SeriesId,
    occurrence: DateTime<Utc>,
) -> Result<Meeting> {
    let parent = series_on(conn, series).await?;
    let now = to_db(crate::now());
    // Two instances may record the same occurrence at once: one insert wins, the other
    // reads what it wrote.
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO jf_meetings (series_id, occurrence, starts_at, duration_minutes, place, \
         status, sequence, created_at, updated_at) \
         VALUES ($1, $2, $2, $3, NULL, 'planned', $4, $5, $5) \
         ON CONFLICT (series_id, occurrence) DO NOTHING RETURNING id",
    )
    .bind(series.get())
    .bind(to_db(occurrence))
    .bind(parent.duration_minutes)
    .bind(parent.sequence)
    .bind(&now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id,)) = inserted else {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM jf_meetings WHERE series_id = $1 AND occurrence = $2"
        ))
        .bind(series.get())
        .bind(to_db(occurrence))
        .fetch_one(&mut *conn)
        .await?;
        return Ok(meeting(&row)?);
    };
    let created = meeting_on(conn, MeetingId::new(id)).await?;
    record(
        conn,
        actor,
        Change {
            entity: EntityKind::Meeting,
            id,
            action: AuditAction::Create,
            label: &format!("{} at {}", parent.name, to_db(occurrence)),
        },
        None,
        Some(&created),
    )
    .await?;
    Ok(created)
}
