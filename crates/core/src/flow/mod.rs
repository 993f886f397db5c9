//! Exact minimum-cost flow.
//!
//! A [`Network`] holds nodes `0..n` with integer supplies (positive: source, negative: sink) and
//! arcs with integer lower bounds, capacities and costs. [`Network::solve`] finds a flow that
//! meets every supply and demand exactly, keeps every arc within its bounds and has the least
//! total cost, or says why none exists.
//!
//! The solver is a primal network simplex (in the style of LEMON's `NetworkSimplex`): a spanning
//! tree stored as parent / thread / subtree-size arrays under an artificial root, strongly
//! feasible trees against cycling, and a block-search pivot rule. All arithmetic is exact: the
//! solver first bounds every value it could compute and then runs in `i32`, `i64` or `i128`,
//! whichever is the narrowest type those bounds fit, so nothing ever wraps. See
//! `docs/solver.md` for the design notes and the benchmark against OR-Tools.
//!
//! Every [`Solution`] carries node potentials (the dual solution); for every arc the reduced cost
//! `cost + potential[tail] - potential[head]` is `>= 0` when the flow is below capacity and
//! `<= 0` when it is above the lower bound, which certifies that the flow is optimal.
//!
//! # Example
//!
//! ```
//! use counterpart_core::flow::Network;
//!
//! let mut net = Network::new(3);
//! net.set_supply(0, 4); // a source
//! net.set_supply(2, -4); // a sink
//! // tail, head, lower bound, capacity, cost per unit
//! let cheap = net.add_arc(0, 1, 0, 3, 2);
//! let forced = net.add_arc(1, 2, 1, 9, 1); // must carry at least 1 unit
//! let direct = net.add_arc(0, 2, 0, 9, 5);
//! let solution = net.solve()?;
//! assert_eq!(solution.cost(), 14);
//! assert_eq!(solution.flow(cheap), 3);
//! assert_eq!(solution.flow(forced), 3);
//! assert_eq!(solution.flow(direct), 1);
//! # Ok::<(), counterpart_core::flow::FlowError>(())
//! ```

pub mod dimacs;
mod simplex;

use std::fmt;

/// The most nodes a [`Network`] can have: node and arc indices are stored as `u32` inside the
/// solver to halve the memory traffic of its hot loops.
pub const MAX_NODES: usize = (u32::MAX as usize) / 2;

/// The most arcs a [`Network`] can have (together with one artificial arc per node, arc
/// indices must fit the solver's `u32` indices).
pub const MAX_ARCS: usize = (u32::MAX as usize) / 2;

/// Identifies an arc of the [`Network`] that created it (returned by [`Network::add_arc`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArcId(usize);

impl ArcId {
    /// The arc's position: arcs are numbered `0..arc_count()` in the order they were added.
    pub fn index(self) -> usize {
        self.0
    }
}

/// One arc as it was given to [`Network::add_arc`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArcSpec {
    /// The node the flow leaves.
    pub tail: usize,
    /// The node the flow enters.
    pub head: usize,
    /// The least flow the arc must carry.
    pub lower: i64,
    /// The most flow the arc may carry.
    pub capacity: i64,
    /// The cost of one unit of flow on the arc.
    pub cost: i64,
}

/// Why a network has no optimal flow, or could not be solved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// [`Network::set_supply`] was given a node that does not exist.
    #[error(
        "node {node} does not exist: the network has {node_count} nodes, numbered 0..{node_count}"
    )]
    InvalidNode {
        /// The node that was named.
        node: usize,
        /// How many nodes the network has.
        node_count: usize,
    },
    /// [`Network::add_arc`] was given an arc that cannot exist.
    #[error("arc {arc} is invalid: {reason}")]
    InvalidArc {
        /// The index of the arc ([`ArcId::index`]).
        arc: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The supplies do not add up to zero, so no flow can meet them all.
    #[error(
        "the supplies add up to {total}, not 0: every unit supplied must be demanded somewhere"
    )]
    Unbalanced {
        /// The sum of all supplies.
        total: i128,
    },
    /// No flow meets every supply, demand, lower bound and capacity. The fields are a proof:
    /// the `nodes` must send out `supply` units net, but the arcs leaving them carry at most
    /// `capacity` units net (their capacities, less the lower bounds of arcs entering them).
    #[error("no feasible flow: {}", infeasible_message(.nodes, *.supply, *.capacity, 0))]
    Infeasible {
        /// Nodes that together must send out more than their arcs allow, in increasing order.
        nodes: Vec<usize>,
        /// The sum of their supplies.
        supply: i128,
        /// The most flow that can leave them: the capacities of arcs from them to other nodes,
        /// less the lower bounds of arcs from other nodes into them. Less than `supply`.
        capacity: i128,
    },
    /// The network is larger than the solver's `u32` indices allow, or its total cost does
    /// not fit in `i128`.
    #[error("the network is too large: {reason}")]
    TooLarge {
        /// Which limit was exceeded.
        reason: String,
    },
}

