//! Optimal counterpart suggestions: an exact min-cost flow over a documented candidate set.
//!
//! For one account, one unit of ours or the whole portfolio, [`suggest`] proposes a primary
//! counterpart for every key contact that has none or a poor one, and optionally a deputy, by
//! solving a minimum-cost flow with [`crate::flow`]. The answer is **optimal over the candidate
//! pairs defined by [`CandidateRule`]**, not over every pair of key contact and person of ours:
//! with 100,000 contacts and 20,000 people the complete graph would have 2·10⁹ arcs. The result
//! says so in [`Optimality`], with the number of candidate pairs and how many contacts had
//! their list cut at the limit.
//!
//! # Who needs a counterpart
//!
//! A key contact is one *partner person*: someone who is key in several accounts in scope is one
//! demand (assignments are person to person); their influence is the highest, their responsible
//! units are all of those accounts' units, their level and function come from the first account
//! that lists them. Their current primary is kept unless it is *poor* ([`Need`]):
//!
//! - there is no current primary, or they are not among our people given, or the pair is locked
//!   `never`;
//! - the level distance is 2 or more;
//! - one is an assistant/secretariat and the other is not;
//! - the latest relationship rating is 2 or lower.
//!
//! With [`SuggestOptions::deputies`], every contact whose primary is decided in this run also
//! gets a deputy demand; it must go to a different person than the primary, which the network
//! enforces exactly (below). A current deputy is reviewed with it (and may simply stay).
//!
//! # Costs
//!
//! All integers ([`CostModel`], defaults in brackets); a pair of their contact `c` and our
//! person `p` costs
//!
//! ```text
//!   offset                                      (140: the sum of the largest bonuses, so no cost is negative)
//! + level_step × distance(c, p)                  (100 per level; an unknown level counts as distance 2)
//! + function_mismatch   if exactly one of them is an assistant/secretariat      (+40)
//! − good_relationship   if p currently serves c and it is rated ≥ 4             (−60)
//! − existing_pairing    if p currently serves c, unrated or rated 3             (−20; rated ≤ 2: nothing)
//! − responsible_unit    if p is in the responsible unit of one of c's accounts, or below (−30)
//! − boss_counterpart_assistant  if c is an assistant and p is the assistant of the current
//!                       primary counterpart of c's boss                          (−50)
//! + load_step × p's current load                                                (2 per primary held)
//! ```
//!
//! A demand left without a counterpart costs `unserved_primary` (10,000) or `unserved_deputy`
//! (5,000): far more than any pair, so a contact is only left out when nobody with capacity is
//! among its candidates, or when serving it would cost others more than that in total.
//!
//! # Capacity
//!
//! Our person `p` can take `capacity − load + freed − forced` more counterparts (at least 0):
//! `freed` counts the contacts in this run whose current primary (or reviewed current deputy) is
//! `p`, since that slot is up for decision and staying costs no extra capacity; `forced` counts
//! the new pairs fixed by `keep` locks. Deputies proposed in this run take a unit of the same
//! capacity (standing in is work too); existing deputy roles are not part of `load`.
//!
//! # Locks
//!
//! [`Lock`]s come from users and the solver honours both kinds:
//!
//! - `never`: the pair is no candidate. A current primary locked `never` must be replaced.
//! - `keep` on a current pair: it stays as it is (primary or deputy) whatever its quality; a
//!   kept deputy is not considered as the contact's primary.
//! - `keep` on a pair that is not current: it becomes the contact's primary, outside the flow
//!   (its capacity is taken first, even beyond the limit, which is then reported).
//! - Conflicts are reported ([`LockConflict`]) and resolved safely: `keep` and `never` on one
//!   pair: `never` wins; a second new primary (a second `keep` on a non-current pair, or one
//!   while the current primary is kept) is not applied; a `keep` naming someone not among our
//!   people is ignored. Locks on partners outside the scope are ignored.
//!
//! # Candidate rule
//!
//! For each contact needing a counterpart, in priority order (influence descending, then rank
//! ascending with unknown last, then partner id), the candidates are:
//!
//! 1. its *specific* candidates, always: its current counterparts (primary and deputy) and the
//!    assistants of its boss's current counterpart, when they have capacity left;
//! 2. the `per_contact` (K = 32) cheapest of our people within `level_window` (± 2) levels of
//!    the contact, counting people of unknown level as within, by the pair cost *without* the
//!    relationship and boss-assistant bonuses (those only concern the specific candidates of
//!    1.), ties by person id, among the people who still have *unreserved* capacity;
//! 3. if fewer than `unit_minimum` (4) of those are in a responsible unit, the next-cheapest
//!    members of the responsible units within the window until there are.
//!
//! After its turn, the contact *reserves* one unit of capacity with its cheapest candidate that
//! has unreserved capacity (and a second one for its deputy), the way a greedy assignment
//! would. Reservations exist only to steer the later contacts' candidates towards people who
//! still have room, so that cheap people are not offered to everyone while the rest stay
//! unseen; the flow itself sees every candidate's full capacity. Because the greedy choices are
//! among the candidates, the optimum is never worse than that greedy assignment.
//!
//! People are bucketed by (level, assistant) and by (unit, level, assistant) for the
//! responsible units in play, each bucket sorted by load; a contact's candidates come from a
//! merge of the at most `2 × (2 × window + 2)` buckets in its window (plus as many per
//! responsible unit), never from a scan of all people. Each bucket keeps the position before
//! which everyone is fully reserved, so no contact re-skips them.
//!
//! # How much the candidate rule gives up
//!
//! Measured with `cargo bench -p counterpart-core --bench mirror` on its synthetic portfolio
//! (pyramids on both sides, 60 % of partners with a current primary, see the bench's docs):
//!
//! - With 10,000 contacts and 2,000 people, the default rule's optimum equals the optimum of the
//!   complete problem (every person with capacity a candidate for every contact, any level):
//!   the same cost (739,128) over 0.2 million candidate pairs as over 9.9 million.
//! - With 100,000 contacts and 20,000 people, K = 8, 16, 32 and 80 all reach the same optimum
//!   for the primaries; the whole run takes about 0.65 s at K = 8, 0.8 s at 16, 1.3 s at 32 and
//!   2.4 s at 80 on a shared 2-core machine. K = 32 keeps four times the smallest K that reached
//!   it and a third of a 2-second budget free. With deputies the demand doubles in the same
//!   capacity and the run takes about 2.6–2.9 s; there K = 16 already misses the optimum by
//!   0.0002 %.
//!
//! Real portfolios are less regular; [`Optimality::truncated`] tells how many contacts had
//! their cost-ordered list cut, and raising `per_contact` (or the window) shows whether the
//! optimum moves.
//!
//! # Network
//!
//! One node per contact in the flow with supply 1 (or 2 when it has a primary and a deputy
//! demand), one per person of ours who is a candidate, one sink. Arcs: contact → person
//! (capacity 1, the pair cost), person → sink (capacity: remaining capacity, cost 0), and per
//! demand contact → sink (capacity 1, its unserved cost), so the problem is always feasible.
//! A primary and a deputy are priced alike, so a contact with both demands needs two
//! *different* people (each arc carries at most 1) and the pair of them is what the flow
//! optimizes; the cheaper of the two becomes the primary (on a tie the current primary, then the
//! smaller id). The deputy's unserved arc is the cheaper one, so when only one person can be
//! found, they are the primary. This is exact: every feasible choice of a primary and a
//! different deputy is a flow of the same cost, and vice versa.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use super::analysis::score_only;
use super::index::{PartnerAssignments, Staff, UnitTree};
use super::{CurrentAssignment, MirrorAccount, MirrorContact, MirrorInput, OurPerson, Settings};
use crate::account::AssignmentKind;
use crate::flow::{ArcId, FlowError, Network};
use crate::ids::{AccountId, PersonId, UnitId};
use crate::macros::string_enum;

