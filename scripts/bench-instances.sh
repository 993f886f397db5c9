#!/usr/bin/env bash
# Two server instances on one database under load (issue 10): starts two release servers on
# the same database, reads every GET page of the route table through both at once with oha
# (the routes in turn, each request to either instance), and meanwhile records insights
# through the API of both, alternating. Then checks what a load balancer in front of them
# would need to hold: no request failed, every recorded insight is stored once with its audit
# row, one written through the one instance is read through the other, the job queue drains
# with no job failing, and neither server logged an error.
#
#   cargo build --release
#   target/release/counterpart demo --scale enterprise --no-serve \
#       --database-url postgres://postgres@127.0.0.1:5432/cpent
#   scripts/bench-instances.sh
#
# Needs what scripts/bench-pages.sh needs. Settings by environment:
#   DATABASE_URL  the database (postgres://postgres@127.0.0.1:5432/cpent; a SQLite file works
#                 too: two processes on one file in WAL mode)
#   BIN           the server binary (target/release/counterpart)
#   PORTS         the two instances' ports ("8097 8098")
#   DURATION      how long the load runs (60s)
#   CLIENTS       concurrent readers over both instances (8)
#   WRITERS       concurrent writers, each alternating between the instances (2)
#   PAUSE         seconds each writer waits between two writes (0.5)
#   ONLY          a regular expression: only the routes matching it are read
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cpent}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/counterpart}
read -r PORT_A PORT_B <<<"${PORTS:-8097 8098}"
DURATION=${DURATION:-60s}
CLIENTS=${CLIENTS:-8}
WRITERS=${WRITERS:-2}
PAUSE=${PAUSE:-0.5}
ONLY=${ONLY:-.}
PASSWORD=${PASSWORD:-demo}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
OUT=$(mktemp -d /tmp/bench-instances.XXXXXX)

# shellcheck source=scripts/bench-routes.sh
source scripts/bench-routes.sh

servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true' EXIT
for port in "$PORT_A" "$PORT_B"; do
    # The API's per-token brake (600 a minute, per instance) would answer the writers 429.
    "$BIN" serve --database-url "$DATABASE_URL" --bind "127.0.0.1:$port" --api-rate-limit 1000000 \
        >"$OUT/server-$port.log" 2>&1 &
    servers+=($!)
done
for port in "$PORT_A" "$PORT_B"; do
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/login" 2>/dev/null && break
        sleep 0.5
    done
done
for pid in "${servers[@]}"; do
    kill -0 "$pid" 2>/dev/null || { cat "$OUT"/server-*.log >&2; exit 1; }
done
A="http://127.0.0.1:$PORT_A"
B="http://127.0.0.1:$PORT_B"

# One session, made on the one instance, used on both: sessions live in the database.
cookie=$(session_cookie "$A" schneider)
token=$("$BIN" token create --database-url "$DATABASE_URL" --user krueger --scope write --days 1 \
    --label "bench-instances" 2>/dev/null)
# The insights go to the partner person on the last key contact, not the one the page
# benchmark reads, so that its pages stay as they were.
about=$(sql "SELECT person_id FROM key_contacts ORDER BY id DESC LIMIT 1")
run="bench-instances $(date +%s)"
since=$(sql "SELECT COALESCE(MAX(id), 0) FROM audit_log")

# Every route once per instance, in turn; those that answer other than 200 alone (a form's
# redirect, the supplier rating of an account that is no supplier) are left out, so that any
# other status under load is a failure.
while read -r what _ address; do
    [ "$what" = run ] || continue
    status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$A$address")
    [ "$status" = 200 ] || continue
    echo "$A$address"
    echo "$B$address"
done <<<"$routes" >"$OUT/urls.txt"

writer() {
    local n=0 status base
    local deadline=$((SECONDS + ${DURATION%s}))
    while [ $SECONDS -lt $deadline ]; do
        if [ $((n % 2)) = 0 ]; then base=$A; else base=$B; fi
        status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' \
            -d "{\"category\":\"needs\",\"text\":\"$run writer $1 insight $n\"}" \
            "$base/api/v1/people/$about/insights")
        echo "$status"
        n=$((n + 1))
        sleep "$PAUSE"
    done >"$OUT/writer-$1.txt"
}

