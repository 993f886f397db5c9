//! Insights: what one of ours learned about a partner person or an account. Every read takes
//! the reader's [`Visibility`], so a confidential insight reaches only those who may see it,
//! and one recorded on a hidden account nobody else.

use chrono::{DateTime, Utc};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, InsightId, OrganizationId, PersonId, UnitId, UserId};
use counterpart_core::insight::{Category, Insight, InsightInput};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::dialect::{TextSearch, TextTable, placeholders, text_search};
use crate::error::{Result, StoreError};
use crate::time::{date_from_db, date_to_db, to_db};
use crate::versioned::{self, Fields, Versioned};
use crate::{Actor, Visibility};

/// The columns of an insight, on the alias `i`.
const COLUMNS: &str = "i.id, i.partner_id, i.account_id, i.category, i.text, i.learned_on, \
    i.author_id, i.author_person_id, i.author_unit_id, i.source_id, i.certainty, i.valid_until, \
    i.confidential, i.withdrawn, i.version";

/// Insights shown on a page at most.
pub const INSIGHTS_SHOWN: i64 = 50;
/// Insights an export carries at most: the rows of a worksheet below its header.
pub const INSIGHTS_EXPORTED: i64 = 1_048_575;

/// An insight with the names a page shows beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InsightView {
    /// The insight.
    pub insight: Insight,
    /// Who of ours wrote it down (the user's display name).
    pub author_name: String,
    /// The partner person it is about, by name.
    pub partner_name: Option<String>,
    /// The source, by name.
    pub source_name: Option<String>,
}

fn insight(row: &AnyRow) -> Result<Insight, sqlx::Error> {
    let id = |name: &str| row.try_get::<Option<i64>, _>(name);
    let date = |name: &str| -> Result<Option<chrono::NaiveDate>, sqlx::Error> {
        row.try_get::<Option<String>, _>(name)?
            .map(|d| date_from_db(&d))
            .transpose()
    };
    Ok(Insight {
        id: InsightId::new(row.try_get("id")?),
        partner_id: id("partner_id")?.map(PersonId::new),
        account_id: id("account_id")?.map(AccountId::new),
        category: row
            .try_get::<String, _>("category")?
            .parse()
            .map_err(decode)?,
        text: row.try_get("text")?,
        learned_on: date_from_db(&row.try_get::<String, _>("learned_on")?)?,
        author_id: UserId::new(row.try_get("author_id")?),
        author_person_id: id("author_person_id")?.map(PersonId::new),
        author_unit_id: id("author_unit_id")?.map(UnitId::new),
        source_id: id("source_id")?.map(PersonId::new),
        certainty: row
            .try_get::<String, _>("certainty")?
            .parse()
            .map_err(decode)?,
        valid_until: date("valid_until")?,
        confidential: row.try_get::<i64, _>("confidential")? != 0,
        withdrawn: row.try_get::<i64, _>("withdrawn")? != 0,
        version: row.try_get("version")?,
    })
}

impl Versioned for Insight {
    const TABLE: &'static str = "insights";
    const COLUMNS: &'static str = "id, partner_id, account_id, category, text, learned_on, \
        author_id, author_person_id, author_unit_id, source_id, certainty, valid_until, \
        confidential, withdrawn, version";
    const ENTITY: EntityKind = EntityKind::Insight;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        insight(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        let text: String = self.text.chars().take(60).collect();
        format!("{}: {text}", self.category)
    }
}

async fn insight_on(conn: &mut AnyConnection, id: InsightId) -> Result<Insight> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM insights i WHERE i.id = $1"))
        .bind(id.get())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::not_found(EntityKind::Insight, id.get()))?;
    Ok(insight(&row)?)
}

/// A value bound to an insight read: an id or a text.
pub(crate) enum Bound {
    Id(i64),
    Text(String),
}

impl From<i64> for Bound {
    fn from(id: i64) -> Self {
        Self::Id(id)
    }
}

impl From<String> for Bound {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

/// Whose insights (or contacts) a list reads: a partner person's, or an account's — about the
/// account itself or any of its key contacts, as the account page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A partner person.
    Person(PersonId),
    /// An account and its key contacts.
    Account(AccountId),
}

impl Subject {
    /// The condition on the alias `alias` of `table` (`partner_id`, `account_id` columns) that
    /// a row is about this subject, with the subject's id bound to `$1`.
    ///
    /// An account's rows are the union of two index lookups (about the account, about its key
    /// contacts) rather than one condition with `OR`: PostgreSQL planned the `OR` as a walk
    /// of the whole table in date order (293 ms for the largest account's insights; SQLite
    /// already used both indexes).
    pub(crate) fn condition(self, alias: &str, table: &str) -> String {
        match self {
            Self::Person(_) => format!("{alias}.partner_id = $1"),
            Self::Account(_) => format!(
                "{alias}.id IN (SELECT x.id FROM {table} x WHERE x.account_id = $1 \
                 UNION SELECT x.id FROM {table} x JOIN key_contacts k ON k.person_id = x.partner_id \
                 WHERE k.account_id = $1)"
            ),
        }
    }