/// Which accounts a run covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
const MAX_DISTANCE: i64 = 100;
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
}

/// A demand of the run: one primary or deputy counterpart for one partner person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Demand {
    /// The partner person.
    pub partner_id: PersonId,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// Why.
    pub needs: Vec<Need>,
    /// The current holder of the role.
    pub current: Option<PersonId>,
    /// The cost of leaving it unserved.
    pub unserved_cost: i64,
    /// The other demand of the same contact (primary ↔ deputy) when both are in the flow: they
    /// must go to different people.
    pub paired_with: Option<usize>,
    /// The cost-ordered candidates stopped at the limit while more were available.
    pub truncated: bool,
    partner: usize,
    candidates: Range<usize>,
}

/// A candidate pair of a demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Our person.
    pub ours: PersonId,
    /// The pair's cost.
    pub cost: i64,
}

/// A contact as one demand unit of the run, merged over the accounts in scope.
struct Partner<'a> {
    contact: MirrorContact,
    accounts: Vec<AccountId>,
    units: Vec<UnitId>,
    assigned: PartnerAssignments<'a>,
    never: Vec<PersonId>,
    keeps: Vec<PersonId>,
    /// Kept by a `keep` lock as it is now.
    keep_primary: bool,
    keep_deputy: bool,
    /// A new primary fixed by a `keep` lock.
    forced: Option<usize>,
    /// Excluded from the candidates (the kept deputy, or the forced primary).
    excluded: Option<usize>,
}

/// A prepared run: demands, candidates and remaining capacities, ready to [`Plan::solve`].
/// Splitting [`suggest`] in two lets callers time candidate generation and solving apart and
/// inspect the candidate set.
pub struct Plan<'a> {
    input: &'a MirrorInput,
    settings: Settings,
    scope: Scope,
    costs: CostModel,
    rule: CandidateRule,
    staff: Staff<'a>,
    scope_accounts: Vec<usize>,
    partners: Vec<Partner<'a>>,
    demands: Vec<Demand>,
    candidates: Vec<(u32, i64)>,
    remaining: Vec<i64>,
    boss_counterpart: HashMap<PersonId, PersonId>,
    freed: Vec<i64>,
    conflicts: Vec<LockConflict>,
}

/// Prepares and solves a run: see the module docs for the model.
///
/// # Errors
///
/// Only what [`Network::solve`] reports for a network beyond its size limits
/// ([`FlowError::TooLarge`]); the network is always feasible.
pub fn suggest(
    input: &MirrorInput,
    options: &SuggestOptions,
    settings: &Settings,
) -> Result<Suggestions, FlowError> {
    prepare(input, options, settings).solve()
}

/// Finds the demands and generates their candidates (the first half of [`suggest`]).
pub fn prepare<'a>(
    input: &'a MirrorInput,
    options: &SuggestOptions,
    settings: &Settings,
) -> Plan<'a> {
    let staff = Staff::new(&input.people);
    let costs = options.costs.sanitized();
    let rule = CandidateRule {
        level_window: options.candidates.level_window.clamp(0, MAX_DISTANCE),
        ..options.candidates
    };
    let scope_accounts = scope_accounts(input, options.scope);
    let mut plan = Plan {
        input,
        settings: settings.clone(),
        scope: options.scope,
        costs,
        rule,
        remaining: input
            .people
            .iter()
            .map(|p| p.capacity() - p.load())
            .collect(),
        freed: vec![0; input.people.len()],
        staff,
        scope_accounts,
        partners: Vec::new(),
        demands: Vec::new(),
        candidates: Vec::new(),
        boss_counterpart: HashMap::new(),
        conflicts: Vec::new(),
    };
    plan.collect_partners(&options.locks);
    plan.find_demands(options.deputies);
    plan.generate_candidates();
    plan
}

/// The accounts a scope covers, as indices into `input.accounts`.
fn scope_accounts(input: &MirrorInput, scope: Scope) -> Vec<usize> {
    let tree = UnitTree::new(&input.units);
    input
        .accounts
        .iter()
        .enumerate()
        .filter(|(_, a)| match scope {
            Scope::Account(id) => a.id == id,
            Scope::Unit(unit) => a
                .responsible_unit_id
                .is_some_and(|r| tree.is_within(r, unit)),
            Scope::Portfolio => true,
        })
        .map(|(i, _)| i)
        .collect()
}

/// Distance for costs: the real one capped, or the model's assumption when a level is unknown.
fn cost_distance(costs: &CostModel, theirs: Option<i64>, ours: Option<i64>) -> i64 {
    match (theirs, ours) {
        (Some(t), Some(o)) => t.abs_diff(o).min(MAX_DISTANCE as u64) as i64,
        _ => costs.unknown_distance,
    }
}

/// The relationship bonus of a current assignment (as a magnitude).
fn relationship_bonus(costs: &CostModel, a: &CurrentAssignment) -> i64 {
    match a.relationship {
        Some(4..) => costs.good_relationship,
        Some(..=2) => 0,
        _ => costs.existing_pairing,
    }
}

