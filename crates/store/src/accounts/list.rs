//! Accounts as lists show them.

use counterpart_core::account::{Account, Relation};
use counterpart_core::ids::{AccountId, OrganizationId, UnitId};
use counterpart_core::importance::Tier;
use counterpart_core::org::OrganizationKind;
use serde::Serialize;
use sqlx::Row;

use super::rows::{ACCOUNT_COLUMNS, account, account_on};
use crate::Visibility;
use crate::db::Store;
use crate::decode::decode;
use crate::error::Result;

/// Which accounts to list.
#[derive(Clone, Debug, Default)]
pub struct AccountFilter {
    /// Only customers (`Customer`, including "both") or suppliers (`Supplier`, including "both").
    pub relation: Option<Relation>,
    /// Only internal (`Some(true)`) or external (`Some(false)`) accounts.
    pub internal: Option<bool>,
    /// Only this tier.
    pub tier: Option<Tier>,
    /// Only accounts our unit is responsible for.
    pub responsible_unit_id: Option<UnitId>,
    /// Only accounts one of these units is responsible for (a unit with the units below it,
    /// say); empty: no such condition.
    pub responsible_unit_ids: Vec<UnitId>,
    /// Include deactivated accounts.
    pub include_inactive: bool,
    /// Only accounts that need attention: a key contact without a current counterpart, or a
    /// mirror score below this.
    pub attention_below: Option<f64>,
}

/// An account with the names and counts shown in lists.
#[derive(Clone, Debug, Serialize)]
pub struct AccountSummary {
    /// The account.
    pub account: Account,
    /// The partner organization's name.
    pub organization_name: String,
    /// An internal account: a neighbouring department, kept as an organization or a unit of our
    /// own house, rather than an external company.
    pub internal: bool,
    /// Our responsible unit's name.
    pub responsible_unit_name: Option<String>,
    /// Our key account manager's name.
    pub manager_name: Option<String>,
    /// Importance score 0–100, if rated.
    pub score: Option<f64>,
    /// Importance tier, if rated.
    pub tier: Option<Tier>,
    /// Key contacts.
    pub contacts: i64,
    /// Key contacts without a current counterpart.
    pub gaps: i64,
    /// Mirror score 0–100 as last recorded, if analysed.
    pub mirror_score: Option<f64>,
}

/// Most important first (unrated last), then by name; the id makes the order total, so that
/// pages neither repeat nor skip an account.
const BY_IMPORTANCE: &str =
    "ORDER BY CASE WHEN a.score IS NULL THEN 1 ELSE 0 END, a.score DESC, lower(a.name), a.id";
/// By id, for seek pagination.
const BY_ID: &str = "ORDER BY a.id";

/// The count of an account's key contacts without a current counterpart (`$5`: today).
const GAPS: &str = "(SELECT COUNT(*) FROM key_contacts k WHERE k.account_id = a.id AND NOT EXISTS ( \
    SELECT 1 FROM assignments s WHERE s.partner_id = k.person_id AND s.valid_from <= $5 \
    AND (s.valid_to IS NULL OR s.valid_to >= $5)))";

/// A filter's condition on `accounts a JOIN organizations o` and the values it binds, from
/// `$1` on: the filter's own (`$1`–`$7`, `$5` today), its units, the accounts hidden from the
/// reader, then the attention threshold if there is one (left out, not bound as NULL: its
/// condition reads every key contact of every account, which a plan made for any value would
/// keep).
struct Condition<'f> {
    sql: String,
    filter: &'f AccountFilter,
    after: Option<AccountId>,
    today: String,
    hidden: Vec<i64>,
}

impl<'f> Condition<'f> {
    fn new(filter: &'f AccountFilter, after: Option<AccountId>, seen: &Visibility) -> Self {
        let units = match filter.responsible_unit_ids.len() {
            0 => String::new(),
            n => format!(
                "AND a.responsible_unit_id IN ({}) ",
                crate::dialect::placeholders(8, n)
            ),
        };
        let next = 8 + filter.responsible_unit_ids.len();
        let (visible, hidden) = seen.accounts("a.id", next);
        let attention = match filter.attention_below {
            Some(_) => format!(
                "AND (a.mirror_score < ${} OR {GAPS} > 0) ",
                next + hidden.len()
            ),
            None => String::new(),
        };
        let sql = format!(
            "($1 = 1 OR a.active = 1) \
             AND ($2 IS NULL OR a.relation = $2 OR a.relation = 'both') \
             AND ($3 IS NULL OR (CASE WHEN o.kind = 'external' THEN 0 ELSE 1 END) = $3) \
             AND ($4 IS NULL OR a.responsible_unit_id = $4) \
             AND ($6 IS NULL OR a.tier = $6) AND ($7 IS NULL OR a.id > $7) {units}{attention}\
             AND {visible}"
        );
        Self {
            sql,
            filter,
            after,
            today: crate::time::date_to_db(crate::now().date_naive()),
            hidden,
        }
    }

