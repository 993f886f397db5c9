//! The contact log: contacts with partner people as they happened, newest first.

use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, InteractionId, PersonId, UserId};
use counterpart_core::interaction::{Interaction, InteractionInput, Kind};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::dialect::TextTable;
use crate::error::{Result, StoreError};
use crate::insights::{Bound, Subject};
use crate::time::{date_from_db, date_to_db, to_db};
use crate::{Actor, Visibility};
use counterpart_core::text::fold;

/// The columns of a contact, on the alias `c`.
const COLUMNS: &str = "c.id, c.partner_id, c.account_id, c.kind, c.happened_on, c.summary, \
    c.author_id, c.author_person_id, c.version";

/// Contacts listed on a page at most.
pub const CONTACTS_SHOWN: i64 = 20;

/// A logged contact with the names a page shows beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InteractionView {
    /// The contact.
    pub interaction: Interaction,
    /// Who logged it (the user's display name).
    pub author_name: String,
    /// The partner person, by name.
    pub partner_name: String,
    /// Who else was there, by name: (their side, our side).
    pub also: (Vec<String>, Vec<String>),
}

/// A logged contact with the people who were there besides the partner and its author.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoggedContact {
    /// The contact.
    pub interaction: Interaction,
    /// Who else was there (people of either side), by id.
    pub also: Vec<PersonId>,
}

/// Which contacts a list holds besides its subject.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// Only those of this kind.
    pub kind: Option<Kind>,
    /// Only those on this day or later.
    pub since: Option<chrono::NaiveDate>,
}

fn interaction(row: &AnyRow) -> Result<Interaction, sqlx::Error> {
    Ok(Interaction {
        id: InteractionId::new(row.try_get("id")?),
        partner_id: PersonId::new(row.try_get("partner_id")?),
        account_id: row
            .try_get::<Option<i64>, _>("account_id")?
            .map(AccountId::new),
        kind: row.try_get::<String, _>("kind")?.parse().map_err(decode)?,
        happened_on: date_from_db(&row.try_get::<String, _>("happened_on")?)?,
        summary: row.try_get("summary")?,
        author_id: UserId::new(row.try_get("author_id")?),
        author_person_id: row
            .try_get::<Option<i64>, _>("author_person_id")?
            .map(PersonId::new),
        version: row.try_get("version")?,
    })
}

impl Store {
    /// Logs a contact with a partner person (about an account, if given), by `author`, who
    /// is the person `author_person` of our house if linked, with `also` there (people of
    /// either side, checked by the caller). Every current pair of a partner person and a
    /// person of ours who were there has its last contact moved forward.
    pub async fn log_interaction(
        &self,
        actor: &Actor,
        partner: PersonId,
        account: Option<AccountId>,
        author: (UserId, Option<PersonId>),
        input: &InteractionInput,
        also: &[PersonId],
    ) -> Result<Interaction> {
        let mut tx = self.write().await?;
        let now = to_db(crate::now());
        let id: i64 = sqlx::query(
            "INSERT INTO interactions (partner_id, account_id, kind, happened_on, summary, \
             search_text, author_id, author_person_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(partner.get())
        .bind(account.map(AccountId::get))
        .bind(input.kind.as_str())
        .bind(date_to_db(input.happened_on))
        .bind(&input.summary)
        .bind(fold(&input.summary))
        .bind(author.0.get())
        .bind(author.1.map(PersonId::get))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM interactions c WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let logged = interaction(&row)?;
        for person in also {
            sqlx::query(
                "INSERT INTO interaction_people (interaction_id, person_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(person.get())
            .execute(&mut *tx)
            .await?;
        }
        // Every current pair among those there has its last contact moved forward (never
        // back): the partner and the others of their side with the author and the others of
        // ours (a pair's two people are never of one side, so the union does).
        let mut there: Vec<i64> = also.iter().map(|p| p.get()).collect();
        there.push(partner.get());
        there.extend(author.1.map(PersonId::get));
        let list = crate::dialect::placeholders(2, there.len());
        let sql = format!(
            "UPDATE assignments SET last_contact_on = $1 WHERE valid_to IS NULL \
             AND partner_id IN ({list}) AND our_id IN ({list}) \
             AND (last_contact_on IS NULL OR last_contact_on < $1)"
        );
        there
            .iter()
            .fold(
                sqlx::query(&sql).bind(date_to_db(input.happened_on)),
                |q, p| q.bind(*p),
            )
            .execute(&mut *tx)
            .await?;
        // Their last contact is what the mirror's "stale" finding reads: the accounts where
        // those there are key contacts are analysed again.
        let people: Vec<PersonId> = std::iter::once(partner)
            .chain(also.iter().copied())
            .collect();
        crate::jobs::enqueue_mirror_of_contacts_on(&mut tx, &people).await?;
        let label: String = logged.summary.chars().take(60).collect();
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::Interaction,
                id,
                action: AuditAction::Create,
                label: &format!("{}: {label}", logged.kind),
            },
            None,
            Some(&logged),
        )
        .await?;
        tx.commit().await?;
        Ok(logged)
    }