impl<'a> Plan<'a> {
    /// The demands, in the order the candidates were generated (priority order; a deputy right
    /// after its primary).
    pub fn demands(&self) -> &[Demand] {
        &self.demands
    }

    /// The candidate pairs of a demand, cheapest first (ties by id). Empty for an index out of
    /// range.
    pub fn candidates(&self, demand: usize) -> impl Iterator<Item = Candidate> + '_ {
        let range = self
            .demands
            .get(demand)
            .map_or(0..0, |d| d.candidates.clone());
        self.candidates[range].iter().map(|&(s, cost)| Candidate {
            ours: self.staff.people[s as usize].person_id,
            cost,
        })
    }

    /// How many more counterparts our person can take in this run (capacity − load + freed −
    /// forced, at least 0); `None` for someone not among our people.
    pub fn remaining_capacity(&self, ours: PersonId) -> Option<i64> {
        self.staff.index(ours).map(|s| self.remaining[s].max(0))
    }

    /// Candidate pairs over all contacts (a deputy paired with its primary shares its list and
    /// counts once).
    pub fn candidate_pairs(&self) -> usize {
        self.demands
            .iter()
            .filter(|d| !(d.kind == AssignmentKind::Deputy && d.paired_with.is_some()))
            .map(|d| d.candidates.len())
            .sum()
    }

    /// The cost of a pair by term, for a partner of the run.
    fn pair_cost(&self, partner: &Partner<'_>, p: &OurPerson) -> PairCost {
        let k = &self.costs;
        let c = &partner.contact;
        let level = k.level_step * cost_distance(k, c.level_rank, p.level_rank);
        let function = if c.is_assistant == p.is_assistant {
            0
        } else {
            k.function_mismatch
        };
        let relationship = partner
            .assigned
            .with(p.person_id)
            .map_or(0, |a| -relationship_bonus(k, a));
        let unit = if partner.units.iter().any(|&u| p.is_within(u)) {
            -k.responsible_unit
        } else {
            0
        };
        let boss_assistant = if self.assists_boss_counterpart(c, p).is_some() {
            -k.boss_counterpart_assistant
        } else {
            0
        };
        let load = k.load_step * p.load();
        let offset = k.offset();
        PairCost {
            total: offset + level + function + relationship + unit + boss_assistant + load,
            offset,
            level,
            function,
            relationship,
            unit,
            boss_assistant,
            load,
        }
    }

    /// `(boss, boss's counterpart)` when `p` assists the current primary of `c`'s boss.
    fn assists_boss_counterpart(
        &self,
        c: &MirrorContact,
        p: &OurPerson,
    ) -> Option<(PersonId, PersonId)> {
        let boss = c.boss()?;
        let counterpart = *self.boss_counterpart.get(&boss)?;
        (p.assistant_of == Some(counterpart)).then_some((boss, counterpart))
    }

    /// Merges the key contacts of the accounts in scope into partners, attaches their current
    /// assignments and locks, and looks up the counterparts of assistants' bosses.
    fn collect_partners(&mut self, locks: &[Lock]) {
        let input = self.input;
        let mut index: HashMap<PersonId, usize> = HashMap::new();
        for &ai in &self.scope_accounts {
            let account = &input.accounts[ai];
            for c in super::analysis::unique_contacts(account) {
                let i = *index.entry(c.person_id).or_insert_with(|| {
                    self.partners.push(Partner {
                        contact: c.clone(),
                        accounts: Vec::new(),
                        units: Vec::new(),
                        assigned: PartnerAssignments::default(),
                        never: Vec::new(),
                        keeps: Vec::new(),
                        keep_primary: false,
                        keep_deputy: false,
                        forced: None,
                        excluded: None,
                    });
                    self.partners.len() - 1
                });
                let p = &mut self.partners[i];
                p.contact.influence = p.contact.influence.max(c.influence);
                if !p.accounts.contains(&account.id) {
                    p.accounts.push(account.id);
                }
                if let Some(u) = account.responsible_unit_id
                    && !p.units.contains(&u)
                {
                    p.units.push(u);
                }
            }
        }
        for &ai in &self.scope_accounts {
            for a in &input.accounts[ai].assignments {
                if let Some(&i) = index.get(&a.partner_id) {
                    self.partners[i].assigned.push(a);
                }
            }
        }
        // The boss's counterpart: looked up in every account's assignments, since the boss
        // may be key elsewhere or listed only for this purpose.
        let bosses: HashSet<PersonId> = self
            .partners
            .iter()
            .filter_map(|p| p.contact.boss())
            .collect();
        if !bosses.is_empty() {
            let mut of_boss: HashMap<PersonId, PartnerAssignments<'_>> = HashMap::new();
            for a in input.accounts.iter().flat_map(|a| &a.assignments) {
                if bosses.contains(&a.partner_id) {
                    of_boss.entry(a.partner_id).or_default().push(a);
                }
            }
            self.boss_counterpart = of_boss
                .into_iter()
                .filter_map(|(boss, a)| Some((boss, a.primary?.our_id)))
                .collect();
        }
        for lock in locks {
            if let Some(&i) = index.get(&lock.partner_id) {
                let p = &mut self.partners[i];
                let list = match lock.rule {
                    LockRule::Keep => &mut p.keeps,
                    LockRule::Never => &mut p.never,
                };
                if !list.contains(&lock.our_id) {
                    list.push(lock.our_id);
                }
            }
        }
        // Priority: influence, then seniority (unknown last), then id.
        self.partners.sort_by_key(|p| {
            (
                std::cmp::Reverse(p.contact.weight()),
                p.contact.level_rank.unwrap_or(i64::MAX),
                p.contact.person_id,
            )
        });
    }

    /// Resolves the locks and decides which partners need a primary and/or a deputy.
    fn find_demands(&mut self, deputies: bool) {
        let costs = self.costs;
        for pi in 0..self.partners.len() {
            let partner = &mut self.partners[pi];
            let id = partner.contact.person_id;
            let primary = partner.assigned.primary;
            let deputy = partner.assigned.deputy;
            let mut keeps = std::mem::take(&mut partner.keeps);
            keeps.sort_unstable();
            let mut new_keeps = Vec::new();
            for ours in keeps {
                if partner.never.contains(&ours) {
                    self.conflicts
                        .push(LockConflict::KeepAndNever { partner: id, ours });
                } else if self.staff.index(ours).is_none() {
                    self.conflicts
                        .push(LockConflict::NotInStaff { partner: id, ours });
                } else if primary.is_some_and(|a| a.our_id == ours) {
                    partner.keep_primary = true;
                } else if deputy.is_some_and(|a| a.our_id == ours) {
                    partner.keep_deputy = true;
                } else {
                    new_keeps.push(ours);
                }
            }
            for ours in new_keeps {
                let fixed = if partner.keep_primary {
                    primary.map(|a| a.our_id)
                } else {
                    partner.forced.map(|s| self.staff.people[s].person_id)
                };
                match fixed {
                    Some(primary) => self.conflicts.push(LockConflict::SecondPrimary {
                        partner: id,
                        ours,
                        primary,
                    }),
                    None => partner.forced = self.staff.index(ours),
                }
            }
            if partner.keep_deputy {
                partner.excluded = deputy.and_then(|a| self.staff.index(a.our_id));
            }

            // Is the primary up for decision?
            let mut needs = Vec::new();
            if let Some(f) = partner.forced {
                needs.push(Need::KeepLocked {
                    ours: self.staff.people[f].person_id,
                });
            } else if !partner.keep_primary {
                needs = primary_needs(&partner.contact, primary, &partner.never, &self.staff);
            }
            if needs.is_empty() {
                continue;
            }
            if let Some(s) = primary.and_then(|a| self.staff.index(a.our_id)) {
                self.freed[s] += 1;
                self.remaining[s] += 1;
            }
            let current = primary.map(|a| a.our_id);
            let primary_demand = if let Some(f) = partner.forced {
                self.remaining[f] -= 1;
                // The deputy, if any, must differ from the fixed primary.
                partner.excluded = Some(f);
                None
            } else {
                self.demands.push(Demand {
                    partner_id: id,
                    kind: AssignmentKind::Primary,
                    needs,
                    current,
                    unserved_cost: costs.unserved_primary,
                    paired_with: None,
                    truncated: false,
                    partner: pi,
                    candidates: 0..0,
                });
                Some(self.demands.len() - 1)
            };
            if deputies && !partner.keep_deputy {
                let current = deputy.map(|a| a.our_id);
                let need = match deputy {
                    None => Need::NoDeputy,
                    Some(a) if partner.never.contains(&a.our_id) => {
                        Need::NeverLocked { ours: a.our_id }
                    }
                    // (A fixed primary is never the current deputy: a keep on the current
                    // deputy keeps it as the deputy.)
                    Some(a) => match self.staff.index(a.our_id) {
                        None => Need::NotInStaff { ours: a.our_id },
                        Some(s) => {
                            // Staying as deputy takes back its own slot.
                            self.freed[s] += 1;
                            self.remaining[s] += 1;
                            Need::ReviewDeputy { ours: a.our_id }
                        }
                    },
                };
                let d = self.demands.len();
                self.demands.push(Demand {
                    partner_id: id,
                    kind: AssignmentKind::Deputy,
                    needs: vec![need],
                    current,
                    unserved_cost: costs.unserved_deputy,
                    paired_with: primary_demand,
                    truncated: false,
                    partner: pi,
                    candidates: 0..0,
                });
                if let Some(p) = primary_demand {
                    self.demands[p].paired_with = Some(d);
                }
            }
        }
    }

    /// Generates every demand's candidates (see "Candidate rule" in the module docs).
    fn generate_candidates(&mut self) {
        let people = self.staff.people;
        let n = people.len();
        let mut unreserved: Vec<i64> = self.remaining.iter().map(|r| (*r).max(0)).collect();
        // Only the first copy of a duplicated id is a candidate.
        for (s, u) in unreserved.iter_mut().enumerate() {
            if !self.staff.is_canonical(s) {
                *u = 0;
            }
        }
        let units_in_play: HashSet<UnitId> = self
            .demands
            .iter()
            .flat_map(|d| self.partners[d.partner].units.iter().copied())
            .collect();
        let mut pool = Pool::new(people, &unreserved, &units_in_play);
        let load_term: Vec<i64> = people
            .iter()
            .map(|p| self.costs.load_step * p.load())
            .collect();
        let ids: Vec<PersonId> = people.iter().map(|p| p.person_id).collect();
        let mut assistants_of: HashMap<PersonId, Vec<u32>> = HashMap::new();
        for (s, p) in people.iter().enumerate() {
            if let Some(boss) = p.assistant_of
                && self.staff.is_canonical(s)
            {
                assistants_of.entry(boss).or_default().push(s as u32);
            }
        }
        let mut stamp = vec![0u32; n];
        let mut serial = 0u32;
        let mut list: Vec<(u32, i64)> = Vec::new();
        let mut streams: Vec<Stream> = Vec::new();
        let mut di = 0;
        while di < self.demands.len() {
            let pi = self.demands[di].partner;
            // A deputy demand follows its primary's demand and shares its candidates.
            let group = if self.demands.get(di + 1).is_some_and(|d| d.partner == pi) {
                di..di + 2
            } else {
                di..di + 1
            };
            serial += 1;
            list.clear();
            let partner = &self.partners[pi];
            let c = &partner.contact;
            let usable = |s: usize| self.remaining[s] > 0 && self.staff.is_canonical(s);
            // Never-locked and excluded people are stamped so no stream yields them.
            for ours in &partner.never {
                if let Some(s) = self.staff.index(*ours) {
                    stamp[s] = serial;
                }
            }
            if let Some(s) = partner.excluded {
                stamp[s] = serial;
            }
            // 1. Specific candidates.
            let mut specific: Vec<usize> = partner
                .assigned
                .all
                .iter()
                .filter_map(|a| self.staff.index(a.our_id))
                .collect();
            if let Some(boss) = c.boss()
                && let Some(counterpart) = self.boss_counterpart.get(&boss)
                && let Some(assistants) = assistants_of.get(counterpart)
            {
                specific.extend(assistants.iter().map(|&s| s as usize));
            }
            for s in specific {
                if stamp[s] != serial && usable(s) {
                    stamp[s] = serial;
                    list.push((s as u32, 0));
                }
            }
            // 2. and 3. The cheapest by general cost, merged from the buckets in the window.
            streams.clear();
            pool.streams(
                &unreserved,
                c,
                &partner.units,
                &self.costs,
                self.rule.level_window,
                &mut streams,
            );
            let keys = Keys {
                load: &load_term,
                id: &ids,
                unreserved: &unreserved,
            };
            let mut taken = 0;
            let mut from_units = 0;
            while taken < self.rule.per_contact {
                let Some((k, s)) =
                    next_candidate(&mut streams, &pool, &keys, &mut stamp, serial, false)
                else {
                    break;
                };
                list.push((s as u32, 0));
                taken += 1;
                // With a positive unit bonus a member always comes through its unit stream
                // (cheaper than through the global one); with a zero bonus the minimum may
                // add a few more members than needed, which only adds candidates.
                if streams[k].unit {
                    from_units += 1;
                }
            }
            let truncated = taken == self.rule.per_contact
                && streams
                    .iter_mut()
                    .any(|st| st.head(&pool, &keys, &stamp, serial).is_some());
            while from_units < self.rule.unit_minimum {
                let Some((_, s)) =
                    next_candidate(&mut streams, &pool, &keys, &mut stamp, serial, true)
                else {
                    break;
                };
                list.push((s as u32, 0));
                from_units += 1;
            }
            // True costs, then cheapest first.
            for entry in list.iter_mut() {
                entry.1 = self.pair_cost(partner, &people[entry.0 as usize]).total;
            }
            list.sort_unstable_by_key(|&(s, cost)| (cost, people[s as usize].person_id));
            // Reserve for the primary (if in the flow) and the deputy, like a greedy would.
            let mut reserved = 0;
            for &(s, _) in list.iter() {
                if reserved == group.len() {
                    break;
                }
                if unreserved[s as usize] > 0 {
                    unreserved[s as usize] -= 1;
                    reserved += 1;
                }
            }
            let start = self.candidates.len();
            self.candidates.extend_from_slice(&list);
            let range = start..self.candidates.len();
            for d in group.clone() {
                self.demands[d].candidates = range.clone();
                self.demands[d].truncated = truncated;
            }
            di = group.end;
        }
    }

    /// The flow network of the run (see "Network" in the module docs), e.g. to export it with
    /// [`crate::flow::dimacs`] or to time the solver alone. [`Plan::solve`] builds the same.
    pub fn network(&self) -> Network {
        self.build().net
    }

    fn build(&self) -> Built {
        let people = self.staff.people;
        // Nodes: one per contact in the flow (its primary and deputy demands share it), then
        // the candidate people, then the sink.
        let mut node_of = vec![0usize; self.demands.len()];
        let mut contact_nodes = 0usize;
        for (di, d) in self.demands.iter().enumerate() {
            node_of[di] = match (d.kind, d.paired_with) {
                (AssignmentKind::Deputy, Some(primary)) => node_of[primary],
                _ => {
                    contact_nodes += 1;
                    contact_nodes - 1
                }
            };
        }
        let mut person_node = vec![u32::MAX; people.len()];
        let mut person_count = 0usize;
        for &(s, _) in &self.candidates {
            if person_node[s as usize] == u32::MAX {
                person_node[s as usize] = (contact_nodes + person_count) as u32;
                person_count += 1;
            }
        }
        let sink = contact_nodes + person_count;
        let mut net = Network::new(sink + 1);
        let mut supply = vec![0i64; contact_nodes];
        for &node in &node_of {
            supply[node] += 1;
        }
        for (node, &b) in supply.iter().enumerate() {
            net.set_supply(node, b);
        }
        net.set_supply(sink, -(self.demands.len() as i64));
        // Candidate arcs: capacity 1 each, so a contact with supply 2 reaches two different
        // people. A paired deputy uses its primary's arcs.
        let mut first_arc = vec![0usize; self.demands.len()];
        for (di, d) in self.demands.iter().enumerate() {
            if d.kind == AssignmentKind::Deputy && d.paired_with.is_some() {
                continue;
            }
            first_arc[di] = net.arc_count();
            for &(s, cost) in &self.candidates[d.candidates.clone()] {
                net.add_arc(node_of[di], person_node[s as usize] as usize, 0, 1, cost);
            }
        }
        // One "unserved" arc per demand: a contact with both demands has two, and the cheaper
        // deputy one is used first, so a lone served person is always the primary.
        let overflow: Vec<ArcId> = self
            .demands
            .iter()
            .enumerate()
            .map(|(di, d)| net.add_arc(node_of[di], sink, 0, 1, d.unserved_cost))
            .collect();
        for (s, &node) in person_node.iter().enumerate() {
            if node != u32::MAX {
                net.add_arc(node as usize, sink, 0, self.remaining[s].max(0), 0);
            }
        }
        Built {
            net,
            first_arc,
            overflow,
            person_count,
        }
    }

    /// Builds the flow network, solves it exactly and explains the answer.
    ///
    /// # Errors
    ///
    /// [`FlowError::TooLarge`] for a network beyond the solver's limits; the network is always
    /// feasible.
    pub fn solve(self) -> Result<Suggestions, FlowError> {
        let Built {
            net,
            first_arc,
            overflow,
            person_count,
        } = self.build();
        let optimality = Optimality {
            rule: self.rule,
            demands: self.demands.len(),
            candidate_pairs: self.candidate_pairs(),
            candidate_people: person_count,
            truncated: self
                .demands
                .iter()
                .filter(|d| {
                    // A paired deputy shares its primary's list: count the contact once.
                    d.truncated && !(d.kind == AssignmentKind::Deputy && d.paired_with.is_some())
                })
                .count(),
            nodes: net.node_count(),
            arcs: net.arc_count(),
        };
        let solution = net.solve()?;
        let flow_cost = i64::try_from(solution.cost()).map_err(|_| FlowError::TooLarge {
            reason: "the total cost does not fit in 64 bits".into(),
        })?;
        let flows = solution.flows();
        // The chosen person (staff index) of every demand, `None` when unserved.
        let mut chosen: Vec<Option<usize>> = vec![None; self.demands.len()];
        for (di, d) in self.demands.iter().enumerate() {
            if d.kind == AssignmentKind::Deputy && d.paired_with.is_some() {
                continue;
            }
            let mut used = (0..d.candidates.len())
                .filter(|i| flows[first_arc[di] + i] > 0)
                .map(|i| self.candidates[d.candidates.start + i]);
            let first = used.next();
            let second = used.next();
            match (d.paired_with, first, second) {
                (Some(deputy), Some(a), Some(b)) => {
                    // Both roles cost the same per pair, so the flow chose a set of two; the
                    // better-matched one leads (candidates are sorted by cost, ties by id), and
                    // on a tie the current primary keeps the lead.
                    let (primary, other) = if a.1 == b.1
                        && d.current == Some(self.staff.people[b.0 as usize].person_id)
                    {
                        (b, a)
                    } else {
                        (a, b)
                    };
                    chosen[di] = Some(primary.0 as usize);
                    chosen[deputy] = Some(other.0 as usize);
                }
                (_, first, _) => chosen[di] = first.map(|c| c.0 as usize),
            }
        }
        debug_assert!(
            self.demands
                .iter()
                .enumerate()
                .all(|(di, _)| (flows[overflow[di].index()] > 0) == chosen[di].is_none())
        );
        Ok(self.explain(&chosen, flow_cost, optimality))
    }

    /// Turns the chosen pairs into proposals with reasons, loads, objectives and predicted
    /// mirror scores.
    fn explain(
        &self,
        chosen: &[Option<usize>],
        flow_cost: i64,
        optimality: Optimality,
    ) -> Suggestions {
        let people = self.staff.people;
        // Loads afterwards: freed slots return; chosen pairs, fixed pairs and current holders
        // of unserved demands take one.
        let mut after: Vec<i64> = people
            .iter()
            .zip(&self.freed)
            .map(|(p, f)| p.load() - f)
            .collect();
        let mut touched: Vec<usize> = (0..people.len()).filter(|&s| self.freed[s] > 0).collect();
        for (d, c) in self.demands.iter().zip(chosen) {
            let holder = match c {
                Some(s) => Some(*s),
                None => d.current.and_then(|id| self.current_slot(d, id)),
            };
            if let Some(s) = holder {
                after[s] += 1;
                touched.push(s);
            }
        }
        for p in &self.partners {
            if let Some(f) = p.forced {
                after[f] += 1;
                touched.push(f);
            }
        }
        touched.sort_unstable();
        touched.dedup();

        let mut proposals = Vec::new();
        let mut unserved = Vec::new();
        let mut objective_before = 0;
        let mut objective_after = flow_cost;
        let mut changes: Changes = HashMap::new();
        // Partners in priority order; each one's demands follow one another (primary first).
        let mut di = 0;
        for (pi, partner) in self.partners.iter().enumerate() {
            if let Some(f) = partner.forced {
                let current = partner.assigned.primary.map(|a| a.our_id);
                objective_before += self.current_cost(partner, current, AssignmentKind::Primary);
                let needs = vec![Need::KeepLocked {
                    ours: people[f].person_id,
                }];
                let proposal = self.proposal(
                    partner,
                    AssignmentKind::Primary,
                    f,
                    current,
                    needs,
                    &after,
                    true,
                );
                objective_after += proposal.cost.total;
                changes
                    .entry(partner.contact.person_id)
                    .or_default()
                    .primary = Some(proposal.ours);
                proposals.push(proposal);
            }
            while let Some(d) = self.demands.get(di).filter(|d| d.partner == pi) {
                objective_before += self.current_cost(partner, d.current, d.kind);
                match chosen[di] {
                    Some(s) => {
                        let proposal = self.proposal(
                            partner,
                            d.kind,
                            s,
                            d.current,
                            d.needs.clone(),
                            &after,
                            false,
                        );
                        if proposal.change != Change::Stay {
                            let entry = changes.entry(partner.contact.person_id).or_default();
                            match d.kind {
                                AssignmentKind::Primary => entry.primary = Some(proposal.ours),
                                AssignmentKind::Deputy => entry.deputy = Some(proposal.ours),
                            }
                        }
                        proposals.push(proposal);
                    }
                    None => unserved.push(Unserved {
                        partner_id: d.partner_id,
                        accounts: partner.accounts.clone(),
                        kind: d.kind,
                        needs: d.needs.clone(),
                        current: d.current,
                        candidates: d.candidates.len(),
                    }),
                }
                di += 1;
            }
        }
        debug_assert_eq!(di, self.demands.len(), "demands follow the partners' order");
        let over_capacity = touched
            .into_iter()
            .filter(|&s| self.staff.is_canonical(s) && after[s] > people[s].capacity())
            .map(|s| CapacityNote {
                ours: people[s].person_id,
                load_before: people[s].load(),
                load_after: after[s],
                capacity: people[s].capacity(),
            })
            .collect();
        let accounts = self.predict(&changes);
        let mean = |f: fn(&AccountPrediction) -> f64| {
            (!accounts.is_empty())
                .then(|| accounts.iter().map(f).sum::<f64>() / accounts.len() as f64)
        };
        Suggestions {
            scope: self.scope,
            optimality,
            proposals,
            unserved,
            conflicts: self.conflicts.clone(),
            over_capacity,
            flow_cost,
            objective_before,
            objective_after,
            mirror_before: mean(|a| a.before),
            mirror_after: mean(|a| a.after),
            accounts,
        }
    }

    /// The staff slot a current holder keeps when their demand stays unserved: only when they
    /// could have stayed (among our people, not locked `never`).
    fn current_slot(&self, d: &Demand, id: PersonId) -> Option<usize> {
        let partner = &self.partners[d.partner];
        if partner.never.contains(&id) {
            return None;
        }
        self.staff.index(id)
    }

    /// The cost of a role as it is now: the current holder's pair cost, or the unserved cost.
    fn current_cost(
        &self,
        partner: &Partner<'_>,
        current: Option<PersonId>,
        kind: AssignmentKind,
    ) -> i64 {
        match current.and_then(|id| self.staff.get(id)) {
            Some(p) => self.pair_cost(partner, p).total,
            None => match kind {
                AssignmentKind::Primary => self.costs.unserved_primary,
                AssignmentKind::Deputy => self.costs.unserved_deputy,
            },
        }
    }

    #[expect(clippy::too_many_arguments, reason = "a private helper of `explain`")]
    fn proposal(
        &self,
        partner: &Partner<'_>,
        kind: AssignmentKind,
        s: usize,
        current: Option<PersonId>,
        needs: Vec<Need>,
        after: &[i64],
        locked: bool,
    ) -> Proposal {
        let p = &self.staff.people[s];
        let c = &partner.contact;
        let cost = self.pair_cost(partner, p);
        let mut reasons = Vec::new();
        if locked {
            reasons.push(Reason::LockedByUser);
        }
        match (c.level_rank, p.level_rank) {
            (Some(t), Some(o)) if t == o => reasons.push(Reason::SameLevel { rank: t }),
            (Some(t), Some(o)) => reasons.push(Reason::LevelDistance {
                distance: (t - o).abs(),
                their_rank: t,
                our_rank: o,
            }),
            _ => reasons.push(Reason::LevelUnknown),
        }
        if c.is_assistant && p.is_assistant {
            reasons.push(Reason::SecretariatToSecretariat);
        } else if c.is_assistant != p.is_assistant {
            reasons.push(Reason::FunctionMismatch {
                their_assistant: c.is_assistant,
            });
        }
        if let Some((boss, boss_counterpart)) = self.assists_boss_counterpart(c, p) {
            reasons.push(Reason::AssistantOfBossCounterpart {
                boss,
                boss_counterpart,
            });
        }
        if let Some(&unit) = partner.units.iter().find(|&&u| p.is_within(u)) {
            reasons.push(Reason::WithinResponsibleUnit { unit });
        }
        if let Some(a) = partner.assigned.with(p.person_id) {
            reasons.push(match a.relationship {
                Some(rating @ 4..) => Reason::KeepsGoodRelationship {
                    kind: a.kind,
                    rating,
                },
                rating => Reason::KeepsExistingPairing {
                    kind: a.kind,
                    rating,
                },
            });
        }
        let change = match current {
            None => Change::New,
            Some(id) if id == p.person_id => Change::Stay,
            Some(previous) => {
                let old = self.staff.get(previous);
                let rating = partner
                    .assigned
                    .all
                    .iter()
                    .find(|a| a.our_id == previous && a.kind == kind)
                    .and_then(|a| a.relationship);
                reasons.push(Reason::Replaces {
                    previous,
                    distance: super::level_distance(c.level_rank, old.and_then(|o| o.level_rank)),
                    rating,
                });
                Change::Replace
            }
        };
        reasons.push(Reason::Load {
            after: after[s],
            capacity: p.capacity(),
        });
        Proposal {
            partner_id: c.person_id,
            accounts: partner.accounts.clone(),
            kind,
            ours: p.person_id,
            current,
            change,
            locked,
            needs,
            reasons,
            cost,
        }
    }

    /// Mirror scores of the accounts in scope now and with every change applied.
    fn predict(&self, changes: &Changes) -> Vec<AccountPrediction> {
        let today = self.settings.today;
        self.scope_accounts
            .iter()
            .map(|&ai| {
                let account = &self.input.accounts[ai];
                let before = score_only(account, &self.staff, &self.settings);
                let touched = account
                    .contacts
                    .iter()
                    .any(|c| changes.contains_key(&c.person_id));
                let after = if touched {
                    let changed = apply(account, changes, today);
                    score_only(&changed, &self.staff, &self.settings)
                } else {
                    before
                };
                AccountPrediction {
                    account_id: account.id,
                    before,
                    after,
                }
            })
            .collect()
    }
}

