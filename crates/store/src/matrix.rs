//! Bulk reads for the KAM matrix and the portfolio: three queries for all accounts.

use counterpart_core::account::Relation;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::matrix::{MatrixAccount, MatrixContact, MatrixCounterpart};
use counterpart_core::person::display_name;
use counterpart_core::validate::Problem;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::accounts::AccountFilter;
use crate::db::Store;
use crate::error::Result;
use crate::time::date_to_db;

/// Everything the matrix needs, for [`counterpart_core::matrix::build`].
#[derive(Clone, Debug, Default)]
pub struct MatrixData {
    /// The accounts that pass the filter.
    pub accounts: Vec<MatrixAccount>,
    /// Their key contacts (active people only).
    pub contacts: Vec<MatrixContact>,
    /// The current counterparts of those contacts.
    pub counterparts: Vec<MatrixCounterpart>,
}

/// The account filter as SQL over `accounts a JOIN organizations o`, parameters `$1`–`$5`.
const FILTER: &str = "($1 = 1 OR a.active = 1) \
    AND ($2 IS NULL OR a.relation = $2 OR a.relation = 'both') \
    AND ($3 IS NULL OR (CASE WHEN o.kind = 'internal' THEN 1 ELSE 0 END) = $3) \
    AND ($4 IS NULL OR a.responsible_unit_id = $4) \
    AND ($5 IS NULL OR a.tier = $5)";

fn bind_filter<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    f: &AccountFilter,
) -> Query<'q, Any, AnyArguments<'q>> {
    query
        .bind(i64::from(f.include_inactive))
        .bind(
            f.relation
                .filter(|r| *r != Relation::Both)
                .map(Relation::as_str),
        )
        .bind(f.internal.map(i64::from))
        .bind(f.responsible_unit_id.map(UnitId::get))
        .bind(f.tier.map(Tier::as_str))
}

fn decode(p: Problem) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored value rejected: {p:?}").into())
}

fn name(row: &AnyRow) -> Result<String, sqlx::Error> {
    let title: Option<String> = row.try_get("academic_title")?;
    let given: Option<String> = row.try_get("given_name")?;
    let family: String = row.try_get("family_name")?;
    Ok(display_name(title.as_deref(), given.as_deref(), &family))
}

impl Store {
    /// Loads the matrix data for all accounts that pass the filter.
    pub async fn matrix_data(&self, filter: &AccountFilter) -> Result<MatrixData> {
        let mut conn = self.pool().acquire().await?;
        let account_sql = format!(
            "SELECT a.id, a.name, a.relation, a.score, a.tier, o.kind, ru.name AS unit_name \
             FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             LEFT JOIN units ru ON ru.id = a.responsible_unit_id WHERE {FILTER}"
        );
        let accounts = bind_filter(sqlx::query(&account_sql), filter)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| {
                Ok(MatrixAccount {
                    id: AccountId::new(row.try_get("id")?),
                    name: row.try_get("name")?,
                    relation: row
                        .try_get::<String, _>("relation")?
                        .parse()
                        .map_err(decode)?,
                    internal: row.try_get::<String, _>("kind")? == "internal",
                    responsible_unit: row.try_get("unit_name")?,
                    score: row.try_get("score")?,
                    tier: row
                        .try_get::<Option<String>, _>("tier")?
                        .map(|t| t.parse())
                        .transpose()
                        .map_err(decode)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;

        let contact_sql = format!(
            "SELECT k.account_id, k.person_id, k.role, p.academic_title, p.given_name, p.family_name, l.rank \
             FROM key_contacts k JOIN persons p ON p.id = k.person_id LEFT JOIN levels l ON l.id = p.level_id \
             WHERE p.active = 1 AND k.account_id IN \
             (SELECT a.id FROM accounts a JOIN organizations o ON o.id = a.organization_id WHERE {FILTER})"
        );
        let contacts = bind_filter(sqlx::query(&contact_sql), filter)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| {
                Ok(MatrixContact {
                    account_id: AccountId::new(row.try_get("account_id")?),
                    person_id: PersonId::new(row.try_get("person_id")?),
                    name: name(row)?,
                    level_rank: row.try_get("rank")?,
                    role: row.try_get::<String, _>("role")?.parse().map_err(decode)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;

        let counterpart_sql = format!(
            "SELECT s.partner_id, s.our_id, s.kind, s.latest_relationship, q.academic_title, q.given_name, \
             q.family_name, l.rank FROM assignments s JOIN persons q ON q.id = s.our_id \
             LEFT JOIN levels l ON l.id = q.level_id \
             WHERE s.valid_from <= $6 AND (s.valid_to IS NULL OR s.valid_to >= $6) AND s.partner_id IN \
             (SELECT k.person_id FROM key_contacts k JOIN accounts a ON a.id = k.account_id \
              JOIN organizations o ON o.id = a.organization_id WHERE {FILTER})"
        );
        let counterparts = bind_filter(sqlx::query(&counterpart_sql), filter)
            .bind(date_to_db(crate::now().date_naive()))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| {
                Ok(MatrixCounterpart {
                    partner_id: PersonId::new(row.try_get("partner_id")?),
                    our_id: PersonId::new(row.try_get("our_id")?),
                    our_name: name(row)?,
                    our_level_rank: row.try_get("rank")?,
                    kind: row.try_get::<String, _>("kind")?.parse().map_err(decode)?,
                    relationship: row.try_get("latest_relationship")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(MatrixData {
            accounts,
            contacts,
            counterparts,
        })
    }
}
