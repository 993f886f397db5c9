//! Candidate generation: for every contact in priority order, its specific candidates and the
//! cheapest people within its level window, and the reservations that steer the later contacts
//! towards people who still have room ("Candidate rule" in the module docs).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::plan::{Partner, Plan};
use super::pool::{Keys, Pool, Stream, next_candidate};
use crate::ids::{PersonId, UnitId};

/// What candidate generation reads about our people for every contact, computed once.
struct Lookups {
    /// The load term of each person's cost, by staff index.
    load: Vec<i64>,
    /// Each person's id, by staff index.
    ids: Vec<PersonId>,
    /// The assistants (staff indices) of each person of ours.
    assistants_of: HashMap<PersonId, Vec<u32>>,
    /// Everyone (staff indices) in each partner unit of ours in play, or below it: barred
    /// from that unit's contacts.
    members: HashMap<UnitId, Vec<u32>>,
}

/// Buffers reused from one contact to the next.
struct Scratch {
    /// `stamp[s] == serial`: person `s` is already listed, or barred, for the current contact.
    stamp: Vec<u32>,
    /// The current contact's stamp.
    serial: u32,
    /// The current contact's candidates: (staff index, pair cost).
    list: Vec<(u32, i64)>,
    /// The current contact's streams over the pool.
    streams: Vec<Stream>,
}