/// The network of a run and where to find each demand's arcs in it.
struct Built {
    net: Network,
    /// The arc of each demand's first candidate (a paired deputy: unused, it shares its
    /// primary's arcs).
    first_arc: Vec<usize>,
    /// Each demand's "unserved" arc.
    overflow: Vec<ArcId>,
    /// People of ours among the candidates.
    person_count: usize,
}

/// New holders of a partner's roles (`None`: unchanged).
#[derive(Clone, Copy, Debug, Default)]
struct RoleChange {
    primary: Option<PersonId>,
    deputy: Option<PersonId>,
}

/// The changes of a run by partner person.
type Changes = HashMap<PersonId, RoleChange>;

/// The account with the changes applied: a new primary ends the partner's current primaries
/// (and a deputy role of the same person); a new deputy ends the current deputies.
fn apply(account: &MirrorAccount, changes: &Changes, today: chrono::NaiveDate) -> MirrorAccount {
    let mut out = account.clone();
    out.assignments
        .retain(|a| match changes.get(&a.partner_id) {
            None => true,
            Some(change) => match a.kind {
                AssignmentKind::Primary => change.primary.is_none(),
                AssignmentKind::Deputy => {
                    change.deputy.is_none() && change.primary != Some(a.our_id)
                }
            },
        });
    let mut added: Vec<PersonId> = account
        .contacts
        .iter()
        .map(|c| c.person_id)
        .filter(|id| changes.contains_key(id))
        .collect();
    added.sort_unstable();
    added.dedup();
    for partner_id in added {
        let change = changes[&partner_id];
        for (ours, kind) in [
            (change.primary, AssignmentKind::Primary),
            (change.deputy, AssignmentKind::Deputy),
        ] {
            if let Some(our_id) = ours {
                out.assignments.push(CurrentAssignment {
                    partner_id,
                    our_id,
                    kind,
                    relationship: None,
                    rated_on: None,
                    valid_from: today,
                });
            }
        }
    }
    out
}

