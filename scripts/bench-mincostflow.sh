#!/usr/bin/env bash
# Benchmarks the min-cost-flow solver against Google OR-Tools (and optionally LEMON) on the
# reference DIMACS instances, in one run on one machine, and prints a markdown table.
#
#   scripts/bench-mincostflow.sh              # S, P1, M; 5 runs of ours, 3 of OR-Tools
#   RUNS=9 PEER_RUNS=5 scripts/bench-mincostflow.sh
#   WITH_LEMON=1 scripts/bench-mincostflow.sh # also LEMON's NetworkSimplex (needs g++;
#                                             # LEMON_RUNS sets its runs, default PEER_RUNS)
#   SYNTHETIC=1 scripts/bench-mincostflow.sh  # also two larger generated instances (below)
#
# Instances come from $COUNTERPART_BENCH_DIR (default: shared/bench/mincostflow beside the
# repository). M ships gzipped and is unpacked once to /tmp/M.min. OR-Tools is installed into
# the venv $ORTOOLS_VENV (default /tmp/ortools-venv) if it is not there yet.
#
# Times are the minimum over the runs, in seconds. "ours parse" is `flow::dimacs::parse` (reading
# the file and building the `Network`), "ours solve" is `Network::solve`; OR-Tools' "parse" is
# its script's reading plus building the solver's arrays, its "solve" the `solve()` call alone.
# LEMON's solve covers its NetworkSimplex constructor (which allocates and copies the arcs, as
# our solve does) plus run(); "run only" excludes the constructor.
#
# SYNTHETIC=1 generates (deterministically, once, into /tmp/counterpart-synth) A5M, the
# reference assignment model at 100,000 people / 10,000 staff / 5 million arcs, and T500k, a
# random transshipment network like P1 at 50,000 nodes / 500,000 arcs. Their optimum is not
# known in advance: the script requires our cost to equal OR-Tools'.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${COUNTERPART_BENCH_DIR:-$root/../shared/bench/mincostflow}"
bench_dir="$(cd "$bench_dir" && pwd)"
venv="${ORTOOLS_VENV:-/tmp/ortools-venv}"
runs="${RUNS:-5}"
peer_runs="${PEER_RUNS:-3}"
with_lemon="${WITH_LEMON:-0}"
lemon_runs="${LEMON_RUNS:-$peer_runs}"
synthetic="${SYNTHETIC:-0}"

log() { echo "$*" >&2; }

# --- OR-Tools -------------------------------------------------------------------------------
if ! "$venv/bin/python" -c 'import ortools' 2>/dev/null; then
    log "installing OR-Tools into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet ortools
fi

# --- instances ------------------------------------------------------------------------------
declare -A file optimum
file[S]="$bench_dir/S.min";   optimum[S]=2277
file[P1]="$bench_dir/P1.min"; optimum[P1]=-1176681
file[M]="/tmp/M.min";         optimum[M]=409126
if [[ -f "$bench_dir/M.min" ]]; then
    file[M]="$bench_dir/M.min"
elif [[ -f "$bench_dir/M.min.gz" && ! -s /tmp/M.min ]]; then
    log "unpacking M.min.gz to /tmp/M.min"
    gunzip -c "$bench_dir/M.min.gz" > /tmp/M.min.part && mv /tmp/M.min.part /tmp/M.min
fi
instances=()
for name in S P1 M; do
    if [[ -f "${file[$name]}" ]]; then instances+=("$name"); else log "skipping $name: ${file[$name]} missing"; fi
done

# --- generated instances (optional) ---------------------------------------------------------
extra=""
if [[ "$synthetic" == 1 ]]; then
    synth=/tmp/counterpart-synth
    mkdir -p "$synth"
    if [[ ! -s "$synth/A5M.min" || ! -s "$synth/T500k.min" ]]; then
        log "generating A5M and T500k into $synth"
        python3 - "$synth" <<'PY'
import random, sys
out = sys.argv[1]

