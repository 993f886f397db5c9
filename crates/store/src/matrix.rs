//! The reads behind the KAM matrix and the portfolio: all accounts that pass a filter, or a
//! page of them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use counterpart_core::account::Relation;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::matrix::{MatrixAccount, MatrixContact, MatrixCounterpart};
use counterpart_core::org::OrganizationKind;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::Visibility;
use crate::accounts::AccountFilter;
use crate::db::Store;
use crate::decode::{decode, json};
use crate::dialect::{self, IDS_PER_QUERY, placeholders};
use crate::error::Result;
use crate::time::{date_from_db, date_to_db};

/// Everything the matrix needs, for [`counterpart_core::matrix::build`].
#[derive(Clone, Debug, Default)]
pub struct MatrixData {
    /// The accounts that pass the filter.
    pub accounts: Vec<MatrixAccount>,
    /// Their key contacts (active people only).
    pub contacts: Vec<MatrixContact>,
    /// Every current counterpart assignment held by one of ours: those of the contacts above
    /// and, when the filter leaves accounts out, some more.
    pub counterparts: Vec<MatrixCounterpart>,
}

/// The account filter as SQL over `accounts a JOIN organizations o`, parameters `$1`–`$5`
/// (the reader's [`Visibility`] follows from `$6`, see [`filter_condition`]).
const FILTER: &str = "($1 = 1 OR a.active = 1) \
    AND ($2 IS NULL OR a.relation = $2 OR a.relation = 'both') \
    AND ($3 IS NULL OR (CASE WHEN o.kind = 'external' THEN 0 ELSE 1 END) = $3) \
    AND ($4 IS NULL OR a.responsible_unit_id = $4) \
    AND ($5 IS NULL OR a.tier = $5)";

/// The account filter and the accounts a reader sees, as SQL over `accounts a JOIN
/// organizations o`, parameters from `$1`.
fn filter_condition(seen: &Visibility) -> String {
    format!("{FILTER} AND {}", seen.accounts("a.id", 6).0)
}

/// Binds the parameters of [`filter_condition`].
fn bind_filter<'q>(
    query: Query<'q, Any, AnyArguments<'q>>,
    f: &AccountFilter,
    seen: &Visibility,
) -> Query<'q, Any, AnyArguments<'q>> {
    let query = query
        .bind(i64::from(f.include_inactive))
        .bind(
            f.relation
                .filter(|r| *r != Relation::Both)
                .map(Relation::as_str),
        )
        .bind(f.internal.map(i64::from))
        .bind(f.responsible_unit_id.map(UnitId::get))
        .bind(f.tier.map(Tier::as_str));
    seen.accounts("a.id", 6)
        .1
        .into_iter()
        .fold(query, |query, id| query.bind(id))
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

/// An account as aggregated: id, name, relation, score, tier, organization kind, responsible
/// unit, mirror score.
#[derive(serde::Deserialize)]
struct AccountJson<'a>(
    i64,
    String,
    #[serde(borrow)] Cow<'a, str>,
    Option<f64>,
    #[serde(borrow)] Option<Cow<'a, str>>,
    #[serde(borrow)] Cow<'a, str>,
    Option<String>,
    Option<f64>,
);
/// A key contact as aggregated: account id, person id, level rank, role, display name. The
/// role borrows from the JSON: 68,000 contacts should cost one allocation each, for the name.
#[derive(serde::Deserialize)]
struct ContactJson<'a>(i64, i64, Option<i64>, #[serde(borrow)] Cow<'a, str>, String);
/// A counterpart as aggregated: partner id, our id, kind, latest relationship.
#[derive(serde::Deserialize)]
struct CounterpartJson<'a>(
    i64,
    i64,
    #[serde(borrow)] Cow<'a, str>,
    Option<i64>,
    #[serde(borrow)] Cow<'a, str>,
    Option<i64>,
);
/// One of ours who may hold a counterpart: id, display name, level rank.
type HolderJson = (i64, String, Option<i64>);

/// Which accounts a matrix read covers.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// Every account a reader sees that passes a filter.
    Filter(&'a AccountFilter, &'a Visibility),
    /// These accounts, at most [`IDS_PER_QUERY`] of them.
    Accounts(&'a [i64]),
}

