//! What a run answers: proposals with the needs and reasons behind them, unserved demands,
//! lock conflicts, capacity notes, what the answer is optimal over, and the predicted scores.

use serde::Serialize;

use super::options::{CandidateRule, Scope};
use crate::account::AssignmentKind;
use crate::ids::{AccountId, PersonId, UnitId};
use crate::macros::string_enum;

/// Why a contact is part of the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Need {
    /// No current primary.
    NoPrimary,
    /// The current primary is two or more levels away.
    LevelGap {
        /// The current primary.
        ours: PersonId,
        /// Levels between them.
        distance: i64,
    },
    /// Exactly one of the pair is an assistant/secretariat.
    FunctionMismatch {
        /// The current primary.
        ours: PersonId,
        /// Whether their contact is the assistant (else ours is).
        their_assistant: bool,
    },
    /// The latest relationship rating is 2 or lower.
    PoorRating {
        /// The current primary.
        ours: PersonId,
        /// That rating.
        rating: i64,
    },
    /// A user locked the current pair `never`.
    NeverLocked {
        /// The current counterpart.
        ours: PersonId,
    },
    /// The current counterpart is not among our people given (left, or not loaded).
    NotInStaff {
        /// The current counterpart.
        ours: PersonId,
    },
    /// The current counterpart is the contact themselves or inside the partner's own unit
    /// (an internal account whose partner is a unit of ours; e.g. after a move).
    InsidePartnerUnit {
        /// The current counterpart.
        ours: PersonId,
    },
    /// A user fixed a new primary with a `keep` lock.
    KeepLocked {
        /// The new primary.
        ours: PersonId,
    },
    /// Deputy demand: there is no current deputy.
    NoDeputy,
    /// Deputy demand: the current deputy is reviewed together with the primary.
    ReviewDeputy {
        /// The current deputy.
        ours: PersonId,
    },
}

/// Why a proposal is good, with its numbers; the web layer words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Both at the same level.
    SameLevel {
        /// The rank.
        rank: i64,
    },
    /// Levels differ.
    LevelDistance {
        /// Levels between them.
        distance: i64,
        /// Their rank.
        their_rank: i64,
        /// Our rank.
        our_rank: i64,
    },
    /// A level is unknown.
    LevelUnknown,
    /// Both are assistants/secretariats.
    SecretariatToSecretariat,
    /// Exactly one is an assistant/secretariat (a cost, named so the UI can warn).
    FunctionMismatch {
        /// Whether their contact is the assistant (else ours is).
        their_assistant: bool,
    },
    /// Our person assists the current counterpart of the contact's boss.
    AssistantOfBossCounterpart {
        /// The contact's boss.
        boss: PersonId,
        /// The boss's current primary counterpart, whom our person assists.
        boss_counterpart: PersonId,
    },
    /// Our person is in (or below) a responsible unit.
    WithinResponsibleUnit {
        /// That unit.
        unit: UnitId,
    },
    /// Keeps a current relationship rated 4 or 5.
    KeepsGoodRelationship {
        /// How it is held now.
        kind: AssignmentKind,
        /// The rating.
        rating: i64,
    },
    /// Keeps a current pairing (unrated, or rated 3 or lower).
    KeepsExistingPairing {
        /// How it is held now.
        kind: AssignmentKind,
        /// The rating, if any.
        rating: Option<i64>,
    },
    /// Replaces the current holder of this role.
    Replaces {
        /// The current holder.
        previous: PersonId,
        /// Their level distance to the contact.
        distance: Option<i64>,
        /// Their latest relationship rating.
        rating: Option<i64>,
    },
    /// Our person's load once every proposal of the run is accepted.
    Load {
        /// Primaries (and deputies proposed in this run) held afterwards.
        after: i64,
        /// Their capacity.
        capacity: i64,
    },
    /// A user fixed this pair with a `keep` lock.
    LockedByUser,
}

/// A pair's cost by term (see the module docs); `total` is their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PairCost {
    /// The sum.
    pub total: i64,
    /// The constant offset.
    pub offset: i64,
    /// Level distance term.
    pub level: i64,
    /// Function mismatch term.
    pub function: i64,
    /// Relationship bonus (≤ 0).
    pub relationship: i64,
    /// Responsible unit bonus (≤ 0).
    pub unit: i64,
    /// Boss-counterpart assistant bonus (≤ 0).
    pub boss_assistant: i64,
    /// Load term.
    pub load: i64,
}

string_enum! {
    /// What a proposal changes.
    pub enum Change {
        /// The role had no holder.
        New = "new",
        /// Someone else held it.
        Replace = "replace",
        /// The current holder stays (nothing better is available).
        Stay = "stay",
    }
}

/// A proposed counterpart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The partner person.
    pub partner_id: PersonId,
    /// The accounts in scope where they are a key contact.
    pub accounts: Vec<AccountId>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// Our person proposed.
    pub ours: PersonId,
    /// The current holder of the role, if any.
    pub current: Option<PersonId>,
    /// New, replace or stay.
    pub change: Change,
    /// Fixed by a user's `keep` lock rather than chosen by the flow.
    pub locked: bool,
    /// Why the contact was in the run.
    pub needs: Vec<Need>,
    /// Why this person.
    pub reasons: Vec<Reason>,
    /// The pair's cost by term.
    pub cost: PairCost,
    /// For a holder who stays although their contact was in the run: why nobody better at
    /// the contact's level took over.
    pub why_not_better: Option<NoBetter>,
}