def assign(path, people, staff, seed):
    # The reference model: 6 levels, cost 100 x level distance + 40 x function mismatch
    # - 60 if already working together (2%) + a per-staff load term 0..10; candidates at most
    # 2 levels apart, at most 50 per person; demand 1 (2 for 10%); staff capacity 8..19.
    r = random.Random(seed)
    lvl_p = [r.randrange(6) for _ in range(people)]; fn_p = [r.randrange(8) for _ in range(people)]
    lvl_s = [r.randrange(6) for _ in range(staff)]; fn_s = [r.randrange(8) for _ in range(staff)]
    by_lvl = {l: [s for s in range(staff) if lvl_s[s] == l] for l in range(6)}
    load = [r.randrange(11) for _ in range(staff)]
    demand = [1 + (r.random() < 0.1) for _ in range(people)]
    caps = [r.randrange(8, 20) for _ in range(staff)]
    arcs = []
    for p in range(people):
        cands = [s for l in range(max(0, lvl_p[p] - 2), min(6, lvl_p[p] + 3)) for s in by_lvl[l]]
        for s in r.sample(cands, min(50, len(cands))):
            c = 100 * abs(lvl_p[p] - lvl_s[s]) + 40 * (fn_p[p] != fn_s[s]) - 60 * (r.random() < 0.02) + load[s]
            arcs.append((p + 1, people + s + 1, 0, 1, c))
    sink = people + staff + 1
    for s in range(staff):
        arcs.append((people + s + 1, sink, 0, caps[s], 0))
    with open(path, 'w') as f:
        f.write(f"c generated: assignment model, {people} people, {staff} staff, seed {seed}\n")
        f.write(f"p min {sink} {len(arcs)}\n")
        for p in range(people):
            f.write(f"n {p + 1} {demand[p]}\n")
        f.write(f"n {sink} {-sum(demand)}\n")
        f.write("".join(f"a {a} {b} {l} {u} {c}\n" for a, b, l, u, c in arcs))

def trans(path, n, m, terminals, seed):
    # A random graph with a Hamiltonian cycle (so it is strongly connected), capacities
    # 200..400, costs -20..100, and terminals/2 source-sink pairs of 1..50 units.
    r = random.Random(seed)
    arcs = []
    perm = list(range(1, n + 1)); r.shuffle(perm)
    for i in range(n):
        arcs.append((perm[i], perm[(i + 1) % n]))
    while len(arcs) < m:
        u, v = r.randrange(1, n + 1), r.randrange(1, n + 1)
        if u != v:
            arcs.append((u, v))
    sup = {}
    nodes = r.sample(range(1, n + 1), terminals)
    for i in range(0, terminals - 1, 2):
        x = r.randrange(1, 51); sup[nodes[i]] = x; sup[nodes[i + 1]] = -x
    with open(path, 'w') as f:
        f.write(f"c generated: transshipment, seed {seed}\n")
        f.write(f"p min {n} {len(arcs)}\n")
        for k, v in sorted(sup.items()):
            f.write(f"n {k} {v}\n")
        f.write("".join(f"a {u} {v} 0 {r.randrange(200, 401)} {r.randrange(-20, 101)}\n" for u, v in arcs))

assign(f"{out}/A5M.min", 100000, 10000, 1)
trans(f"{out}/T500k.min", 50000, 500000, 1000, 2)
PY
    fi
    for name in A5M T500k; do
        file[$name]="$synth/$name.min"; optimum[$name]="OR-Tools"
        instances+=("$name")
        extra+="${extra:+,}$name=$synth/$name.min"
    done
fi

# --- ours -----------------------------------------------------------------------------------
log "building and running the Rust bench ($runs runs per instance)"
ours="$(cd "$root" && COUNTERPART_BENCH_DIR="$bench_dir" COUNTERPART_M_MIN="${file[M]}" \
    MCF_RUNS="$runs" MCF_EXTRA="$extra" cargo bench --quiet -p counterpart-core --bench mincostflow 2>/dev/null)"
