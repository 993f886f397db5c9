//! What happens in a meeting: items added and reordered, contributions (each an insight of
//! its author), decisions, and actions agreed. Every write raises the meeting's revision, so
//! that the other participants' pages fetch it within seconds; several people writing at once
//! each insert their own rows, so nothing is lost.

use chrono::NaiveDate;
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, ActionId, InsightId, ItemId, MeetingId, PersonId, UserId};
use counterpart_core::insight::InsightInput;
use counterpart_core::jour_fixe::{Action, ActionInput};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::meetings::{meeting_on, touch};
use super::name_of;
use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::insights::{InsightAbout, insert_insight};
use crate::time::{date_from_db, date_to_db, from_db, to_db};
use crate::versioned::{self, Fields, Versioned};

/// What a contribution is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ContributionKind {
    /// What someone knows, recorded as their insight.
    Insight,
    /// What someone said on an item about no account (no insight: it is about nobody).
    Note,
    /// A decision.
    Decision,
}

impl ContributionKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Insight => "insight",
            Self::Note => "note",
            Self::Decision => "decision",
        }
    }
}

/// A decision, or the trace of a contribution (its text is the insight's, read with the
/// insight's visibility).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contribution {
    /// Its id.
    pub id: i64,
    /// The item it was made on.
    pub item_id: ItemId,
    /// What it is.
    pub kind: ContributionKind,
    /// The insight it became.
    pub insight_id: Option<InsightId>,
    /// A decision's text.
    pub text: Option<String>,
    /// Who made it.
    pub author_name: String,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// An action with its owner's and account's names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionView {
    /// The action.
    pub action: Action,
    /// The owner's name.
    pub owner_name: String,
    /// The account's name, if it is about one.
    pub account_name: Option<String>,
    /// The item it was agreed on.
    pub item_id: Option<ItemId>,
}

/// The most items an agenda has.
pub const MAX_ITEMS: i64 = 100;

const ACTION_COLUMNS: &str =
    "id, meeting_id, item_id, account_id, title, owner_id, due_on, done_on, version";

fn action(row: &AnyRow) -> Result<Action, sqlx::Error> {
    Ok(Action {
        id: ActionId::new(row.try_get("id")?),
        meeting_id: row
            .try_get::<Option<i64>, _>("meeting_id")?
            .map(MeetingId::new),
        account_id: row
            .try_get::<Option<i64>, _>("account_id")?
            .map(AccountId::new),
        title: row.try_get("title")?,
        owner_id: PersonId::new(row.try_get("owner_id")?),
        due_on: date_from_db(&row.try_get::<String, _>("due_on")?)?,
        done_on: row
            .try_get::<Option<String>, _>("done_on")?
            .as_deref()
            .map(date_from_db)
            .transpose()?,
        version: row.try_get("version")?,
    })
}

impl Versioned for Action {
    const TABLE: &'static str = "jf_actions";
    const COLUMNS: &'static str = ACTION_COLUMNS;
    const ENTITY: EntityKind = EntityKind::Action;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        action(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        self.title.chars().take(60).collect()
    }
}