/// Why the current primary is poor (empty: it is fine).
fn primary_needs(
    c: &MirrorContact,
    primary: Option<&CurrentAssignment>,
    never: &[PersonId],
    staff: &Staff<'_>,
) -> Vec<Need> {
    let Some(a) = primary else {
        return vec![Need::NoPrimary];
    };
    let ours = a.our_id;
    if never.contains(&ours) {
        return vec![Need::NeverLocked { ours }];
    }
    let Some(p) = staff.get(ours) else {
        return vec![Need::NotInStaff { ours }];
    };
    let mut needs = Vec::new();
    if let Some(distance) = super::level_distance(c.level_rank, p.level_rank)
        && distance >= 2
    {
        needs.push(Need::LevelGap { ours, distance });
    }
    if c.is_assistant != p.is_assistant {
        needs.push(Need::FunctionMismatch {
            ours,
            their_assistant: c.is_assistant,
        });
    }
    if let Some(rating) = a.relationship
        && rating <= 2
    {
        needs.push(Need::PoorRating { ours, rating });
    }
    needs
}

/// Our people with capacity, bucketed for candidate generation.
struct Pool {
    /// Each bucket: people of one (level, assistant) class, or of one unit and class, sorted
    /// by (load, id), which is the order of their cost for any contact.
    buckets: Vec<Vec<u32>>,
    /// (rank, assistant) → bucket.
    global: HashMap<(Option<i64>, bool), usize>,
    /// (unit, rank, assistant) → bucket, for the responsible units in play.
    by_unit: HashMap<(UnitId, Option<i64>, bool), usize>,
    /// Known ranks with a bucket, ascending.
    ranks: Vec<i64>,
    /// Per bucket: everyone before this index has no unreserved capacity left. Reservations
    /// only ever decrease, so it only moves forward and each contact's merge starts there
    /// instead of re-skipping the people filled up earlier.
    start: Vec<usize>,
}