impl Scope<'_> {
    /// The scope as a condition over `key_contacts k JOIN accounts a JOIN organizations o`,
    /// its parameters numbered from `$1`.
    fn condition(self) -> String {
        match self {
            Scope::Filter(_, seen) => filter_condition(seen),
            Scope::Accounts(ids) => format!("k.account_id IN ({})", placeholders(1, ids.len())),
        }
    }

    fn bind<'q>(self, query: Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>> {
        match self {
            Scope::Filter(filter, seen) => bind_filter(query, filter, seen),
            Scope::Accounts(ids) => ids.iter().fold(query, |query, id| query.bind(*id)),
        }
    }
}

impl Store {
    /// Loads the matrix data for all accounts that pass the filter, in four reads that run at
    /// once, each on its own connection: the accounts; their key contacts as one JSON value;
    /// the current counterparts as another; and the names of our people, once per person
    /// rather than once per counterpart.
    ///
    /// Each JSON value is aggregated in one pass over its table: on the enterprise dataset
    /// that is half the work of one subquery per account.
    pub async fn matrix_data(
        &self,
        filter: &AccountFilter,
        seen: &Visibility,
    ) -> Result<MatrixData> {
        let scope = Scope::Filter(filter, seen);
        let (accounts, contacts, counterparts) = tokio::try_join!(
            self.matrix_accounts(filter, seen),
            self.matrix_contacts(scope),
            self.matrix_counterparts(scope),
        )?;
        Ok(MatrixData {
            accounts,
            contacts,
            counterparts,
        })
    }

    /// The accounts a reader sees that pass the filter, without their people: enough to
    /// order and count the matrix's rows before loading the few that are shown (see
    /// [`Store::matrix_data_of`]).
    pub async fn matrix_accounts(
        &self,
        filter: &AccountFilter,
        seen: &Visibility,
    ) -> Result<Vec<MatrixAccount>> {
        // One JSON value rather than 2,000 rows: decoding rows one by one costs more.
        let sql = format!(
            "SELECT {} FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             LEFT JOIN units ru ON ru.id = a.responsible_unit_id WHERE {}",
            dialect::json_rows(
                self.backend(),
                "a.id, a.name, a.relation, a.score, a.tier, o.kind, ru.name, a.mirror_score"
            ),
            filter_condition(seen)
        );
        let row = bind_filter(sqlx::query(&sql), filter, seen)
            .fetch_one(self.pool())
            .await?;
        let accounts: String = row.try_get(0)?;
        json::<AccountJson>(&accounts)?
            .into_iter()
            .map(
                |AccountJson(id, name, relation, score, tier, kind, unit, mirror)| {
                    Ok(MatrixAccount {
                        id: AccountId::new(id),
                        name,
                        relation: relation.parse().map_err(decode)?,
                        score,
                        tier: tier.map(|t| t.parse()).transpose().map_err(decode)?,
                        internal: kind
                            .parse::<OrganizationKind>()
                            .map_err(decode)?
                            .is_in_house(),
                        responsible_unit: unit,
                        mirror_score: mirror,
                    })
                },
            )
            .collect()
    }