    /// `sql` (which uses this condition) with the condition's values bound.
    fn bind<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let filter = self.filter;
        let query = sqlx::query(sql)
            .bind(i64::from(filter.include_inactive))
            .bind(
                filter
                    .relation
                    .filter(|r| *r != Relation::Both)
                    .map(Relation::as_str),
            )
            .bind(filter.internal.map(i64::from))
            .bind(filter.responsible_unit_id.map(UnitId::get))
            .bind(&self.today)
            .bind(filter.tier.map(Tier::as_str))
            .bind(self.after.map(AccountId::get));
        let query = filter
            .responsible_unit_ids
            .iter()
            .fold(query, |q, u| q.bind(u.get()));
        let query = self.hidden.iter().fold(query, |q, id| q.bind(*id));
        match filter.attention_below {
            Some(threshold) => query.bind(threshold),
            None => query,
        }
    }
}

/// What needs attention over a portfolio, counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttentionCounts {
    /// Key contacts without a current counterpart.
    pub gaps: i64,
    /// Accounts with at least one such gap.
    pub accounts_with_gaps: i64,
    /// Accounts whose mirror score is below the threshold asked for.
    pub weak_mirrors: i64,
}

/// One page of a list of accounts.
#[derive(Clone, Debug)]
pub struct PagedAccounts {
    /// The accounts on it.
    pub accounts: Vec<AccountSummary>,
    /// The index of the first, from 0.
    pub first: usize,
    /// How many accounts pass the filter in all.
    pub total: usize,
}

impl Store {
    /// The accounts a reader sees with their names and counts, most important first.
    pub async fn accounts(
        &self,
        filter: &AccountFilter,
        seen: &Visibility,
    ) -> Result<Vec<AccountSummary>> {
        self.accounts_where(&Condition::new(filter, None, seen), BY_IMPORTANCE, None)
            .await
    }

    /// The `page`-th `size` accounts a reader sees, most important first, and how many there
    /// are: the names and counts are read for the page's accounts only.
    pub async fn accounts_page(
        &self,
        filter: &AccountFilter,
        seen: &Visibility,
        page: usize,
        size: usize,
    ) -> Result<PagedAccounts> {
        let condition = Condition::new(filter, None, seen);
        let sql = format!(
            "SELECT COUNT(*) FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             WHERE {}",
            condition.sql
        );
        let total: i64 = condition
            .bind(&sql)
            .fetch_one(self.pool())
            .await?
            .try_get(0)?;
        let total = usize::try_from(total).unwrap_or(0);
        let first = page.saturating_mul(size).min(total);
        let accounts = if first < total {
            self.accounts_window(&condition, first, size).await?
        } else {
            Vec::new()
        };
        Ok(PagedAccounts {
            accounts,
            first,
            total,
        })
    }

    /// The `limit` most important accounts a reader sees passing a filter, without counting
    /// the rest.
    pub async fn accounts_first(
        &self,
        filter: &AccountFilter,
        seen: &Visibility,
        limit: usize,
    ) -> Result<Vec<AccountSummary>> {
        self.accounts_window(&Condition::new(filter, None, seen), 0, limit)
            .await
    }

    /// The `size` accounts from the `first`-th, most important first.
    async fn accounts_window(
        &self,
        condition: &Condition<'_>,
        first: usize,
        size: usize,
    ) -> Result<Vec<AccountSummary>> {
        let window = format!("{BY_IMPORTANCE} LIMIT {size} OFFSET {first}");
        self.accounts_where(condition, BY_IMPORTANCE, Some(&window))
            .await
    }

    /// Seek (keyset) pagination: up to `limit` accounts a reader sees passing a filter with
    /// an id above `after`, by id.
    pub async fn accounts_after(
        &self,
        filter: &AccountFilter,
        after: Option<AccountId>,
        limit: u32,
        seen: &Visibility,
    ) -> Result<Vec<AccountSummary>> {
        let window = format!("{BY_ID} LIMIT {limit}");
        self.accounts_where(&Condition::new(filter, after, seen), BY_ID, Some(&window))
            .await
    }

