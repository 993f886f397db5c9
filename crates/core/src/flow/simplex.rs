//! The primal network simplex behind [`Network::solve`](super::Network::solve).
//!
//! Design (after LEMON's `NetworkSimplex`, which is the fastest published code of its kind):
//!
//! * An artificial root joins every node by an artificial arc, so the initial spanning tree is
//!   feasible at once. Artificial arcs into demand nodes cost `ART`, more than any simple path
//!   of real arcs can cost, so an optimum uses them only where no feasible flow exists (the
//!   "big M" method; the proof is in `docs/solver.md`). Artificial arcs that leave the tree are
//!   never priced again.
//! * The tree is stored as `parent`, `pred` (the tree arc to the parent), `up` (its direction),
//!   `thread` / `rev_thread` (a preorder walk, doubly linked), `succ_num` (subtree size) and
//!   `last_succ` (the last node of the subtree in preorder). A pivot touches only the cycle,
//!   the re-hung subtree's stem and that subtree's potentials.
//! * Strongly feasible trees (the leaving-arc tie rule in `find_cycle`) prevent cycling on
//!   degenerate pivots.
//! * Pricing is block search: scan a block of arcs, take the most negative reduced cost seen,
//!   continue where the last scan stopped. LEMON uses blocks of `sqrt(m)` arcs; here the block
//!   size follows the measured cost of a pivot (see `optimize`). Arcs are stored in a mixed
//!   order so each block samples the whole network rather than the out-arcs of a few nodes, as
//!   DIMACS files list arcs grouped by tail.
//! * Only tree arcs carry flow strictly between their bounds, so flows are kept per tree node
//!   (`pred_flow`); an arc off the tree is empty or full according to its state.
//! * Negative-cost arcs start at their upper bound, and potentials are shifted on the smaller
//!   side of the tree after each pivot.
//! * Pricing reads one compact array of `(a, b, cost)` triples oriented so that the reduced
//!   cost `cost + pi[a] - pi[b]` is negative exactly when the arc should enter: arcs at their
//!   upper bound are stored reversed, and tree arcs have reduced cost zero in either
//!   orientation. That saves reading a state array and a multiplication per arc.
//! * The solver is generic over the integer types of costs/potentials (`C`) and flows (`F`):
//!   `solve` bounds every intermediate value first and picks the narrowest of `i32`, `i64`,
//!   `i128` that holds them, so arithmetic never wraps and the common case runs in `i32`.

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use super::{FlowError, Network, Solution};

/// An exact integer type the simplex can run in.
pub(super) trait Num:
    Copy
    + Ord
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
{
    const ZERO: Self;
    /// Stands for the unbounded capacity of artificial arcs.
    const INF: Self;
    /// The largest value, as `i128`, for the overflow bounds.
    const LIMIT: i128;
    /// Converts a value that `solve` has already bounded to fit.
    fn from_i128(v: i128) -> Self;
    fn to_i128(self) -> i128;
}

macro_rules! impl_num {
    ($t:ty) => {
        impl Num for $t {
            const ZERO: Self = 0;
            const INF: Self = <$t>::MAX;
            const LIMIT: i128 = <$t>::MAX as i128;
            #[inline]
            fn from_i128(v: i128) -> Self {
                // `solve` checked the bound of every value converted here; failing would be a
                // bug in that check, never a property of the input.
                <$t>::try_from(v).expect("value bounded by the solver's overflow analysis")
            }
            #[inline]
            fn to_i128(self) -> i128 {
                i128::from(self)
            }
        }
    };
}
impl_num!(i32);
impl_num!(i64);
impl_num!(i128);

/// "No node": the root's parent and predecessor arc.
const NONE: u32 = u32::MAX;

const STATE_UPPER: i8 = -1;
const STATE_TREE: i8 = 0;
const STATE_LOWER: i8 = 1;

/// An arc as stored: from `a` to `b` at cost `c`, reversed (`b -> a` at `-c`) while the arc
/// rests at its upper bound. So `c + pi[a] - pi[b]` is negative exactly when the arc should
/// enter the tree, and zero for tree arcs.
#[derive(Clone, Copy, Debug)]
struct Arc<C> {
    a: u32,
    b: u32,
    c: C,
}

/// The problem after lower bounds are moved into the supplies, with the artificial cost.
struct Prepared {
    /// Node supplies after moving lower bounds into them.
    supply: Vec<i128>,
    /// Cost of an artificial arc into a demand node.
    art: i128,
}

