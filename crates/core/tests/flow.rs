//! Proof that `flow::Network::solve` is correct: against an independent reference algorithm
//! (successive shortest paths with Bellman-Ford), by optimality certificates (no negative
//! residual cycle; the returned potentials satisfy complementary slackness), by checking
//! infeasibility certificates, on the reference DIMACS instances with known optima, and that
//! the DIMACS parser reports malformed input by line and never panics.

use std::path::PathBuf;

use counterpart_core::flow::dimacs::{self, DimacsError};
use counterpart_core::flow::{ArcId, ArcSpec, FlowError, Network, Solution};
use proptest::prelude::*;

/// An arc as the tests see it.
#[derive(Clone, Copy, Debug)]
struct Arc {
    tail: usize,
    head: usize,
    lower: i64,
    cap: i64,
    cost: i64,
}

/// A whole problem, kept alongside the `Network` so tests can check solutions against it.
#[derive(Clone, Debug)]
struct Problem {
    supply: Vec<i64>,
    arcs: Vec<Arc>,
}

impl Problem {
    fn network(&self) -> (Network, Vec<ArcId>) {
        let mut net = Network::new(self.supply.len());
        for (u, &b) in self.supply.iter().enumerate() {
            net.set_supply(u, b);
        }
        let ids = self
            .arcs
            .iter()
            .map(|a| net.add_arc(a.tail, a.head, a.lower, a.cap, a.cost))
            .collect();
        (net, ids)
    }
}

// ---------------------------------------------------------------------------------------------
// The reference: successive shortest paths with Bellman-Ford, in i128.
// ---------------------------------------------------------------------------------------------