echo "database $DATABASE_URL; instances $A and $B; $(wc -l <"$OUT/urls.txt") addresses;" \
    "$CLIENTS readers, $WRITERS writers (pausing ${PAUSE} s) for $DURATION; output in $OUT"
writers=()
for w in $(seq 1 "$WRITERS"); do
    writer "$w" &
    writers+=($!)
done
"$OHA" -z "$DURATION" -c "$CLIENTS" --no-tui --output-format json -H "Cookie: $cookie" \
    --urls-from-file "$OUT/urls.txt" >"$OUT/reads.json"
[ ${#writers[@]} = 0 ] || wait "${writers[@]}"

failed=0
jq -r '"reads: \(.summary.total // 0 | floor) s, \(.summary.requestsPerSec * 10 | round / 10) req/s, p50 \(.latencyPercentiles.p50 * 1000 | round) ms, p99 \(.latencyPercentiles.p99 * 1000 | round) ms, statuses \(.statusCodeDistribution | tostring), errors \(.errorDistribution | tostring)"' \
    "$OUT/reads.json"
bad_reads=$(jq '[.statusCodeDistribution | to_entries[] | select(.key | test("^2") | not) | .value] | add // 0' "$OUT/reads.json")
# Requests still open at the deadline are dropped by oha, not failed by the servers.
read_errors=$(jq '[.errorDistribution | to_entries[] | select(.key != "aborted due to deadline") | .value] | add // 0' "$OUT/reads.json")
[ "$bad_reads" = 0 ] && [ "$read_errors" = 0 ] || { echo "FAIL: $bad_reads reads not 2xx, $read_errors failed"; failed=1; }

if [ "$WRITERS" -gt 0 ]; then
    written=$(cat "$OUT"/writer-*.txt | grep -c '^201$' || true)
    attempts=$(cat "$OUT"/writer-*.txt | wc -l)
    echo "writes: $written of $attempts answered 201 ($(sort "$OUT"/writer-*.txt | uniq -c | tr -s ' ' | tr '\n' ';'))"
    [ "$written" = "$attempts" ] || { echo "FAIL: $((attempts - written)) writes not 201"; failed=1; }
    stored=$(sql "SELECT COUNT(*) FROM insights WHERE text LIKE '$run %'")
    audited=$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $since AND entity = 'insight' AND action = 'create'")
    echo "stored: $stored insights, $audited audit rows of created insights"
    [ "$stored" = "$written" ] && [ "$audited" = "$written" ] ||
        { echo "FAIL: $written written, $stored stored, $audited audited"; failed=1; }

    # The newest insight, written through either instance, read through both.
    newest=$(sql "SELECT id FROM insights WHERE text LIKE '$run %' ORDER BY id DESC LIMIT 1")
    for base in "$A" "$B"; do
        status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
            "$base/api/v1/insights/$newest")
        [ "$status" = 200 ] || { echo "FAIL: insight $newest answered $status at $base"; failed=1; }
    done
fi

# The jobs the writes queued (each insight's account rescoring) drain within two minutes.
for _ in $(seq 1 240); do
    [ "$(sql "SELECT COUNT(*) FROM jobs")" = 0 ] && break
    sleep 0.5
done
echo "jobs: $(sql "SELECT COUNT(*) FROM jobs") left, $(sql "SELECT COUNT(*) FROM jobs WHERE last_error IS NOT NULL") failed"
[ "$(sql "SELECT COUNT(*) FROM jobs")" = 0 ] || { echo "FAIL: the job queue did not drain"; failed=1; }

errors=$(cat "$OUT"/server-*.log | grep -ciE ' (ERROR|WARN) |panicked' || true)
echo "server logs: $errors lines of warnings or errors"
[ "$errors" = 0 ] || { grep -iE ' (ERROR|WARN) |panicked' "$OUT"/server-*.log | head -5; failed=1; }

[ "$failed" = 0 ] && echo "PASS: two instances served the load without errors"
exit "$failed"