/// A minimum-cost-flow problem: nodes `0..node_count()`, their supplies, and arcs.
///
/// The builder methods never panic: a mistake (a node out of range, a capacity below the lower
/// bound) is remembered and reported by [`Network::solve`], so callers handle one `Result`.
#[derive(Clone, Debug, Default)]
pub struct Network {
    node_count: usize,
    supply: Vec<i64>,
    tail: Vec<u32>,
    head: Vec<u32>,
    // Empty while every lower bound is zero, which is the common case: saves 8 bytes per arc.
    lower: Vec<i64>,
    capacity: Vec<i64>,
    cost: Vec<i64>,
    // The first builder mistake, reported by `solve`.
    error: Option<FlowError>,
}

impl Network {
    /// A network with nodes `0..node_count`, all with supply 0, and no arcs.
    pub fn new(node_count: usize) -> Self {
        let mut network = Network {
            node_count,
            ..Network::default()
        };
        if node_count > MAX_NODES {
            network.error = Some(FlowError::TooLarge {
                reason: format!("{node_count} nodes, the most supported is {MAX_NODES}"),
            });
        } else {
            network.supply = vec![0; node_count];
        }
        network
    }

    /// Sets a node's supply: positive for a source, negative for a sink (demand), 0 for a
    /// transshipment node. An out-of-range node is reported by [`Network::solve`].
    pub fn set_supply(&mut self, node: usize, supply: i64) {
        match self.supply.get_mut(node) {
            Some(slot) => *slot = supply,
            None => self.remember(FlowError::InvalidNode {
                node,
                node_count: self.node_count,
            }),
        }
    }

    /// Adds an arc from `tail` to `head` that must carry between `lower` and `capacity` units
    /// (inclusive) at `cost` per unit, and returns its id. Lower bounds and costs may be
    /// negative. An arc whose nodes do not exist or whose capacity is below its lower bound is
    /// reported by [`Network::solve`].
    pub fn add_arc(
        &mut self,
        tail: usize,
        head: usize,
        lower: i64,
        capacity: i64,
        cost: i64,
    ) -> ArcId {
        let id = ArcId(self.tail.len());
        let node_count = self.node_count;
        let mut problem = None;
        if tail >= node_count {
            problem = Some(format!(
                "tail {tail} does not exist: the network has {node_count} nodes, numbered 0..{node_count}"
            ));
        } else if head >= node_count {
            problem = Some(format!(
                "head {head} does not exist: the network has {node_count} nodes, numbered 0..{node_count}"
            ));
        } else if capacity < lower {
            problem = Some(format!(
                "capacity {capacity} is below lower bound {lower} (arc {tail} -> {head})"
            ));
        } else if id.0 >= MAX_ARCS {
            problem = Some(format!("the most arcs supported is {MAX_ARCS}"));
        }
        if let Some(reason) = problem {
            self.remember(FlowError::InvalidArc { arc: id.0, reason });
        }
        // Out-of-range nodes are clamped only so that the arrays stay `u32`; such a network
        // never reaches the solver because `solve` returns the error remembered above.
        self.tail.push(u32::try_from(tail).unwrap_or(u32::MAX));
        self.head.push(u32::try_from(head).unwrap_or(u32::MAX));
        if !self.lower.is_empty() {
            self.lower.push(lower);
        } else if lower != 0 {
            // The first nonzero lower bound: the arcs before it all had 0.
            self.lower.resize(id.0, 0);
            self.lower.push(lower);
        }
        self.capacity.push(capacity);
        self.cost.push(cost);
        id
    }

    /// How many nodes the network has.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// How many arcs the network has.
    pub fn arc_count(&self) -> usize {
        self.tail.len()
    }

    /// The ids of all arcs, in the order they were added (for a parsed DIMACS file: file
    /// order).
    pub fn arc_ids(&self) -> impl ExactSizeIterator<Item = ArcId> + use<> {
        (0..self.arc_count()).map(ArcId)
    }

