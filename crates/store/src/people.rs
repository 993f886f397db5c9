//! People and their positions over time.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::hierarchy::would_create_cycle;
use counterpart_core::ids::{FunctionId, LevelId, OrganizationId, PersonId, PositionId, UnitId};
use counterpart_core::org::{Organization, Unit};
use counterpart_core::person::{Person, PersonInput, Position, PositionChange};
use counterpart_core::text::fold;
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Actor;
use crate::audit::{Change, conflict, record};
use crate::db::Store;
use crate::dialect;
use crate::error::{Result, StoreError};
use crate::jobs::enqueue_mirror_of_people_on;
use crate::orgs::{organization_on, unit_on};
use crate::time::{date_from_db, date_to_db, to_db};
use crate::versioned::{self, Fields, Versioned};

/// A person with the names shown in lists.
#[derive(Clone, Debug, Serialize)]
pub struct PersonSummary {
    /// The person.
    pub person: Person,
    /// Name of their unit, if any.
    pub unit_name: Option<String>,
    /// Name of their organization.
    pub organization_name: String,
}

/// Whom a person picker searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The active people of one organization.
    Organization(OrganizationId),
    /// The key contacts of every account.
    KeyContacts,
}

/// A person as the org chart needs them.
#[derive(Clone, Debug, Serialize)]
pub struct ChartRow {
    /// The person.
    pub id: PersonId,
    /// Their unit.
    pub unit_id: Option<UnitId>,
    /// Their manager.
    pub reports_to: Option<PersonId>,
    /// The boss they assist.
    pub assistant_of: Option<PersonId>,
    /// Their level's rank.
    pub level_rank: Option<i64>,
    /// "Dr. Katharina Schneider".
    pub name: String,
    /// Family name, for sorting.
    pub family_name: String,
    /// Job title.
    pub job_title: Option<String>,
}

/// A position with the names of its organization and unit.
#[derive(Clone, Debug, Serialize)]
pub struct PositionView {
    /// The position.
    pub position: Position,
    /// The employer's name.
    pub organization_name: String,
    /// The unit's name, if any.
    pub unit_name: Option<String>,
}

/// Everything the person page shows.
#[derive(Clone, Debug, Serialize)]
pub struct PersonDetail {
    /// The person.
    pub person: Person,
    /// Their organization.
    pub organization: Organization,
    /// Their unit.
    pub unit: Option<Unit>,
    /// Their manager.
    pub manager: Option<PersonSummary>,
    /// The boss they assist.
    pub assists: Option<PersonSummary>,
    /// Their direct reports, by name.
    pub reports: Vec<PersonSummary>,
    /// Their assistants/secretariat.
    pub assistants: Vec<PersonSummary>,
    /// Positions, newest first.
    pub positions: Vec<PositionView>,
}

/// The columns of a person, on the alias `p`.
const PERSON_COLUMNS: &str = "p.id, p.organization_id, p.unit_id, p.given_name, p.family_name, \
    p.academic_title, p.job_title, p.level_id, p.function_id, p.reports_to_id, p.assistant_of_id, \
    p.email, p.phone, p.mobile, p.notes, p.active, p.version";

/// The summary select: person columns plus unit and organization names.
pub(crate) fn summary_select(where_clause: &str) -> String {
    format!(
        "SELECT {PERSON_COLUMNS}, u.name AS unit_name, o.name AS organization_name \
         FROM persons p JOIN organizations o ON o.id = p.organization_id \
         LEFT JOIN units u ON u.id = p.unit_id {where_clause}"
    )
}

