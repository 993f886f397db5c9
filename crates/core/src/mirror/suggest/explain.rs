//! From the chosen pairs to the answer: proposals and unserved demands in the partners'
//! priority order, everyone's load afterwards, the objectives before and after, and the
//! predicted mirror scores.

use std::collections::HashMap;

use super::outcome::{
    AccountPrediction, CapacityNote, Change, NearMiss, Need, NoBetter, Optimality, Proposal,
    Suggestions, Unserved,
};
use super::plan::{Demand, Partner, Plan};
use super::predict::Changes;
use crate::account::AssignmentKind;
use crate::ids::PersonId;

/// Everyone's load once every proposal is accepted, and who among them the run touches.
struct Loads {
    /// Per staff index: load before the run, minus freed slots, plus what the run assigns.
    after: Vec<i64>,
    /// Staff indices with a freed slot, a proposal, a fixed pair or an unserved demand they
    /// keep; sorted, each once.
    touched: Vec<usize>,
}

/// The answer as it is collected, partner by partner.
struct Answer {
    /// One per served demand and fixed pair.
    proposals: Vec<Proposal>,
    /// One per demand without a counterpart.
    unserved: Vec<Unserved>,
    /// The cost of the same demands as they are now.
    objective_before: i64,
    /// The flow's cost plus the cost of the pairs fixed by `keep` locks.
    objective_after: i64,
    /// The new holders of roles, for the predicted scores.
    changes: Changes,
}