    /// A node's supply, or `None` if the node does not exist.
    pub fn supply(&self, node: usize) -> Option<i64> {
        self.supply.get(node).copied()
    }

    /// An arc as it was added, or `None` if the id belongs to another, larger network.
    pub fn arc(&self, arc: ArcId) -> Option<ArcSpec> {
        let i = arc.0;
        Some(ArcSpec {
            tail: *self.tail.get(i)? as usize,
            head: self.head[i] as usize,
            lower: self.lower_of(i),
            capacity: self.capacity[i],
            cost: self.cost[i],
        })
    }

    /// Finds a feasible flow of least total cost.
    ///
    /// # Errors
    ///
    /// [`FlowError::InvalidNode`] / [`FlowError::InvalidArc`] / [`FlowError::TooLarge`] for a
    /// mistake made while building the network, [`FlowError::Unbalanced`] when the supplies do
    /// not sum to zero, and [`FlowError::Infeasible`] when no flow meets every supply, demand
    /// and arc bound. Capacities are finite, so the problem is never unbounded.
    pub fn solve(&self) -> Result<Solution, FlowError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        simplex::solve(self)
    }

    fn remember(&mut self, error: FlowError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    fn lower_of(&self, arc: usize) -> i64 {
        self.lower.get(arc).copied().unwrap_or(0)
    }

    /// An empty network whose supply vector is allocated fallibly: the DIMACS parser uses it so
    /// that a file declaring billions of nodes yields an error instead of aborting the process.
    fn try_with_nodes(node_count: usize, arc_hint: usize) -> Option<Self> {
        if node_count > MAX_NODES {
            return None;
        }
        let mut supply = Vec::new();
        supply.try_reserve_exact(node_count).ok()?;
        supply.resize(node_count, 0);
        let mut network = Network {
            node_count,
            supply,
            ..Network::default()
        };
        // The hint comes from the file's own header, which may lie; reserve what is
        // plausible and let the vectors grow past it.
        let hint = arc_hint.min(1 << 22);
        network.tail.try_reserve(hint).ok()?;
        network.head.try_reserve(hint).ok()?;
        network.capacity.try_reserve(hint).ok()?;
        network.cost.try_reserve(hint).ok()?;
        Some(network)
    }
}

/// An optimal flow: the flow on every arc, its total cost, and node potentials proving it
/// optimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    cost: i128,
    flows: Vec<i64>,
    potentials: Vec<i128>,
}

impl Solution {
    /// The total cost, `sum(flow * cost)` over all arcs, exact. (`solve` adds it up with
    /// checked `i128` arithmetic and reports [`FlowError::TooLarge`] in the absurd case that
    /// it does not fit.)
    pub fn cost(&self) -> i128 {
        self.cost
    }

    /// The flow on an arc (between its lower bound and capacity). Returns 0 for an id from
    /// another, larger network.
    pub fn flow(&self, arc: ArcId) -> i64 {
        self.flows.get(arc.0).copied().unwrap_or(0)
    }

    /// The flow on every arc, indexed by [`ArcId::index`].
    pub fn flows(&self) -> &[i64] {
        &self.flows
    }

    /// Node potentials (an optimal dual solution), indexed by node. For every arc the reduced
    /// cost `cost + potential[tail] - potential[head]` is `>= 0` if the arc's flow is below its
    /// capacity and `<= 0` if it is above its lower bound: the certificate of optimality.
    pub fn potentials(&self) -> &[i128] {
        &self.potentials
    }
}

/// The message of [`FlowError::Infeasible`]: names a few of the nodes (numbered from `first`),
/// then the counts.
fn infeasible_message(nodes: &[usize], supply: i128, capacity: i128, first: usize) -> String {
    const SHOWN: usize = 5;
    let names: Vec<String> = nodes
        .iter()
        .take(SHOWN)
        .map(|node| (node + first).to_string())
        .collect();
    let mut list = names.join(", ");
    if nodes.len() > SHOWN {
        list.push_str(&format!(" and {} more", nodes.len() - SHOWN));
    }
    let group = match nodes {
        [node] => format!("node {} has", node + first),
        _ => format!("nodes {list} together have"),
    };
    format!(
        "{group} a net supply of {supply}, but at most {capacity} can flow out of {} \
         (capacities out, less lower bounds in)",
        if nodes.len() == 1 { "it" } else { "them" }
    )
}

impl fmt::Display for ArcId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "arc {}", self.0)
    }
}
