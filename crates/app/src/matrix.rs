//! The KAM matrix (accounts by importance, their key contacts and counterparts level by level),
//! its Excel workbook, and the portfolio picture of importance against health.

use counterpart_core::ids::AccountId;
use counterpart_core::ladder::Level;
use counterpart_core::matrix::{
    ImportanceKey, MatrixRow, build, health_by_account, sort_by_importance,
};
use counterpart_core::portfolio::PortfolioAccount;
use counterpart_store::AccountFilter;

use crate::error::Result;
use crate::{App, Principal};

/// Accounts per page of the matrix.
pub const MATRIX_PAGE: usize = 50;

/// One page of the matrix.
#[derive(Clone, Debug)]
pub struct MatrixPage {
    /// The ladder: the matrix's columns.
    pub levels: Vec<Level>,
    /// The accounts of this page, most important first.
    pub rows: Vec<MatrixRow>,
    /// The index of the first row shown, from 0.
    pub first: usize,
    /// How many accounts pass the filter.
    pub total: usize,
}

/// Rows of the matrix read after an account, as the API pages it.
#[derive(Clone, Debug)]
pub struct MatrixSlice {
    /// The ladder: the matrix's columns.
    pub levels: Vec<Level>,
    /// The rows, most important first.
    pub rows: Vec<MatrixRow>,
    /// Whether more rows follow.
    pub more: bool,
}

/// The portfolio: the accounts with a score and a health, and those without.
#[derive(Clone, Debug)]
pub struct PortfolioView {
    /// The accounts to plot, most important first.
    pub accounts: Vec<PortfolioAccount>,
    /// The accounts without a score or without key contacts to judge their health by.
    pub unplotted: Vec<(AccountId, String)>,
    /// The lowest score of tier A, drawn as a line.
    pub tier_a: f64,
}

impl App {
    /// One page of the matrix: every account passing the filter is ordered by importance;
    /// only the page shown is read with its people.
    pub async fn matrix(
        &self,
        who: &Principal,
        filter: &AccountFilter,
        page: usize,
    ) -> Result<MatrixPage> {
        let seen = self.visibility(who).await?;
        let (mut accounts, levels) = tokio::try_join!(
            self.store.matrix_accounts(filter, &seen),
            self.store.levels()
        )?;
        sort_by_importance(&mut accounts, |a| a);
        let total = accounts.len();
        let first = page.saturating_mul(MATRIX_PAGE).min(total);
        accounts.truncate((first + MATRIX_PAGE).min(total));
        let shown = accounts.split_off(first);
        let ranks: Vec<i64> = levels.iter().map(|l| l.rank).collect();
        let data = self.store.matrix_data_of(shown).await?;
        Ok(MatrixPage {
            rows: build(&ranks, data.accounts, data.contacts, data.counterparts),
            levels,
            first,
            total,
        })
    }

    /// Up to `limit` rows of the matrix after the account `after` in its order (the most
    /// important first; from the top without one), and whether more follow: the matrix read
    /// page by page as the API does. `after` need not pass the filter any more: the rows
    /// follow where it stands now.
    pub async fn matrix_after(
        &self,
        who: &Principal,
        filter: &AccountFilter,
        after: Option<AccountId>,
        limit: usize,
    ) -> Result<MatrixSlice> {
        let seen = self.visibility(who).await?;
        let (mut accounts, levels) = tokio::try_join!(
            self.store.matrix_accounts(filter, &seen),
            self.store.levels()
        )?;
        sort_by_importance(&mut accounts, |a| a);
        let start = match after {
            None => 0,
            Some(after) => {
                let key = match accounts.iter().find(|a| a.id == after) {
                    Some(a) => ImportanceKey::of(a.score, &a.name, a.id),
                    None => {
                        let (account, score) = tokio::try_join!(
                            self.store.account(after),
                            self.store.account_importance(after),
                        )?;
                        ImportanceKey::of(score, &account.name, after)
                    }
                };
                accounts.partition_point(|a| ImportanceKey::of(a.score, &a.name, a.id) <= key)
            }
        };
        let mut shown = accounts.split_off(start.min(accounts.len()));
        let more = shown.len() > limit;
        shown.truncate(limit);
        let ranks: Vec<i64> = levels.iter().map(|l| l.rank).collect();
        let data = self.store.matrix_data_of(shown).await?;
        Ok(MatrixSlice {
            rows: build(&ranks, data.accounts, data.contacts, data.counterparts),
            levels,
            more,
        })
    }

    /// The matrix's sheets for a workbook, one per filter, with the ladder.
    pub async fn matrix_sheets(
        &self,
        who: &Principal,
        filters: &[AccountFilter],
    ) -> Result<(Vec<Level>, Vec<Vec<MatrixRow>>)> {
        let seen = self.visibility(who).await?;
        let levels = self.store.levels().await?;
        let ranks: Vec<i64> = levels.iter().map(|l| l.rank).collect();
        let mut sheets = Vec::with_capacity(filters.len());
        for filter in filters {
            let data = self.store.matrix_data(filter, &seen).await?;
            sheets.push(build(
                &ranks,
                data.accounts,
                data.contacts,
                data.counterparts,
            ));
        }
        Ok((levels, sheets))
    }

    /// The portfolio: each account's health straight from its contacts and counterparts (the
    /// picture needs no matrix rows).
    pub async fn portfolio(
        &self,
        who: &Principal,
        filter: &AccountFilter,
    ) -> Result<PortfolioView> {
        let seen = self.visibility(who).await?;
        let (data, tiers) =
            tokio::try_join!(self.store.matrix_data(filter, &seen), self.store.tiers())?;
        let health = health_by_account(&data.contacts, data.counterparts);
        let mut ordered = data.accounts;
        sort_by_importance(&mut ordered, |a| a);
        let mut accounts = Vec::new();
        let mut unplotted = Vec::new();
        for account in ordered {
            match (account.score, health.get(&account.id)) {
                (Some(score), Some(&health)) => accounts.push(PortfolioAccount {
                    id: account.id,
                    name: account.name,
                    score,
                    health,
                    internal: account.internal,
                    relation: account.relation,
                }),
                _ => unplotted.push((account.id, account.name)),
            }
        }
        Ok(PortfolioView {
            accounts,
            unplotted,
            tier_a: tiers.a,
        })
    }
}
