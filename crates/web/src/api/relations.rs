//! The API's relationships: who matters at an account and who of ours holds them — key
//! contacts (`key_contacts`), counterpart assignments and their ratings (`assignments`), the
//! importance criteria and an account's importance (`importance`), the keep/never locks
//! (`locks`), the mirror's suggestions with accept (`suggestions`) and the KAM matrix
//! (`matrix`). Each calls the use case its page calls, with the token's user as the
//! principal, so the same rules, checks and audit rows apply.

pub(super) mod assignments;
pub(super) mod importance;
pub(super) mod key_contacts;
pub(super) mod locks;
pub(super) mod matrix;
pub(super) mod suggestions;

use chrono::NaiveDate;
use counterpart_core::account::{AssignmentKind, DecisionRole, Health, Stance};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A key contact's role in the account's decisions.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = DecisionRole)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiDecisionRole {
    /// Decides.
    DecisionMaker,
    /// Sways the decision.
    Influencer,
    /// Uses what we deliver.
    User,
    /// Controls access (an assistant, a purchasing office).
    Gatekeeper,
    /// Argues for us inside.
    Champion,
    /// Anything else.
    Other,
}

impl From<ApiDecisionRole> for DecisionRole {
    fn from(role: ApiDecisionRole) -> Self {
        match role {
            ApiDecisionRole::DecisionMaker => Self::DecisionMaker,
            ApiDecisionRole::Influencer => Self::Influencer,
            ApiDecisionRole::User => Self::User,
            ApiDecisionRole::Gatekeeper => Self::Gatekeeper,
            ApiDecisionRole::Champion => Self::Champion,
            ApiDecisionRole::Other => Self::Other,
        }
    }
}

impl From<DecisionRole> for ApiDecisionRole {
    fn from(role: DecisionRole) -> Self {
        match role {
            DecisionRole::DecisionMaker => Self::DecisionMaker,
            DecisionRole::Influencer => Self::Influencer,
            DecisionRole::User => Self::User,
            DecisionRole::Gatekeeper => Self::Gatekeeper,
            DecisionRole::Champion => Self::Champion,
            DecisionRole::Other => Self::Other,
        }
    }
}

/// A key contact's stance toward us.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Stance)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiStance {
    /// Supports us actively.
    Supporter,
    /// Well disposed.
    Positive,
    /// Neither.
    Neutral,
    /// Sceptical.
    Critical,
    /// Works against us.
    Opponent,
}

impl From<ApiStance> for Stance {
    fn from(stance: ApiStance) -> Self {
        match stance {
            ApiStance::Supporter => Self::Supporter,
            ApiStance::Positive => Self::Positive,
            ApiStance::Neutral => Self::Neutral,
            ApiStance::Critical => Self::Critical,
            ApiStance::Opponent => Self::Opponent,
        }
    }
}

impl From<Stance> for ApiStance {
    fn from(stance: Stance) -> Self {
        match stance {
            Stance::Supporter => Self::Supporter,
            Stance::Positive => Self::Positive,
            Stance::Neutral => Self::Neutral,
            Stance::Critical => Self::Critical,
            Stance::Opponent => Self::Opponent,
        }
    }
}

/// Whether a counterpart owns the relationship or stands in.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = AssignmentKind)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiAssignmentKind {
    /// Owns the relationship.
    Primary,
    /// Stands in.
    Deputy,
}

impl From<ApiAssignmentKind> for AssignmentKind {
    fn from(kind: ApiAssignmentKind) -> Self {
        match kind {
            ApiAssignmentKind::Primary => Self::Primary,
            ApiAssignmentKind::Deputy => Self::Deputy,
        }
    }
}

impl From<AssignmentKind> for ApiAssignmentKind {
    fn from(kind: AssignmentKind) -> Self {
        match kind {
            AssignmentKind::Primary => Self::Primary,
            AssignmentKind::Deputy => Self::Deputy,
        }
    }
}

/// A relationship's traffic light by its latest relationship rating.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[schema(as = RelationshipHealth)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiHealth {
    /// Rated 4 or 5.
    Good,
    /// Rated 3.
    Fair,
    /// Rated 1 or 2.
    Poor,
    /// Not rated yet.
    Unrated,
}

impl From<Health> for ApiHealth {
    fn from(health: Health) -> Self {
        match health {
            Health::Good => Self::Good,
            Health::Fair => Self::Fair,
            Health::Poor => Self::Poor,
            Health::Unrated => Self::Unrated,
        }
    }
}

/// A day as the API writes it: `YYYY-MM-DD`.
fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
