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

impl Store {
    /// The accounts a reader sees with their names and counts, most important first.
    pub async fn accounts(
        &self,
        filter: &AccountFilter,
        seen: &Visibility,
    ) -> Result<Vec<AccountSummary>> {
        self.accounts_where(
            filter,
            (None, seen),
            "ORDER BY CASE WHEN a.score IS NULL THEN 1 ELSE 0 END, a.score DESC, lower(a.name)",
        )
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
        self.accounts_where(
            filter,
            (after, seen),
            &format!("ORDER BY a.id LIMIT {limit}"),
        )
        .await
    }

    /// The accounts a reader sees passing a filter and above `after`, in the order and
    /// window of `tail` (SQL made here, never from input).
    async fn accounts_where(
        &self,
        filter: &AccountFilter,
        (after, seen): (Option<AccountId>, &Visibility),
        tail: &str,
    ) -> Result<Vec<AccountSummary>> {
        let today = crate::time::date_to_db(crate::now().date_naive());
        let units = match filter.responsible_unit_ids.len() {
            0 => String::new(),
            n => format!(
                "AND a.responsible_unit_id IN ({}) ",
                crate::dialect::placeholders(8, n)
            ),
        };
        let (visible, hidden) = seen.accounts("a.id", 8 + filter.responsible_unit_ids.len());
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, a.score, a.tier, a.mirror_score, o.name AS organization_name, o.kind AS organization_kind, \
             ru.name AS responsible_unit_name, \
             m.family_name AS manager_family, \
             m.given_name AS manager_given, m.academic_title AS manager_title, \
             (SELECT COUNT(*) FROM key_contacts k WHERE k.account_id = a.id) AS contact_count, \
             (SELECT COUNT(*) FROM key_contacts k WHERE k.account_id = a.id AND NOT EXISTS ( \
                SELECT 1 FROM assignments s WHERE s.partner_id = k.person_id AND s.valid_from <= $5 \
                AND (s.valid_to IS NULL OR s.valid_to >= $5))) AS gap_count \
             FROM accounts a JOIN organizations o ON o.id = a.organization_id \
             LEFT JOIN units ru ON ru.id = a.responsible_unit_id \
             LEFT JOIN persons m ON m.id = a.manager_id \
             WHERE ($1 = 1 OR a.active = 1) \
             AND ($2 IS NULL OR a.relation = $2 OR a.relation = 'both') \
             AND ($3 IS NULL OR (CASE WHEN o.kind = 'external' THEN 0 ELSE 1 END) = $3) \
             AND ($4 IS NULL OR a.responsible_unit_id = $4) \
             AND ($6 IS NULL OR a.tier = $6) AND ($7 IS NULL OR a.id > $7) {units}\
             AND {visible} {tail}"
        );
        let query = sqlx::query(&sql)
            .bind(i64::from(filter.include_inactive))
            .bind(
                filter
                    .relation
                    .filter(|r| *r != Relation::Both)
                    .map(Relation::as_str),
            )
            .bind(filter.internal.map(i64::from))
            .bind(filter.responsible_unit_id.map(UnitId::get))
            .bind(&today)
            .bind(filter.tier.map(Tier::as_str))
            .bind(after.map(AccountId::get));
        let query = filter
            .responsible_unit_ids
            .iter()
            .fold(query, |q, u| q.bind(u.get()));
        let rows = hidden
            .into_iter()
            .fold(query, |q, id| q.bind(id))
            .fetch_all(self.pool())
            .await?;
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