/// Reads a person from a row of [`PERSON_COLUMNS`].
pub(crate) fn person(row: &AnyRow) -> Result<Person, sqlx::Error> {
    let id = |name: &str| row.try_get::<Option<i64>, _>(name);
    Ok(Person {
        id: PersonId::new(row.try_get("id")?),
        organization_id: OrganizationId::new(row.try_get("organization_id")?),
        unit_id: id("unit_id")?.map(UnitId::new),
        given_name: row.try_get("given_name")?,
        family_name: row.try_get("family_name")?,
        academic_title: row.try_get("academic_title")?,
        job_title: row.try_get("job_title")?,
        level_id: id("level_id")?.map(LevelId::new),
        function_id: id("function_id")?.map(FunctionId::new),
        reports_to_id: id("reports_to_id")?.map(PersonId::new),
        assistant_of_id: id("assistant_of_id")?.map(PersonId::new),
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        mobile: row.try_get("mobile")?,
        notes: row.try_get("notes")?,
        active: row.try_get::<i64, _>("active")? != 0,
        version: row.try_get("version")?,
    })
}

pub(crate) fn summary(row: &AnyRow) -> Result<PersonSummary, sqlx::Error> {
    Ok(PersonSummary {
        person: person(row)?,
        unit_name: row.try_get("unit_name")?,
        organization_name: row.try_get("organization_name")?,
    })
}

impl Versioned for Person {
    const TABLE: &'static str = "persons";
    const COLUMNS: &'static str = "id, organization_id, unit_id, given_name, family_name, \
        academic_title, job_title, level_id, function_id, reports_to_id, assistant_of_id, \
        email, phone, mobile, notes, active, version";
    const ENTITY: EntityKind = EntityKind::Person;

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        person(row)
    }

    fn key(&self) -> i64 {
        self.id.get()
    }

    fn label(&self) -> String {
        label(self)
    }
}

/// One person, read on an open connection.
pub(crate) async fn person_on(conn: &mut AnyConnection, id: PersonId) -> Result<Person> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.id = $1"
    ))
    .bind(id.get())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::not_found(EntityKind::Person, id.get()))?;
    Ok(person(&row)?)
}

async fn exists(conn: &mut AnyConnection, table: &str, id: i64) -> Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The reports-to chain above `start`, as child → parent pairs.
async fn manager_chain(conn: &mut AnyConnection, start: PersonId) -> Result<HashMap<i64, i64>> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "WITH RECURSIVE chain (id, parent, depth) AS ( \
           SELECT id, reports_to_id, 0 FROM persons WHERE id = $1 \
           UNION ALL \
           SELECT p.id, p.reports_to_id, c.depth + 1 FROM persons p \
           JOIN chain c ON p.id = c.parent WHERE c.depth < 200) \
         SELECT id, parent FROM chain",
    )
    .bind(start.get())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, parent)| parent.map(|p| (id, p)))
        .collect())
}