    /// The accounts passing a condition, in `order`; with a `window` (an order and a limit),
    /// only those the window picks, so that names and counts are read for them alone (SQL
    /// made here, never from input).
    async fn accounts_where(
        &self,
        condition: &Condition<'_>,
        order: &str,
        window: Option<&str>,
    ) -> Result<Vec<AccountSummary>> {
        let chosen = match window {
            None => condition.sql.clone(),
            Some(window) => format!(
                "a.id IN (SELECT a.id FROM accounts a \
                 JOIN organizations o ON o.id = a.organization_id WHERE {} {window})",
                condition.sql
            ),
        };
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, a.score, a.tier, a.mirror_score, o.name AS organization_name, o.kind AS organization_kind, \
             ru.name AS responsible_unit_name, \
             m.family_name AS manager_family, \
             m.given_name AS manager_given, m.academic_title AS manager_title, \
             (SELECT COUNT(*) FROM key_contacts k WHERE k.account_id = a.id) AS contact_count, \
             {GAPS} AS gap_count \
             FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             LEFT JOIN units ru ON ru.id = a.responsible_unit_id \
             LEFT JOIN persons m ON m.id = a.manager_id \
             WHERE {chosen} {order}"
        );
        let rows = condition.bind(&sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let title: Option<String> = row.try_get("manager_title")?;
                let given: Option<String> = row.try_get("manager_given")?;
                let manager = row
                    .try_get::<Option<String>, _>("manager_family")?
                    .map(|family| {
                        counterpart_core::person::display_name(
                            title.as_deref(),
                            given.as_deref(),
                            &family,
                        )
                    });
                Ok(AccountSummary {
                    account: account(row)?,
                    organization_name: row.try_get("organization_name")?,
                    internal: row
                        .try_get::<String, _>("organization_kind")?
                        .parse::<OrganizationKind>()
                        .map_err(decode)?
                        .is_in_house(),
                    responsible_unit_name: row.try_get("responsible_unit_name")?,
                    manager_name: manager,
                    score: row.try_get("score")?,
                    tier: row
                        .try_get::<Option<String>, _>("tier")?
                        .map(|t| t.parse())
                        .transpose()
                        .map_err(decode)?,
                    contacts: row.try_get("contact_count")?,
                    gaps: row.try_get("gap_count")?,
                    mirror_score: row.try_get("mirror_score")?,
                })
            })
            .collect()
    }

    /// Over the active accounts a reader sees: their key contacts without a current
    /// counterpart, on how many accounts these are, and how many accounts have a mirror score
    /// below `weak`.
    pub async fn attention_counts(&self, seen: &Visibility, weak: f64) -> Result<AttentionCounts> {
        let today = crate::time::date_to_db(crate::now().date_naive());
        let (visible, hidden) = seen.accounts("a.id", 2);
        let gaps = format!(
            "SELECT COUNT(*), COUNT(DISTINCT k.account_id) FROM key_contacts k \
             JOIN accounts a ON a.id = k.account_id WHERE a.active = 1 AND {visible} \
             AND NOT EXISTS (SELECT 1 FROM assignments s WHERE s.partner_id = k.person_id \
             AND s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to >= $1))"
        );
        let weak_mirrors = format!(
            "SELECT COUNT(*) FROM accounts a WHERE a.active = 1 AND a.mirror_score < $1 \
             AND {visible}"
        );
        let gaps = hidden
            .iter()
            .fold(sqlx::query(&gaps).bind(&today), |q, id| q.bind(*id))
            .fetch_one(self.pool())
            .await?;
        let weak: i64 = hidden
            .iter()
            .fold(sqlx::query(&weak_mirrors).bind(weak), |q, id| q.bind(*id))
            .fetch_one(self.pool())
            .await?
            .try_get(0)?;
        Ok(AttentionCounts {
            gaps: gaps.try_get(0)?,
            accounts_with_gaps: gaps.try_get(1)?,
            weak_mirrors: weak,
        })
    }

    /// One account.
    pub async fn account(&self, id: AccountId) -> Result<Account> {
        account_on(&mut *self.pool().acquire().await?, id).await
    }

    /// The accounts of a partner organization a reader sees.
    pub async fn accounts_of_organization(
        &self,
        organization_id: OrganizationId,
        seen: &Visibility,
    ) -> Result<Vec<Account>> {
        let (visible, hidden) = seen.accounts("a.id", 2);
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.organization_id = $1 AND {visible} \
             ORDER BY lower(a.name)"
        );
        let query = sqlx::query(&sql).bind(organization_id.get());
        let rows = hidden
            .into_iter()
            .fold(query, |q, id| q.bind(id))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(account).collect::<Result<_, _>>()?)
    }
}