/// Solves `net` (already checked for builder errors).
pub(super) fn solve(net: &Network) -> Result<Solution, FlowError> {
    let n = net.node_count;
    let m = net.arc_count();
    if n.saturating_add(m) >= NONE as usize {
        return Err(FlowError::TooLarge {
            reason: format!("{n} nodes and {m} arcs exceed the solver's 32-bit indices"),
        });
    }

    // Supplies must balance before lower bounds are moved into them.
    let total: i128 = net.supply.iter().map(|&s| i128::from(s)).sum();
    if total != 0 {
        return Err(FlowError::Unbalanced { total });
    }

    // Bound every value the simplex will compute (the proofs are in docs/solver.md):
    // * potentials relative to the root are sums along tree paths of at most one artificial
    //   arc and n - 1 real arcs, so below 2 * ART; the root's own potential drifts by less
    //   than 5 * ART per pivot and is reset when it passes LIMIT / 2, so |pi| < LIMIT / 2 +
    //   7 * ART, and every sum the simplex forms (reduced costs, shifts) stays below
    //   LIMIT / 2 + 10 * ART: within LIMIT when 20 * ART <= LIMIT;
    // * a real arc's flow is within 0..=cap - lower; an artificial arc's flow is bounded by
    //   its node's |supply| plus the capacities of the node's arcs, whatever the flow on them.
    let mut supply: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
    let mut flow_bound: Vec<i128> = vec![0; n];
    let mut max_cost: i128 = 0;
    let mut max_cap: i128 = 0;
    for i in 0..m {
        let (t, h) = (net.tail[i] as usize, net.head[i] as usize);
        let lower = i128::from(net.lower_of(i));
        let cap = i128::from(net.capacity[i]) - lower;
        if lower != 0 {
            supply[t] -= lower;
            supply[h] += lower;
        }
        flow_bound[t] += cap;
        flow_bound[h] += cap;
        max_cap = max_cap.max(cap);
        max_cost = max_cost.max(i128::from(net.cost[i]).abs());
    }
    let max_flow = flow_bound
        .iter()
        .zip(&supply)
        .map(|(bound, b)| bound + b.abs())
        .max()
        .unwrap_or(0)
        .max(max_cap);
    // More than the cost of any simple path of real arcs, which has at most n - 1 arcs.
    let art = (n as i128 + 1) * max_cost.max(1);
    let prepared = Prepared { supply, art };

    let flows_fit_i64 = 2 * max_flow <= i64::LIMIT;
    let cost_bound = 20 * art;
    if 2 * max_flow <= i32::LIMIT && cost_bound <= i32::LIMIT {
        // Half the memory traffic of i64 flows: the common case (all reference instances).
        run::<i32, i32>(net, &prepared)
    } else if flows_fit_i64 && cost_bound <= i32::LIMIT {
        run::<i32, i64>(net, &prepared)
    } else if flows_fit_i64 && cost_bound <= i64::LIMIT {
        run::<i64, i64>(net, &prepared)
    } else if flows_fit_i64 {
        run::<i128, i64>(net, &prepared)
    } else {
        run::<i128, i128>(net, &prepared)
    }
}

/// Runs the simplex in the chosen types and translates the result back.
fn run<C: Num, F: Num>(net: &Network, prepared: &Prepared) -> Result<Solution, FlowError> {
    let mut simplex = Simplex::<C, F>::new(net, prepared);
    simplex.optimize();
    simplex.into_solution(net)
}

/// Calls `visit(pos, i)` once for every stored position `pos`, with the network arc `i` stored
/// there.
///
/// Arcs are stored in "mixed" order so that a pricing block samples the whole network rather
/// than the out-arcs of a few nodes (on M this is the difference between 0.25 s and 1.8 s):
/// the positions form `skip` streams `j, j + skip, j + 2 * skip, ...`, and the network's arcs
/// fill stream 0, then stream 1, and so on. That is a matrix transpose, so it is visited in
/// tiles of 16 streams by 64 positions: reads then run along 16 sequential streams and writes
/// along 64 runs of 16 neighbouring slots, all within cache. (Visiting in either plain order
/// misses the cache on most accesses: on M, building the arrays took 28 ms that way and
/// 21 ms tiled.)
fn for_each_mixed(m: usize, n: usize, mut visit: impl FnMut(usize, usize)) {
    const TILE_STREAMS: usize = 16;
    const TILE_LENGTH: usize = 64;
    let skip = (m / n.max(1)).max(3).min(m.max(1));
    // Stream j holds ceil((m - j) / skip) arcs; `first[j]` is the first arc it holds.
    let mut first = Vec::with_capacity(skip + 1);
    let mut next = 0;
    for j in 0..skip {
        first.push(next);
        next += (m - j).div_ceil(skip);
    }
    first.push(m);
    let longest = m.div_ceil(skip);
    for j0 in (0..skip).step_by(TILE_STREAMS) {
        let j_end = (j0 + TILE_STREAMS).min(skip);
        for k0 in (0..longest).step_by(TILE_LENGTH) {
            for j in j0..j_end {
                let len = first[j + 1] - first[j];
                for k in k0..(k0 + TILE_LENGTH).min(len) {
                    visit(j + k * skip, first[j] + k);
                }
            }
        }
    }
}

/// Where the leaving subtree (the one under `u_out`) stood before a pivot.
#[derive(Clone, Copy)]
struct OldPlace {
    /// The node before `u_out` in the thread.
    rev_thread: usize,
    /// The subtree's size.
    succ_num: u32,
    /// The subtree's last node in the thread.
    last_succ: usize,
    /// `u_out`'s parent.
    v_out: usize,
}

struct Simplex<C, F> {
    /// Real nodes; the root is node `n`.
    n: usize,
    /// Real arcs; the artificial arc of node `u` is arc `m + u`.
    m: usize,
    arcs: Vec<Arc<C>>,
    cap: Vec<F>,
    /// Where each arc rests: at its lower bound (flow 0), its upper bound (flow `cap`), or in
    /// the tree (flow in `pred_flow` of the tree node below it).
    state: Vec<i8>,

    pi: Vec<C>,
    parent: Vec<u32>,
    pred: Vec<u32>,
    /// Whether `pred[u]` points from `u` up to its parent (else from the parent down to `u`).
    up: Vec<bool>,
    /// The flow on `pred[u]`. Only tree arcs carry flow strictly between their bounds, so
    /// flows live with the tree nodes, and the cycle walks touch only node-indexed arrays.
    pred_flow: Vec<F>,
    /// The capacity of `pred[u]`.
    pred_cap: Vec<F>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    succ_num: Vec<u32>,
    last_succ: Vec<u32>,
    /// Scratch for `update_tree`: nodes whose `thread` changed.
    dirty: Vec<u32>,

    /// How far the root's potential may drift from 0 (see `update_potentials`).
    drift_limit: C,
    block: usize,
    next_arc: usize,