echo "$ours" | grep -v '^RESULT' >&2
declare -A our_parse our_solve our_cost
while read -r _ name pmin _ smin _ _ cost; do
    our_parse[$name]=$pmin; our_solve[$name]=$smin; our_cost[$name]=$cost
done < <(echo "$ours" | grep '^RESULT')

# --- OR-Tools runs --------------------------------------------------------------------------
declare -A peer_parse peer_solve peer_cost
for name in "${instances[@]}"; do
    log "OR-Tools on $name ($peer_runs runs)"
    best_parse=""; best_solve=""
    for _ in $(seq "$peer_runs"); do
        out="$("$venv/bin/python" "$bench_dir/ortools_dimacs.py" "${file[$name]}")"
        peer_cost[$name]="$(echo "$out" | awk '/^s /{print $2}')"
        read -r p b s < <(echo "$out" | sed -n 's/.*parse_s=\([0-9.]*\) build_s=\([0-9.]*\) solve_s=\([0-9.]*\).*/\1 \2 \3/p')
        pb="$(echo "$p + $b" | bc -l)"
        if [[ -z "$best_parse" ]] || (( $(echo "$pb < $best_parse" | bc -l) )); then best_parse=$pb; fi
        if [[ -z "$best_solve" ]] || (( $(echo "$s < $best_solve" | bc -l) )); then best_solve=$s; fi
    done
    peer_parse[$name]=$best_parse; peer_solve[$name]=$best_solve
done

# --- LEMON (optional) -----------------------------------------------------------------------
declare -A lemon_solve lemon_run
if [[ "$with_lemon" == 1 ]]; then
    work=/tmp/counterpart-lemon-bench
    mkdir -p "$work"
    if [[ ! -x "$work/lemon_dimacs" ]]; then
        log "fetching LEMON (bundled in the mcmf crate) and compiling the driver"
        (cd "$work" && [[ -f Cargo.toml ]] || cargo init --quiet --name lemon-fetch)
        grep -q '^mcmf' "$work/Cargo.toml" || echo 'mcmf = "2"' >> "$work/Cargo.toml"
        (cd "$work" && cargo fetch --quiet)
        lemon_src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/mcmf-2.0.0 | head -1)"
        cat > "$work/lemon_dimacs.cpp" <<'CPP'
