//! A prepared run ([`Plan`]): the partners in scope with their demands, every demand's
//! candidate list, the capacities left, and the pair costs the later steps read.

use std::collections::HashMap;
use std::ops::Range;

use super::options::{
    CandidateRule, CostModel, MAX_DISTANCE, Scope, SuggestOptions, cost_distance,
    relationship_bonus,
};
use super::outcome::{LockConflict, Need, PairCost};
use crate::account::AssignmentKind;
use crate::ids::{AccountId, PersonId, UnitId};
use crate::mirror::index::{PartnerAssignments, Staff, UnitTree};
use crate::mirror::{MirrorContact, MirrorInput, OurPerson, Settings};

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
    /// The partner (index into `Plan::partners`) the demand belongs to.
    pub(super) partner: usize,
    /// Its candidates: a range of `Plan::candidates` (a paired deputy shares its primary's).
    pub(super) candidates: Range<usize>,
}

impl Demand {
    /// A paired deputy: it shares its primary's node, arcs and candidate list in the flow.
    pub(super) fn is_paired_deputy(&self) -> bool {
        self.kind == AssignmentKind::Deputy && self.paired_with.is_some()
    }
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
pub(super) struct Partner<'a> {
    /// The contact, with the highest influence over the accounts in scope.
    pub(super) contact: MirrorContact,
    /// The accounts in scope where they are a key contact.
    pub(super) accounts: Vec<AccountId>,
    /// The responsible units of those accounts.
    pub(super) units: Vec<UnitId>,
    /// The partner units of those accounts that are units of our own house: nobody in them
    /// (or below them) is a candidate for this contact.
    pub(super) inside: Vec<UnitId>,
    /// Their current assignments in those accounts.
    pub(super) assigned: PartnerAssignments<'a>,
    /// Our people locked `never` with them.
    pub(super) never: Vec<PersonId>,
    /// Our people locked `keep` with them, until the locks are resolved.
    pub(super) keeps: Vec<PersonId>,
    /// The current primary is kept by a `keep` lock as it is now.
    pub(super) keep_primary: bool,
    /// The current deputy is kept by a `keep` lock as it is now.
    pub(super) keep_deputy: bool,
    /// A new primary fixed by a `keep` lock (staff index).
    pub(super) forced: Option<usize>,
    /// Excluded from the candidates (the kept deputy, or the forced primary; staff index).
    pub(super) excluded: Option<usize>,
}

impl Partner<'_> {
    /// Whether `ours` may never serve this contact: it is the contact themselves, or someone
    /// inside the partner's own unit (an internal account whose partner is a unit of ours).
    pub(super) fn bars(&self, ours: &OurPerson) -> bool {
        ours.person_id == self.contact.person_id || self.inside.iter().any(|u| ours.is_within(*u))
    }

    /// A partner for a contact, before their accounts, assignments and locks are attached.
    pub(super) fn new(contact: MirrorContact) -> Self {
        Self {
            contact,
            accounts: Vec::new(),
            units: Vec::new(),
            inside: Vec::new(),
            assigned: PartnerAssignments::default(),
            never: Vec::new(),
            keeps: Vec::new(),
            keep_primary: false,
            keep_deputy: false,
            forced: None,
            excluded: None,
        }
    }
}

/// A prepared run: demands, candidates and remaining capacities, ready to [`Plan::solve`].
/// Splitting `suggest` in two (`prepare`, then [`Plan::solve`]) lets callers time candidate
/// generation and solving apart and inspect the candidate set.
pub struct Plan<'a> {
    /// What the run reads.
    pub(super) input: &'a MirrorInput,
    /// The mirror settings, for the predicted scores.
    pub(super) settings: Settings,
    /// Which accounts.
    pub(super) scope: Scope,
    /// The sanitized cost model.
    pub(super) costs: CostModel,
    /// The candidate rule, its window clamped.
    pub(super) rule: CandidateRule,
    /// Our people by id.
    pub(super) staff: Staff<'a>,
    /// The accounts in scope, as indices into `input.accounts`.
    pub(super) scope_accounts: Vec<usize>,
    /// The partners in priority order.
    pub(super) partners: Vec<Partner<'a>>,
    /// The demands in the partners' order, a deputy right after its primary.
    pub(super) demands: Vec<Demand>,
    /// Every demand's candidates (staff index, pair cost), cheapest first per demand.
    pub(super) candidates: Vec<(u32, i64)>,
    /// Per staff index: capacity − load + freed − forced (may be negative).
    pub(super) remaining: Vec<i64>,
    /// The current primary counterpart of every boss of an assistant contact.
    pub(super) boss_counterpart: HashMap<PersonId, PersonId>,
    /// Per staff index: the slots up for decision in this run that they hold now.
    pub(super) freed: Vec<i64>,
    /// Locks that could not be honoured as given.
    pub(super) conflicts: Vec<LockConflict>,
}

impl<'a> Plan<'a> {
    /// A run before its partners, demands and candidates are found: the sanitized costs and
    /// rule, the accounts in scope, and everyone's capacity left before the run.
    pub(super) fn new(
        input: &'a MirrorInput,
        options: &SuggestOptions,
        settings: &Settings,
    ) -> Self {
        let staff = Staff::new(&input.people);
        let costs = options.costs.sanitized();
        let rule = CandidateRule {
            level_window: options.candidates.level_window.clamp(0, MAX_DISTANCE),
            ..options.candidates
        };
        let scope_accounts = scope_accounts(input, options.scope);
        Plan {
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
        }
    }

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
            .filter(|d| !d.is_paired_deputy())
            .map(|d| d.candidates.len())
            .sum()
    }

    /// The cost of a pair by term, for a partner of the run.
    pub(super) fn pair_cost(&self, partner: &Partner<'_>, p: &OurPerson) -> PairCost {
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
    pub(super) fn assists_boss_counterpart(
        &self,
        c: &MirrorContact,
        p: &OurPerson,
    ) -> Option<(PersonId, PersonId)> {
        let boss = c.boss()?;
        let counterpart = *self.boss_counterpart.get(&boss)?;
        (p.assistant_of == Some(counterpart)).then_some((boss, counterpart))
    }
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