    // The current pivot.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: F,
    /// The entering arc's flow after the pivot.
    in_flow: F,
}

impl<C: Num, F: Num> Simplex<C, F> {
    fn new(net: &Network, prepared: &Prepared) -> Self {
        let (n, m) = (net.node_count, net.arc_count());
        let root = n;
        let mut arcs = vec![
            Arc {
                a: 0,
                b: 0,
                c: C::ZERO
            };
            m + n
        ];
        let mut cap = vec![F::ZERO; m + n];
        let mut state = vec![STATE_LOWER; m + n];
        // Arcs of negative cost start saturated: left at zero they would enter at once, each
        // through a degenerate pivot against the zero-flow artificial arcs (on P1 this start
        // saves 60% of the pivots). Their flow moves into the supplies the artificial arcs
        // carry, which the bound on artificial flows in `solve` already covers.
        let mut supply = prepared.supply.clone();
        for_each_mixed(m, n, |pos, i| {
            let (t, h) = (net.tail[i], net.head[i]);
            let c = net.cost[i];
            let u = i128::from(net.capacity[i]) - i128::from(net.lower_of(i));
            cap[pos] = F::from_i128(u);
            if c < 0 {
                supply[t as usize] -= u;
                supply[h as usize] += u;
                arcs[pos] = Arc {
                    a: h,
                    b: t,
                    c: C::from_i128(-i128::from(c)),
                };
                state[pos] = STATE_UPPER;
            } else {
                arcs[pos] = Arc {
                    a: t,
                    b: h,
                    c: C::from_i128(i128::from(c)),
                };
            }
        });

        let art = C::from_i128(prepared.art);
        let mut pi = vec![C::ZERO; n + 1];
        let mut up = vec![false; n + 1];
        let mut pred_flow = vec![F::ZERO; n + 1];
        let pred_cap = vec![F::INF; n + 1];
        for u in 0..n {
            let b = supply[u];
            let e = m + u;
            // Supply nodes send their supply to the root at cost 0; demand nodes receive from
            // the root at cost ART. Zero-flow artificial arcs point up, as a strongly feasible
            // tree requires.
            if b >= 0 {
                up[u] = true;
                arcs[e] = Arc {
                    a: u as u32,
                    b: root as u32,
                    c: C::ZERO,
                };
                pred_flow[u] = F::from_i128(b);
            } else {
                pi[u] = art;
                arcs[e] = Arc {
                    a: root as u32,
                    b: u as u32,
                    c: art,
                };
                pred_flow[u] = F::from_i128(-b);
            }
            cap[e] = F::INF;
            state[e] = STATE_TREE;
        }

        // The initial tree is a star: thread 0, 1, ..., n - 1, then back to the root.
        let mut parent = vec![root as u32; n + 1];
        parent[root] = NONE;
        let mut pred: Vec<u32> = (0..=n).map(|u| (m + u) as u32).collect();
        pred[root] = NONE;
        let thread: Vec<u32> = (0..=n).map(|u| ((u + 1) % (n + 1)) as u32).collect();
        let rev_thread: Vec<u32> = (0..=n).map(|u| ((u + n) % (n + 1)) as u32).collect();
        let mut succ_num = vec![1u32; n + 1];
        succ_num[root] = (n + 1) as u32;
        let mut last_succ: Vec<u32> = (0..=n).map(|u| u as u32).collect();
        last_succ[root] = if n > 0 { (n - 1) as u32 } else { root as u32 };

        Simplex {
            n,
            m,
            arcs,
            cap,
            state,
            pi,
            parent,
            pred,
            up,
            pred_flow,
            pred_cap,
            thread,
            rev_thread,
            succ_num,
            last_succ,
            dirty: Vec::new(),
            drift_limit: C::from_i128(C::LIMIT / 2),
            // LEMON's fixed choice; `optimize` adapts it.
            block: ((m as f64).sqrt() as usize).max(10),
            next_arc: 0,
            in_arc: 0,
            join: 0,
            u_in: 0,
            v_in: 0,
            u_out: 0,
            delta: F::ZERO,
            in_flow: F::ZERO,
        }
    }

    /// The arc's true tail.
    #[inline]
    fn src(&self, e: usize) -> usize {
        let arc = self.arcs[e];
        (if self.state[e] == STATE_UPPER {
            arc.b
        } else {
            arc.a
        }) as usize
    }

    /// The arc's true head.
    #[inline]
    fn tgt(&self, e: usize) -> usize {
        let arc = self.arcs[e];
        (if self.state[e] == STATE_UPPER {
            arc.a
        } else {
            arc.b
        }) as usize
    }

    /// The arc's true cost.
    #[inline]
    fn cost(&self, e: usize) -> C {
        let arc = self.arcs[e];
        if self.state[e] == STATE_UPPER {
            -arc.c
        } else {
            arc.c
        }
    }

    /// Changes an arc's state and re-orients its stored form to match.
    fn set_state(&mut self, e: usize, state: i8) {
        // Only a move to or from the upper bound flips the stored orientation; skipping the
        // others spares a cache miss on the leaving arc, which usually drops to zero flow.
        if (self.state[e] == STATE_UPPER) != (state == STATE_UPPER) {
            let arc = self.arcs[e];
            self.arcs[e] = Arc {
                a: arc.b,
                b: arc.a,
                c: -arc.c,
            };
        }
        self.state[e] = state;
    }