/// Checks every reference of a person's input inside the transaction, collecting all problems.
async fn check_links(
    conn: &mut AnyConnection,
    organization_id: OrganizationId,
    person_id: Option<PersonId>,
    input: &PersonInput,
) -> Result<()> {
    let mut errors = FieldErrors::default();
    if let Some(level) = input.level_id
        && !exists(conn, "levels", level.get()).await?
    {
        errors.add("level_id", Problem::NotFound);
    }
    if let Some(function) = input.function_id
        && !exists(conn, "functions", function.get()).await?
    {
        errors.add("function_id", Problem::NotFound);
    }
    if let Some(unit_id) = input.unit_id {
        match unit_on(conn, unit_id).await {
            Ok(unit) if unit.organization_id != organization_id => {
                errors.add("unit_id", Problem::OtherOrganization);
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => errors.add("unit_id", Problem::NotFound),
            Err(e) => return Err(e),
        }
    }
    for (field, target) in [
        ("reports_to_id", input.reports_to_id),
        ("assistant_of_id", input.assistant_of_id),
    ] {
        let Some(target) = target else { continue };
        if Some(target) == person_id {
            errors.add(field, Problem::SelfReference);
            continue;
        }
        match person_on(conn, target).await {
            Ok(other) if other.organization_id != organization_id => {
                errors.add(field, Problem::OtherOrganization);
            }
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => errors.add(field, Problem::NotFound),
            Err(e) => return Err(e),
        }
    }
    if let (Some(me), Some(manager), None) =
        (person_id, input.reports_to_id, errors.get("reports_to_id"))
    {
        let chain = manager_chain(conn, manager).await?;
        if would_create_cycle(me.get(), manager.get(), 10_000, |p| chain.get(&p).copied()) {
            errors.add("reports_to_id", Problem::Cycle);
        }
    }
    errors.into_result(|| ()).map_err(Into::into)
}

fn position(row: &AnyRow) -> Result<PositionView, sqlx::Error> {
    let valid_to: Option<String> = row.try_get("valid_to")?;
    Ok(PositionView {
        position: Position {
            id: PositionId::new(row.try_get("id")?),
            person_id: PersonId::new(row.try_get("person_id")?),
            organization_id: OrganizationId::new(row.try_get("organization_id")?),
            unit_id: row.try_get::<Option<i64>, _>("unit_id")?.map(UnitId::new),
            job_title: row.try_get("job_title")?,
            level_id: row.try_get::<Option<i64>, _>("level_id")?.map(LevelId::new),
            valid_from: date_from_db(row.try_get("valid_from")?)?,
            valid_to: valid_to.as_deref().map(date_from_db).transpose()?,
        },
        organization_name: row.try_get("organization_name")?,
        unit_name: row.try_get("unit_name")?,
    })
}

async fn insert_position(
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

fn label(person: &Person) -> String {
    person.display_name()
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
    /// One person.
    pub async fn person(&self, id: PersonId) -> Result<Person> {
        person_on(&mut *self.pool().acquire().await?, id).await
    }

    /// Several people by id (an account's key contacts); unknown ids are left out.
    pub async fn persons(&self, ids: &[PersonId]) -> Result<HashMap<PersonId, Person>> {
        let ids: Vec<i64> = ids.iter().map(|id| id.get()).collect();
        let rows: Vec<AnyRow> = self
            .rows_by_ids(&ids, |list| {
                format!("SELECT {PERSON_COLUMNS} FROM persons p WHERE p.id IN ({list})")
            })
            .await?;
        rows.iter()
            .map(|row| Ok(person(row).map(|p| (p.id, p))?))
            .collect()
    }

    /// People of an organization, optionally of one unit, by family name; `limit`/`offset` page.
    pub async fn people(
        &self,
        organization_id: OrganizationId,
        unit_id: Option<UnitId>,
        include_inactive: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<PersonSummary>> {
        let rows = sqlx::query(&summary_select(
            "WHERE p.organization_id = $1 AND ($2 IS NULL OR p.unit_id = $2) \
             AND ($3 = 1 OR p.active = 1) \
             ORDER BY lower(p.family_name), lower(p.given_name), p.id LIMIT $4 OFFSET $5",
        ))
        .bind(organization_id.get())
        .bind(unit_id.map(UnitId::get))
        .bind(i64::from(include_inactive))
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// The active people of an organization as the org chart needs them: one query, small rows.
    pub async fn chart_people(&self, organization_id: OrganizationId) -> Result<Vec<ChartRow>> {
        let rows = sqlx::query(
            "SELECT p.id, p.unit_id, p.reports_to_id, p.assistant_of_id, l.rank, p.academic_title, \
             p.given_name, p.family_name, p.job_title FROM persons p LEFT JOIN levels l ON l.id = p.level_id \
             WHERE p.organization_id = $1 AND p.active = 1",
        )
        .bind(organization_id.get())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id = |name: &str| row.try_get::<Option<i64>, _>(name);
                let title: Option<String> = row.try_get("academic_title")?;
                let given: Option<String> = row.try_get("given_name")?;
                let family: String = row.try_get("family_name")?;
                Ok(ChartRow {
                    id: PersonId::new(row.try_get("id")?),
                    unit_id: id("unit_id")?.map(UnitId::new),
                    reports_to: id("reports_to_id")?.map(PersonId::new),
                    assistant_of: id("assistant_of_id")?.map(PersonId::new),
                    level_rank: row.try_get("rank")?,
                    name: counterpart_core::person::display_name(
                        title.as_deref(),
                        given.as_deref(),
                        &family,
                    ),
                    family_name: family,
                    job_title: row.try_get("job_title")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Finds active people whose name, title or e-mail contains every word of `query`,
    /// umlaut-folded: "mueller" and "muller" both find "Müller".
    pub async fn search_people(
        &self,
        query: &str,
        organization_id: Option<OrganizationId>,
        limit: i64,
    ) -> Result<Vec<PersonSummary>> {
        self.search_people_where(query, organization_id, "1 = 1", limit)
            .await
    }

    /// [`Store::search_people`] with one more condition on `p` (written by us, never by a
    /// user).
    async fn search_people_where(
        &self,
        query: &str,
        organization_id: Option<OrganizationId>,
        condition: &str,
        limit: i64,
    ) -> Result<Vec<PersonSummary>> {
        let folded = fold(query);
        let words: Vec<&str> = folded.split_whitespace().take(5).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut clause = format!(
            "WHERE p.active = 1 AND ($1 IS NULL OR p.organization_id = $1) AND {condition}"
        );
        clause.push_str(" AND ");
        clause.push_str(&dialect::search_condition(self.backend(), &words, 3));
        clause.push_str(" ORDER BY lower(p.family_name), lower(p.given_name), p.id LIMIT $2");
        let sql = summary_select(&clause);
        let mut q = sqlx::query(&sql)
            .bind(organization_id.map(OrganizationId::get))
            .bind(limit);
        for word in &words {
            // Folded text holds only letters, digits and spaces: no LIKE wildcards to escape.
            q = q.bind(format!("%{word}%"));
        }
        let rows = q.fetch_all(self.pool()).await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// People a picker offers for a search: the first `limit` by name whose folded name and
    /// details contain every word, with a note for each (for key contacts: their accounts).
    pub async fn search_pickable(
        &self,
        query: &str,
        scope: Pick,
        limit: i64,
    ) -> Result<Vec<(PersonSummary, String)>> {
        let found = match scope {
            Pick::Organization(org) => self.search_people(query, Some(org), limit).await?,
            Pick::KeyContacts => {
                self.search_people_where(
                    query,
                    None,
                    // Driven by the search index, each candidate checked by its index entry.
                    "EXISTS (SELECT 1 FROM key_contacts k WHERE k.person_id = p.id)",
                    limit,
                )
                .await?
            }
        };
        let notes = match scope {
            Pick::Organization(_) => HashMap::new(),
            Pick::KeyContacts => {
                let ids: Vec<i64> = found.iter().map(|s| s.person.id.get()).collect();
                let rows = self
                    .rows_by_ids(&ids, |list| {
                        format!(
                            "SELECT k.person_id, a.name FROM key_contacts k \
                             JOIN accounts a ON a.id = k.account_id \
                             WHERE k.person_id IN ({list}) ORDER BY lower(a.name)"
                        )
                    })
                    .await?;
                let mut notes: HashMap<i64, Vec<String>> = HashMap::new();
                for row in &rows {
                    notes
                        .entry(row.try_get("person_id")?)
                        .or_default()
                        .push(row.try_get("name")?);
                }
                notes
            }
        };
        Ok(found
            .into_iter()
            .map(|s| {
                let note = notes
                    .get(&s.person.id.get())
                    .map(|n| n.join(", "))
                    .unwrap_or_default();
                (s, note)
            })
            .collect())
    }

    /// Everything the person page shows.
    pub async fn person_detail(&self, id: PersonId) -> Result<PersonDetail> {
        let mut conn = self.pool().acquire().await?;
        let person = person_on(&mut conn, id).await?;
        let organization = organization_on(&mut conn, person.organization_id).await?;
        let unit = match person.unit_id {
            Some(u) => Some(unit_on(&mut conn, u).await?),
            None => None,
        };
        let one = |id: Option<PersonId>| id.map(PersonId::get);
        let manager = sqlx::query(&summary_select("WHERE p.id = $1"))
            .bind(one(person.reports_to_id))
            .fetch_optional(&mut *conn)
            .await?
            .as_ref()
            .map(summary)
            .transpose()?;
        let assists = sqlx::query(&summary_select("WHERE p.id = $1"))
            .bind(one(person.assistant_of_id))
            .fetch_optional(&mut *conn)
            .await?
            .as_ref()
            .map(summary)
            .transpose()?;
        let order = "AND p.active = 1 ORDER BY lower(p.family_name), lower(p.given_name), p.id";
        let reports = sqlx::query(&summary_select(&format!(
            "WHERE p.reports_to_id = $1 {order}"
        )))
        .bind(id.get())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(summary)
        .collect::<Result<_, _>>()?;
        let assistants = sqlx::query(&summary_select(&format!(
            "WHERE p.assistant_of_id = $1 {order}"
        )))
        .bind(id.get())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(summary)
        .collect::<Result<_, _>>()?;
        let positions = sqlx::query(
            "SELECT s.id, s.person_id, s.organization_id, s.unit_id, s.job_title, s.level_id, \
             s.valid_from, s.valid_to, o.name AS organization_name, u.name AS unit_name \
             FROM positions s JOIN organizations o ON o.id = s.organization_id \
             LEFT JOIN units u ON u.id = s.unit_id WHERE s.person_id = $1 \
             ORDER BY s.valid_from DESC, s.id DESC",
        )
        .bind(id.get())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(position)
        .collect::<Result<_, _>>()?;
        Ok(PersonDetail {
            person,
            organization,
            unit,
            manager,
            assists,
            reports,
            assistants,
            positions,
        })
    }

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
        let mut probe = PersonInput {
            given_name: None,
            family_name: before.family_name.clone(),
            academic_title: None,
            job_title: None,
            level_id: change.level_id,
            function_id: None,
            unit_id: change.unit_id,
            reports_to_id: None,
            assistant_of_id: None,
            email: None,
            phone: None,
            mobile: None,
            notes: None,
        };
        let moves_employer = change.organization_id != before.organization_id;
        if !moves_employer {
            probe.reports_to_id = before.reports_to_id;
        }
        check_links(&mut tx, change.organization_id, Some(id), &probe).await?;
        let current: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, valid_from FROM positions WHERE person_id = $1 AND valid_to IS NULL \
             ORDER BY valid_from DESC LIMIT 1",
        )
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((position_id, from)) = current {
            let ends = change.valid_from - Duration::days(1);
            if ends < date_from_db(&from)? {
                return Err(FieldErrors::single("valid_from", Problem::EndBeforeStart).into());
            }
            sqlx::query("UPDATE positions SET valid_to = $1 WHERE id = $2")
                .bind(date_to_db(ends))
                .bind(position_id)
                .execute(&mut *tx)
                .await?;
        }
        let (reports_to, assistant_of) = if moves_employer {
            (None, None)
        } else {
            (before.reports_to_id, before.assistant_of_id)
        };
        let row = sqlx::query(&format!(
            "UPDATE persons SET organization_id = $1, unit_id = $2, job_title = $3, level_id = $4, \
             reports_to_id = $5, assistant_of_id = $6, updated_at = $7, version = version + 1 \
             WHERE id = $8 AND version = $9 RETURNING {}",
            PERSON_COLUMNS.replace("p.", "")
        ))
        .bind(change.organization_id.get())
        .bind(change.unit_id.map(UnitId::get))
        .bind(&change.job_title)
        .bind(change.level_id.map(LevelId::get))
        .bind(reports_to.map(PersonId::get))
        .bind(assistant_of.map(PersonId::get))
        .bind(to_db(crate::now()))
        .bind(id.get())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(conflict(&mut tx, EntityKind::Person, id.get()).await);
        };
        let after = person(&row)?;
        insert_position(&mut tx, &after, change.valid_from).await?;
        if moves_employer {
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
                record(&mut tx, actor, change, Some(&old), Some(&new)).await?;
            }
        }
        let audit = Change {
            entity: EntityKind::Person,
            id: id.get(),
            action: AuditAction::Update,
            label: &label(&after),
        };
        record(&mut tx, actor, audit, Some(&before), Some(&after)).await?;
        enqueue_mirror_of_people_on(&mut tx, &[id]).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_returns_the_columns_a_read_selects() {
        assert_eq!(
            PERSON_COLUMNS.replace("p.", ""),
            <Person as Versioned>::COLUMNS
        );
    }
}