impl Plan<'_> {
    /// Generates every demand's candidates (see "Candidate rule" in the module docs).
    pub(super) fn generate_candidates(&mut self) {
        let mut unreserved = self.unreserved_capacity();
        let mut pool = Pool::new(self.staff.people, &unreserved, &self.units_in_play());
        let lookups = self.lookups();
        let mut scratch = Scratch {
            stamp: vec![0; self.staff.people.len()],
            serial: 0,
            list: Vec::new(),
            streams: Vec::new(),
        };
        let mut di = 0;
        while di < self.demands.len() {
            let group = self.demand_group(di);
            let partner = &self.partners[self.demands[di].partner];
            let truncated =
                self.list_candidates(partner, &mut pool, &lookups, &unreserved, &mut scratch);
            // Reserve for the primary (if in the flow) and the deputy, like a greedy would.
            reserve(&scratch.list, group.len(), &mut unreserved);
            di = group.end;
            self.store_candidates(group, &scratch.list, truncated);
        }
    }

    /// Everyone's capacity that later contacts may still count on: the remaining capacity,
    /// where only the first copy of a duplicated id is a candidate.
    fn unreserved_capacity(&self) -> Vec<i64> {
        let mut unreserved: Vec<i64> = self.remaining.iter().map(|r| (*r).max(0)).collect();
        for (s, u) in unreserved.iter_mut().enumerate() {
            if !self.staff.is_canonical(s) {
                *u = 0;
            }
        }
        unreserved
    }

    /// The responsible units of the partners with a demand.
    fn units_in_play(&self) -> HashSet<UnitId> {
        self.demands
            .iter()
            .flat_map(|d| self.partners[d.partner].units.iter().copied())
            .collect()
    }

    /// Load terms, ids and assistants of our people.
    fn lookups(&self) -> Lookups {
        let people = self.staff.people;
        let mut assistants_of: HashMap<PersonId, Vec<u32>> = HashMap::new();
        for (s, p) in people.iter().enumerate() {
            if let Some(boss) = p.assistant_of
                && self.staff.is_canonical(s)
            {
                assistants_of.entry(boss).or_default().push(s as u32);
            }
        }
        let inside: HashSet<UnitId> = self
            .demands
            .iter()
            .flat_map(|d| self.partners[d.partner].inside.iter().copied())
            .collect();
        let mut members: HashMap<UnitId, Vec<u32>> = HashMap::new();
        if !inside.is_empty() {
            for (s, p) in people.iter().enumerate() {
                for u in p.unit_id.iter().chain(&p.unit_ancestors) {
                    if inside.contains(u) {
                        members.entry(*u).or_default().push(s as u32);
                    }
                }
            }
        }
        Lookups {
            load: people
                .iter()
                .map(|p| self.costs.load_step * p.load())
                .collect(),
            ids: people.iter().map(|p| p.person_id).collect(),
            assistants_of,
            members,
        }
    }

    /// The demands of the contact whose first demand is `di`: a deputy demand follows its
    /// primary's demand and shares its candidates.
    fn demand_group(&self, di: usize) -> Range<usize> {
        let pi = self.demands[di].partner;
        if self.demands.get(di + 1).is_some_and(|d| d.partner == pi) {
            di..di + 2
        } else {
            di..di + 1
        }
    }

    /// Lists one contact's candidates into `scratch.list`, cheapest first (ties by id), and
    /// tells whether the cost-ordered part stopped at the limit while more people were left.
    fn list_candidates(
        &self,
        partner: &Partner<'_>,
        pool: &mut Pool,
        lookups: &Lookups,
        unreserved: &[i64],
        scratch: &mut Scratch,
    ) -> bool {
        scratch.serial += 1;
        scratch.list.clear();
        self.bar_locked_out(partner, lookups, scratch);
        self.add_specific(partner, lookups, scratch);
        let truncated = self.add_cheapest(partner, pool, lookups, unreserved, scratch);
        self.price(partner, &mut scratch.list);
        truncated
    }

    /// Stamps the people locked `never`, the excluded one, the contact themselves and
    /// everyone inside the partner's own unit, so no stream yields them.
    fn bar_locked_out(&self, partner: &Partner<'_>, lookups: &Lookups, scratch: &mut Scratch) {
        for ours in partner.never.iter().chain([&partner.contact.person_id]) {
            if let Some(s) = self.staff.index(*ours) {
                scratch.stamp[s] = scratch.serial;
            }
        }
        for u in &partner.inside {
            for &s in lookups.members.get(u).map_or(&[][..], Vec::as_slice) {
                scratch.stamp[s as usize] = scratch.serial;
            }
        }
        if let Some(s) = partner.excluded {
            scratch.stamp[s] = scratch.serial;
        }
    }

    /// Step 1 of the rule, the specific candidates: the contact's current counterparts and the
    /// assistants of its boss's current counterpart, when they have capacity left.
    fn add_specific(&self, partner: &Partner<'_>, lookups: &Lookups, scratch: &mut Scratch) {
        let usable = |s: usize| self.remaining[s] > 0 && self.staff.is_canonical(s);
        let mut specific: Vec<usize> = partner
            .assigned
            .all
            .iter()
            .filter_map(|a| self.staff.index(a.our_id))
            .collect();
        if let Some(boss) = partner.contact.boss()
            && let Some(counterpart) = self.boss_counterpart.get(&boss)
            && let Some(assistants) = lookups.assistants_of.get(counterpart)
        {
            specific.extend(assistants.iter().map(|&s| s as usize));
        }
        for s in specific {
            if scratch.stamp[s] != scratch.serial && usable(s) {
                scratch.stamp[s] = scratch.serial;
                scratch.list.push((s as u32, 0));
            }
        }
    }

    /// Steps 2 and 3 of the rule: the cheapest by general cost, merged from the buckets in the
    /// window, then members of the responsible units up to the minimum. Returns whether step 2
    /// stopped at the limit while more people were left.
    fn add_cheapest(
        &self,
        partner: &Partner<'_>,
        pool: &mut Pool,
        lookups: &Lookups,
        unreserved: &[i64],
        scratch: &mut Scratch,
    ) -> bool {
        let Scratch {
            stamp,
            serial,
            list,
            streams,
        } = scratch;
        let serial = *serial;
        streams.clear();
        pool.streams(
            unreserved,
            &partner.contact,
            &partner.units,
            &self.costs,
            self.rule.level_window,
            streams,
        );
        let keys = Keys {
            load: &lookups.load,
            id: &lookups.ids,
            unreserved,
        };
        let mut taken = 0;
        let mut from_units = 0;
        while taken < self.rule.per_contact {
            let Some((k, s)) = next_candidate(streams, pool, &keys, stamp, serial, false) else {
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
                .any(|st| st.head(pool, &keys, stamp, serial).is_some());
        while from_units < self.rule.unit_minimum {
            let Some((_, s)) = next_candidate(streams, pool, &keys, stamp, serial, true) else {
                break;
            };
            list.push((s as u32, 0));
            from_units += 1;
        }
        truncated
    }

    /// Puts the true pair costs on a contact's list and sorts it, cheapest first (ties by id).
    fn price(&self, partner: &Partner<'_>, list: &mut [(u32, i64)]) {
        let people = self.staff.people;
        for entry in list.iter_mut() {
            entry.1 = self.pair_cost(partner, &people[entry.0 as usize]).total;
        }
        list.sort_unstable_by_key(|&(s, cost)| (cost, people[s as usize].person_id));
    }

    /// Appends a contact's list to the candidates and gives it to each of its demands.
    fn store_candidates(&mut self, group: Range<usize>, list: &[(u32, i64)], truncated: bool) {
        let start = self.candidates.len();
        self.candidates.extend_from_slice(list);
        let range = start..self.candidates.len();
        for d in group {
            self.demands[d].candidates = range.clone();
            self.demands[d].truncated = truncated;
        }
    }
}

/// Reserves one unit of capacity for each of `demands` demands with the cheapest candidates
/// of `list` that still have unreserved capacity.
fn reserve(list: &[(u32, i64)], demands: usize, unreserved: &mut [i64]) {
    let mut reserved = 0;
    for &(s, _) in list {
        if reserved == demands {
            break;
        }
        if unreserved[s as usize] > 0 {
            unreserved[s as usize] -= 1;
            reserved += 1;
        }
    }
}