    fn optimize(&mut self) {
        // The block size adapts to the cost of a pivot. Measured on the reference instances,
        // time is about 1 unit per arc priced, 4 per node on a pivot's cycle or among the
        // potentials it shifts ("work"), and 200 per pivot besides. Where pivots are cheap
        // (assignment-like networks, shallow trees) small blocks waste the least pricing;
        // where they are dear (deep trees) larger blocks choose better arcs and save pivots.
        // A block of 3 * work + 200 over the last 64 pivots (between 0.25 and 8 times sqrt(m))
        // keeps pricing and pivoting in balance; it matched the best fixed block on M and P1
        // and beat LEMON's fixed sqrt(m) by 14% and 34% (docs/solver.md).
        const WINDOW: u64 = 64;
        let root_m = (self.m as f64).sqrt();
        let smallest = ((0.25 * root_m) as usize).max(10);
        let largest = ((8.0 * root_m) as usize).max(smallest);
        let (mut pivots, mut work) = (0u64, 0u64);
        while self.find_entering() {
            let (change, steps) = self.find_cycle();
            work += steps as u64;
            self.change_flow(change);
            if change {
                self.update_tree();
                work += self.update_potentials() as u64;
            }
            pivots += 1;
            if pivots == WINDOW {
                self.block =
                    (3 * work / WINDOW + 200).clamp(smallest as u64, largest as u64) as usize;
                (pivots, work) = (0, 0);
            }
        }
    }

    /// Block search: returns whether an arc with negative reduced cost was found (in
    /// `in_arc`).
    fn find_entering(&mut self) -> bool {
        let m = self.m;
        if m == 0 {
            return false;
        }
        let pi = &self.pi;
        let arcs = &self.arcs[..m];
        let block = self.block;
        let mut min = C::ZERO;
        let mut best = usize::MAX;
        let mut count = block;
        let start = self.next_arc;
        // Two passes, `start..m` then `0..start`, so the hot loop has no wrap-around test.
        for (lo, hi) in [(start, m), (0, start)] {
            for (offset, arc) in arcs[lo..hi].iter().enumerate() {
                let e = lo + offset;
                let rc = arc.c + pi[arc.a as usize] - pi[arc.b as usize];
                if rc < min {
                    min = rc;
                    best = e;
                }
                count -= 1;
                if count == 0 {
                    if min < C::ZERO {
                        self.in_arc = best;
                        self.next_arc = if e + 1 == m { 0 } else { e + 1 };
                        return true;
                    }
                    count = block;
                }
            }
        }
        if min < C::ZERO {
            self.in_arc = best;
            self.next_arc = start;
            return true;
        }
        false
    }

    /// Walks the cycle the entering arc closes in the tree, once: finds its apex `join`
    /// (where the tree paths from the arc's two ends meet), the largest flow change `delta`
    /// around it, and the arc that blocks that change. Returns whether the blocking arc is a
    /// tree arc (else the entering arc just moves to its other bound) and the cycle's length.
    ///
    /// The tie rule keeps the tree strongly feasible: walking the cycle in flow direction from
    /// the join, the *last* blocking arc leaves. Both sides are walked upwards; on the first
    /// side the flow runs down, so its first minimum met is the last in flow direction; on the
    /// second side the flow runs up, so its last minimum met is; and a minimum on the second
    /// side comes after the first side and the entering arc, so it wins ties with them.
    fn find_cycle(&mut self) -> (bool, usize) {
        let e_in = self.in_arc;
        let (first, second) = if self.state[e_in] == STATE_LOWER {
            (self.src(e_in), self.tgt(e_in))
        } else {
            (self.tgt(e_in), self.src(e_in))
        };
        let (mut u, mut v) = (first, second);
        let (mut first_room, mut first_out) = (F::INF, 0);
        let (mut second_room, mut second_out) = (F::INF, 0);
        let mut steps = 1;
        // Step up from whichever end has the smaller subtree: it cannot be the other's
        // ancestor, so the walks meet exactly at the join.
        while u != v {
            if self.succ_num[u] < self.succ_num[v] {
                let room = if self.up[u] {
                    self.pred_flow[u]
                } else {
                    self.pred_cap[u] - self.pred_flow[u]
                };
                if room < first_room {
                    (first_room, first_out) = (room, u);
                }
                u = self.parent[u] as usize;
            } else {
                let room = if self.up[v] {
                    self.pred_cap[v] - self.pred_flow[v]
                } else {
                    self.pred_flow[v]
                };
                if room <= second_room {
                    (second_room, second_out) = (room, v);
                }
                v = self.parent[v] as usize;
            }
            steps += 1;
        }
        self.join = u;

        // The entering arc can move from one of its bounds to the other at most. (Real
        // capacities are below INF, so an unbounded room never wins here.)
        let mut delta = self.cap[e_in];
        let mut side = 0;
        if first_room < delta {
            (delta, side, self.u_out) = (first_room, 1, first_out);
        }
        if second_room <= delta {
            (delta, side, self.u_out) = (second_room, 2, second_out);
        }
        self.delta = delta;
        if side == 1 {
            (self.u_in, self.v_in) = (first, second);
        } else {
            (self.u_in, self.v_in) = (second, first);
        }
        (side != 0, steps)
    }

    /// Pushes `delta` around the cycle, and updates the states of the entering and leaving
    /// arcs.
    fn change_flow(&mut self, change: bool) {
        let e_in = self.in_arc;
        let lower = self.state[e_in] == STATE_LOWER;
        // The flow change along the entering arc's own direction.
        let val = if lower { self.delta } else { -self.delta };
        self.in_flow = if lower { val } else { self.cap[e_in] + val };
        if self.delta > F::ZERO {
            let join = self.join;
            let mut u = self.src(e_in);
            while u != join {
                if self.up[u] {
                    self.pred_flow[u] -= val;
                } else {
                    self.pred_flow[u] += val;
                }
                u = self.parent[u] as usize;
            }
            let mut u = self.tgt(e_in);
            while u != join {
                if self.up[u] {
                    self.pred_flow[u] += val;
                } else {
                    self.pred_flow[u] -= val;
                }
                u = self.parent[u] as usize;
            }
        }
        if change {
            self.set_state(e_in, STATE_TREE);
            let e_out = self.pred[self.u_out] as usize;
            // The leaving arc is blocked, so it is empty or full.
            let state = if self.pred_flow[self.u_out] == F::ZERO {
                STATE_LOWER
            } else {
                STATE_UPPER
            };
            self.set_state(e_out, state);
        } else {
            let state = -self.state[e_in];
            self.set_state(e_in, state);
        }
    }