    /// The subject's id, bound to `$1`.
    pub(crate) fn id(self) -> i64 {
        match self {
            Self::Person(p) => p.get(),
            Self::Account(a) => a.get(),
        }
    }
}

/// Which insights a list holds besides its subject (and what the reader may see).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InsightFilter {
    /// Only those of this category.
    pub category: Option<Category>,
    /// Only those learned on this day or later.
    pub since: Option<chrono::NaiveDate>,
}

/// What a new insight is about and who writes it.
#[derive(Clone, Copy, Debug)]
pub struct InsightAbout {
    /// The partner person, if any.
    pub partner: Option<PersonId>,
    /// The account, if any.
    pub account: Option<AccountId>,
    /// The user who writes it down.
    pub author: UserId,
    /// The person of our house that user is, if linked.
    pub author_person: Option<PersonId>,
}

impl Store {
    /// Records an insight. The author's unit is taken as it is now: it decides who reads a
    /// confidential insight, also after the author moves on.
    pub async fn create_insight(
        &self,
        actor: &Actor,
        about: InsightAbout,
        input: &InsightInput,
    ) -> Result<Insight> {
        let mut tx = self.write().await?;
        let created = insert_insight(&mut tx, actor, about, input).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// One insight, whatever its visibility: the use cases decide who may have it.
    pub async fn insight(&self, id: InsightId) -> Result<Insight> {
        insight_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Changes an insight's text and details, if nobody changed it since `version`; the
    /// audit log keeps the earlier wording.
    pub async fn update_insight(
        &self,
        actor: &Actor,
        id: InsightId,
        version: i64,
        input: &InsightInput,
    ) -> Result<Insight> {
        let mut tx = self.write().await?;
        let before = insight_on(&mut tx, id).await?;
        let fields = Fields::new()
            .set("category", input.category.as_str())
            .set("text", &input.text)
            .set("learned_on", date_to_db(input.learned_on))
            .set("source_id", input.source_id.map(PersonId::get))
            .set("certainty", input.certainty.as_str())
            .set("valid_until", input.valid_until.map(date_to_db))
            .set("confidential", i64::from(input.confidential))
            .set("search_text", counterpart_core::text::fold(&input.text));
        let after = versioned::update(&mut tx, actor, &before, version, fields).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Withdraws an insight (kept, no longer shown), if nobody changed it since `version`.
    pub async fn withdraw_insight(
        &self,
        actor: &Actor,
        id: InsightId,
        version: i64,
    ) -> Result<Insight> {
        let mut tx = self.write().await?;
        let before = insight_on(&mut tx, id).await?;
        let after = versioned::write_as(
            &mut tx,
            actor,
            &before,
            version,
            Fields::new().set("withdrawn", 1_i64),
            AuditAction::Delete,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The insights a reader sees about a partner person, newest first.
    pub async fn insights_about_person(
        &self,
        person: PersonId,
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        self.insights_where("i.partner_id = $1", person.get(), visibility)
            .await
    }

    /// The insights a reader sees about an account or any of its key contacts, newest first.
    pub async fn insights_about_account(
        &self,
        account: AccountId,
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        let about = Subject::Account(account);
        self.insights_where(&about.condition("i", "insights"), about.id(), visibility)
            .await
    }

    /// Seek (keyset) pagination of what a reader sees about a subject (not withdrawn): up to
    /// `limit` insights passing `filter` with an id above `after`, by id. A list read this way
    /// stays whole while others write.
    pub async fn insights_after(
        &self,
        subject: Subject,
        filter: &InsightFilter,
        visibility: &Visibility,
        after: Option<InsightId>,
        limit: u32,
    ) -> Result<Vec<Insight>> {
        let (visible, mut binds) =
            visibility.condition("i.confidential", "i.author_id", "i.author_unit_id", 6);
        // None recorded on an account hidden from the reader (a restricted one).
        let (on_seen_account, hidden) = visibility.accounts("i.account_id", 6 + binds.len());
        binds.extend(hidden);
        let sql = format!(
            "SELECT {COLUMNS} FROM insights i WHERE {about} AND i.withdrawn = 0 \
             AND ($2 IS NULL OR i.category = $2) AND ($3 IS NULL OR i.learned_on >= $3) \
             AND i.id > $4 AND {visible} AND {on_seen_account} ORDER BY i.id LIMIT $5",
            about = subject.condition("i", "insights"),
        );
        let query = sqlx::query(&sql)
            .bind(subject.id())
            .bind(filter.category.map(Category::as_str))
            .bind(filter.since.map(date_to_db))
            .bind(after.map_or(0, InsightId::get))
            .bind(i64::from(limit));
        let rows = binds
            .into_iter()
            .fold(query, |q, b| q.bind(b))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(insight).collect::<Result<_, _>>()?)
    }

    /// The insights of these ids a reader sees (not withdrawn), newest first.
    pub async fn insights_by_ids(
        &self,
        ids: &[InsightId],
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(500) {
            let about = format!("i.id IN ({})", placeholders(1, chunk.len()));
            let values = chunk.iter().map(|i| Bound::Id(i.get())).collect();
            let limit = i64::try_from(chunk.len()).unwrap_or(i64::MAX);
            found.extend(
                self.insights_matching(&about, values, visibility, limit)
                    .await?,
            );
        }
        Ok(found)
    }

    /// The insights a reader sees whose text holds `folded` (a query folded by
    /// [`counterpart_core::text::fold`]), newest first.
    pub async fn search_insights(
        &self,
        folded: &str,
        visibility: &Visibility,
        limit: i64,
    ) -> Result<Vec<InsightView>> {
        let table = TextTable {
            alias: "i",
            table: "insights",
            day: "learned_on",
            fts: "insight_search",
        };
        match self.text_condition(table, folded).await? {
            Some((condition, values)) => {
                self.insights_matching(&condition, values, visibility, limit)
                    .await
            }
            None => Ok(Vec::new()),
        }
    }

    /// How to find the rows of `on` whose folded text holds `folded`: a condition on its
    /// alias with the values to bind from `$1`, or `None` when the text search knows that no
    /// row does.
    pub(crate) async fn text_condition(
        &self,
        on: TextTable<'_>,
        folded: &str,
    ) -> Result<Option<(String, Vec<Bound>)>> {
        let word = folded.replace(['%', '_', '\\'], "");
        let alias = on.alias;
        let mut conn = self.pool().acquire().await?;
        Ok(
            match text_search(&mut conn, self.backend(), on, &word).await? {
                TextSearch::Like(condition) => Some((condition, vec![format!("%{word}%").into()])),
                TextSearch::Ids(ids) if ids.is_empty() => None,
                TextSearch::Ids(ids) => Some((
                    format!("{alias}.id IN ({})", placeholders(1, ids.len())),
                    ids.into_iter().map(Bound::Id).collect(),
                )),
            },
        )
    }

    /// The insights a reader sees that others recorded after `since` about the partner
    /// people `holder` is a current counterpart of, about the accounts `holder` manages or
    /// their key contacts: what is new on "my" accounts, newest first.
    pub async fn insights_for_holder(
        &self,
        holder: PersonId,
        reader: UserId,
        since: DateTime<Utc>,
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        // A union of index lookups bounded by the day, not one `OR` across columns: with the
        // `OR`, PostgreSQL walked all 1,000,000 insights of the enterprise dataset by day for
        // the managing director's fortnight (2.7 s; 83 ms so, SQLite 13 -> 5 ms).
        self.insights_matching(
            "i.author_id <> $3 AND i.id IN ( \
               SELECT x.id FROM insights x WHERE x.created_at > $2 AND x.partner_id IN \
                 (SELECT s.partner_id FROM assignments s WHERE s.our_id = $1 AND s.valid_to IS NULL) \
               UNION SELECT x.id FROM insights x WHERE x.created_at > $2 AND x.account_id IN \
                 (SELECT a.id FROM accounts a WHERE a.manager_id = $1) \
               UNION SELECT x.id FROM insights x WHERE x.created_at > $2 AND x.partner_id IN \
                 (SELECT k.person_id FROM key_contacts k JOIN accounts a ON a.id = k.account_id \
                  WHERE a.manager_id = $1))",
            vec![
                holder.get().into(),
                to_db(since).into(),
                reader.get().into(),
            ],
            visibility,
            INSIGHTS_SHOWN,
        )
        .await
    }

    /// The insights a reader sees about the people of an organization or its accounts,
    /// newest first: what an export of that organization carries. At most what fits on a
    /// worksheet.
    pub async fn insights_of_organization(
        &self,
        organization: OrganizationId,
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        // A union, not one `OR` across columns: PostgreSQL read and sorted every insight for
        // the `OR` (2.6 s for any organization of the enterprise dataset; 21-26 ms so).
        self.insights_matching(
            "i.id IN (SELECT x.id FROM insights x WHERE x.partner_id IN \
               (SELECT p.id FROM persons p WHERE p.organization_id = $1) \
             UNION SELECT x.id FROM insights x WHERE x.account_id IN \
               (SELECT a.id FROM accounts a WHERE a.organization_id = $1))",
            vec![organization.get().into()],
            visibility,
            INSIGHTS_EXPORTED,
        )
        .await
    }

    /// Insights matching `about` (with `$1` bound to `id`) that are not withdrawn and that the
    /// reader may see, newest first, with their names.
    async fn insights_where(
        &self,
        about: &str,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Vec<InsightView>> {
        self.insights_matching(about, vec![id.into()], visibility, INSIGHTS_SHOWN)
            .await
    }

    /// Insights matching `about` (with `$1`… bound to `values`) that are not withdrawn and
    /// that the reader may see, newest first, with their names.
    pub(crate) async fn insights_matching(
        &self,
        about: &str,
        values: Vec<Bound>,
        visibility: &Visibility,
        limit: i64,
    ) -> Result<Vec<InsightView>> {
        let (confidential, mut binds) = visibility.condition(
            "i.confidential",
            "i.author_id",
            "i.author_unit_id",
            values.len() + 1,
        );
        // Neither what is recorded on a hidden account.
        let (on_account, hidden) =
            visibility.accounts("i.account_id", values.len() + binds.len() + 1);
        binds.extend(hidden);
        let visible = format!("{confidential} AND {on_account}");
        // The newest are chosen from `insights` alone and only they are joined to the names:
        // an account's hundreds of candidates would otherwise each be joined and carry their
        // text through the sort (1.5 -> 0.7 ms for a large account in SQLite).
        let order = "ORDER BY i.learned_on DESC, i.id DESC";
        let sql = format!(
            "SELECT {COLUMNS}, u.display_name AS author_name, \
               p.academic_title AS p_title, p.given_name AS p_given, p.family_name AS p_family, \
               s.academic_title AS s_title, s.given_name AS s_given, s.family_name AS s_family \
             FROM insights i JOIN users u ON u.id = i.author_id \
             LEFT JOIN persons p ON p.id = i.partner_id \
             LEFT JOIN persons s ON s.id = i.source_id \
             WHERE i.id IN (SELECT i.id FROM insights i \
               WHERE {about} AND i.withdrawn = 0 AND {visible} {order} LIMIT {limit}) \
             {order}"
        );
        let query = values
            .into_iter()
            .fold(sqlx::query(&sql), |query, value| match value {
                Bound::Id(id) => query.bind(id),
                Bound::Text(text) => query.bind(text),
            });
        let query = binds.into_iter().fold(query, |q, b| q.bind(b));
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let name = |prefix: &str| -> Result<Option<String>, sqlx::Error> {
                    let family: Option<String> =
                        row.try_get(format!("{prefix}_family").as_str())?;
                    Ok(match family {
                        None => None,
                        Some(family) => Some(counterpart_core::person::display_name(
                            row.try_get::<Option<String>, _>(format!("{prefix}_title").as_str())?
                                .as_deref(),
                            row.try_get::<Option<String>, _>(format!("{prefix}_given").as_str())?
                                .as_deref(),
                            &family,
                        )),
                    })
                };
                Ok(InsightView {
                    insight: insight(row)?,
                    author_name: row.try_get("author_name")?,
                    partner_name: name("p")?,
                    source_name: name("s")?,
                })
            })
            .collect()
    }
}

/// Records an insight in the caller's transaction (see [`Store::create_insight`]).
pub(crate) async fn insert_insight(
    conn: &mut AnyConnection,
    actor: &Actor,
    about: InsightAbout,
    input: &InsightInput,
) -> Result<Insight> {
    let unit: Option<(Option<i64>,)> = match about.author_person {
        Some(person) => {
            sqlx::query_as("SELECT unit_id FROM persons WHERE id = $1")
                .bind(person.get())
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    let now = to_db(crate::now());
    let id: i64 = sqlx::query(
            "INSERT INTO insights (partner_id, account_id, category, text, learned_on, author_id, \
             author_person_id, author_unit_id, source_id, certainty, valid_until, confidential, \
             created_at, updated_at, search_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
        )
        .bind(about.partner.map(PersonId::get))
        .bind(about.account.map(AccountId::get))
        .bind(input.category.as_str())
        .bind(&input.text)
        .bind(date_to_db(input.learned_on))
        .bind(about.author.get())
        .bind(about.author_person.map(PersonId::get))
        .bind(unit.and_then(|(u,)| u))
        .bind(input.source_id.map(PersonId::get))
        .bind(input.certainty.as_str())
        .bind(input.valid_until.map(date_to_db))
        .bind(i64::from(input.confidential))
        .bind(&now)
        .bind(counterpart_core::text::fold(&input.text))
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let created = insight_on(conn, InsightId::new(id)).await?;
    record(
        conn,
        actor,
        Change {
            entity: EntityKind::Insight,
            id,
            action: AuditAction::Create,
            label: &created.label(),
        },
        None,
        Some(&created),
    )
    .await?;
    Ok(created)
}