    /// Folds the summaries of contacts logged before the contact log was searchable (schema
    /// 11): once, after migrating; afterwards there are none.
    pub(crate) async fn fold_unsearchable_contacts(&self) -> Result<()> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, summary FROM interactions WHERE search_text = ''")
                .fetch_all(self.pool())
                .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for (id, summary) in rows {
            sqlx::query("UPDATE interactions SET search_text = $1 WHERE id = $2")
                .bind(fold(&summary))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// The contacts a reader sees whose summary holds `folded` (a query folded by [`fold`]),
    /// newest first.
    pub async fn search_interactions(
        &self,
        folded: &str,
        limit: i64,
        seen: &Visibility,
    ) -> Result<Vec<InteractionView>> {
        let table = TextTable {
            alias: "c",
            table: "interactions",
            day: "happened_on",
            fts: "contact_search",
        };
        match self.text_condition(table, folded).await? {
            Some((condition, values)) => {
                self.interactions_matching(&condition, values, limit, seen)
                    .await
            }
            None => Ok(Vec::new()),
        }
    }

    /// One logged contact a reader sees (none logged on a hidden account), with who else was
    /// there.
    pub async fn interaction(&self, id: InteractionId, seen: &Visibility) -> Result<LoggedContact> {
        let (visible, hidden) = seen.accounts("c.account_id", 2);
        let sql = format!("SELECT {COLUMNS} FROM interactions c WHERE c.id = $1 AND {visible}");
        let row = hidden
            .into_iter()
            .fold(sqlx::query(&sql).bind(id.get()), |query, id| query.bind(id))
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(EntityKind::Interaction, id.get()))?;
        let mut contacts = self.with_others(vec![interaction(&row)?]).await?;
        Ok(contacts.remove(0))
    }

    /// Seek (keyset) pagination of the contacts with a subject that a reader sees (none
    /// logged on a hidden account): up to `limit` passing `filter` with an id above `after`,
    /// by id, each with who else was there.
    pub async fn interactions_after(
        &self,
        subject: Subject,
        filter: &ContactFilter,
        after: Option<InteractionId>,
        limit: u32,
        seen: &Visibility,
    ) -> Result<Vec<LoggedContact>> {
        let (visible, hidden) = seen.accounts("c.account_id", 6);
        let sql = format!(
            "SELECT {COLUMNS} FROM interactions c WHERE {about} \
             AND ($2 IS NULL OR c.kind = $2) AND ($3 IS NULL OR c.happened_on >= $3) \
             AND c.id > $4 AND {visible} ORDER BY c.id LIMIT $5",
            about = subject.condition("c", "interactions"),
        );
        let query = sqlx::query(&sql)
            .bind(subject.id())
            .bind(filter.kind.map(Kind::as_str))
            .bind(filter.since.map(date_to_db))
            .bind(after.map_or(0, InteractionId::get))
            .bind(i64::from(limit));
        let rows = hidden
            .into_iter()
            .fold(query, |query, id| query.bind(id))
            .fetch_all(self.pool())
            .await?;
        let contacts = rows.iter().map(interaction).collect::<Result<_, _>>()?;
        self.with_others(contacts).await
    }