    /// The matrix data for these accounts (a page of the matrix): their key contacts and the
    /// current counterparts of those.
    pub async fn matrix_data_of(&self, accounts: Vec<MatrixAccount>) -> Result<MatrixData> {
        let ids: Vec<i64> = accounts.iter().map(|a| a.id.get()).collect();
        let mut data = MatrixData {
            accounts,
            ..MatrixData::default()
        };
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let scope = Scope::Accounts(chunk);
            let (contacts, counterparts) =
                tokio::try_join!(self.matrix_contacts(scope), self.matrix_counterparts(scope))?;
            data.contacts.extend(contacts);
            data.counterparts.extend(counterparts);
        }
        // A partner who is a key contact in accounts of two chunks comes twice.
        data.counterparts
            .sort_unstable_by_key(|c| (c.partner_id, c.our_id, c.kind));
        data.counterparts
            .dedup_by_key(|c| (c.partner_id, c.our_id, c.kind));
        Ok(data)
    }

    /// The key contacts (active people only) of the accounts in scope, as one JSON value
    /// decoded here.
    async fn matrix_contacts(&self, scope: Scope<'_>) -> Result<Vec<MatrixContact>> {
        let sql = format!(
            "SELECT {} FROM key_contacts k JOIN accounts a ON a.id = k.account_id \
             JOIN organizations o ON o.id = a.organization_id JOIN persons p ON p.id = k.person_id \
             LEFT JOIN levels l ON l.id = p.level_id WHERE {} AND p.active = 1",
            dialect::json_rows(
                self.backend(),
                &format!(
                    "k.account_id, k.person_id, l.rank, k.role, {}",
                    display_name_sql("p")
                ),
            ),
            scope.condition()
        );
        let row = scope.bind(sqlx::query(&sql)).fetch_one(self.pool()).await?;
        let contacts: String = row.try_get(0)?;
        json::<ContactJson>(&contacts)?
            .into_iter()
            .map(|ContactJson(account, person, rank, role, name)| {
                Ok(MatrixContact {
                    account_id: AccountId::new(account),
                    person_id: PersonId::new(person),
                    name,
                    level_rank: rank,
                    role: role.parse().map_err(decode)?,
                })
            })
            .collect()
    }

    /// The current counterpart assignments of the key contacts in scope, with the names of
    /// our people who hold them, in two reads that run at once.
    ///
    /// For a filter these are every current assignment and every one of our people: the
    /// matrix looks counterparts up by partner, so a few too many cost nothing but their
    /// decoding, and a condition on the accounts would cost more than it saves.
    async fn matrix_counterparts(&self, scope: Scope<'_>) -> Result<Vec<MatrixCounterpart>> {
        let backend = self.backend();
        // A filter's own parameters are not used here: its counterparts are all current ones.
        let (ids, partners, holders) = match scope {
            Scope::Filter(..) => (
                &[][..],
                String::new(),
                "JOIN organizations oq ON oq.id = q.organization_id WHERE oq.kind = 'own'"
                    .to_owned(),
            ),
            Scope::Accounts(ids) => {
                let list = placeholders(1, ids.len());
                (
                    ids,
                    format!(
                        "AND s.partner_id IN (SELECT k.person_id FROM key_contacts k \
                         WHERE k.account_id IN ({list}))"
                    ),
                    format!(
                        "WHERE q.id IN (SELECT s.our_id FROM assignments s \
                         JOIN key_contacts k ON k.person_id = s.partner_id WHERE k.account_id IN ({list}))"
                    ),
                )
            }
        };
        let today = ids.len() + 1;
        let counterparts_sql = format!(
            "SELECT {} FROM assignments s \
             WHERE s.valid_from <= ${today} AND (s.valid_to IS NULL OR s.valid_to >= ${today}) {partners}",
            dialect::json_rows(
                backend,
                "s.partner_id, s.our_id, s.kind, s.latest_relationship, \
                 CASE WHEN s.last_contact_on > s.valid_from THEN s.last_contact_on ELSE s.valid_from END, \
                 s.contact_every_days"
            )
        );
        let holders_sql = format!(
            "SELECT {} FROM persons q LEFT JOIN levels lq ON lq.id = q.level_id {holders}",
            dialect::json_rows(
                backend,
                &format!("q.id, {}, lq.rank", display_name_sql("q"))
            )
        );
        let with_ids = |sql| {
            ids.iter()
                .fold(sqlx::query(sql), |query, id| query.bind(*id))
        };
        let day = crate::now().date_naive();
        let today = date_to_db(day);
        let (counterparts, holders) = tokio::try_join!(
            with_ids(&counterparts_sql)
                .bind(&today)
                .fetch_one(self.pool()),
            with_ids(&holders_sql).fetch_one(self.pool()),
        )?;
        let (counterparts, holders): (String, String) =
            (counterparts.try_get(0)?, holders.try_get(0)?);
        let holders: HashMap<i64, (Arc<str>, Option<i64>)> = json::<HolderJson>(&holders)?
            .into_iter()
            .map(|(id, name, rank)| (id, (name.into(), rank)))
            .collect();
        let mut list = Vec::new();
        for CounterpartJson(partner, ours, kind, relationship, since, every) in json(&counterparts)?
        {
            let Some((name, rank)) = holders.get(&ours) else {
                continue;
            };
            list.push(MatrixCounterpart {
                partner_id: PersonId::new(partner),
                our_id: PersonId::new(ours),
                our_name: Arc::clone(name),
                our_level_rank: *rank,
                kind: kind.parse().map_err(decode)?,
                relationship,
                days_since_contact: (day - date_from_db(&since)?).num_days().max(0),
                contact_every_days: every,
            });
        }
        Ok(list)
    }
}