    /// Replaces the leaving arc by the entering one: the subtree under `u_out` is re-rooted at
    /// `u_in` and hung below `v_in`, with the preorder thread, subtree sizes and last
    /// successors patched along the way.
    fn update_tree(&mut self) {
        let u_out = self.u_out;
        let old = OldPlace {
            rev_thread: self.rev_thread[u_out] as usize,
            succ_num: self.succ_num[u_out],
            last_succ: self.last_succ[u_out] as usize,
            v_out: self.parent[u_out] as usize,
        };
        if self.u_in == u_out {
            self.rehang_subtree(old);
        } else {
            self.rethread_stem(old);
            self.reverse_stem(old);
        }
        self.update_last_successors(old);
        self.update_subtree_sizes(old);
    }

    /// `u_in == u_out`: only the arc to the parent changes; the subtree moves in the thread to
    /// follow `v_in` unless it already does.
    fn rehang_subtree(&mut self, old: OldPlace) {
        let (u_in, v_in, u_out) = (self.u_in, self.v_in, self.u_out);
        self.parent[u_in] = v_in as u32;
        self.hang_by_entering_arc();
        if self.thread[v_in] as usize != u_out {
            let after = self.thread[old.last_succ];
            self.thread[old.rev_thread] = after;
            self.rev_thread[after as usize] = old.rev_thread as u32;
            let after = self.thread[v_in];
            self.thread[v_in] = u_out as u32;
            self.rev_thread[u_out] = v_in as u32;
            self.thread[old.last_succ] = after;
            self.rev_thread[after as usize] = old.last_succ as u32;
        }
    }

    /// `u_in != u_out`: walks the stem from `u_in` up to `u_out`, reversing parent links, and
    /// splices each stem node's remaining subtree after the previous one's in the thread, so
    /// the re-rooted subtree follows `v_in`.
    fn rethread_stem(&mut self, old: OldPlace) {
        let (u_in, v_in, u_out) = (self.u_in, self.v_in, self.u_out);
        // Where the moved subtree's thread continues: when `v_in` immediately precedes
        // `u_out` in the thread (which implies `join == v_out`), the subtree takes back the
        // place it leaves, so after the old subtree's end; otherwise after `v_in`.
        let thread_continue = if old.rev_thread == v_in {
            self.thread[old.last_succ]
        } else {
            self.thread[v_in]
        };

        let mut stem = u_in;
        let mut par_stem = v_in;
        let mut last = self.last_succ[u_in] as usize;
        let mut after = self.thread[last];
        self.thread[v_in] = u_in as u32;
        self.dirty.clear();
        self.dirty.push(v_in as u32);
        while stem != u_out {
            let next_stem = self.parent[stem] as usize;
            self.thread[last] = next_stem as u32;
            self.dirty.push(last as u32);

            // Cut the stem node's subtree out of the thread.
            let before = self.rev_thread[stem];
            self.thread[before as usize] = after;
            self.rev_thread[after as usize] = before;

            self.parent[stem] = par_stem as u32;
            par_stem = stem;
            stem = next_stem;

            // The next stem node's subtree, without the part already moved.
            last = if self.last_succ[stem] == self.last_succ[par_stem] {
                self.rev_thread[par_stem] as usize
            } else {
                self.last_succ[stem] as usize
            };
            after = self.thread[last];
        }
        self.parent[u_out] = par_stem as u32;
        self.thread[last] = thread_continue;
        self.rev_thread[thread_continue as usize] = last as u32;
        self.last_succ[u_out] = last as u32;

        if old.rev_thread != v_in {
            self.thread[old.rev_thread] = after;
            self.rev_thread[after as usize] = old.rev_thread as u32;
        }

        for &u in &self.dirty {
            let u = u as usize;
            self.rev_thread[self.thread[u] as usize] = u as u32;
        }
    }

    /// Along the stem from `u_out` down to `u_in`, the tree arcs shift by one node and flip
    /// direction; subtree sizes become the complements. `u_in` hangs by the entering arc.
    fn reverse_stem(&mut self, old: OldPlace) {
        let (u_in, u_out) = (self.u_in, self.u_out);
        let mut tmp_sc: u32 = 0;
        let tmp_ls = self.last_succ[u_out];
        let mut u = u_out;
        while u != u_in {
            let p = self.parent[u] as usize;
            self.pred[u] = self.pred[p];
            self.up[u] = !self.up[p];
            self.pred_flow[u] = self.pred_flow[p];
            self.pred_cap[u] = self.pred_cap[p];
            tmp_sc = tmp_sc + self.succ_num[u] - self.succ_num[p];
            self.succ_num[u] = tmp_sc;
            self.last_succ[p] = tmp_ls;
            u = p;
        }
        self.hang_by_entering_arc();
        self.succ_num[u_in] = old.succ_num;
    }

    /// `u_in`'s tree arc becomes the entering arc, with its flow after the pivot.
    fn hang_by_entering_arc(&mut self) {
        let (u_in, e_in) = (self.u_in, self.in_arc);
        self.pred[u_in] = e_in as u32;
        self.up[u_in] = self.src(e_in) == u_in;
        self.pred_flow[u_in] = self.in_flow;
        self.pred_cap[u_in] = self.cap[e_in];
    }

