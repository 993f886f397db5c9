//! Times `flow::dimacs::parse`, `Network::solve` and `dimacs::write_solution` (the path of
//! `counterpart solve FILE`) on the reference DIMACS instances and checks the known optima.
//!
//! Run: `cargo bench -p counterpart-core --bench mincostflow`. Instances are read from
//! `$COUNTERPART_BENCH_DIR` (default `shared/bench/mincostflow` beside the repository, found
//! relative to this crate). `M.min` ships gzipped; unpack it first (`gunzip -c M.min.gz >
//! /tmp/M.min`, which `scripts/bench-mincostflow.sh` does) and it is picked up from
//! `$COUNTERPART_M_MIN`, the bench directory, or `/tmp/M.min`.
//!
//! `MCF_RUNS` sets the runs per instance (default 5), `MCF_ONLY` a comma-separated list of
//! instance names to run, and `MCF_EXTRA` adds instances without a known optimum as
//! `NAME=PATH,NAME=PATH` (their cost is printed, to be compared with another solver's).
//!
//! Each instance prints a human-readable line and a line `RESULT name parse_min parse_med
//! solve_min solve_med write_med cost` (seconds) for the script. The bench fails if a known
//! optimum is missed.

use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use counterpart_core::flow::dimacs;

/// A reference instance and its known optimal cost.
struct Instance {
    name: &'static str,
    file: &'static str,
    optimum: i128,
}

const INSTANCES: [Instance; 3] = [
    Instance {
        name: "S",
        file: "S.min",
        optimum: 2277,
    },
    Instance {
        name: "P1",
        file: "P1.min",
        optimum: -1_176_681,
    },
    Instance {
        name: "M",
        file: "M.min",
        optimum: 409_126,
    },
];

fn bench_dir() -> PathBuf {
    std::env::var_os("COUNTERPART_BENCH_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/mincostflow"),
        PathBuf::from,
    )
}

fn locate(dir: &Path, instance: &Instance) -> Option<PathBuf> {
    let mut candidates = vec![dir.join(instance.file)];
    if instance.name == "M" {
        if let Some(p) = std::env::var_os("COUNTERPART_M_MIN") {
            candidates.insert(0, PathBuf::from(p));
        }
        candidates.push(PathBuf::from("/tmp/M.min"));
    }
    candidates.into_iter().find(|p| p.is_file())
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Parses, solves and writes one instance `runs` times and prints the timings; returns
/// whether the cost is the expected one (always true when none is known).
fn run(name: &str, path: &Path, optimum: Option<i128>, runs: usize) -> io::Result<bool> {
    let (mut parse, mut solve, mut write) = (Vec::new(), Vec::new(), Vec::new());
    let mut cost = 0;
    let mut shape = (0, 0);
    for _ in 0..runs {
        let t0 = Instant::now();
        let network = dimacs::parse(BufReader::with_capacity(1 << 16, File::open(path)?))
            .map_err(io::Error::other)?;
        let t1 = Instant::now();
        let solution = network.solve().map_err(io::Error::other)?;
        let t2 = Instant::now();
        dimacs::write_solution(&network, &solution, io::sink())?;
        let t3 = Instant::now();
        parse.push(t1 - t0);
        solve.push(t2 - t1);
        write.push(t3 - t2);
        cost = solution.cost();
        shape = (network.node_count(), network.arc_count());
    }
    let ok = optimum.is_none_or(|o| o == cost);
    let verdict = match optimum {
        Some(_) if ok => "optimal",
        Some(_) => "WRONG",
        None => "no known optimum",
    };
    let parse_min = parse.iter().min().copied().unwrap_or_default();
    let solve_min = solve.iter().min().copied().unwrap_or_default();
    let (parse_med, solve_med) = (median(&mut parse), median(&mut solve));
    let write_med = median(&mut write);
    println!(
        "{name}: {} nodes, {} arcs, cost {cost} ({verdict}), {runs} runs: parse min {:.4}s \
         med {:.4}s, solve min {:.4}s med {:.4}s, write med {:.4}s",
        shape.0,
        shape.1,
        parse_min.as_secs_f64(),
        parse_med.as_secs_f64(),
        solve_min.as_secs_f64(),
        solve_med.as_secs_f64(),
        write_med.as_secs_f64(),
    );
    println!(
        "RESULT {name} {:.6} {:.6} {:.6} {:.6} {:.6} {cost}",
        parse_min.as_secs_f64(),
        parse_med.as_secs_f64(),
        solve_min.as_secs_f64(),
        solve_med.as_secs_f64(),
        write_med.as_secs_f64(),
    );
    Ok(ok)
}

fn main() -> io::Result<()> {
    let runs: usize = std::env::var("MCF_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let only: Option<Vec<String>> = std::env::var("MCF_ONLY")
        .ok()
        .map(|s| s.split(',').map(str::to_string).collect());
    let dir = bench_dir();
    let mut failures = 0;
    for instance in &INSTANCES {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|n| n == instance.name))
        {
            continue;
        }
        let Some(path) = locate(&dir, instance) else {
            println!(
                "{}: skipped, {} not found in {} (M: gunzip -c M.min.gz > /tmp/M.min)",
                instance.name,
                instance.file,
                dir.display()
            );
            continue;
        };
        if !run(instance.name, &path, Some(instance.optimum), runs)? {
            failures += 1;
        }
    }
    let extra = std::env::var("MCF_EXTRA").unwrap_or_default();
    for spec in extra.split(',').filter(|s| !s.is_empty()) {
        let Some((name, path)) = spec.split_once('=') else {
            return Err(io::Error::other(format!(
                "MCF_EXTRA entry `{spec}` is not NAME=PATH"
            )));
        };
        run(name, Path::new(path), None, runs)?;
    }
    if failures > 0 {
        return Err(io::Error::other(format!(
            "{failures} instance(s) solved to a wrong cost"
        )));
    }
    Ok(())
}
