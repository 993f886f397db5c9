//! The read behind the KAM matrix and the portfolio: two queries for all accounts.

use std::borrow::Cow;
use std::collections::HashMap;

use counterpart_core::account::Relation;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::matrix::{MatrixAccount, MatrixContact, MatrixCounterpart};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::accounts::AccountFilter;
use crate::db::Store;
use crate::decode::{decode, json};
use crate::dialect;
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

/// A person's display name written by SQL, as `counterpart_core::person::display_name` writes
/// it in Rust: title, given
/// and family name, the missing or empty ones left out, single spaces between.
fn display_name_sql(p: &str) -> String {
    format!(
        "COALESCE(NULLIF({p}.academic_title, '') || ' ', '') || \
         COALESCE(NULLIF({p}.given_name, '') || ' ', '') || {p}.family_name"
    )
}

/// A key contact as aggregated: person id, level rank, role, display name. The role borrows
/// from the JSON: 68,000 contacts should cost one allocation each, for the name.
#[derive(serde::Deserialize)]
struct ContactJson<'a>(i64, Option<i64>, #[serde(borrow)] Cow<'a, str>, String);
/// A counterpart as aggregated: partner id, our id, kind, latest relationship.
#[derive(serde::Deserialize)]
struct CounterpartJson<'a>(i64, i64, #[serde(borrow)] Cow<'a, str>, Option<i64>);
/// One of ours holding a counterpart: id, display name, level rank.
type HolderJson = (i64, String, Option<i64>);

impl Store {
    /// Loads the matrix data for all accounts that pass the filter: one row per account, its
    /// key contacts and their current counterparts aggregated as JSON in the database, and the
    /// names of our people holding them in one more value (looked up once per person rather
    /// than once per counterpart).
    pub async fn matrix_data(&self, filter: &AccountFilter) -> Result<MatrixData> {
        let backend = self.backend();
        let today = date_to_db(crate::now().date_naive());
        let contacts = dialect::json_rows(
            backend,
            &format!("k.person_id, l.rank, k.role, {}", display_name_sql("p")),
        );
        let counterparts = dialect::json_rows(
            backend,
            "s.partner_id, s.our_id, s.kind, s.latest_relationship",
        );
        let sql = format!(
            "SELECT a.id, a.name, a.relation, a.score, a.tier, o.kind, ru.name AS unit_name, a.mirror_score, \
             (SELECT {contacts} FROM key_contacts k JOIN persons p ON p.id = k.person_id \
              LEFT JOIN levels l ON l.id = p.level_id WHERE k.account_id = a.id AND p.active = 1) AS contacts \
             FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             LEFT JOIN units ru ON ru.id = a.responsible_unit_id WHERE {FILTER} ORDER BY a.id"
        );
        let counterparts_sql = format!(
            "SELECT (SELECT {counterparts} FROM key_contacts k JOIN assignments s ON s.partner_id = k.person_id \
              WHERE k.account_id = a.id AND s.valid_from <= $6 \
              AND (s.valid_to IS NULL OR s.valid_to >= $6)) AS counterparts \
             FROM accounts a JOIN organizations o ON o.id = a.organization_id WHERE {FILTER} ORDER BY a.id"
        );
        // Everyone holding an assignment that has not ended (those starting later included: a
        // few names too many cost less than a second condition), read beside the accounts on a
        // second connection.
        let holders_sql = format!(
            "SELECT {} FROM persons q LEFT JOIN levels lq ON lq.id = q.level_id \
             WHERE q.id IN (SELECT s.our_id FROM assignments s \
             WHERE s.valid_to IS NULL OR s.valid_to >= $1)",
            dialect::json_rows(
                backend,
                &format!("q.id, {}, lq.rank", display_name_sql("q"))
            )
        );
        let (rows, counterpart_rows, (holders,)): (_, _, (String,)) = tokio::try_join!(
            bind_filter(sqlx::query(&sql), filter).fetch_all(self.pool()),
            bind_filter(sqlx::query(&counterparts_sql), filter)
                .bind(&today)
                .fetch_all(self.pool()),
            sqlx::query_as(&holders_sql)
                .bind(&today)
                .fetch_one(self.pool()),
        )?;
        let holders: HashMap<i64, (String, Option<i64>)> = json::<HolderJson>(&holders)?
            .into_iter()
            .map(|(id, name, rank)| (id, (name, rank)))
            .collect();
        let mut data = MatrixData::default();
        for (row, counterpart_row) in rows.iter().zip(&counterpart_rows) {
            let account = AccountId::new(row.try_get(0)?);
            data.accounts.push(MatrixAccount {
                id: account,
                name: row.try_get(1)?,
                relation: row.try_get::<String, _>(2)?.parse().map_err(decode)?,
                score: row.try_get(3)?,
                tier: row
                    .try_get::<Option<String>, _>(4)?
                    .map(|t| t.parse())
                    .transpose()
                    .map_err(decode)?,
                internal: row.try_get::<String, _>(5)? == "internal",
                responsible_unit: row.try_get(6)?,
                mirror_score: row.try_get(7)?,
            });
            let contacts: String = row.try_get(8)?;
            for ContactJson(person, rank, role, name) in json(&contacts)? {
                data.contacts.push(MatrixContact {
                    account_id: account,
                    person_id: PersonId::new(person),
                    name,
                    level_rank: rank,
                    role: role.parse().map_err(decode)?,
                });
            }
            let counterparts: String = counterpart_row.try_get(0)?;
            for CounterpartJson(partner, ours, kind, relationship) in json(&counterparts)? {
                let Some((name, rank)) = holders.get(&ours) else {
                    continue;
                };
                data.counterparts.push(MatrixCounterpart {
                    partner_id: PersonId::new(partner),
                    our_id: PersonId::new(ours),
                    our_name: name.clone(),
                    our_level_rank: *rank,
                    kind: kind.parse().map_err(decode)?,
                    relationship,
                });
            }
        }
        // A partner who is a key contact in two accounts appears twice; keep one of each pair.
        data.counterparts.sort_by_key(|c| (c.partner_id, c.our_id));
        data.counterparts.dedup_by_key(|c| (c.partner_id, c.our_id));
        Ok(data)
    }
}