async fn action_on(conn: &mut AnyConnection, id: ActionId) -> Result<Action> {
    let row = sqlx::query(&format!(
        "SELECT {ACTION_COLUMNS} FROM jf_actions WHERE id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| StoreError::not_found(EntityKind::Action, id.get()))?;
    Ok(action(&row)?)
}

/// The account of an item of a meeting; NotFound for an item of another meeting.
async fn item_account(
    conn: &mut AnyConnection,
    meeting: MeetingId,
    item: ItemId,
) -> Result<Option<AccountId>> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT account_id FROM jf_items WHERE id = $1 AND meeting_id = $2")
            .bind(item.get())
            .bind(meeting.get())
            .fetch_optional(conn)
            .await?;
    row.map(|(a,)| a.map(AccountId::new))
        .ok_or_else(|| StoreError::not_found(EntityKind::AgendaItem, item.get()))
}

const VIEW_SQL: &str = "SELECT a.id, a.meeting_id, a.item_id, a.account_id, a.title, a.owner_id, \
    a.due_on, a.done_on, a.version, p.academic_title AS o_title, p.given_name AS o_given, \
    p.family_name AS o_family, c.name AS account_name FROM jf_actions a \
    JOIN persons p ON p.id = a.owner_id LEFT JOIN accounts c ON c.id = a.account_id";

fn action_view(row: &AnyRow) -> Result<ActionView, sqlx::Error> {
    Ok(ActionView {
        action: action(row)?,
        owner_name: name_of(row, "o")?,
        account_name: row.try_get("account_name")?,
        item_id: row.try_get::<Option<i64>, _>("item_id")?.map(ItemId::new),
    })
}

impl Store {
    /// Adds an item to a meeting's agenda, at its end. Audited.
    pub async fn add_agenda_item(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        title: &str,
    ) -> Result<ItemId> {
        let mut tx = self.write().await?;
        meeting_on(&mut tx, meeting).await?;
        // At most MAX_ITEMS; the meeting row is locked first, so two additions at once
        // cannot both pass the count (PostgreSQL; SQLite writes one at a time anyway).
        sqlx::query("UPDATE jf_meetings SET version = version WHERE id = $1")
            .bind(meeting.get())
            .execute(&mut *tx)
            .await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jf_items WHERE meeting_id = $1")
            .bind(meeting.get())
            .fetch_one(&mut *tx)
            .await?;
        if n >= MAX_ITEMS {
            return Err(StoreError::Invalid(
                counterpart_core::validate::FieldErrors::single(
                    "title",
                    counterpart_core::validate::Problem::OutOfRange {
                        min: 0,
                        max: MAX_ITEMS,
                    },
                ),
            ));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO jf_items (meeting_id, position, title, added_by, created_at) \
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM jf_items \
             WHERE meeting_id = $1), $2, $3, $4) RETURNING id",
        )
        .bind(meeting.get())
        .bind(title)
        .bind(actor.user_id.map(UserId::get))
        .bind(to_db(crate::now()))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        touch(&mut tx, meeting).await?;
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::AgendaItem,
                id,
                action: AuditAction::Create,
                label: title,
            },
            None,
            Some(&title),
        )
        .await?;
        tx.commit().await?;
        Ok(ItemId::new(id))
    }

    /// Moves an item one place up (`up`) or down the agenda, swapping it with its neighbour;
    /// at the top or bottom nothing moves. Audited.
    pub async fn move_agenda_item(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        item: ItemId,
        up: bool,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let items: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, position FROM jf_items WHERE meeting_id = $1 ORDER BY position, id",
        )
        .bind(meeting.get())
        .fetch_all(&mut *tx)
        .await?;
        let at = items
            .iter()
            .position(|(id, _)| *id == item.get())
            .ok_or_else(|| StoreError::not_found(EntityKind::AgendaItem, item.get()))?;
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        let Some(other) = other.filter(|o| *o < items.len()) else {
            return Ok(());
        };
        // Positions are renumbered 1…n with the two swapped, so that equal positions left by
        // earlier versions cannot keep an item from moving.
        let mut order: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
        order.swap(at, other);
        for (position, id) in order.iter().enumerate() {
            sqlx::query("UPDATE jf_items SET position = $1 WHERE id = $2")
                .bind(i64::try_from(position).unwrap_or(i64::MAX) + 1)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
        touch(&mut tx, meeting).await?;
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::AgendaItem,
                id: item.get(),
                action: AuditAction::Update,
                label: if up { "moved up" } else { "moved down" },
            },
            Some(&(at + 1)),
            Some(&(other + 1)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records what someone contributes on an item: an insight of theirs about the item's
    /// account, attributed to them, with the meeting noted; on an item about no account, a
    /// note. Audited (the insight and the contribution). Returns the insight, if one.
    pub async fn contribute(
        &self,
        actor: &Actor,
        (meeting, item): (MeetingId, ItemId),
        author: (UserId, Option<PersonId>),
        input: &InsightInput,
    ) -> Result<Option<InsightId>> {
        let mut tx = self.write().await?;
        let Some(account) = item_account(&mut tx, meeting, item).await? else {
            self.note_contribution(
                &mut tx,
                actor,
                (meeting, item),
                ContributionKind::Note,
                (None, Some(&input.text)),
            )
            .await?;
            tx.commit().await?;
            return Ok(None);
        };
        let about = InsightAbout {
            partner: None,
            account: Some(account),
            author: author.0,
            author_person: author.1,
        };
        let insight = insert_insight(&mut tx, actor, about, input).await?;
        self.note_contribution(
            &mut tx,
            actor,
            (meeting, item),
            ContributionKind::Insight,
            (Some(insight.id), None),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(insight.id))
    }

    /// Notes a decision on an item. Audited.
    pub async fn decide(
        &self,
        actor: &Actor,
        (meeting, item): (MeetingId, ItemId),
        text: &str,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        item_account(&mut tx, meeting, item).await?;
        self.note_contribution(
            &mut tx,
            actor,
            (meeting, item),
            ContributionKind::Decision,
            (None, Some(text)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn note_contribution(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        (meeting, item): (MeetingId, ItemId),
        kind: ContributionKind,
        (insight, text): (Option<InsightId>, Option<&str>),
    ) -> Result<()> {
        let author = actor.user_id.ok_or_else(|| {
            StoreError::Invalid(counterpart_core::validate::FieldErrors::single(
                "author",
                counterpart_core::validate::Problem::Required,
            ))
        })?;
        let kind = kind.as_str();
        let id: i64 = sqlx::query(
            "INSERT INTO jf_contributions (meeting_id, item_id, kind, insight_id, text, \
             author_id, author_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
        )
        .bind(meeting.get())
        .bind(item.get())
        .bind(kind)
        .bind(insight.map(InsightId::get))
        .bind(text)
        .bind(author.get())
        .bind(&actor.name)
        .bind(to_db(crate::now()))
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
        touch(conn, meeting).await?;
        let label = format!("{kind} on item {item}");
        record(
            conn,
            actor,
            Change {
                entity: EntityKind::Contribution,
                id,
                action: AuditAction::Create,
                label: &label,
            },
            None,
            Some(&(insight, text)),
        )
        .await?;
        Ok(())
    }

    /// A meeting's contributions and decisions, in the order they were made.
    pub async fn contributions(&self, meeting: MeetingId) -> Result<Vec<Contribution>> {
        let rows = sqlx::query(
            "SELECT id, item_id, kind, insight_id, text, author_name, created_at \
             FROM jf_contributions WHERE meeting_id = $1 ORDER BY id",
        )
        .bind(meeting.get())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Contribution {
                    id: row.try_get("id")?,
                    item_id: ItemId::new(row.try_get("item_id")?),
                    kind: match row.try_get::<String, _>("kind")?.as_str() {
                        "insight" => ContributionKind::Insight,
                        "note" => ContributionKind::Note,
                        _ => ContributionKind::Decision,
                    },
                    insight_id: row
                        .try_get::<Option<i64>, _>("insight_id")?
                        .map(InsightId::new),
                    text: row.try_get("text")?,
                    author_name: row.try_get("author_name")?,
                    at: from_db(&row.try_get::<String, _>("created_at")?)?,
                })
            })
            .collect()
    }

    /// Agrees an action, in a meeting on one of its items, or on its own. Audited.
    pub async fn create_action(
        &self,
        actor: &Actor,
        at: Option<(MeetingId, ItemId)>,
        input: &ActionInput,
    ) -> Result<Action> {
        let mut tx = self.write().await?;
        let account = match at {
            Some((meeting, item)) => item_account(&mut tx, meeting, item).await?,
            None => None,
        };
        let now = to_db(crate::now());
        let id: i64 = sqlx::query(
            "INSERT INTO jf_actions (meeting_id, item_id, account_id, title, owner_id, due_on, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             RETURNING id",
        )
        .bind(at.map(|(m, _)| m.get()))
        .bind(at.map(|(_, i)| i.get()))
        .bind(account.map(AccountId::get))
        .bind(&input.title)
        .bind(input.owner_id.get())
        .bind(date_to_db(input.due_on))
        .bind(actor.user_id.map(UserId::get))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let created = action_on(&mut tx, ActionId::new(id)).await?;
        if let Some((meeting, _)) = at {
            touch(&mut tx, meeting).await?;
        }
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Action,
                id,
                action: AuditAction::Create,
                label: &created.label(),
            },
            None,
            Some(&created),
        )
        .await?;
        if let Some(account) = account {
            // Overdue actions are a finding of the account's mirror.
            crate::jobs::enqueue_on(
                &mut tx,
                crate::jobs::Job::MirrorScores(crate::jobs::Accounts::One(account)),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Marks an action done on `day` (or open again, for `None`), as read at `version`.
    /// Audited.
    pub async fn finish_action(
        &self,
        actor: &Actor,
        id: ActionId,
        version: i64,
        day: Option<NaiveDate>,
    ) -> Result<Action> {
        let mut tx = self.write().await?;
        let before = action_on(&mut tx, id).await?;
        let fields = Fields::new().set("done_on", day.map(date_to_db));
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        if let Some(meeting) = after.meeting_id {
            touch(&mut tx, meeting).await?;
        }
        if let Some(account) = after.account_id {
            crate::jobs::enqueue_on(
                &mut tx,
                crate::jobs::Job::MirrorScores(crate::jobs::Accounts::One(account)),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// One action.
    pub async fn action(&self, id: ActionId) -> Result<Action> {
        action_on(&mut *self.pool().acquire().await?, id).await
    }

    /// The actions agreed in a meeting, in the order agreed.
    pub async fn actions_of_meeting(&self, meeting: MeetingId) -> Result<Vec<ActionView>> {
        let rows = sqlx::query(&format!("{VIEW_SQL} WHERE a.meeting_id = $1 ORDER BY a.id"))
            .bind(meeting.get())
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(action_view).collect::<Result<_, _>>()?)
    }

    /// A person's open actions that a reader sees (none on a hidden account), the earliest
    /// due first.
    pub async fn open_actions_of(
        &self,
        owner: PersonId,
        seen: &crate::Visibility,
    ) -> Result<Vec<ActionView>> {
        let (visible, hidden) = seen.accounts("a.account_id", 2);
        let sql = format!(
            "{VIEW_SQL} WHERE a.owner_id = $1 AND a.done_on IS NULL AND {visible} \
             ORDER BY a.due_on, a.id"
        );
        let rows = hidden
            .into_iter()
            .fold(sqlx::query(&sql).bind(owner.get()), |q, id| q.bind(id))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(action_view).collect::<Result<_, _>>()?)
    }

    /// The open actions on an account, the earliest due first.
    pub async fn open_actions_on(&self, account: AccountId) -> Result<Vec<ActionView>> {
        let rows = sqlx::query(&format!(
            "{VIEW_SQL} WHERE a.account_id = $1 AND a.done_on IS NULL ORDER BY a.due_on, a.id"
        ))
        .bind(account.get())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(action_view).collect::<Result<_, _>>()?)
    }

    /// The meetings an account was discussed in (an item about it in a prepared meeting),
    /// newest first: (meeting id, series name, start).
    pub async fn meetings_about(
        &self,
        account: AccountId,
    ) -> Result<Vec<(MeetingId, String, chrono::DateTime<chrono::Utc>)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT m.id, s.name, m.starts_at FROM jf_items i \
             JOIN jf_meetings m ON m.id = i.meeting_id JOIN jf_series s ON s.id = m.series_id \
             WHERE i.account_id = $1 AND m.status = 'planned' AND m.starts_at <= $2 \
             ORDER BY m.starts_at DESC, m.id DESC LIMIT 12",
        )
        .bind(account.get())
        .bind(to_db(crate::now()))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, name, at)| Ok((MeetingId::new(id), name, from_db(&at)?)))
            .collect()
    }
}