/// Why a contact keeps its counterpart or gets none although someone at its level would
/// mirror it better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum NoBetter {
    /// The contact's level is not known.
    LevelUnknown,
    /// Nobody of ours is at that level (besides the current holder).
    NobodyAtLevel,
    /// Everyone of ours at that level is locked "never" with this contact.
    AllExcluded {
        /// How many of ours are at that level.
        at_level: usize,
    },
    /// Everyone of ours at that level is at capacity once the run's proposals are taken.
    AllAtCapacity {
        /// How many of ours are at that level.
        at_level: usize,
    },
    /// Someone at that level is free, but the optimum is better without the change (a good
    /// current relationship, the responsible unit, or where they serve elsewhere).
    NotWorthIt,
    /// Someone at that level is free; the run did not weigh a change (one level apart).
    SomeoneFree,
}

/// A demand the run could not serve: "no suitable counterpart available".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unserved {
    /// The partner person.
    pub partner_id: PersonId,
    /// The accounts in scope where they are a key contact.
    pub accounts: Vec<AccountId>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// Why the contact was in the run.
    pub needs: Vec<Need>,
    /// The current holder, who stays in place unless ended by hand.
    pub current: Option<PersonId>,
    /// How many candidates the contact had (0: nobody with capacity in the window).
    pub candidates: usize,
    /// Why nobody at the contact's level took it.
    pub why: NoBetter,
}

/// A lock that could not be honoured as given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LockConflict {
    /// The pair is locked both `keep` and `never`; `never` wins.
    KeepAndNever {
        /// The partner person.
        partner: PersonId,
        /// Our person.
        ours: PersonId,
    },
    /// A `keep` would make a second primary; it is not applied.
    SecondPrimary {
        /// The partner person.
        partner: PersonId,
        /// Our person of the lock not applied.
        ours: PersonId,
        /// The primary that is kept or fixed instead.
        primary: PersonId,
    },
    /// A `keep` names someone who is not among our people given; it is ignored.
    NotInStaff {
        /// The partner person.
        partner: PersonId,
        /// Our person.
        ours: PersonId,
    },
    /// A `keep` names the partner person themselves or someone inside the partner's own unit
    /// (an internal account); it is ignored.
    InsidePartnerUnit {
        /// The partner person.
        partner: PersonId,
        /// Our person.
        ours: PersonId,
    },
}

/// Someone of ours whom the run touches (a proposal, a freed slot, a fixed pair) and who is
/// above capacity once every proposal is accepted: already before the run, through `keep`
/// locks, or because an unserved contact keeps its current counterpart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CapacityNote {
    /// Who.
    pub ours: PersonId,
    /// Load before the run.
    pub load_before: i64,
    /// Load afterwards.
    pub load_after: i64,
    /// Capacity.
    pub capacity: i64,
}

/// What the answer is optimal over: the candidate pairs of `rule`, not all pairs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Optimality {
    /// The rule that generated the candidate pairs.
    pub rule: CandidateRule,
    /// Demands (primary and deputy).
    pub demands: usize,
    /// Candidate pairs the flow could choose from (one list per contact).
    pub candidate_pairs: usize,
    /// Different people of ours among the candidates.
    pub candidate_people: usize,
    /// Contacts whose cost-ordered candidates stopped at `per_contact` while more people with
    /// capacity were within the window: only for these can a pair outside the candidate set
    /// exist that the full problem might prefer.
    pub truncated: usize,
    /// Nodes of the flow network.
    pub nodes: usize,
    /// Arcs of the flow network.
    pub arcs: usize,
}

/// An account's mirror score before and after accepting every proposal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AccountPrediction {
    /// The account.
    pub account_id: AccountId,
    /// Mirror score now.
    pub before: f64,
    /// Predicted mirror score.
    pub after: f64,
}

/// The result of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestions {
    /// The scope.
    pub scope: Scope,
    /// The candidate set the answer is optimal over.
    pub optimality: Optimality,
    /// One per served demand (including stays and pairs fixed by `keep`), in the contacts'
    /// priority order, primary before deputy.
    pub proposals: Vec<Proposal>,
    /// Demands without a suitable counterpart, in the same order.
    pub unserved: Vec<Unserved>,
    /// Locks that could not be honoured as given.
    pub conflicts: Vec<LockConflict>,
    /// People of ours above capacity afterwards, by id.
    pub over_capacity: Vec<CapacityNote>,
    /// The flow's optimal cost: chosen pairs plus unserved demands.
    pub flow_cost: i64,
    /// The same demands priced as they are now: each current holder's pair cost (an unserved
    /// cost where there is none, or they are not among our people), plus the current pairs that
    /// `keep` locks replace.
    pub objective_before: i64,
    /// `flow_cost` plus the cost of the pairs fixed by `keep` locks.
    pub objective_after: i64,
    /// Mean mirror score of the accounts in scope now; `None` without accounts.
    pub mirror_before: Option<f64>,
    /// Their predicted mean mirror score after accepting every proposal.
    pub mirror_after: Option<f64>,
    /// Per account in scope.
    pub accounts: Vec<AccountPrediction>,
    /// Key contacts served one level off, which the run leaves as they are (a change is
    /// proposed from two levels on), with why nobody at their level would take over anyway.
    pub near_misses: Vec<NearMiss>,
}

/// A key contact whose counterpart is one level off and stays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    /// The partner person.
    pub partner_id: PersonId,
    /// Their primary counterpart.
    pub current: PersonId,
    /// Whether someone at their level would be free, and if not, why.
    pub why: NoBetter,
}
