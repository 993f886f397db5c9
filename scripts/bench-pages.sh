#!/usr/bin/env bash
# Every page kind of the route table (issue 10) against a release server on the "enterprise"
# dataset: starts the server on the database, logs in as the demo's administrator (who sees
# everything: the most a page can cost), and runs oha at 1 and 32 concurrent clients on every
# GET route of `crates/web/tests/support/routes.rs` with the dataset's ids filled in. Prints a
# table (p50, p99, requests per second, status codes per client count) and the server's
# resident memory before the load, after it, and at its peak.
#
#   cargo build --release
#   target/release/counterpart demo --scale enterprise --no-serve --database-url /tmp/cp-ent.db
#   scripts/bench-pages.sh
#
# Needs curl, jq, python3, sqlite3 (or psql for PostgreSQL) and oha (`cargo install oha
# --locked`). Settings by environment:
#   DATABASE_URL  the database (/tmp/cp-ent.db; a postgres:// URL measures PostgreSQL)
#   BIN           the server binary (target/release/counterpart)
#   PORT          where it listens (8097)
#   DURATION      per run (5s: about 20 minutes for the whole table)
#   CLIENTS       concurrent clients, one run each ("1 32")
#   ONLY          a regular expression: only the routes matching it
#   OUT           where oha's JSON goes (a new temporary directory)
# The routes that change nothing are measured; the table's POST routes are not (they write).
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL=${DATABASE_URL:-/tmp/cp-ent.db}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/counterpart}
PORT=${PORT:-8097}
BASE="http://127.0.0.1:$PORT"
DURATION=${DURATION:-5s}
CLIENTS=${CLIENTS:-1 32}
ONLY=${ONLY:-.}
PASSWORD=${PASSWORD:-demo}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
OUT=${OUT:-$(mktemp -d /tmp/bench-pages.XXXXXX)}
mkdir -p "$OUT"

# The ids and the routes to measure.
# shellcheck source=scripts/bench-routes.sh
source scripts/bench-routes.sh

"$BIN" serve --database-url "$DATABASE_URL" --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$BASE/login" 2>/dev/null && break
    sleep 0.5
done
rss() { awk -v k="$1" '$1 == k":" { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status"; }
# Resident memory in full and its parts: the heap (RssAnon) and the database file's pages
# mapped by SQLite's memory map (RssFile: the kernel's page cache, shared and given back under
# memory pressure).
memory() { echo "$(rss VmRSS) (heap $(rss RssAnon), mapped file $(rss RssFile))"; }
# oha stops at its deadline and drops the requests still open; the server works them off
# anyway. The next route is measured only once the server is idle again (under 5 % of a core
# over half a second, at most five minutes: 32 whole-house digests take that long), so that
# no route is measured under another's backlog.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
settle() {
    local last now
    last=$(cpu_ticks)
    for _ in $(seq 1 600); do
        sleep 0.5
        now=$(cpu_ticks)
        [ $((now - last)) -le 2 ] && return 0
        last=$now
    done
    echo "warning: the server was still busy five minutes after the last run" >&2
}

cookie=$(session_cookie "$BASE" schneider)

before=$(memory)
echo "database $DATABASE_URL; account $account, person $person, partner $partner, unit $unit;" \
    "server RSS before the load $before; oha JSON in $OUT"
printf '%-58s %7s %9s %9s %9s  %s\n' route clients "p50 ms" "p99 ms" "req/s" statuses

while read -r what template address; do
    if [ "$what" = skip ]; then
        printf '%-58s %s\n' "$template" "skipped: the dataset has no such record"
        continue
    fi
    # One request first, so that each page is measured warm.
    curl -sS -o /dev/null -H "Cookie: $cookie" "$BASE$address"
    for clients in $CLIENTS; do
        file="$OUT/$(echo "$template" | tr -c 'a-zA-Z0-9\n' '-')-c$clients.json"
        "$OHA" -z "$DURATION" -c "$clients" --no-tui --output-format json -H "Cookie: $cookie" \
            "$BASE$address" >"$file"
        jq -r --arg page "$template" --arg clients "$clients" '
            def ms: if . == null then "-" else . * 10000 | round / 10 end;
            [$page, $clients, (.latencyPercentiles.p50 | ms), (.latencyPercentiles.p99 | ms),
             (.summary.requestsPerSec * 10 | round / 10), (.statusCodeDistribution | tostring)]
            | @tsv' "$file" |
            awk -F'\t' '{ printf "%-58s %7s %9s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6 }'
        settle
    done
done <<<"$routes"

echo "server RSS after the load $(memory), peak $(rss VmHWM) (before: $before)"