impl Plan<'_> {
    /// Turns the chosen pairs into proposals with reasons, loads, objectives and predicted
    /// mirror scores.
    pub(super) fn explain(
        &self,
        chosen: &[Option<usize>],
        flow_cost: i64,
        optimality: Optimality,
    ) -> Suggestions {
        let loads = self.loads_after(chosen);
        let mut answer = Answer {
            proposals: Vec::new(),
            unserved: Vec::new(),
            objective_before: 0,
            objective_after: flow_cost,
            changes: HashMap::new(),
        };
        // Partners in priority order; each one's demands follow one another (primary first).
        let mut di = 0;
        for (pi, partner) in self.partners.iter().enumerate() {
            if let Some(f) = partner.forced {
                self.answer_fixed_primary(partner, f, &loads.after, &mut answer);
            }
            while let Some(d) = self.demands.get(di).filter(|d| d.partner == pi) {
                self.answer_demand(partner, d, chosen[di], &loads.after, &mut answer);
                di += 1;
            }
        }
        debug_assert_eq!(di, self.demands.len(), "demands follow the partners' order");
        let near_misses = self.near_misses(&loads.after);
        let over_capacity = self.over_capacity(&loads);
        let accounts = self.predict(&answer.changes);
        let mean = |f: fn(&AccountPrediction) -> f64| {
            (!accounts.is_empty())
                .then(|| accounts.iter().map(f).sum::<f64>() / accounts.len() as f64)
        };
        Suggestions {
            scope: self.scope,
            optimality,
            proposals: answer.proposals,
            unserved: answer.unserved,
            conflicts: self.conflicts.clone(),
            over_capacity,
            flow_cost,
            objective_before: answer.objective_before,
            objective_after: answer.objective_after,
            mirror_before: mean(|a| a.before),
            mirror_after: mean(|a| a.after),
            accounts,
            near_misses,
        }
    }

    /// The partners served one level off whose primary is not up for decision.
    fn near_misses(&self, after: &[i64]) -> Vec<NearMiss> {
        let decided: std::collections::HashSet<usize> = self
            .demands
            .iter()
            .filter(|d| d.kind == AssignmentKind::Primary)
            .map(|d| d.partner)
            .collect();
        self.partners
            .iter()
            .enumerate()
            .filter(|(pi, p)| !decided.contains(pi) && p.forced.is_none())
            .filter_map(|(_, partner)| {
                let current = partner.assigned.primary?.our_id;
                let ours = self.staff.get(current)?;
                (crate::mirror::level_distance(partner.contact.level_rank, ours.level_rank)
                    == Some(1))
                .then(|| NearMiss {
                    partner_id: partner.contact.person_id,
                    current,
                    why: match self.no_better(partner, Some(current), after) {
                        NoBetter::NotWorthIt => NoBetter::SomeoneFree,
                        why => why,
                    },
                })
            })
            .collect()
    }

    /// Loads afterwards: freed slots return; chosen pairs, fixed pairs and current holders of
    /// unserved demands take one.
    fn loads_after(&self, chosen: &[Option<usize>]) -> Loads {
        let people = self.staff.people;
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
        Loads { after, touched }
    }

    /// The proposal of a primary fixed by a `keep` lock (staff index `f`), outside the flow.
    fn answer_fixed_primary(
        &self,
        partner: &Partner<'_>,
        f: usize,
        after: &[i64],
        answer: &mut Answer,
    ) {
        let current = partner.assigned.primary.map(|a| a.our_id);
        answer.objective_before += self.current_cost(partner, current, AssignmentKind::Primary);
        let needs = vec![Need::KeepLocked {
            ours: self.staff.people[f].person_id,
        }];
        let proposal = self.proposal(
            partner,
            AssignmentKind::Primary,
            f,
            current,
            needs,
            after,
            true,
        );
        answer.objective_after += proposal.cost.total;
        answer
            .changes
            .entry(partner.contact.person_id)
            .or_default()
            .primary = Some(proposal.ours);
        answer.proposals.push(proposal);
    }

    /// The proposal of a demand served by the flow (staff index `chosen`), or its unserved
    /// entry.
    fn answer_demand(
        &self,
        partner: &Partner<'_>,
        d: &Demand,
        chosen: Option<usize>,
        after: &[i64],
        answer: &mut Answer,
    ) {
        answer.objective_before += self.current_cost(partner, d.current, d.kind);
        let Some(s) = chosen else {
            answer.unserved.push(Unserved {
                partner_id: d.partner_id,
                accounts: partner.accounts.clone(),
                kind: d.kind,
                needs: d.needs.clone(),
                current: d.current,
                candidates: d.candidates.len(),
                why: self.no_better(partner, d.current, after),
            });
            return;
        };
        let mut proposal =
            self.proposal(partner, d.kind, s, d.current, d.needs.clone(), after, false);
        if proposal.change == Change::Stay {
            proposal.why_not_better = Some(self.no_better(partner, d.current, after));
        }
        if proposal.change != Change::Stay {
            let entry = answer.changes.entry(partner.contact.person_id).or_default();
            match d.kind {
                AssignmentKind::Primary => entry.primary = Some(proposal.ours),
                AssignmentKind::Deputy => entry.deputy = Some(proposal.ours),
            }
        }
        answer.proposals.push(proposal);
    }

    /// Why nobody at the contact's level serves it: nobody there, all excluded by "never",
    /// all at capacity after the run (`after`: loads), or the change is not worth its cost.
    fn no_better(
        &self,
        partner: &Partner<'_>,
        current: Option<PersonId>,
        after: &[i64],
    ) -> NoBetter {
        let Some(rank) = partner.contact.level_rank else {
            return NoBetter::LevelUnknown;
        };
        let people = self.staff.people;
        let at_level: Vec<usize> = (0..people.len())
            .filter(|&s| {
                self.staff.is_canonical(s)
                    && people[s].level_rank == Some(rank)
                    && Some(people[s].person_id) != current
                    && people[s].person_id != partner.contact.person_id
            })
            .collect();
        if at_level.is_empty() {
            return NoBetter::NobodyAtLevel;
        }
        let open: Vec<usize> = at_level
            .iter()
            .copied()
            .filter(|&s| !partner.never.contains(&people[s].person_id))
            .collect();
        if open.is_empty() {
            return NoBetter::AllExcluded {
                at_level: at_level.len(),
            };
        }
        if open.iter().all(|&s| after[s] >= people[s].capacity()) {
            return NoBetter::AllAtCapacity {
                at_level: at_level.len(),
            };
        }
        NoBetter::NotWorthIt
    }

    /// The people the run touches who end up above capacity, by id.
    fn over_capacity(&self, loads: &Loads) -> Vec<CapacityNote> {
        let people = self.staff.people;
        loads
            .touched
            .iter()
            .copied()
            .filter(|&s| self.staff.is_canonical(s) && loads.after[s] > people[s].capacity())
            .map(|s| CapacityNote {
                ours: people[s].person_id,
                load_before: people[s].load(),
                load_after: loads.after[s],
                capacity: people[s].capacity(),
            })
            .collect()
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
}
