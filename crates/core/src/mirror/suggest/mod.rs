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
//! Never a candidate: our people locked `never` with the contact; the contact themselves; and,
//! when the contact is key in an internal account whose partner is a unit of our own house
//! ([`MirrorAccount::partner_unit`](crate::mirror::MirrorAccount::partner_unit), a
//! neighbouring department), everyone in that unit or below it. A current primary (or
//! reviewed deputy) of that kind is poor ([`Need::InsidePartnerUnit`]), and a `keep` lock
//! naming one is not applied ([`LockConflict::InsidePartnerUnit`]).
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
//!
//! # Where things are
//!
//! [`prepare`] builds a [`Plan`] in three steps: the partners and their demands (`demands`),
//! then every demand's candidates (`candidates`, drawing on the buckets of `pool`).
//! [`Plan::solve`] builds and solves the flow (`network`), then explains the answer
//! (`explain`, with the reasons of each proposal in `reasons` and the predicted scores in
//! `predict`). The inputs are in `options`, the answer's types in `outcome`, the plan and
//! the pair costs in `plan`.

mod candidates;
mod demands;
mod explain;
mod network;
mod options;
mod outcome;
mod plan;
mod pool;
mod predict;
mod reasons;

pub use self::options::{CandidateRule, CostModel, Lock, LockRule, Scope, SuggestOptions};
pub use self::outcome::{
    AccountPrediction, CapacityNote, Change, LockConflict, NearMiss, Need, NoBetter, Optimality,
    PairCost, Proposal, Reason, Suggestions, Unserved,
};
pub use self::plan::{Candidate, Demand, Plan};
use super::{MirrorInput, Settings};
use crate::flow::FlowError;

/// Prepares and solves a run: see the module docs for the model.
///
/// # Errors
///
/// Only what [`Network::solve`](crate::flow::Network::solve) reports for a network beyond its
/// size limits ([`FlowError::TooLarge`]); the network is always feasible.
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
    let mut plan = Plan::new(input, options, settings);
    plan.collect_partners(&options.locks);
    plan.find_demands(options.deputies);
    plan.generate_candidates();
    plan
}
