//! The people a contact's candidates are drawn from: our people with capacity bucketed by
//! level and function (and by responsible unit), and the cost-ordered merge over the buckets in
//! a contact's window ("Candidate rule" in the module docs).

use std::collections::{HashMap, HashSet};

use super::options::{CostModel, cost_distance};
use crate::ids::{PersonId, UnitId};
use crate::mirror::{MirrorContact, OurPerson};

/// Our people with capacity, bucketed for candidate generation.
pub(super) struct Pool {
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
    /// Buckets everyone with `available` capacity, globally and for each of the responsible
    /// `units` in play they belong to (directly or below).
    pub(super) fn new(people: &[OurPerson], available: &[i64], units: &HashSet<UnitId>) -> Self {
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
    pub(super) fn streams(
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
pub(super) fn next_candidate(
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
pub(super) struct Keys<'a> {
    /// Load term of the cost.
    pub(super) load: &'a [i64],
    /// Person id, the tie-breaker.
    pub(super) id: &'a [PersonId],
    /// Capacity not yet reserved.
    pub(super) unreserved: &'a [i64],
}

/// A cursor into one bucket for one contact; `base` is the bucket's cost for the contact
/// without the load term. The head is cached with its key until it is taken or found stale.
pub(super) struct Stream {
    /// The bucket (index into `Pool::buckets`).
    bucket: usize,
    /// The cursor's position in the bucket.
    pos: usize,
    /// The bucket's cost for the contact without the load term.
    base: i64,
    /// A responsible unit's bucket rather than a global one.
    pub(super) unit: bool,
    /// The cached head: its key and staff index.
    head: Option<((i64, PersonId), usize)>,
}

impl Stream {
    /// A cursor at `start` (the bucket's first person with unreserved capacity).
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
    pub(super) fn head(
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
