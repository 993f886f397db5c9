//! Importance: the team's criteria and weights, each member's proposals, the tier thresholds,
//! and the accounts where members' ratings disagree.

use std::collections::HashMap;

use counterpart_core::ids::{AccountId, CriterionId};
use counterpart_core::importance::{
    Criterion, CriterionInput, RATING_DISPUTE, Spread, Tiers, WEIGHT_DISPUTE, WeightProposal,
};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// A criterion with the members' proposed weights.
#[derive(Clone, Debug)]
pub struct CriterionView {
    /// The criterion.
    pub criterion: Criterion,
    /// The members' proposals for its weight.
    pub proposals: Vec<WeightProposal>,
    /// Their spread, if anyone proposed.
    pub spread: Option<Spread>,
    /// The asking member's own proposal.
    pub mine: Option<f64>,
    /// Whether the proposals lie far apart.
    pub disputed: bool,
}

/// Members who rate one account on one criterion far apart.
#[derive(Clone, Debug)]
pub struct Disagreement {
    /// The account.
    pub account_id: AccountId,
    /// Its name.
    pub account: String,
    /// The criterion.
    pub criterion_id: CriterionId,
    /// The spread of the ratings.
    pub spread: Spread,
    /// Each member's name and rating.
    pub voices: Vec<(String, i64)>,
}

/// The importance page.
#[derive(Clone, Debug)]
pub struct ImportanceOverview {
    /// The criteria in their order, with proposals.
    pub criteria: Vec<CriterionView>,
    /// The tier thresholds.
    pub tiers: Tiers,
    /// Where ratings disagree, the widest spread first.
    pub disagreements: Vec<Disagreement>,
}

impl App {
    /// The criteria in their order.
    pub async fn criteria(&self, _who: &Principal) -> Result<Vec<Criterion>> {
        Ok(self.store.criteria().await?)
    }

    /// One criterion.
    pub async fn criterion(&self, _who: &Principal, id: CriterionId) -> Result<Criterion> {
        self.store
            .criteria()
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(Error::NotFound)
    }

    /// The importance page: criteria with proposals, tiers, disagreements.
    pub async fn importance(&self, who: &Principal) -> Result<ImportanceOverview> {
        let seen = self.visibility(who).await?;
        let (criteria, proposals, tiers, ratings, names) = tokio::try_join!(
            self.store.criteria(),
            self.store.weight_proposals(),
            self.store.tiers(),
            self.store.criterion_ratings(None),
            self.store.active_account_names(),
        )?;
        let views = criteria
            .into_iter()
            .map(|criterion| {
                let proposals: Vec<WeightProposal> = proposals
                    .iter()
                    .filter(|p| p.criterion_id == criterion.id)
                    .cloned()
                    .collect();
                let spread = Spread::of(proposals.iter().map(|p| p.weight));
                CriterionView {
                    mine: proposals
                        .iter()
                        .find(|p| Some(p.user_id) == who.user)
                        .map(|p| p.weight),
                    disputed: spread.is_some_and(|s| s.disputed(WEIGHT_DISPUTE)),
                    spread,
                    proposals,
                    criterion,
                }
            })
            .collect();
        let mut voices: HashMap<(AccountId, CriterionId), Vec<(String, i64)>> = HashMap::new();
        for rating in ratings {
            voices
                .entry((rating.account_id, rating.criterion_id))
                .or_default()
                .push((rating.user_name, rating.score));
        }
        let mut disagreements = Vec::new();
        for ((account_id, criterion_id), voices) in voices {
            // The team's ratings of a hidden account are that account's.
            if !seen.sees_account(account_id) {
                continue;
            }
            let Some(spread) = Spread::of(voices.iter().map(|v| v.1 as f64)) else {
                continue;
            };
            if !spread.disputed(RATING_DISPUTE) {
                continue;
            }
            // An inactive account's disagreements are left out.
            let Some(name) = names.get(&account_id) else {
                continue;
            };
            disagreements.push(Disagreement {
                account_id,
                account: name.clone(),
                criterion_id,
                spread,
                voices,
            });
        }
        disagreements.sort_by(|a, b| {
            b.spread
                .range()
                .total_cmp(&a.spread.range())
                .then_with(|| a.account.cmp(&b.account))
        });
        Ok(ImportanceOverview {
            criteria: views,
            tiers,
            disagreements,
        })
    }

    /// A member proposes (or, with `None`, withdraws) weights for criteria.
    pub async fn propose_weights(
        &self,
        who: &Principal,
        weights: &[(CriterionId, Option<f64>)],
    ) -> Result<()> {
        who.may_edit()?;
        let user = who.user()?;
        Ok(self
            .store
            .propose_weights(&who.actor(), user, weights)
            .await?)
    }

    /// Adds a criterion.
    pub async fn create_criterion(
        &self,
        who: &Principal,
        input: &CriterionInput,
    ) -> Result<Criterion> {
        who.may_administer()?;
        Ok(self.store.create_criterion(&who.actor(), input).await?)
    }

    /// Changes a criterion, if nobody did since `version`.
    pub async fn update_criterion(
        &self,
        who: &Principal,
        id: CriterionId,
        version: i64,
        input: &CriterionInput,
    ) -> Result<Criterion> {
        who.may_administer()?;
        Ok(self
            .store
            .update_criterion(&who.actor(), id, version, input)
            .await?)
    }

    /// Sets the tier thresholds.
    pub async fn set_tiers(&self, who: &Principal, tiers: Tiers) -> Result<()> {
        who.may_administer()?;
        Ok(self.store.set_tiers(&who.actor(), tiers).await?)
    }
}