impl Pool {
    fn new(people: &[OurPerson], available: &[i64], units: &HashSet<UnitId>) -> Self {
        let mut pool = Pool {
            buckets: Vec::new(),
            global: HashMap::new(),
            by_unit: HashMap::new(),
            ranks: Vec::new(),
            start: Vec::new(),
        };
        for (s, p) in people.iter().enumerate() {
            if available[s] <= 0 {
                continue;
            }
            let key = (p.level_rank, p.is_assistant);
            let b = *pool.global.entry(key).or_insert_with(|| {
                pool.buckets.push(Vec::new());
                pool.buckets.len() - 1
            });
            pool.buckets[b].push(s as u32);
            if units.is_empty() {
                continue;
            }
            let mut seen: Vec<UnitId> = Vec::new();
            for &u in p.unit_id.iter().chain(&p.unit_ancestors) {
                if !units.contains(&u) || seen.contains(&u) {
                    continue;
                }
                seen.push(u);
                let b = *pool.by_unit.entry((u, key.0, key.1)).or_insert_with(|| {
                    pool.buckets.push(Vec::new());
                    pool.buckets.len() - 1
                });
                pool.buckets[b].push(s as u32);
            }
        }
        for b in &mut pool.buckets {
            b.sort_unstable_by_key(|&s| {
                let p = &people[s as usize];
                (p.load(), p.person_id)
            });
        }
        pool.start = vec![0; pool.buckets.len()];
        pool.ranks = pool.global.keys().filter_map(|k| k.0).collect();
        pool.ranks.sort_unstable();
        pool.ranks.dedup();
        pool
    }