// Times LEMON's NetworkSimplex (default block-search pivot rule) on a DIMACS min file.
#include "lemon/network_simplex.h"
#include "lemon/smart_graph.h"
#include <chrono>
#include <cstdio>
#include <vector>
using namespace lemon;
using Clock = std::chrono::steady_clock;
static double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
int main(int argc, char** argv) {
  FILE* f = fopen(argv[1], "r");
  if (!f) return 2;
  char line[256]; long n = 0;
  std::vector<long> sup, ta, he, lo, ca, co;
  while (fgets(line, sizeof line, f)) {
    long a, b, c, d, e;
    if (line[0] == 'p' && sscanf(line, "p min %ld %ld", &n, &a) == 2) sup.assign(n, 0);
    else if (line[0] == 'n' && sscanf(line, "n %ld %ld", &a, &b) == 2) sup[a - 1] = b;
    else if (line[0] == 'a' && sscanf(line, "a %ld %ld %ld %ld %ld", &a, &b, &c, &d, &e) == 5) {
      ta.push_back(a - 1); he.push_back(b - 1); lo.push_back(c); ca.push_back(d); co.push_back(e);
    }
  }
  SmartDigraph g; std::vector<SmartDigraph::Node> nodes; std::vector<SmartDigraph::Arc> arcs;
  for (long i = 0; i < n; i++) nodes.push_back(g.addNode());
  for (size_t i = 0; i < ta.size(); i++) arcs.push_back(g.addArc(nodes[ta[i]], nodes[he[i]]));
  SmartDigraph::NodeMap<long> s(g); SmartDigraph::ArcMap<long> l(g), u(g), c(g);
  for (long i = 0; i < n; i++) s[nodes[i]] = sup[i];
  for (size_t i = 0; i < ta.size(); i++) { l[arcs[i]] = lo[i]; u[arcs[i]] = ca[i]; c[arcs[i]] = co[i]; }
  auto t0 = Clock::now();
  NetworkSimplex<SmartDigraph, long, long> ns(g);
  ns.supplyMap(s).lowerMap(l).upperMap(u).costMap(c);
  auto t1 = Clock::now();
  auto status = ns.run();
  auto t2 = Clock::now();
  if (status != NetworkSimplex<SmartDigraph, long, long>::OPTIMAL) { printf("s NOT_OPTIMAL\n"); return 1; }
  printf("s %ld\nc solve_s=%.6f run_s=%.6f\n", ns.totalCost<long>(), secs(t0, t2), secs(t1, t2));
}
CPP
        g++ -O3 -DNDEBUG -I"$lemon_src" -o "$work/lemon_dimacs" "$work/lemon_dimacs.cpp"
    fi
    for name in "${instances[@]}"; do
        log "LEMON on $name ($lemon_runs runs)"
        best=""; best_run=""
        for _ in $(seq "$lemon_runs"); do
            out="$("$work/lemon_dimacs" "${file[$name]}")"
            want="${optimum[$name]}"; [[ "$want" == OR-Tools ]] && want="${peer_cost[$name]}"
            [[ "$(echo "$out" | awk '/^s /{print $2}')" == "$want" ]] || { log "LEMON: wrong cost on $name"; exit 1; }
            read -r s r < <(echo "$out" | sed -n 's/.*solve_s=\([0-9.]*\) run_s=\([0-9.]*\).*/\1 \2/p')
            if [[ -z "$best" ]] || (( $(echo "$s < $best" | bc -l) )); then best=$s; fi
            if [[ -z "$best_run" ]] || (( $(echo "$r < $best_run" | bc -l) )); then best_run=$r; fi
        done
        lemon_solve[$name]=$best; lemon_run[$name]=$best_run
    done
fi

# --- table ----------------------------------------------------------------------------------
status=0
header="| instance | optimum | ours parse | ours solve | OR-Tools parse | OR-Tools solve | OR-Tools / ours (solve) |"
rule="|---|---:|---:|---:|---:|---:|---:|"
if [[ "$with_lemon" == 1 ]]; then
    header+=" LEMON solve (run only) | LEMON / ours (solve) |"
    rule+="---:|---:|"
fi
echo
echo "$header"
echo "$rule"
for name in "${instances[@]}"; do
    want="${optimum[$name]}"; [[ "$want" == OR-Tools ]] && want="${peer_cost[$name]}"
    for who in our peer; do
        got=$([[ $who == our ]] && echo "${our_cost[$name]:-}" || echo "${peer_cost[$name]:-}")
        if [[ "$got" != "$want" ]]; then log "$who cost on $name is '$got', expected $want"; status=1; fi
    done
    ratio="$(echo "${peer_solve[$name]} / ${our_solve[$name]}" | bc -l)"
    row="$(printf '| %s | %s | %.4f s | %.4f s | %.3f s | %.3f s | %.1f× |' "$name" "$want" \
        "${our_parse[$name]}" "${our_solve[$name]}" "${peer_parse[$name]}" "${peer_solve[$name]}" "$ratio")"
    if [[ "$with_lemon" == 1 ]]; then
        lratio="$(echo "${lemon_solve[$name]} / ${our_solve[$name]}" | bc -l)"
        row+="$(printf ' %.4f s (%.4f s) | %.1f× |' "${lemon_solve[$name]}" "${lemon_run[$name]}" "$lratio")"
    fi
    echo "$row"
done
echo
echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)."
echo "Minimum over $runs runs (ours), $peer_runs (OR-Tools)$([[ "$with_lemon" == 1 ]] && echo " and $lemon_runs (LEMON)")."
exit $status