    /// Last successors on the path from `v_in` up, and from `v_out` up to the join.
    fn update_last_successors(&mut self, old: OldPlace) {
        let (v_in, u_out, join) = (self.v_in, self.u_out, self.join);
        let up_limit_out = if self.last_succ[join] as usize == v_in {
            join as u32
        } else {
            NONE
        };
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in as u32;
        while u != NONE && self.last_succ[u as usize] as usize == v_in {
            self.last_succ[u as usize] = last_succ_out;
            u = self.parent[u as usize];
        }
        if join != old.rev_thread && v_in != old.rev_thread {
            let mut u = old.v_out as u32;
            while u != up_limit_out && self.last_succ[u as usize] as usize == old.last_succ {
                self.last_succ[u as usize] = old.rev_thread as u32;
                u = self.parent[u as usize];
            }
        } else if last_succ_out as usize != old.last_succ {
            let mut u = old.v_out as u32;
            while u != up_limit_out && self.last_succ[u as usize] as usize == old.last_succ {
                self.last_succ[u as usize] = last_succ_out;
                u = self.parent[u as usize];
            }
        }
    }

    /// Subtree sizes between the old and new attachment points and the join.
    fn update_subtree_sizes(&mut self, old: OldPlace) {
        let (v_in, join) = (self.v_in, self.join);
        let mut u = v_in;
        while u != join {
            self.succ_num[u] += old.succ_num;
            u = self.parent[u] as usize;
        }
        let mut u = old.v_out;
        while u != join {
            self.succ_num[u] -= old.succ_num;
            u = self.parent[u] as usize;
        }
    }

    /// Restores zero reduced cost on the entering arc by shifting the potentials of one side
    /// of it: the moved subtree by `sigma`, or, when that subtree is the larger part of the
    /// tree, everything else by `-sigma` (only differences of potentials matter). On M this
    /// does a third of the work of always shifting the subtree.
    ///
    /// Shifting the rest moves the root's potential, which `solve`'s overflow bound allows up
    /// to `drift_limit` away from 0 before all potentials are re-anchored at the root.
    /// Returns the number of potentials shifted.
    fn update_potentials(&mut self) -> usize {
        let (u_in, v_in, e_in) = (self.u_in, self.v_in, self.in_arc);
        let sigma = if self.up[u_in] {
            self.pi[v_in] - self.pi[u_in] - self.cost(e_in)
        } else {
            self.pi[v_in] - self.pi[u_in] + self.cost(e_in)
        };
        let end = self.thread[self.last_succ[u_in] as usize] as usize;
        let size = self.succ_num[u_in] as usize;
        if 2 * size <= self.n + 1 {
            let mut u = u_in;
            while u != end {
                self.pi[u] += sigma;
                u = self.thread[u] as usize;
            }
            size
        } else {
            // The rest of the tree follows the subtree in the (cyclic) thread.
            let mut u = end;
            while u != u_in {
                self.pi[u] -= sigma;
                u = self.thread[u] as usize;
            }
            let root = self.n;
            let drift = self.pi[root];
            if drift > self.drift_limit || -drift > self.drift_limit {
                for p in &mut self.pi[..=root] {
                    *p -= drift;
                }
            }
            self.n + 1 - size
        }
    }

    /// The flow on every arc, real and artificial, from the states and the tree.
    fn arc_flows(&self) -> Vec<F> {
        let mut flow: Vec<F> = (0..self.m + self.n)
            .map(|e| {
                if self.state[e] == STATE_UPPER {
                    self.cap[e]
                } else {
                    F::ZERO
                }
            })
            .collect();
        for u in 0..self.n {
            flow[self.pred[u] as usize] = self.pred_flow[u];
        }
        flow
    }

    fn into_solution(mut self, net: &Network) -> Result<Solution, FlowError> {
        let (n, m) = (self.n, self.m);
        // Flow left on an artificial arc is flow that no real route could carry. Flow into the
        // root equals flow out of it, so if any is left, some node still sends flow to the
        // root. (An artificial arc joins its node to the root, so in the tree it is that
        // node's `pred`; off the tree it is empty. It never rests at its infinite upper bound,
        // so it is stored in its true direction.)
        let root = n as u32;
        let stuck =
            (0..n).filter(|&u| self.pred[u] as usize == m + u && self.pred_flow[u] != F::ZERO);
        if let Some(u) = stuck
            .clone()
            .find(|&u| self.arcs[m + u].b == root)
            .or(stuck.min())
        {
            return Err(self.infeasibility_certificate(net, u));
        }

        // Tree arcs' capacities are no longer needed: overwrite them with their flows, so an
        // arc's flow is `cap` unless it rests at its lower bound.
        for u in 0..n {
            self.cap[self.pred[u] as usize] = self.pred_flow[u];
        }
        let mut flows = vec![0i64; m];
        let mut cost: i128 = 0;
        let mut overflow = false;
        for_each_mixed(m, n, |pos, i| {
            let f = if self.state[pos] == STATE_LOWER {
                0
            } else {
                self.cap[pos].to_i128()
            };
            // Within lower..=capacity, so it fits `i64`.
            let f = i64::try_from(f + i128::from(net.lower_of(i)));
            let f = f.unwrap_or_else(|_| {
                overflow = true;
                0
            });
            flows[i] = f;
            match cost.checked_add(i128::from(f) * i128::from(net.cost[i])) {
                Some(c) => cost = c,
                None => overflow = true,
            }
        });
        if overflow {
            return Err(FlowError::TooLarge {
                reason: "the total cost does not fit in 128 bits".to_string(),
            });
        }
        // Anchored at the root, as without drift.
        let root = self.pi[n].to_i128();
        let potentials = self.pi[..n].iter().map(|p| p.to_i128() - root).collect();
        Ok(Solution {
            cost,
            flows,
            potentials,
        })
    }