    /// Moves a bucket's start past the people without unreserved capacity and returns it.
    fn advance(&mut self, bucket: usize, unreserved: &[i64]) -> usize {
        let members = &self.buckets[bucket];
        let start = &mut self.start[bucket];
        while members
            .get(*start)
            .is_some_and(|&s| unreserved[s as usize] <= 0)
        {
            *start += 1;
        }
        *start
    }

    /// The streams of a contact: its window's buckets, globally and per responsible unit.
    fn streams(
        &mut self,
        unreserved: &[i64],
        c: &MirrorContact,
        units: &[UnitId],
        costs: &CostModel,
        window: i64,
        out: &mut Vec<Stream>,
    ) {
        let ranks: Vec<Option<i64>> = match c.level_rank {
            Some(r) => {
                let lo = self
                    .ranks
                    .partition_point(|&x| x < r.saturating_sub(window));
                let hi = self
                    .ranks
                    .partition_point(|&x| x <= r.saturating_add(window));
                self.ranks[lo..hi].iter().map(|&x| Some(x)).collect()
            }
            None => self.ranks.iter().map(|&x| Some(x)).collect(),
        };
        let unit_bonus = costs.responsible_unit;
        for rank in ranks.into_iter().chain([None]) {
            for assistant in [false, true] {
                let base = |unit: bool| {
                    costs.offset()
                        + costs.level_step * cost_distance(costs, c.level_rank, rank)
                        + if assistant == c.is_assistant {
                            0
                        } else {
                            costs.function_mismatch
                        }
                        - if unit { unit_bonus } else { 0 }
                };
                if let Some(&b) = self.global.get(&(rank, assistant)) {
                    out.push(Stream::new(
                        b,
                        self.advance(b, unreserved),
                        base(false),
                        false,
                    ));
                }
                for &u in units {
                    if let Some(&b) = self.by_unit.get(&(u, rank, assistant)) {
                        out.push(Stream::new(
                            b,
                            self.advance(b, unreserved),
                            base(true),
                            true,
                        ));
                    }
                }
            }
        }
    }
}

