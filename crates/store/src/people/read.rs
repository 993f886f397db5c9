//! Reading people: one, several, an organization's, the org chart's, the person page.

use std::collections::HashMap;

use counterpart_core::ids::{OrganizationId, PersonId, UnitId};
use counterpart_core::person::Person;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::rows::{PERSON_COLUMNS, person, person_on, position, summary, summary_select};
use super::views::{ChartRow, PersonDetail, PersonSummary, PositionView};
use crate::db::Store;
use crate::error::Result;
use crate::orgs::{organization_on, unit_on};

/// Which people of an organization a list holds.
#[derive(Clone, Debug, Default)]
pub struct PeopleFilter {
    /// Only those of this unit.
    pub unit_id: Option<UnitId>,
    /// Only those with this e-mail address.
    pub email: Option<String>,
    /// Deactivated ones too.
    pub include_inactive: bool,
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

    /// People of an organization by id, after `after` (seek pagination): optionally of one
    /// unit, or with one e-mail address (compared without regard to case, as an HR system's
    /// records are matched).
    pub async fn people_after(
        &self,
        organization_id: OrganizationId,
        filter: &PeopleFilter,
        after: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<Person>> {
        let rows = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons p WHERE p.organization_id = $1 \
             AND ($2 IS NULL OR p.unit_id = $2) \
             AND ($3 IS NULL OR lower(p.email) = lower($3)) \
             AND ($4 = 1 OR p.active = 1) AND p.id > $5 ORDER BY p.id LIMIT $6"
        ))
        .bind(organization_id.get())
        .bind(filter.unit_id.map(UnitId::get))
        .bind(filter.email.as_deref())
        .bind(i64::from(filter.include_inactive))
        .bind(after.map_or(0, PersonId::get))
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(person).collect::<Result<_, _>>()?)
    }

    /// People of every organization by id, after `after` (seek pagination): all of them, or
    /// those with one e-mail address (compared without regard to case: how a mail client
    /// finds the person a message came from).
    pub async fn people_anywhere_after(
        &self,
        email: Option<&str>,
        include_inactive: bool,
        after: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<Person>> {
        // Two texts rather than `$1 IS NULL OR …`, so that an address is looked up by the
        // index on lower(email).
        let sql = match email {
            Some(_) => format!(
                "SELECT {PERSON_COLUMNS} FROM persons p WHERE lower(p.email) = lower($1) \
                 AND ($2 = 1 OR p.active = 1) AND p.id > $3 ORDER BY p.id LIMIT $4"
            ),
            None => format!(
                "SELECT {PERSON_COLUMNS} FROM persons p WHERE $1 IS NULL \
                 AND ($2 = 1 OR p.active = 1) AND p.id > $3 ORDER BY p.id LIMIT $4"
            ),
        };
        let rows = sqlx::query(&sql)
            .bind(email)
            .bind(i64::from(include_inactive))
            .bind(after.map_or(0, PersonId::get))
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(person).collect::<Result<_, _>>()?)
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

    /// A person's positions, newest first (the current one, without `valid_to`, leads); an
    /// unknown person is not found.
    pub async fn positions_of(&self, id: PersonId) -> Result<Vec<PositionView>> {
        let mut conn = self.pool().acquire().await?;
        person_on(&mut conn, id).await?;
        positions_on(&mut conn, id).await
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
        let positions = positions_on(&mut conn, id).await?;
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
}

/// A person's positions with their employer's and unit's names, newest first.
async fn positions_on(conn: &mut AnyConnection, id: PersonId) -> Result<Vec<PositionView>> {
    sqlx::query(
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
    .collect::<Result<_, _>>()
    .map_err(Into::into)
}
