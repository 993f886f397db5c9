//! Lookups shared by the analysis and the suggestions: our people by id, the unit tree, and the
//! current assignments of a set of partners.

use std::collections::HashMap;

use super::{CurrentAssignment, MirrorAccount, MirrorContact, OurPerson, OurUnit};
use crate::account::AssignmentKind;
use crate::ids::{PersonId, UnitId};

/// Our people by id. The first entry of a duplicated id counts, so the result never depends
/// on which copy the store listed last.
pub(crate) struct Staff<'a> {
    pub(crate) people: &'a [OurPerson],
    by_id: HashMap<PersonId, usize>,
}

impl<'a> Staff<'a> {
    pub(crate) fn new(people: &'a [OurPerson]) -> Self {
        let mut by_id = HashMap::with_capacity(people.len());
        for (i, p) in people.iter().enumerate() {
            by_id.entry(p.person_id).or_insert(i);
        }
        Self { people, by_id }
    }

    pub(crate) fn index(&self, id: PersonId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    pub(crate) fn get(&self, id: PersonId) -> Option<&'a OurPerson> {
        self.index(id).map(|i| &self.people[i])
    }

    /// Whether index `i` is the copy of its id that counts.
    pub(crate) fn is_canonical(&self, i: usize) -> bool {
        self.index(self.people[i].person_id) == Some(i)
    }
}

/// Our unit tree, for "this unit or below".
pub(crate) struct UnitTree {
    parent: HashMap<UnitId, Option<UnitId>>,
}

impl UnitTree {
    pub(crate) fn new(units: &[OurUnit]) -> Self {
        let mut parent = HashMap::with_capacity(units.len());
        for u in units {
            parent.entry(u.id).or_insert(u.parent_id);
        }
        Self { parent }
    }

    /// The unit itself and every unit above it, nearest first. The walk stops at a unit
    /// already seen, so a corrupt tree with a loop cannot hang it.
    pub(crate) fn self_and_ancestors(&self, unit: UnitId) -> Vec<UnitId> {
        let mut chain = vec![unit];
        let mut current = unit;
        while let Some(Some(up)) = self.parent.get(&current) {
            if chain.contains(up) {
                break;
            }
            chain.push(*up);
            current = *up;
        }
        chain
    }

    /// Whether `unit` is `ancestor` or lies below it.
    pub(crate) fn is_within(&self, unit: UnitId, ancestor: UnitId) -> bool {
        self.self_and_ancestors(unit).contains(&ancestor)
    }
}

/// The current assignments of one partner person, deduplicated, with "the" primary and "the"
/// deputy chosen.
#[derive(Clone, Debug, Default)]
pub(crate) struct PartnerAssignments<'a> {
    /// Every current assignment of the partner (each `(our_id, kind)` once).
    pub(crate) all: Vec<&'a CurrentAssignment>,
    /// The primary that counts: of several current primaries (a handover in progress, or bad
    /// data) the one that started last, ties by the smaller id of ours.
    pub(crate) primary: Option<&'a CurrentAssignment>,
    /// The deputy that counts, chosen the same way.
    pub(crate) deputy: Option<&'a CurrentAssignment>,
}

impl<'a> PartnerAssignments<'a> {
    pub(crate) fn push(&mut self, a: &'a CurrentAssignment) {
        if self
            .all
            .iter()
            .any(|b| b.our_id == a.our_id && b.kind == a.kind)
        {
            return;
        }
        self.all.push(a);
        let slot = match a.kind {
            AssignmentKind::Primary => &mut self.primary,
            AssignmentKind::Deputy => &mut self.deputy,
        };
        if slot.is_none_or(|b| later(a, b)) {
            *slot = Some(a);
        }
    }

    /// The current assignment of `ours` to this partner, if any (the primary when both).
    pub(crate) fn with(&self, ours: PersonId) -> Option<&'a CurrentAssignment> {
        self.all
            .iter()
            .filter(|a| a.our_id == ours)
            .min_by_key(|a| a.kind != AssignmentKind::Primary)
            .copied()
    }
}

/// The current assignments of each of `contacts` (in their order) in `account`; assignments
/// of partners who are not among them are ignored.
pub(crate) fn assignments_by_contact<'a>(
    account: &'a MirrorAccount,
    contacts: &[MirrorContact],
) -> Vec<PartnerAssignments<'a>> {
    let index: HashMap<PersonId, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.person_id, i))
        .collect();
    let mut assigned: Vec<PartnerAssignments<'_>> =
        vec![PartnerAssignments::default(); contacts.len()];
    for a in &account.assignments {
        if let Some(&i) = index.get(&a.partner_id) {
            assigned[i].push(a);
        }
    }
    assigned
}

/// Whether `a` wins over `b` as the assignment that counts.
fn later(a: &CurrentAssignment, b: &CurrentAssignment) -> bool {
    (a.valid_from, std::cmp::Reverse(a.our_id)) > (b.valid_from, std::cmp::Reverse(b.our_id))
}