/// The optimal cost by a different algorithm: move lower bounds into the supplies, saturate
/// every negative-cost arc (so the residual graph has no negative cycle), then route the
/// remaining excesses to the deficits along shortest residual paths (Bellman-Ford, since
/// residual costs can be negative). `None` when no feasible flow exists.
fn reference_cost(p: &Problem) -> Option<i128> {
    let n = p.supply.len();
    let (source, sink) = (n, n + 1);
    // Residual edges in pairs: edge 2k is forward, 2k + 1 its reverse.
    let mut to: Vec<usize> = Vec::new();
    let mut residual: Vec<i128> = Vec::new();
    let mut cost: Vec<i128> = Vec::new();
    let mut add = |u: usize, v: usize, cap: i128, c: i128, flow: i128| {
        let _ = u;
        to.push(v);
        residual.push(cap - flow);
        cost.push(c);
        to.push(u);
        residual.push(flow);
        cost.push(-c);
    };
    let mut from: Vec<usize> = Vec::new();
    let mut excess: Vec<i128> = p.supply.iter().map(|&b| i128::from(b)).collect();
    if excess.iter().sum::<i128>() != 0 {
        return None;
    }
    let mut total: i128 = 0;
    for a in &p.arcs {
        let (lower, cap, c) = (i128::from(a.lower), i128::from(a.cap), i128::from(a.cost));
        let span = cap - lower;
        total += lower * c;
        excess[a.tail] -= lower;
        excess[a.head] += lower;
        let flow = if c < 0 { span } else { 0 };
        total += flow * c;
        excess[a.tail] -= flow;
        excess[a.head] += flow;
        add(a.tail, a.head, span, c, flow);
        from.push(a.tail);
        from.push(a.head);
    }
    let mut required = 0;
    for (u, &x) in excess.clone().iter().enumerate() {
        if x > 0 {
            required += x;
            add(source, u, x, 0, 0);
            from.push(source);
            from.push(u);
        } else if x < 0 {
            add(u, sink, -x, 0, 0);
            from.push(u);
            from.push(sink);
        }
    }
    let nodes = n + 2;
    let mut routed = 0;
    loop {
        // Bellman-Ford from the source over edges with residual capacity.
        let mut dist: Vec<Option<i128>> = vec![None; nodes];
        let mut via: Vec<usize> = vec![usize::MAX; nodes];
        dist[source] = Some(0);
        for _ in 0..nodes {
            let mut changed = false;
            for e in 0..to.len() {
                if residual[e] == 0 {
                    continue;
                }
                let Some(du) = dist[from[e]] else { continue };
                let candidate = du + cost[e];
                if dist[to[e]].is_none_or(|dv| candidate < dv) {
                    dist[to[e]] = Some(candidate);
                    via[to[e]] = e;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if dist[sink].is_none() {
            break;
        }
        let mut bottleneck = i128::MAX;
        let mut v = sink;
        while v != source {
            let e = via[v];
            bottleneck = bottleneck.min(residual[e]);
            v = from[e];
        }
        let mut v = sink;
        while v != source {
            let e = via[v];
            residual[e] -= bottleneck;
            residual[e ^ 1] += bottleneck;
            total += bottleneck * cost[e];
            v = from[e];
        }
        routed += bottleneck;
    }
    (routed == required).then_some(total)
}

// ---------------------------------------------------------------------------------------------
// Checks of a solution and of an infeasibility proof.
// ---------------------------------------------------------------------------------------------

/// Checks that `solution` is a feasible flow for `p`, that its reported cost is its cost, and
/// that it is optimal twice over: the returned potentials satisfy complementary slackness on
/// every arc, and (independently of them) the residual graph has no negative cycle.
fn check_optimal(p: &Problem, ids: &[ArcId], solution: &Solution) {
    let n = p.supply.len();
    assert_eq!(solution.flows().len(), p.arcs.len());
    let mut net_out = vec![0i128; n];
    let mut cost = 0i128;
    for (a, &id) in p.arcs.iter().zip(ids) {
        let f = solution.flow(id);
        assert_eq!(f, solution.flows()[id.index()]);
        assert!(
            a.lower <= f && f <= a.cap,
            "flow {f} outside {}..={} on {a:?}",
            a.lower,
            a.cap
        );
        net_out[a.tail] += i128::from(f);
        net_out[a.head] -= i128::from(f);
        cost += i128::from(f) * i128::from(a.cost);
    }
    for (u, (&out, &b)) in net_out.iter().zip(&p.supply).enumerate() {
        assert_eq!(out, i128::from(b), "conservation at node {u}");
    }
    assert_eq!(cost, solution.cost(), "reported cost");

    // Complementary slackness with the solver's own dual solution.
    let pi = solution.potentials();
    assert_eq!(pi.len(), n);
    for (a, &id) in p.arcs.iter().zip(ids) {
        let f = solution.flow(id);
        let rc = i128::from(a.cost) + pi[a.tail] - pi[a.head];
        if f < a.cap {
            assert!(
                rc >= 0,
                "arc {a:?} below capacity has reduced cost {rc} < 0"
            );
        }
        if f > a.lower {
            assert!(
                rc <= 0,
                "arc {a:?} above lower bound has reduced cost {rc} > 0"
            );
        }
    }

    // Independently: Bellman-Ford from a virtual source finds no negative residual cycle.
    let mut edges = Vec::new();
    for (a, &id) in p.arcs.iter().zip(ids) {
        let f = solution.flow(id);
        if f < a.cap {
            edges.push((a.tail, a.head, i128::from(a.cost)));
        }
        if f > a.lower {
            edges.push((a.head, a.tail, -i128::from(a.cost)));
        }
    }
    let mut dist = vec![0i128; n];
    for round in 0..=n {
        let mut changed = false;
        for &(u, v, c) in &edges {
            if dist[u] + c < dist[v] {
                dist[v] = dist[u] + c;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        assert!(
            round < n,
            "the residual graph has a negative cycle: not optimal"
        );
    }
}

/// Checks an infeasibility proof against the problem: the named nodes' supply exceeds what
/// their arcs can carry out of them.
fn check_infeasibility_proof(p: &Problem, error: &FlowError) {
    let FlowError::Infeasible {
        nodes,
        supply,
        capacity,
    } = error
    else {
        panic!("expected Infeasible, got {error:?}");
    };
    assert!(!nodes.is_empty());
    assert!(
        nodes.windows(2).all(|w| w[0] < w[1]),
        "nodes sorted and distinct"
    );
    let inside = |u: usize| nodes.binary_search(&u).is_ok();
    let real_supply: i128 = nodes.iter().map(|&u| i128::from(p.supply[u])).sum();
    let mut out = 0i128;
    for a in &p.arcs {
        if inside(a.tail) && !inside(a.head) {
            out += i128::from(a.cap);
        } else if !inside(a.tail) && inside(a.head) {
            out -= i128::from(a.lower);
        }
    }
    assert_eq!(*supply, real_supply);
    assert_eq!(*capacity, out);
    assert!(
        real_supply > out,
        "not a proof: supply {real_supply} <= outflow {out}"
    );
    let message = error.to_string();
    assert!(message.starts_with("no feasible flow"), "{message}");
}

/// Solves `p` and checks the result against the reference and the certificates.
fn solve_and_check(p: &Problem) -> Result<i128, FlowError> {
    let (net, ids) = p.network();
    let result = net.solve();
    let expected = reference_cost(p);
    match &result {
        Ok(solution) => {
            check_optimal(p, &ids, solution);
            assert_eq!(
                Some(solution.cost()),
                expected,
                "optimum differs from the reference"
            );
        }
        Err(error) => {
            assert_eq!(
                expected, None,
                "solver says {error}, reference found a flow"
            );
            if p.supply.iter().map(|&b| i128::from(b)).sum::<i128>() == 0 {
                check_infeasibility_proof(p, error);
            } else {
                assert!(matches!(error, FlowError::Unbalanced { .. }), "{error:?}");
            }
        }
    }
    result.map(|s| s.cost())
}

// ---------------------------------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------------------------------

/// Small general problems: up to 7 nodes and 14 arcs with lower bounds (some negative),
/// negative costs, self-loops and parallel arcs. Supplies are either those of a random flow
/// within the bounds (always feasible) or random values summing to zero (often infeasible).
fn small_problem(max_value: i64, max_cost: i64) -> impl Strategy<Value = Problem> {
    (1usize..=7).prop_flat_map(move |n| {
        let arc = (
            0..n,
            0..n,
            -2i64..=3,
            0i64..=max_value,
            -max_cost..=max_cost,
            0.0f64..=1.0,
        );
        (
            prop::collection::vec(arc, 0..=14),
            prop::collection::vec(-max_value..=max_value, n),
            any::<bool>(),
        )
            .prop_map(move |(raw, random_supply, from_flow)| {
                let mut supply = vec![0i64; n];
                let mut arcs = Vec::new();
                for (tail, head, lower, span, cost, where_in) in raw {
                    let cap = lower + span;
                    let flow = lower + (span as f64 * where_in) as i64;
                    // With huge values, many arcs at one node could overflow its supply: such
                    // an arc is left out (the generator's limit, not the solver's).
                    if tail != head {
                        let (Some(out), Some(inn)) = (
                            supply[tail].checked_add(flow),
                            supply[head].checked_sub(flow),
                        ) else {
                            continue;
                        };
                        (supply[tail], supply[head]) = (out, inn);
                    }
                    arcs.push(Arc {
                        tail,
                        head,
                        lower,
                        cap,
                        cost,
                    });
                }
                if !from_flow {
                    supply = random_supply;
                    // Huge random supplies may not sum within i64: shrink them until they do.
                    let total = |s: &[i64]| s[..n - 1].iter().map(|&v| i128::from(v)).sum::<i128>();
                    while i64::try_from(total(&supply)).is_err() {
                        supply.iter_mut().for_each(|v| *v /= 2);
                    }
                    supply[n - 1] = -i64::try_from(total(&supply)).unwrap_or(0);
                }
                Problem { supply, arcs }
            })
    })
}

/// Assignment-like problems as in the counterpart model: people with demand 1 or 2, staff
/// with capacities, a sink; each person has a few candidate staff with arbitrary costs.
fn assignment_problem() -> impl Strategy<Value = Problem> {
    (5usize..=60, 2usize..=15).prop_flat_map(|(people, staff)| {
        let person = (
            1i64..=2,
            prop::collection::vec((0..staff, -60i64..=300), 1..=6),
        );
        (
            prop::collection::vec(person, people),
            prop::collection::vec((1i64..=12, 0i64..=10), staff),
        )
            .prop_map(move |(persons, staffs)| {
                let sink = people + staff;
                let mut supply = vec![0i64; people + staff + 1];
                let mut arcs = Vec::new();
                for (p, (demand, candidates)) in persons.iter().enumerate() {
                    supply[p] = *demand;
                    supply[sink] -= demand;
                    for &(s, cost) in candidates {
                        arcs.push(Arc {
                            tail: p,
                            head: people + s,
                            lower: 0,
                            cap: 1,
                            cost,
                        });
                    }
                }
                for (s, &(cap, cost)) in staffs.iter().enumerate() {
                    arcs.push(Arc {
                        tail: people + s,
                        head: sink,
                        lower: 0,
                        cap,
                        cost,
                    });
                }
                Problem { supply, arcs }
            })
    })
}

/// A simple feasible answer for an assignment problem, if greedy finds one: each person in
/// turn takes their cheapest candidates (cost to staff plus staff to sink) with room left.
fn greedy_cost(p: &Problem) -> Option<i128> {
    let sink = p.supply.len() - 1;
    let mut room: Vec<i64> = vec![0; p.supply.len()];
    let mut to_sink_cost = vec![0i64; p.supply.len()];
    for a in p.arcs.iter().filter(|a| a.head == sink) {
        room[a.tail] = a.cap;
        to_sink_cost[a.tail] = a.cost;
    }
    let mut total = 0i128;
    for (person, &demand) in p.supply.iter().enumerate().filter(|&(_, &b)| b > 0) {
        let mut options: Vec<&Arc> = p.arcs.iter().filter(|a| a.tail == person).collect();
        options.sort_by_key(|a| a.cost + to_sink_cost[a.head]);
        let mut left = demand;
        for a in options {
            if left > 0 && room[a.head] > 0 {
                room[a.head] -= 1;
                left -= 1;
                total += i128::from(a.cost + to_sink_cost[a.head]);
            }
        }
        if left > 0 {
            return None;
        }
    }
    Some(total)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Small general networks: same optimum as the reference, same feasibility verdict, and
    /// every answer certified.
    #[test]
    fn small_networks_match_the_reference(p in small_problem(6, 9)) {
        solve_and_check(&p).ok();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Huge costs and capacities push the solver into its i64 and i128 arithmetic; answers must
    /// still match the reference exactly.
    #[test]
    fn huge_values_are_exact(
        p in prop_oneof![
            small_problem(1_000, 1_000_000_000_000),
            small_problem(1_000, 1 << 60),
            small_problem(1 << 61, 1 << 61),
            small_problem(i64::MAX / 4, i64::MAX / 4),
        ]
    ) {
        solve_and_check(&p).ok();
    }

    /// Assignment-like networks: feasible flows within bounds, never worse than greedy, and an
    /// optimality certificate on every arc.
    #[test]
    fn assignments_are_certified_and_beat_greedy(p in assignment_problem()) {
        let (net, ids) = p.network();
        match net.solve() {
            Ok(solution) => {
                check_optimal(&p, &ids, &solution);
                if let Some(greedy) = greedy_cost(&p) {
                    prop_assert!(solution.cost() <= greedy, "{} > greedy {}", solution.cost(), greedy);
                }
            }
            Err(error) => {
                prop_assert!(greedy_cost(&p).is_none(), "greedy found a flow but: {}", error);
                check_infeasibility_proof(&p, &error);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hand-made cases.
// ---------------------------------------------------------------------------------------------

#[test]
fn simple_transport() {
    // Two sources, two sinks: 0 -> 2 is cheap but narrow.
    let p = Problem {
        supply: vec![3, 2, -4, -1],
        arcs: vec![
            Arc {
                tail: 0,
                head: 2,
                lower: 0,
                cap: 2,
                cost: 1,
            },
            Arc {
                tail: 0,
                head: 3,
                lower: 0,
                cap: 5,
                cost: 4,
            },
            Arc {
                tail: 1,
                head: 2,
                lower: 0,
                cap: 5,
                cost: 3,
            },
            Arc {
                tail: 1,
                head: 3,
                lower: 0,
                cap: 5,
                cost: 2,
            },
            Arc {
                tail: 0,
                head: 1,
                lower: 0,
                cap: 5,
                cost: 1,
            },
        ],
    };
    // 0->2: 2 (2), 0->1: 1 (1), 1->2: 2 (6), 1->3: 1 (2) = 11.
    assert_eq!(solve_and_check(&p), Ok(11));
}

#[test]
fn lower_bounds_force_flow_through_costly_arcs() {
    let p = Problem {
        supply: vec![2, -2],
        arcs: vec![
            Arc {
                tail: 0,
                head: 1,
                lower: 0,
                cap: 5,
                cost: 1,
            },
            Arc {
                tail: 0,
                head: 1,
                lower: 2,
                cap: 5,
                cost: 10,
            },
            // A circulation forced by a lower bound on the way back.
            Arc {
                tail: 1,
                head: 0,
                lower: 1,
                cap: 1,
                cost: 3,
            },
        ],
    };
    // 2 units on the costly arc (20), 1 back (3), 1 more forward on the cheap one (1).
    assert_eq!(solve_and_check(&p), Ok(24));
}

#[test]
fn negative_cycles_are_saturated() {
    let p = Problem {
        supply: vec![0, 0, 0],
        arcs: vec![
            Arc {
                tail: 0,
                head: 1,
                lower: 0,
                cap: 4,
                cost: -5,
            },
            Arc {
                tail: 1,
                head: 2,
                lower: 0,
                cap: 3,
                cost: 1,
            },
            Arc {
                tail: 2,
                head: 0,
                lower: 0,
                cap: 9,
                cost: 1,
            },
            Arc {
                tail: 1,
                head: 1,
                lower: 0,
                cap: 7,
                cost: -1,
            },
        ],
    };
    // The cycle carries 3 at -3 each, the self-loop 7 at -1.
    assert_eq!(solve_and_check(&p), Ok(-16));
}

#[test]
fn empty_networks_solve() {
    let solution = Network::new(0).solve().expect("nothing to do");
    assert_eq!(solution.cost(), 0);
    assert!(solution.flows().is_empty());
    let mut net = Network::new(3);
    let arc = net.add_arc(0, 1, 0, 5, 7);
    let solution = net.solve().expect("zero flow is feasible");
    assert_eq!((solution.cost(), solution.flow(arc)), (0, 0));
    assert_eq!(net.arc_count(), 1);
    assert_eq!(net.node_count(), 3);
    assert_eq!(arc.index(), 0);
}

#[test]
fn infeasible_networks_say_why() {
    // Node 0 must send 5 but its only arc carries 3.
    let p = Problem {
        supply: vec![5, 0, -5],
        arcs: vec![
            Arc {
                tail: 0,
                head: 1,
                lower: 0,
                cap: 3,
                cost: 1,
            },
            Arc {
                tail: 1,
                head: 2,
                lower: 0,
                cap: 9,
                cost: 1,
            },
        ],
    };
    let (net, _) = p.network();
    let error = net.solve().unwrap_err();
    check_infeasibility_proof(&p, &error);
    assert_eq!(
        error.to_string(),
        "no feasible flow: node 0 has a net supply of 5, but at most 3 can flow out of it \
         (capacities out, less lower bounds in)"
    );
}

#[test]
fn builder_mistakes_are_reported_by_solve() {
    let mut net = Network::new(3);
    net.set_supply(3, 1);
    assert_eq!(
        net.solve().unwrap_err().to_string(),
        "node 3 does not exist: the network has 3 nodes, numbered 0..3"
    );

    let mut net = Network::new(3);
    net.add_arc(0, 1, 0, 1, 0);
    net.add_arc(0, 7, 0, 1, 0);
    assert_eq!(
        net.solve().unwrap_err(),
        FlowError::InvalidArc {
            arc: 1,
            reason: "head 7 does not exist: the network has 3 nodes, numbered 0..3".into()
        }
    );

    let mut net = Network::new(3);
    net.add_arc(0, 1, 4, 2, 0);
    assert_eq!(
        net.solve().unwrap_err().to_string(),
        "arc 0 is invalid: capacity 2 is below lower bound 4 (arc 0 -> 1)"
    );

    let mut net = Network::new(2);
    net.set_supply(0, 3);
    assert_eq!(
        net.solve().unwrap_err().to_string(),
        "the supplies add up to 3, not 0: every unit supplied must be demanded somewhere"
    );
}

#[test]
fn extreme_values_do_not_overflow() {
    // Costs and capacities at the limits of i64: the solver must switch to i128 and stay exact.
    let p = Problem {
        supply: vec![i64::MAX, 0, i64::MIN + 1],
        arcs: vec![
            Arc {
                tail: 0,
                head: 1,
                lower: 0,
                cap: i64::MAX,
                cost: i64::MAX,
            },
            Arc {
                tail: 1,
                head: 2,
                lower: i64::MIN,
                cap: i64::MAX,
                cost: i64::MIN,
            },
            Arc {
                tail: 0,
                head: 2,
                lower: 0,
                cap: 1,
                cost: -1,
            },
        ],
    };
    let (net, ids) = p.network();
    let solution = net.solve().expect("feasible");
    check_optimal(&p, &ids, &solution);
    assert_eq!(Some(solution.cost()), reference_cost(&p));
}

// ---------------------------------------------------------------------------------------------
// The reference instances.
// ---------------------------------------------------------------------------------------------

/// Opens a reference instance: from `$COUNTERPART_BENCH_DIR` when set, else the gzipped copy
/// in `tests/data/mincostflow/` that travels with the repository.
fn open_instance(file: &str) -> Box<dyn std::io::BufRead> {
    if let Some(dir) = std::env::var_os("COUNTERPART_BENCH_DIR") {
        let path = PathBuf::from(dir).join(file);
        let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return Box::new(std::io::BufReader::new(f));
    }
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/mincostflow/{file}.gz"));
    let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Box::new(std::io::BufReader::new(flate2::read::GzDecoder::new(f)))
}

/// Parses and solves a reference instance and checks its known optimum and certificate.
fn check_instance(file: &str, optimum: i128) {
    let reader = open_instance(file);
    let net = dimacs::parse(reader).unwrap_or_else(|e| panic!("{file}: {e}"));
    let solution = net.solve().unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(solution.cost(), optimum, "{file}");

    let ids: Vec<ArcId> = net.arc_ids().collect();
    let p = Problem {
        supply: (0..net.node_count())
            .map(|u| net.supply(u).expect("node"))
            .collect(),
        arcs: ids
            .iter()
            .map(|&id| {
                let a = net.arc(id).expect("arc");
                Arc {
                    tail: a.tail,
                    head: a.head,
                    lower: a.lower,
                    cap: a.capacity,
                    cost: a.cost,
                }
            })
            .collect(),
    };
    check_optimal(&p, &ids, &solution);

    let mut out = Vec::new();
    dimacs::write_solution(&net, &solution, &mut out).expect("written");
    let text = String::from_utf8(out).expect("ascii");
    assert_eq!(text.lines().next(), Some(format!("s {optimum}").as_str()));
    let nonzero = solution.flows().iter().filter(|&&f| f != 0).count();
    assert_eq!(text.lines().count(), 1 + nonzero);
}

#[test]
fn reference_instance_s() {
    check_instance("S.min", 2277);
}

#[test]
fn reference_instance_p1() {
    check_instance("P1.min", -1_176_681);
}

// ---------------------------------------------------------------------------------------------
// DIMACS.
// ---------------------------------------------------------------------------------------------

fn parse_str(text: &str) -> Result<Network, DimacsError> {
    dimacs::parse(text.as_bytes())
}

fn parse_error(text: &str) -> String {
    parse_str(text).expect_err("should be rejected").to_string()
}

const GOOD: &str = "c a comment\n\
                    p min 4 5\n\
                    n 1 4\n\
                    n 4 -4\n\
                    a 1 2 0 4 2\n\
                    a 1 3 0 2 2\n\
                    a 2 3 0 2 1\n\
                    a 2 4 0 3 3\n\
                    a 3 4 0 5 1\n";

#[test]
fn dimacs_round_trip() {
    let net = parse_str(GOOD).expect("valid");
    assert_eq!((net.node_count(), net.arc_count()), (4, 5));
    assert_eq!(net.supply(0), Some(4));
    assert_eq!(net.supply(3), Some(-4));
    let solution = net.solve().expect("feasible");
    assert_eq!(solution.cost(), 14);
    let mut out = Vec::new();
    dimacs::write_solution(&net, &solution, &mut out).expect("written");
    let text = String::from_utf8(out).expect("ascii");
    assert!(text.starts_with("s 14\n"), "{text}");
    // Every `f` line names a real arc with its flow.
    for line in text.lines().skip(1) {
        let f: Vec<i64> = line[2..]
            .split(' ')
            .map(|x| x.parse().expect("number"))
            .collect();
        let (u, v, flow) = (f[0] as usize - 1, f[1] as usize - 1, f[2]);
        assert!(flow > 0);
        assert!(net.arc_ids().any(|id| {
            let a = net.arc(id).expect("arc");
            a.tail == u && a.head == v && solution.flow(id) == flow
        }));
    }
    // Windows line ends, tabs, blank lines and signs are accepted.
    let crlf = GOOD
        .replace('\n', "\r\n")
        .replace("a 1 2 0 4 2", "a\t1 2  +0 4 2\r\n");
    assert_eq!(
        parse_str(&crlf)
            .expect("valid")
            .solve()
            .expect("feasible")
            .cost(),
        14
    );
}

/// Parses through a reader that hands out at most `capacity` bytes at a time, so lines
/// straddle buffer refills.
fn parse_chunked(text: &str, capacity: usize) -> Result<Network, DimacsError> {
    dimacs::parse(std::io::BufReader::with_capacity(capacity, text.as_bytes()))
}

/// What a parse produced, comparable across readers.
fn summary(
    result: &Result<Network, DimacsError>,
) -> Result<(usize, Vec<i64>, Vec<ArcSpec>), DimacsError> {
    result.as_ref().map_err(Clone::clone).map(|net| {
        (
            net.node_count(),
            (0..net.node_count())
                .map(|u| net.supply(u).expect("node"))
                .collect(),
            net.arc_ids().map(|id| net.arc(id).expect("arc")).collect(),
        )
    })
}

#[test]
fn dimacs_lines_may_straddle_buffer_refills() {
    let texts = [
        GOOD.to_string(),
        GOOD.trim_end().to_string(),
        GOOD.replace('\n', "\r\n"),
        format!("c {}\n{GOOD}", "x".repeat(300)),
        "p min 2 0\nn 1 5\nn 2 -4".to_string(),
        "p min 2 1\na 1 2 0 1\n".to_string(),
    ];
    for text in &texts {
        let whole = summary(&parse_str(text));
        for capacity in 1..=24 {
            assert_eq!(
                summary(&parse_chunked(text, capacity)),
                whole,
                "capacity {capacity}, {text:?}"
            );
        }
    }
}

#[test]
fn dimacs_errors_name_the_line() {
    let cases: &[(&str, &str)] = &[
        ("", "line 1: no problem line `p min NODES ARCS` found"),
        (
            "c only\nc comments\n",
            "line 2: no problem line `p min NODES ARCS` found",
        ),
        (
            "n 1 1\np min 2 0\n",
            "line 1: `n` line before the problem line `p min NODES ARCS`",
        ),
        (
            "c\na 1 2 0 1 1\n",
            "line 2: `a` line before the problem line `p min NODES ARCS`",
        ),
        (
            "p min 2 0\np min 2 0\n",
            "line 2: a second problem line (the first is on line 1)",
        ),
        (
            "p min 2\n",
            "line 1: the problem line must be `p min NODES ARCS`, found 3 fields",
        ),
        (
            "p max 2 0\n",
            "line 1: the problem type is `max`, only `min` (min-cost flow) is supported",
        ),
        (
            "p min x 0\n",
            "line 1: the node count `x` is not an integer",
        ),
        ("p min -2 0\n", "line 1: the node count -2 is negative"),
        (
            "p min 2 0\nn 1\n",
            "line 2: a node line must be `n ID SUPPLY`, found 2 fields",
        ),
        ("p min 2 0\nn 3 1\n", "line 2: node 3 is out of range 1..=2"),
        ("p min 2 0\nn 0 1\n", "line 2: node 0 is out of range 1..=2"),
        (
            "p min 2 0\nn 1 1\nn 1 -1\n",
            "line 3: node 1 already has a supply (set on line 2)",
        ),
        (
            "p min 2 0\nn 1 1.5\n",
            "line 2: the supply `1.5` is not an integer",
        ),
        (
            "p min 2 0\nn 1 99999999999999999999\n",
            "line 2: the supply `99999999999999999999` does not fit in a 64-bit integer",
        ),
        (
            "p min 2 1\na 1 2 0 1\n",
            "line 2: an arc line must be `a TAIL HEAD LOW CAP COST`, found 5 fields",
        ),
        (
            "p min 2 1\na 1 2 0 1 1 1\n",
            "line 2: an arc line must be `a TAIL HEAD LOW CAP COST`, found 7 fields",
        ),
        (
            "c\nc\np min 5000 1\na 1 9001 0 1 1\n",
            "line 4: arc head 9001 is out of range 1..=5000",
        ),
        (
            "p min 2 1\na -1 2 0 1 1\n",
            "line 2: arc tail -1 is out of range 1..=2",
        ),
        (
            "p min 2 1\na 1 2 3 2 1\n",
            "line 2: the capacity 2 is below the lower bound 3",
        ),
        (
            "p min 2 1\na 1 2 0 1 x\n",
            "line 2: the cost `x` is not an integer",
        ),
        (
            "p min 2 1\na 1 2 0 1 1\na 2 1 0 1 1\n",
            "line 3: more arc lines than the 1 declared on line 1",
        ),
        (
            "c\np min 2 3\na 1 2 0 1 1\n",
            "line 2: the problem line declares 3 arcs but 1 arc line follows",
        ),
        (
            "p min 2 2\n",
            "line 1: the problem line declares 2 arcs but 0 arc lines follow",
        ),
        (
            "p min 2 0\nn 1 5\nn 2 -4\n",
            "line 1: the node supplies add up to 1, not 0: every unit supplied must be demanded",
        ),
        (
            "p min 2 0\nx 1 2\n",
            "line 2: unknown line type `x`: expected `c`, `p`, `n` or `a`",
        ),
        (
            "p min 0 0\nn 1 0\n",
            "line 2: node 1 is out of range: the problem declares no nodes",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(&parse_error(text), expected, "input {text:?}");
    }
    let error = parse_str("p min 2 0\n\n\nn 3 1\n").unwrap_err();
    assert_eq!(
        (error.line, error.message.as_str()),
        (4, "node 3 is out of range 1..=2")
    );
}

#[test]
fn dimacs_describes_infeasibility_in_file_numbering() {
    // Node 1 must send 5 units, but its only arc carries 3.
    let net = parse_str("p min 3 2\nn 1 5\nn 3 -5\na 1 2 0 3 1\na 2 3 0 9 1\n").expect("valid");
    let error = net.solve().unwrap_err();
    assert_eq!(
        dimacs::describe(&error),
        "no feasible flow: node 1 has a net supply of 5, but at most 3 can flow out of it \
         (capacities out, less lower bounds in)"
    );
    // Many nodes: nodes 1..=8 on a wide cycle with one narrow exit to the sink; a few are
    // named.
    let mut text = String::from("p min 9 9\n");
    for u in 1..=8 {
        text.push_str(&format!("n {u} 1\na {u} {} 0 9 1\n", u % 8 + 1));
    }
    text.push_str("n 9 -8\na 8 9 0 2 1\n");
    let error = parse_str(&text).expect("valid").solve().unwrap_err();
    assert_eq!(
        dimacs::describe(&error),
        "no feasible flow: nodes 1, 2, 3, 4, 5 and 3 more together have a net supply of 8, but \
         at most 2 can flow out of them (capacities out, less lower bounds in)"
    );
    assert!(
        error
            .to_string()
            .starts_with("no feasible flow: nodes 0, 1, 2, 3, 4 and 3 more")
    );
}

#[test]
fn dimacs_accepts_extremes() {
    let net = parse_str(&format!(
        "p min 2 1\nn 1 {}\nn 2 {}\na 1 2 {} {} {}\n",
        i64::MAX,
        -i64::MAX,
        i64::MIN,
        i64::MAX,
        i64::MIN
    ))
    .expect("valid");
    let solution = net.solve().expect("feasible");
    assert_eq!(solution.cost(), i128::from(i64::MAX) * i128::from(i64::MIN));
    // A file that declares more nodes than memory allows is an error, not an abort.
    assert!(parse_error("p min 999999999999999999 0\n").starts_with("line 1: cannot hold"));
}

/// A line that looks like DIMACS: mostly well-formed with random mistakes.
fn dimacs_line() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        (-3i64..=8).prop_map(|x| x.to_string()),
        any::<i64>().prop_map(|x| x.to_string()),
        Just("99999999999999999999".to_string()),
        Just("-".to_string()),
        Just("1e3".to_string()),
        "[ -~]{0,4}",
    ];
    let fields = prop::collection::vec(number, 0..7);
    (
        prop_oneof![
            Just("a"),
            Just("n"),
            Just("p"),
            Just("c"),
            Just("p min"),
            Just(""),
            Just("q")
        ],
        fields,
    )
        .prop_map(|(kind, fields)| format!("{kind} {}", fields.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Arbitrary bytes never make the parser panic.
    #[test]
    fn dimacs_parse_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = dimacs::parse(&bytes[..]);
        let _ = dimacs::parse(std::io::BufReader::with_capacity(5, &bytes[..]));
    }

    /// Near-valid files never make the parser panic, and what it accepts is consistent and
    /// solvable without panicking either.
    #[test]
    fn dimacs_parse_never_panics_on_lines(
        header in (0usize..6, 0usize..8),
        lines in prop::collection::vec(dimacs_line(), 0..16),
    ) {
        let text = format!("p min {} {}\n{}", header.0, header.1, lines.join("\n"));
        if let Ok(net) = parse_str(&text) {
            prop_assert_eq!(net.node_count(), header.0);
            prop_assert_eq!(net.arc_count(), header.1);
            let _ = net.solve();
        }
        let _ = parse_str(&lines.join("\n"));
        // Reading in small pieces changes nothing.
        prop_assert_eq!(summary(&parse_chunked(&text, 7)), summary(&parse_str(&text)));
    }

    /// Writing a random problem as DIMACS and parsing it back gives the same optimum.
    #[test]
    fn dimacs_text_round_trips(p in small_problem(6, 9)) {
        let mut text = format!("p min {} {}\n", p.supply.len(), p.arcs.len());
        for (u, b) in p.supply.iter().enumerate() {
            text.push_str(&format!("n {} {}\n", u + 1, b));
        }
        for a in &p.arcs {
            text.push_str(&format!("a {} {} {} {} {}\n", a.tail + 1, a.head + 1, a.lower, a.cap, a.cost));
        }
        let direct = p.network().0.solve().map(|s| s.cost());
        match parse_str(&text) {
            Ok(net) => prop_assert_eq!(net.solve().map(|s| s.cost()), direct),
            Err(e) => {
                // The only rejection: supplies that do not balance.
                prop_assert!(e.message.contains("add up to"), "{}", e);
                let unbalanced = matches!(direct, Err(FlowError::Unbalanced { .. }));
                prop_assert!(unbalanced);
            }
        }
    }
}
