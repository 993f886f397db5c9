//! The min-cost flow of a run: the network built from the demands and their candidates, solved
//! exactly, and read back as one chosen person (or none) per demand ("Network" in the module
//! docs).

use super::outcome::{Optimality, Suggestions};
use super::plan::Plan;
use crate::account::AssignmentKind;
use crate::flow::{ArcId, FlowError, Network};

/// The network of a run and where to find each demand's arcs in it.
struct Built {
    /// The network.
    net: Network,
    /// The arc of each demand's first candidate (a paired deputy: unused, it shares its
    /// primary's arcs).
    first_arc: Vec<usize>,
    /// Each demand's "unserved" arc.
    overflow: Vec<ArcId>,
    /// People of ours among the candidates.
    person_count: usize,
}

impl Plan<'_> {
    /// The flow network of the run (see "Network" in the module docs), e.g. to export it with
    /// [`crate::flow::dimacs`] or to time the solver alone. [`Plan::solve`] builds the same.
    pub fn network(&self) -> Network {
        self.build().net
    }

    /// Builds the network: contact nodes, then candidate people, then the sink.
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
            if d.is_paired_deputy() {
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
        let optimality = self.optimality(&net, person_count);
        let solution = net.solve()?;
        let flow_cost = i64::try_from(solution.cost()).map_err(|_| FlowError::TooLarge {
            reason: "the total cost does not fit in 64 bits".into(),
        })?;
        let flows = solution.flows();
        let chosen = self.chosen(flows, &first_arc);
        debug_assert!(
            self.demands
                .iter()
                .enumerate()
                .all(|(di, _)| (flows[overflow[di].index()] > 0) == chosen[di].is_none())
        );
        Ok(self.explain(&chosen, flow_cost, optimality))
    }

    /// What the answer is optimal over, for the network `net` of the run.
    fn optimality(&self, net: &Network, person_count: usize) -> Optimality {
        Optimality {
            rule: self.rule,
            demands: self.demands.len(),
            candidate_pairs: self.candidate_pairs(),
            candidate_people: person_count,
            truncated: self
                .demands
                .iter()
                // A paired deputy shares its primary's list: count the contact once.
                .filter(|d| d.truncated && !d.is_paired_deputy())
                .count(),
            nodes: net.node_count(),
            arcs: net.arc_count(),
        }
    }

    /// The chosen person (staff index) of every demand, `None` when unserved, read from the
    /// optimal flows on the candidate arcs.
    fn chosen(&self, flows: &[i64], first_arc: &[usize]) -> Vec<Option<usize>> {
        let mut chosen: Vec<Option<usize>> = vec![None; self.demands.len()];
        for (di, d) in self.demands.iter().enumerate() {
            if d.is_paired_deputy() {
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
        chosen
    }
}
