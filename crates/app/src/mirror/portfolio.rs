//! The portfolio's mirror: every account analysed, rolled up by our units, the accounts that
//! need attention first; for the whole portfolio or one of our units with the units below it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::{
    AccountAnalysis, Attention, FindingDetail, PortfolioAnalysis, Rollup, analyze_portfolio,
};
use counterpart_core::org::{Unit, unit_tree};
use counterpart_store::PersonLabel;

use super::{finding_people, settings};
use crate::error::Result;
use crate::work::blocking;
use crate::{App, Principal};

/// Accounts on the attention list.
const ATTENTION_SHOWN: usize = 25;
/// Months of trend.
const TREND_MONTHS: u32 = 24;

/// One of our units in the roll-up.
#[derive(Clone, Debug)]
pub struct UnitRollupLine {
    /// The unit.
    pub unit: Unit,
    /// Its depth in our unit tree, 0 for top units.
    pub depth: usize,
    /// Its accounts summed up (with those of the units below it).
    pub rollup: Rollup,
}

/// An account on the attention list.
#[derive(Clone, Debug)]
pub struct AttentionEntry {
    /// Why it needs attention, in numbers.
    pub attention: Attention,
    /// The account's name.
    pub name: String,
    /// Its most severe finding.
    pub top: Option<FindingDetail>,
}

/// The portfolio's mirror as its page shows it.
#[derive(Clone, Debug)]
pub struct PortfolioMirror {
    /// The analysis of every account in view (shared by the readers of the same view).
    pub analysis: Arc<PortfolioAnalysis>,
    /// The unit looked at, if not the whole portfolio.
    pub unit: Option<Unit>,
    /// Our units that hold accounts, in tree order.
    pub units: Vec<UnitRollupLine>,
    /// The accounts that need attention first.
    pub attention: Vec<AttentionEntry>,
    /// The people the attention list's findings name.
    pub labels: HashMap<PersonId, PersonLabel>,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// The mean mirror score at each month end.
    pub trend: Vec<(NaiveDate, f64)>,
}

/// A unit and every unit below it.
fn subtree(units: &[Unit], top: UnitId) -> HashSet<UnitId> {
    let mut set = HashSet::from([top]);
    let mut grew = true;
    while grew {
        grew = false;
        for x in units {
            if x.parent_id.is_some_and(|p| set.contains(&p)) && set.insert(x.id) {
                grew = true;
            }
        }
    }
    set
}

/// The roll-up lines of our units that hold accounts, in tree order.
fn unit_lines(own_units: &[Unit], analysis: &PortfolioAnalysis) -> Vec<UnitRollupLine> {
    let rollups: HashMap<UnitId, &Rollup> = analysis
        .units
        .iter()
        .map(|u| (u.unit_id, &u.rollup))
        .collect();
    unit_tree(own_units)
        .into_iter()
        .filter_map(|node| {
            let rollup = rollups.get(&node.unit.id).filter(|r| r.accounts > 0)?;
            Some(UnitRollupLine {
                rollup: (*rollup).clone(),
                unit: node.unit,
                depth: node.depth,
            })
        })
        .collect()
}

impl App {
    /// The portfolio's mirror, or that of one of our units (its accounts and those of the
    /// units below it).
    pub async fn portfolio_mirror(
        &self,
        who: &Principal,
        unit: Option<UnitId>,
    ) -> Result<PortfolioMirror> {
        let seen = self.visibility(who).await?;
        let own_units = match self.store.own_organization().await? {
            Some(own) => self.store.units(own.id).await?,
            None => Vec::new(),
        };
        let unit = match unit {
            Some(id) => Some(self.store.unit(id).await?),
            None => None,
        };
        let within = unit.as_ref().map(|u| subtree(&own_units, u.id));
        // Worked out once per change of the data for each unit and set of hidden accounts
        // (most readers share one), not once per request.
        let key = (
            unit.as_ref().map(|u| u.id),
            seen.hidden_accounts.clone(),
            counterpart_store::now().date_naive(),
        );
        let (store, reader, scope) = (self.store.clone(), seen.clone(), within.clone());
        let analysis = self
            .portfolio
            .analyses
            .get(&self.store, key, || async move {
                let mut input = store.mirror_input(None).await?;
                // The reader's portfolio: the roll-ups, counts and the trend hold only what
                // they see.
                input.accounts.retain(|a| reader.sees_account(a.id));
                if let Some(within) = &scope {
                    input
                        .accounts
                        .retain(|a| a.responsible_unit_id.is_some_and(|u| within.contains(&u)));
                }
                blocking(move || analyze_portfolio(&input, &settings())).await
            })
            .await?;
        // Every account in view is analysed: the trend is over the same ones.
        let in_scope: Option<HashSet<AccountId>> = (within.is_some()
            || !seen.hidden_accounts.is_empty())
        .then(|| analysis.accounts.iter().map(|a| a.account_id).collect());
        let levels = self.store.levels().await?;
        let by_id: HashMap<AccountId, &AccountAnalysis> = analysis
            .accounts
            .iter()
            .map(|a| (a.account_id, a))
            .collect();
        let shown = || analysis.attention.iter().take(ATTENTION_SHOWN);
        let wanted: Vec<PersonId> = shown()
            .filter_map(|a| by_id.get(&a.account_id))
            .flat_map(|a| finding_people(a))
            .collect();
        let labels = self.store.person_labels(&wanted).await?;
        let account_names = self.store.account_names().await?;
        let attention = shown()
            .map(|a| AttentionEntry {
                attention: *a,
                name: account_names
                    .get(&a.account_id)
                    .cloned()
                    .unwrap_or_default(),
                top: by_id
                    .get(&a.account_id)
                    .and_then(|x| x.findings.iter().max_by_key(|f| f.severity))
                    .map(|f| f.detail.clone()),
            })
            .collect();
        let units = unit_lines(&own_units, &analysis);
        let trend = self
            .store
            .mirror_trend(TREND_MONTHS, in_scope.as_ref())
            .await?
            .into_iter()
            .map(|p| (p.day, p.mean))
            .collect();
        Ok(PortfolioMirror {
            analysis,
            unit,
            units,
            attention,
            labels,
            levels,
            trend,
        })
    }
}