    /// Contacts with who else was there, read in one query for all of them.
    async fn with_others(&self, contacts: Vec<Interaction>) -> Result<Vec<LoggedContact>> {
        let ids: Vec<i64> = contacts.iter().map(|c| c.id.get()).collect();
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT interaction_id, person_id FROM interaction_people \
                     WHERE interaction_id IN ({list}) ORDER BY person_id"
                )
            })
            .await?;
        let mut contacts: Vec<LoggedContact> = contacts
            .into_iter()
            .map(|interaction| LoggedContact {
                interaction,
                also: Vec::new(),
            })
            .collect();
        for row in &rows {
            let id: i64 = row.try_get(0)?;
            let person = PersonId::new(row.try_get(1)?);
            if let Some(contact) = contacts.iter_mut().find(|c| c.interaction.id.get() == id) {
                contact.also.push(person);
            }
        }
        Ok(contacts)
    }

    /// The latest contacts with a partner person a reader sees, newest first.
    pub async fn interactions_with_person(
        &self,
        person: PersonId,
        seen: &Visibility,
    ) -> Result<Vec<InteractionView>> {
        self.interactions_where("c.partner_id = $1", person.get(), seen)
            .await
    }

    /// The latest contacts about an account or with any of its key contacts that a reader
    /// sees, newest first.
    pub async fn interactions_on_account(
        &self,
        account: AccountId,
        seen: &Visibility,
    ) -> Result<Vec<InteractionView>> {
        self.interactions_where(
            &crate::Subject::Account(account).condition("c", "interactions"),
            account.get(),
            seen,
        )
        .await
    }

    async fn interactions_where(
        &self,
        about: &str,
        id: i64,
        seen: &Visibility,
    ) -> Result<Vec<InteractionView>> {
        self.interactions_matching(about, vec![id.into()], CONTACTS_SHOWN, seen)
            .await
    }

    /// Contacts matching `about` with `$1`… bound to `values` that a reader sees (none
    /// logged on a hidden account), newest first, at most `limit`.
    async fn interactions_matching(
        &self,
        about: &str,
        values: Vec<Bound>,
        limit: i64,
        seen: &Visibility,
    ) -> Result<Vec<InteractionView>> {
        let (visible, hidden) = seen.accounts("c.account_id", values.len() + 1);
        let sql = format!(
            "SELECT {COLUMNS}, u.display_name AS author_name, p.academic_title AS p_title, \
               p.given_name AS p_given, p.family_name AS p_family \
             FROM interactions c JOIN users u ON u.id = c.author_id \
             JOIN persons p ON p.id = c.partner_id \
             WHERE {about} AND {visible} ORDER BY c.happened_on DESC, c.id DESC LIMIT {limit}"
        );
        let query = values
            .into_iter()
            .fold(sqlx::query(&sql), |query, value| match value {
                Bound::Id(id) => query.bind(id),
                Bound::Text(text) => query.bind(text),
            });
        let rows = hidden
            .into_iter()
            .fold(query, |query, id| query.bind(id))
            .fetch_all(self.pool())
            .await?;
        let mut views: Vec<InteractionView> = rows
            .iter()
            .map(|row| {
                Ok(InteractionView {
                    interaction: interaction(row)?,
                    author_name: row.try_get("author_name")?,
                    partner_name: counterpart_core::person::display_name(
                        row.try_get::<Option<String>, _>("p_title")?.as_deref(),
                        row.try_get::<Option<String>, _>("p_given")?.as_deref(),
                        &row.try_get::<String, _>("p_family")?,
                    ),
                    also: (Vec::new(), Vec::new()),
                })
            })
            .collect::<Result<_>>()?;
        let ids: Vec<i64> = views.iter().map(|v| v.interaction.id.get()).collect();
        let others = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT ip.interaction_id, p.academic_title, p.given_name, p.family_name, \
                     o.kind FROM interaction_people ip JOIN persons p ON p.id = ip.person_id \
                     JOIN organizations o ON o.id = p.organization_id \
                     WHERE ip.interaction_id IN ({list}) \
                     ORDER BY lower(p.family_name), lower(p.given_name)"
                )
            })
            .await?;
        for row in &others {
            let id: i64 = row.try_get(0)?;
            let name = counterpart_core::person::display_name(
                row.try_get::<Option<String>, _>(1)?.as_deref(),
                row.try_get::<Option<String>, _>(2)?.as_deref(),
                &row.try_get::<String, _>(3)?,
            );
            let ours = row.try_get::<String, _>(4)? == "own";
            if let Some(view) = views.iter_mut().find(|v| v.interaction.id.get() == id) {
                if ours {
                    view.also.1.push(name);
                } else {
                    view.also.0.push(name);
                }
            }
        }
        Ok(views)
    }
}