    /// Proves infeasibility from an optimum that still sends flow from node `start` to the
    /// root: the nodes reachable from `start` along residual real arcs must send out more than
    /// the arcs leaving them can carry.
    ///
    /// Why: were a node `v` with flow from the root (unmet demand) reachable, the residual
    /// cycle root -> `start` -> ... -> `v` -> root would cost `path - ART < 0` (the flow from
    /// the root into `v` costs ART), contradicting optimality. So the reachable set `S` has no unmet demand, every
    /// arc out of `S` is full and every arc into `S` is at its lower bound, and `S`'s net
    /// supply exceeds that outflow by at least the flow `start` still sends to the root.
    fn infeasibility_certificate(&self, net: &Network, start: usize) -> FlowError {
        let (n, m) = (self.n, self.m);
        // Residual adjacency over the stored arcs, built only on this rare path.
        let mut offsets = vec![0u32; n + 1];
        for arc in &self.arcs[..m] {
            offsets[arc.a as usize] += 1;
            offsets[arc.b as usize] += 1;
        }
        let mut sum = 0;
        for o in offsets.iter_mut() {
            let count = *o;
            *o = sum;
            sum += count;
        }
        let mut fill = offsets.clone();
        let mut adjacent = vec![0u32; sum as usize];
        for (e, arc) in self.arcs[..m].iter().enumerate() {
            for node in [arc.a, arc.b] {
                adjacent[fill[node as usize] as usize] = e as u32;
                fill[node as usize] += 1;
            }
        }
        let flow = self.arc_flows();
        let mut reached = vec![false; n];
        reached[start] = true;
        let mut stack = vec![start];
        while let Some(u) = stack.pop() {
            let range = offsets[u] as usize..offsets[u + 1] as usize;
            for &e in &adjacent[range] {
                let e = e as usize;
                let (s, t) = (self.src(e), self.tgt(e));
                let next = if s == u && flow[e] < self.cap[e] {
                    t
                } else if t == u && flow[e] > F::ZERO {
                    s
                } else {
                    continue;
                };
                if !reached[next] {
                    reached[next] = true;
                    stack.push(next);
                }
            }
        }
        let nodes: Vec<usize> = (0..n).filter(|&u| reached[u]).collect();
        let supply = nodes.iter().map(|&u| i128::from(net.supply[u])).sum();
        let mut capacity: i128 = 0;
        for i in 0..net.arc_count() {
            let (t, h) = (net.tail[i] as usize, net.head[i] as usize);
            if reached[t] && !reached[h] {
                capacity += i128::from(net.capacity[i]);
            } else if !reached[t] && reached[h] {
                capacity -= i128::from(net.lower_of(i));
            }
        }
        FlowError::Infeasible {
            nodes,
            supply,
            capacity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl<C: Num, F: Num> Simplex<C, F> {
        /// Checks every invariant of the tree and the flow; panics with the first violation.
        fn check_invariants(&self, supply: &[i128]) {
            let (n, m) = (self.n, self.m);
            let root = n;
            // `thread` is one cycle through all nodes starting at the root, `rev_thread` its
            // inverse.
            let mut order = vec![root];
            let mut u = self.thread[root] as usize;
            while u != root {
                assert!(order.len() <= n, "thread is not a single cycle");
                order.push(u);
                u = self.thread[u] as usize;
            }
            assert_eq!(order.len(), n + 1, "thread misses nodes");
            for u in 0..=n {
                assert_eq!(self.rev_thread[self.thread[u] as usize] as usize, u);
            }
            let mut position = vec![0; n + 1];
            for (i, &u) in order.iter().enumerate() {
                position[u] = i;
            }
            // Preorder: each subtree is the contiguous thread range starting at its root, of
            // length `succ_num`, ending at `last_succ`; parents precede children.
            let mut size = vec![1u32; n + 1];
            for &u in order.iter().rev() {
                if u != root {
                    let p = self.parent[u] as usize;
                    assert!(position[p] < position[u], "parent after child in thread");
                    size[p] += size[u];
                }
            }
            for u in 0..=n {
                assert_eq!(self.succ_num[u], size[u], "succ_num of {u}");
                let last = position[u] + size[u] as usize - 1;
                assert_eq!(self.last_succ[u] as usize, order[last], "last_succ of {u}");
                for &w in &order[position[u]..=last] {
                    let mut x = w;
                    while x != u {
                        x = self.parent[x] as usize;
                        assert_ne!(
                            x as u32, NONE,
                            "{w} in thread range of {u} but not below it"
                        );
                    }
                }
            }
            // Tree arcs: `pred` joins each node to its parent in direction `up`, with zero
            // reduced cost; every other arc rests at a bound consistent with its state.
            let mut in_tree = vec![false; m + n];
            for u in 0..n {
                let e = self.pred[u] as usize;
                in_tree[e] = true;
                assert_eq!(
                    self.state[e], STATE_TREE,
                    "pred arc of {u} not in tree state"
                );
                let p = self.parent[u] as usize;
                let (s, t) = (self.src(e), self.tgt(e));
                if self.up[u] {
                    assert_eq!((s, t), (u, p));
                } else {
                    assert_eq!((s, t), (p, u));
                }
                assert_eq!(
                    self.cost(e) + self.pi[s] - self.pi[t],
                    C::ZERO,
                    "tree arc rc"
                );
            }
            let flow = self.arc_flows();
            for u in 0..n {
                assert_eq!(
                    self.pred_cap[u], self.cap[self.pred[u] as usize],
                    "pred_cap of {u}"
                );
            }
            let mut net_out = vec![0i128; n + 1];
            for e in 0..m + n {
                let f = flow[e];
                assert!(
                    f >= F::ZERO && f <= self.cap[e],
                    "flow out of bounds on {e}: {f:?} cap {:?} state {} arc {:?}",
                    self.cap[e],
                    self.state[e],
                    self.arcs[e]
                );
                match self.state[e] {
                    STATE_TREE => assert!(in_tree[e], "arc {e} in tree state off the tree"),
                    STATE_LOWER => assert_eq!(f, F::ZERO),
                    STATE_UPPER => assert_eq!(f, self.cap[e]),
                    other => panic!("bad state {other}"),
                }
                net_out[self.src(e)] += f.to_i128();
                net_out[self.tgt(e)] -= f.to_i128();
            }
            for u in 0..n {
                assert_eq!(net_out[u], supply[u], "conservation at {u}");
            }
            // Strong feasibility: a zero-flow tree arc points away from the root...
            // in this orientation convention, towards it (`up`), and a full one away.
            for u in 0..n {
                let e = self.pred[u] as usize;
                if flow[e] == F::ZERO {
                    assert!(self.up[u], "zero-flow tree arc of {u} points down");
                }
                if flow[e] == self.cap[e] {
                    assert!(!self.up[u], "full tree arc of {u} points up");
                }
            }
        }
    }

    /// Pivots a network one step at a time, checking every invariant after each step. A
    /// `drift_limit` of 0 re-anchors the potentials after every shift of the tree's root side.
    fn pivot_checked<C: Num, F: Num>(
        net: &Network,
        drift_limit: Option<i128>,
    ) -> Result<Solution, FlowError> {
        let prepared = Prepared {
            supply: {
                let mut b: Vec<i128> = net.supply.iter().map(|&s| i128::from(s)).collect();
                for i in 0..net.arc_count() {
                    let lower = i128::from(net.lower_of(i));
                    b[net.tail[i] as usize] -= lower;
                    b[net.head[i] as usize] += lower;
                }
                b
            },
            art: (net.node_count as i128 + 1)
                * net
                    .cost
                    .iter()
                    .map(|c| i128::from(*c).abs())
                    .max()
                    .unwrap_or(0)
                    .max(1),
        };
        let mut s = Simplex::<C, F>::new(net, &prepared);
        if let Some(limit) = drift_limit {
            s.drift_limit = C::from_i128(limit);
        }
        s.check_invariants(&prepared.supply);
        let mut pivots = 0;
        while s.find_entering() {
            let (change, _) = s.find_cycle();
            s.change_flow(change);
            if change {
                s.update_tree();
                s.update_potentials();
            }
            s.check_invariants(&prepared.supply);
            pivots += 1;
            assert!(pivots < 100_000, "no termination");
        }
        s.into_solution(net)
    }

    /// A small deterministic generator, so the test needs no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn tree_invariants_hold_after_every_pivot() {
        let mut rng = Lcg(7);
        for round in 0..400 {
            let n = 2 + rng.below(16) as usize;
            let m = rng.below(48) as usize;
            let mut net = Network::new(n);
            let mut flows = Vec::new();
            // Supplies from a random feasible flow, so most instances are feasible; every
            // fifth instance gets random supplies instead, to exercise infeasible ends.
            let mut b = vec![0i64; n];
            for _ in 0..m {
                let (t, h) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
                let lower = rng.below(4) as i64 - 1;
                let cap = lower + rng.below(6) as i64;
                let cost = rng.below(21) as i64 - 6;
                let f = lower + rng.below((cap - lower + 1) as u64) as i64;
                net.add_arc(t, h, lower, cap, cost);
                flows.push(f);
                b[t] += f;
                b[h] -= f;
            }
            if round % 5 == 4 {
                let last = n - 1;
                b.iter_mut().for_each(|x| *x = rng.below(7) as i64 - 3);
                b[last] = 0;
                b[last] = -b.iter().sum::<i64>();
            }
            for (u, &s) in b.iter().enumerate() {
                net.set_supply(u, s);
            }
            let narrow = pivot_checked::<i32, i32>(&net, None);
            let wide = pivot_checked::<i128, i128>(&net, None);
            let anchored = pivot_checked::<i64, i64>(&net, Some(0));
            // The pivots do not depend on the integer types, so neither does the result.
            assert_eq!(narrow, wide);
            assert_eq!(
                narrow, anchored,
                "same pivots, same potentials once anchored"
            );
            assert_eq!(
                narrow.as_ref().map(Solution::cost),
                net.solve().as_ref().map(Solution::cost)
            );
            if round % 5 != 4 {
                assert!(narrow.is_ok(), "feasible by construction: {narrow:?}");
            }
        }
    }

    #[test]
    fn mixed_order_is_a_permutation() {
        for (m, n) in (0..300)
            .flat_map(|m| (1..40).map(move |n| (m, n)))
            .chain([(5000, 7), (100_003, 301)])
        {
            let mut arc_at = vec![usize::MAX; m];
            let mut seen = vec![false; m];
            for_each_mixed(m, n, |pos, i| {
                assert_eq!(arc_at[pos], usize::MAX, "m={m} n={n}: position {pos} twice");
                assert!(!seen[i], "m={m} n={n}: arc {i} twice");
                arc_at[pos] = i;
                seen[i] = true;
            });
            assert!(seen.iter().all(|&s| s), "m={m} n={n}");
            // Consecutive arcs are spread `skip` apart, so a pricing block sees many tails.
            if m >= 3 * n && n > 1 {
                let skip = m / n;
                assert_eq!(arc_at[skip], 1, "m={m} n={n}");
            }
        }
    }
}