/// Takes the cheapest head over the streams (only unit streams with `unit_only`) by
/// (general cost, person id), stamps it and returns its stream and the person (staff index);
/// `None` when all are empty.
fn next_candidate(
    streams: &mut [Stream],
    pool: &Pool,
    keys: &Keys<'_>,
    stamp: &mut [u32],
    serial: u32,
    unit_only: bool,
) -> Option<(usize, usize)> {
    let mut best: Option<((i64, PersonId), usize, usize)> = None;
    for (k, st) in streams.iter_mut().enumerate() {
        if unit_only && !st.unit {
            continue;
        }
        // `head` skips stamped people, so a unit member taken through its unit bucket is not
        // offered again by its global bucket.
        let Some((key, s)) = st.head(pool, keys, stamp, serial) else {
            continue;
        };
        if best.is_none_or(|(b, _, _)| key < b) {
            best = Some((key, k, s));
        }
    }
    let (_, k, s) = best?;
    streams[k].take();
    stamp[s] = serial;
    Some((k, s))
}

/// What the merge reads per person, in flat arrays rather than scattered `OurPerson`s.
struct Keys<'a> {
    /// Load term of the cost.
    load: &'a [i64],
    /// Person id, the tie-breaker.
    id: &'a [PersonId],
    /// Capacity not yet reserved.
    unreserved: &'a [i64],
}

/// A cursor into one bucket for one contact; `base` is the bucket's cost for the contact
/// without the load term. The head is cached with its key until it is taken or found stale.
struct Stream {
    bucket: usize,
    pos: usize,
    base: i64,
    unit: bool,
    head: Option<((i64, PersonId), usize)>,
}

impl Stream {
    fn new(bucket: usize, start: usize, base: i64, unit: bool) -> Self {
        Self {
            bucket,
            pos: start,
            base,
            unit,
            head: None,
        }
    }

    /// The key of the first person from the cursor on who still has unreserved capacity and is
    /// not stamped for this contact (already taken, specific, excluded or locked `never`).
    fn head(
        &mut self,
        pool: &Pool,
        keys: &Keys<'_>,
        stamp: &[u32],
        serial: u32,
    ) -> Option<((i64, PersonId), usize)> {
        if let Some((key, s)) = self.head {
            if stamp[s] != serial {
                return Some((key, s));
            }
            // Taken through another stream since it was cached.
            self.pos += 1;
            self.head = None;
        }
        let members = &pool.buckets[self.bucket];
        while let Some(&s) = members.get(self.pos) {
            let s = s as usize;
            if keys.unreserved[s] > 0 && stamp[s] != serial {
                let key = (self.base + keys.load[s], keys.id[s]);
                self.head = Some((key, s));
                return Some((key, s));
            }
            self.pos += 1;
        }
        None
    }

    /// Moves past the head found by [`Stream::head`].
    fn take(&mut self) {
        self.head = None;
        self.pos += 1;
    }
}
