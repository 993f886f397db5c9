//! Who needs a counterpart: the key contacts in scope merged into partners, their locks
//! resolved, and a primary and/or deputy demand for each one whose current pairing is up for
//! decision ("Who needs a counterpart" and "Locks" in the module docs).

use std::collections::{HashMap, HashSet};

use super::options::{Lock, LockRule};
use super::outcome::{LockConflict, Need};
use super::plan::{Demand, Partner, Plan};
use crate::account::AssignmentKind;
use crate::ids::PersonId;
use crate::mirror::analysis::unique_contacts;
use crate::mirror::index::{PartnerAssignments, Staff};
use crate::mirror::{CurrentAssignment, level_distance};

impl Plan<'_> {
    /// Merges the key contacts of the accounts in scope into partners, attaches their current
    /// assignments and locks, and looks up the counterparts of assistants' bosses.
    pub(super) fn collect_partners(&mut self, locks: &[Lock]) {
        let index = self.merge_contacts();
        self.attach_assignments(&index);
        self.find_boss_counterparts();
        self.attach_locks(&index, locks);
        // Priority: influence, then seniority (unknown last), then id.
        self.partners.sort_by_key(|p| {
            (
                std::cmp::Reverse(p.contact.weight()),
                p.contact.level_rank.unwrap_or(i64::MAX),
                p.contact.person_id,
            )
        });
    }

    /// One partner per person who is key in an account in scope, with the highest influence,
    /// every such account and its responsible unit; returns the partners' index by person.
    fn merge_contacts(&mut self) -> HashMap<PersonId, usize> {
        let input = self.input;
        let mut index: HashMap<PersonId, usize> = HashMap::new();
        for &ai in &self.scope_accounts {
            let account = &input.accounts[ai];
            for c in unique_contacts(account) {
                let i = *index.entry(c.person_id).or_insert_with(|| {
                    self.partners.push(Partner::new(c.clone()));
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
                if let Some(u) = account.partner_unit
                    && !p.inside.contains(&u)
                {
                    p.inside.push(u);
                }
            }
        }
        index
    }

    /// The partners' current assignments in the accounts in scope.
    fn attach_assignments(&mut self, index: &HashMap<PersonId, usize>) {
        let input = self.input;
        for &ai in &self.scope_accounts {
            for a in &input.accounts[ai].assignments {
                if let Some(&i) = index.get(&a.partner_id) {
                    self.partners[i].assigned.push(a);
                }
            }
        }
    }

    /// The current primary counterpart of every assistant's boss: looked up in every
    /// account's assignments, since the boss may be key elsewhere or listed only for this
    /// purpose.
    fn find_boss_counterparts(&mut self) {
        let bosses: HashSet<PersonId> = self
            .partners
            .iter()
            .filter_map(|p| p.contact.boss())
            .collect();
        if bosses.is_empty() {
            return;
        }
        let mut of_boss: HashMap<PersonId, PartnerAssignments<'_>> = HashMap::new();
        for a in self.input.accounts.iter().flat_map(|a| &a.assignments) {
            if bosses.contains(&a.partner_id) {
                of_boss.entry(a.partner_id).or_default().push(a);
            }
        }
        self.boss_counterpart = of_boss
            .into_iter()
            .filter_map(|(boss, a)| Some((boss, a.primary?.our_id)))
            .collect();
    }

    /// Each lock to its partner's `keep` or `never` list (locks on partners outside the scope
    /// are ignored).
    fn attach_locks(&mut self, index: &HashMap<PersonId, usize>, locks: &[Lock]) {
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
    }

    /// Resolves the locks and decides which partners need a primary and/or a deputy.
    pub(super) fn find_demands(&mut self, deputies: bool) {
        for pi in 0..self.partners.len() {
            self.resolve_keep_locks(pi);
            let needs = self.primary_review(pi);
            if needs.is_empty() {
                continue;
            }
            let primary_demand = self.add_primary_demand(pi, needs);
            if deputies && !self.partners[pi].keep_deputy {
                self.add_deputy_demand(pi, primary_demand);
            }
        }
    }

    /// Sorts a partner's `keep` locks out: the current primary or deputy kept as they are, a
    /// new primary fixed, or a conflict (`never` wins; a second primary and someone not among
    /// our people are not applied).
    fn resolve_keep_locks(&mut self, pi: usize) {
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
            } else if self.staff.get(ours).is_some_and(|p| partner.bars(p)) {
                self.conflicts
                    .push(LockConflict::InsidePartnerUnit { partner: id, ours });
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
    }

    /// Why a partner's primary is up for decision: a primary fixed by a `keep` lock, or a poor
    /// current one; empty when it stays.
    fn primary_review(&self, pi: usize) -> Vec<Need> {
        let partner = &self.partners[pi];
        if let Some(f) = partner.forced {
            vec![Need::KeepLocked {
                ours: self.staff.people[f].person_id,
            }]
        } else if !partner.keep_primary {
            primary_needs(partner, partner.assigned.primary, &self.staff)
        } else {
            Vec::new()
        }
    }

    /// Frees the current primary's slot and adds the primary demand; a primary fixed by a
    /// `keep` lock takes its capacity instead and makes no demand. Returns the demand's index.
    fn add_primary_demand(&mut self, pi: usize, needs: Vec<Need>) -> Option<usize> {
        let partner = &mut self.partners[pi];
        let primary = partner.assigned.primary;
        if let Some(s) = primary.and_then(|a| self.staff.index(a.our_id)) {
            self.freed[s] += 1;
            self.remaining[s] += 1;
        }
        let current = primary.map(|a| a.our_id);
        if let Some(f) = partner.forced {
            self.remaining[f] -= 1;
            // The deputy, if any, must differ from the fixed primary.
            partner.excluded = Some(f);
            return None;
        }
        self.demands.push(Demand {
            partner_id: partner.contact.person_id,
            kind: AssignmentKind::Primary,
            needs,
            current,
            unserved_cost: self.costs.unserved_primary,
            paired_with: None,
            truncated: false,
            partner: pi,
            candidates: 0..0,
        });
        Some(self.demands.len() - 1)
    }

    /// Adds the deputy demand of a partner whose primary is decided in this run, reviewing the
    /// current deputy (whose slot is freed when they could stay), and pairs it with the
    /// primary demand.
    fn add_deputy_demand(&mut self, pi: usize, primary_demand: Option<usize>) {
        let partner = &self.partners[pi];
        let deputy = partner.assigned.deputy;
        let current = deputy.map(|a| a.our_id);
        let need = match deputy {
            None => Need::NoDeputy,
            Some(a) if partner.never.contains(&a.our_id) => Need::NeverLocked { ours: a.our_id },
            // (A fixed primary is never the current deputy: a keep on the current
            // deputy keeps it as the deputy.)
            Some(a) if self.staff.get(a.our_id).is_some_and(|p| partner.bars(p)) => {
                Need::InsidePartnerUnit { ours: a.our_id }
            }
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
            partner_id: partner.contact.person_id,
            kind: AssignmentKind::Deputy,
            needs: vec![need],
            current,
            unserved_cost: self.costs.unserved_deputy,
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

/// Why the current primary of `partner` is poor (empty: it is fine).
fn primary_needs(
    partner: &Partner<'_>,
    primary: Option<&CurrentAssignment>,
    staff: &Staff<'_>,
) -> Vec<Need> {
    let c = &partner.contact;
    let Some(a) = primary else {
        return vec![Need::NoPrimary];
    };
    let ours = a.our_id;
    if partner.never.contains(&ours) {
        return vec![Need::NeverLocked { ours }];
    }
    let Some(p) = staff.get(ours) else {
        return vec![Need::NotInStaff { ours }];
    };
    if partner.bars(p) {
        return vec![Need::InsidePartnerUnit { ours }];
    }
    let mut needs = Vec::new();
    if let Some(distance) = level_distance(c.level_rank, p.level_rank)
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
