//! The mirror seen from the other side: how well a supplier matches *our* hierarchy. The brief
//! asks of a supplier "Does it give you a direct contact? Do you feel understood?" — the same
//! question the mirror asks of us, with the roles swapped: our people become the "key contacts",
//! the supplier's key people become the "counterparts", and the one analysis
//! ([`super::analysis::analyze_account`]) measures it.
//!
//! # Who is on which side
//!
//! - **Our side** (the reversed account's contacts): the people of ours passed in, each once —
//!   the store passes those holding a relationship with the supplier's key people and the people
//!   of the responsible unit. Each weighs the same (influence 3): the question is whether the
//!   supplier answers our hierarchy, level by level, not whom we find more important.
//! - **Their side** (the reversed "people of ours"): the supplier's key contacts, with their
//!   levels and assistant flags. They carry no load, so no capacity finding arises.
//! - **Pairs**: the current assignments between the two. A person of ours who is the primary
//!   counterpart of several of their people gets the one closest to their own level as
//!   "their counterpart at the supplier" (ties: the later start, then the smaller id); the
//!   others, and deputies, stand in.
//!
//! The reversed account is always read as hierarchical: it asks whether the supplier mirrors
//! us, whatever we chose for our own side.

use std::collections::{HashMap, HashSet};

use super::{CurrentAssignment, MirrorAccount, MirrorContact, OurPerson, level_distance};
use crate::account::{AssignmentKind, DecisionRole, ManagementMode};
use crate::ids::PersonId;

/// The influence every person of ours weighs with in the reversed analysis.
pub const OUR_WEIGHT: i64 = 3;

/// An account turned round: our people as its contacts, the partner's key people as the
/// counterparts. Feed both to [`super::analysis::analyze_account`].
#[derive(Clone, Debug, PartialEq)]
pub struct Reversed {
    /// Our people as contacts, their key people's assignments as counterparts.
    pub account: MirrorAccount,
    /// The partner's key people, as the analysis' "people of ours".
    pub people: Vec<OurPerson>,
}

impl Reversed {
    /// The counterpart at the partner of one of ours, if any: the reversed primary.
    pub fn counterpart_of(&self, ours: PersonId) -> Option<PersonId> {
        self.account
            .assignments
            .iter()
            .find(|a| a.partner_id == ours && a.kind == AssignmentKind::Primary)
            .map(|a| a.our_id)
    }
}

/// Turns an account round. `ours` are the people of ours on our side (the first copy of a
/// person counts); assignments with anyone else, or with partners who are not key contacts,
/// are left out.
pub fn reverse(account: &MirrorAccount, ours: &[OurPerson]) -> Reversed {
    let theirs: HashMap<PersonId, &MirrorContact> =
        account.contacts.iter().map(|c| (c.person_id, c)).collect();
    let mut seen = HashSet::new();
    let our_side: Vec<&OurPerson> = ours.iter().filter(|p| seen.insert(p.person_id)).collect();
    let rank_of_ours: HashMap<PersonId, Option<i64>> = our_side
        .iter()
        .map(|p| (p.person_id, p.level_rank))
        .collect();
    let contacts = our_side
        .iter()
        .map(|p| MirrorContact {
            person_id: p.person_id,
            level_rank: p.level_rank,
            is_assistant: p.is_assistant,
            assistant_of: p.assistant_of,
            reports_to: None,
            influence: OUR_WEIGHT,
            role: DecisionRole::Other,
        })
        .collect();
    // Each pair once, ours to theirs.
    let mut pairs: Vec<&CurrentAssignment> = Vec::new();
    let mut pair_seen = HashSet::new();
    for a in &account.assignments {
        if theirs.contains_key(&a.partner_id)
            && rank_of_ours.contains_key(&a.our_id)
            && pair_seen.insert((a.partner_id, a.our_id, a.kind))
        {
            pairs.push(a);
        }
    }
    // The best primary per person of ours: closest level (unknown last), later start, smaller id.
    let mut best: HashMap<PersonId, &CurrentAssignment> = HashMap::new();
    for a in pairs.iter().filter(|a| a.kind == AssignmentKind::Primary) {
        let key = |x: &CurrentAssignment| {
            let distance = level_distance(
                theirs.get(&x.partner_id).and_then(|c| c.level_rank),
                rank_of_ours.get(&x.our_id).copied().flatten(),
            );
            (
                distance.unwrap_or(i64::MAX),
                std::cmp::Reverse(x.valid_from),
                x.partner_id,
            )
        };
        match best.get(&a.our_id) {
            Some(current) if key(current) <= key(a) => {}
            _ => {
                best.insert(a.our_id, a);
            }
        }
    }
    let mut assignments: Vec<CurrentAssignment> = Vec::new();
    let mut turned = HashSet::new();
    for a in &pairs {
        let primary = best
            .get(&a.our_id)
            .is_some_and(|b| b.partner_id == a.partner_id && a.kind == AssignmentKind::Primary);
        let kind = if primary {
            AssignmentKind::Primary
        } else {
            AssignmentKind::Deputy
        };
        // A pair both primary and deputy in the data turns round once.
        if turned.insert((a.our_id, a.partner_id, kind)) {
            assignments.push(CurrentAssignment {
                partner_id: a.our_id,
                our_id: a.partner_id,
                kind,
                relationship: a.relationship,
                last_contact: a.last_contact,
                contact_every_days: a.contact_every_days,
                valid_from: a.valid_from,
            });
        }
    }
    let mut their_seen = HashSet::new();
    let people = account
        .contacts
        .iter()
        .filter(|c| their_seen.insert(c.person_id))
        .map(|c| OurPerson {
            person_id: c.person_id,
            level_rank: c.level_rank,
            is_assistant: c.is_assistant,
            assistant_of: c.assistant_of,
            unit_id: None,
            unit_ancestors: Vec::new(),
            capacity: None,
            load: 0,
        })
        .collect();
    Reversed {
        account: MirrorAccount {
            id: account.id,
            mode: ManagementMode::Hierarchical,
            manager_id: None,
            responsible_unit_id: None,
            partner_unit: None,
            importance: account.importance,
            tier: account.tier,
            contacts,
            assignments,
            // The reverse view is the hierarchies only: no jour fixe, no actions.
            jour_fixe: Default::default(),
        },
        people,
    }
}
