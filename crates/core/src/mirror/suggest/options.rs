//! What a run is asked to do: its scope, the users' locks, the integer cost model and the
//! candidate rule (the [module docs](super) explain each).

use serde::Serialize;

use crate::ids::{AccountId, PersonId, UnitId};
use crate::macros::string_enum;
use crate::mirror::CurrentAssignment;

/// Which accounts a run covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "scope", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// One account.
    Account(AccountId),
    /// The accounts whose responsible unit is this unit of ours or lies below it.
    Unit(UnitId),
    /// Every account of the input.
    Portfolio,
}

string_enum! {
    /// What a user decided about a pair.
    pub enum LockRule {
        /// The pair must be used.
        Keep = "keep",
        /// The pair must not be used.
        Never = "never",
    }
}

/// A user's decision about one pair of partner person and person of ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Lock {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Keep or never.
    pub rule: LockRule,
}

/// The integer cost model (see the module docs). Every value is a magnitude: negative values
/// count as 0, values above 1,000,000 as 1,000,000.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CostModel {
    /// Per level of distance. Default 100.
    pub level_step: i64,
    /// The distance assumed when either level is unknown. Default 2.
    pub unknown_distance: i64,
    /// When exactly one of the pair is an assistant/secretariat. Default 40.
    pub function_mismatch: i64,
    /// Bonus for an existing pairing rated 4 or 5. Default 60.
    pub good_relationship: i64,
    /// Bonus for an existing pairing that is unrated or rated 3. Default 20.
    pub existing_pairing: i64,
    /// Bonus when our person is in a responsible unit (or below). Default 30.
    pub responsible_unit: i64,
    /// Bonus when an assistant is paired with the assistant of their boss's counterpart.
    /// Default 50.
    pub boss_counterpart_assistant: i64,
    /// Per primary our person currently holds, to spread the work. Default 2.
    pub load_step: i64,
    /// A primary demand left without a counterpart. Default 10,000.
    pub unserved_primary: i64,
    /// A deputy demand left without a counterpart. Default 5,000.
    pub unserved_deputy: i64,
}

impl Default for CostModel {
    fn default() -> Self {
        Self {
            level_step: 100,
            unknown_distance: 2,
            function_mismatch: 40,
            good_relationship: 60,
            existing_pairing: 20,
            responsible_unit: 30,
            boss_counterpart_assistant: 50,
            load_step: 2,
            unserved_primary: 10_000,
            unserved_deputy: 5_000,
        }
    }
}

/// The most a level distance counts in a cost, so that absurd ranks cannot overflow it.
pub(super) const MAX_DISTANCE: i64 = 100;
/// The largest value a cost model field takes.
const MAX_MODEL_VALUE: i64 = 1_000_000;

impl CostModel {
    /// The model with every field clamped to 0..=1,000,000, as it is applied.
    pub fn sanitized(&self) -> Self {
        let c = |v: i64| v.clamp(0, MAX_MODEL_VALUE);
        Self {
            level_step: c(self.level_step),
            unknown_distance: self.unknown_distance.clamp(0, MAX_DISTANCE),
            function_mismatch: c(self.function_mismatch),
            good_relationship: c(self.good_relationship),
            existing_pairing: c(self.existing_pairing),
            responsible_unit: c(self.responsible_unit),
            boss_counterpart_assistant: c(self.boss_counterpart_assistant),
            load_step: c(self.load_step),
            unserved_primary: c(self.unserved_primary),
            unserved_deputy: c(self.unserved_deputy),
        }
    }

    /// The constant added to every pair so that no cost is negative: the largest relationship
    /// bonus plus the unit and boss-assistant bonuses (140 by default).
    pub fn offset(&self) -> i64 {
        self.good_relationship.max(self.existing_pairing)
            + self.responsible_unit
            + self.boss_counterpart_assistant
    }
}

/// Which pairs the flow may use (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CandidateRule {
    /// Our people are candidates for a contact only within this many levels. Default 2.
    pub level_window: i64,
    /// The most candidates per contact chosen by cost (specific candidates come on top).
    /// Default 32 (see "How much the candidate rule gives up" in the module docs).
    pub per_contact: usize,
    /// At least this many candidates per contact from its responsible units, when there are
    /// enough people there. Default 4.
    pub unit_minimum: usize,
}

impl Default for CandidateRule {
    fn default() -> Self {
        Self {
            level_window: 2,
            per_contact: 32,
            unit_minimum: 4,
        }
    }
}

/// What to suggest for, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestOptions {
    /// Which accounts.
    pub scope: Scope,
    /// Also propose a deputy, different from the primary, for every contact whose primary is
    /// decided in this run.
    pub deputies: bool,
    /// Users' keep / never decisions.
    pub locks: Vec<Lock>,
    /// The costs.
    pub costs: CostModel,
    /// The candidate rule.
    pub candidates: CandidateRule,
}

impl SuggestOptions {
    /// Defaults for a scope: no deputies, no locks, default costs and candidate rule.
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            deputies: false,
            locks: Vec::new(),
            costs: CostModel::default(),
            candidates: CandidateRule::default(),
        }
    }
}

/// Distance for costs: the real one capped, or the model's assumption when a level is unknown.
pub(super) fn cost_distance(costs: &CostModel, theirs: Option<i64>, ours: Option<i64>) -> i64 {
    match (theirs, ours) {
        (Some(t), Some(o)) => t.abs_diff(o).min(MAX_DISTANCE as u64) as i64,
        _ => costs.unknown_distance,
    }
}

/// The relationship bonus of a current assignment (as a magnitude).
pub(super) fn relationship_bonus(costs: &CostModel, a: &CurrentAssignment) -> i64 {
    match a.relationship {
        Some(4..) => costs.good_relationship,
        Some(..=2) => 0,
        _ => costs.existing_pairing,
    }
}
