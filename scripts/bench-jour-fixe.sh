#!/usr/bin/env bash
# The live jour-fixe meeting (issue 14) against a running release server on the "enterprise"
# dataset: a series of ten accounts (the most important) convened through the pages, its next
# meeting prepared, thirty contributions on it; then oha at 1 and 32 concurrent clients on the
# meeting page, on the poll every participant's page makes every 3 s when nothing is new (204),
# and on the poll when something is (the whole meeting's logs). Prints one line per page and
# client count (p50, p99, requests per second, status codes).
#
#   rm -f /tmp/cp-ent.db*
#   cargo run --release -- demo --scale enterprise --no-serve --database-url /tmp/cp-ent.db
#   target/release/counterpart serve --database-url /tmp/cp-ent.db --bind 127.0.0.1:8090 &
#   scripts/bench-jour-fixe.sh
#
# Needs curl, jq, sqlite3 and oha. Settings by environment: BASE, DB, DURATION (20s), CLIENTS
# ("1 32"), ACCOUNTS (10), CONTRIBUTIONS (30), BENCH_USER (a generated user linked to a person
# of ours), PASSWORD (demo). It writes into the database (a series, a meeting, contributions).
set -euo pipefail

BASE=${BASE:-http://127.0.0.1:8090}
DB=${DB:-/tmp/cp-ent.db}
DURATION=${DURATION:-20s}
CLIENTS=${CLIENTS:-1 32}
ACCOUNTS=${ACCOUNTS:-10}
CONTRIBUTIONS=${CONTRIBUTIONS:-30}
PASSWORD=${PASSWORD:-demo}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
OUT=${OUT:-$(mktemp -d /tmp/bench-jour-fixe.XXXXXX)}

sql() { sqlite3 -readonly "$DB" "$1"; }
BENCH_USER=${BENCH_USER:-$(sql "SELECT username FROM users WHERE id > 4 AND person_id IS NOT NULL ORDER BY id LIMIT 1")}
unit=$(sql "SELECT p.unit_id FROM users u JOIN persons p ON p.id = u.person_id WHERE u.username = '$BENCH_USER'")

jar=$(mktemp)
token() { curl -fsS -b "$jar" -c "$jar" "$BASE$1" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
csrf=$(token /login)
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "username=$BENCH_USER" --data-urlencode "password=$PASSWORD" "$BASE/login")
[ "$status" = 303 ] || { echo "login as $BENCH_USER failed: HTTP $status" >&2; exit 1; }
cookie="cp_session=$(awk '$6 == "cp_session" { print $7 }' "$jar")"
csrf=$(token /jour-fixe/new)
post() { curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" "$@"; }

first=$(date -d "+1 day" +%Y-%m-%d)
series=$(post --data-urlencode "name=Bench-Jour-fixe" --data-urlencode "unit_id=$unit" \
    --data-urlencode "first_date=$first" --data-urlencode "start_time=09:00" \
    --data-urlencode "repeat=weekly" "$BASE/jour-fixe/new" | grep -o '[0-9]*$')
for account in $(sql "SELECT id FROM accounts WHERE active = 1 ORDER BY score DESC, id LIMIT $ACCOUNTS"); do
    post --data-urlencode "account_id=$account" "$BASE/jour-fixe/$series/accounts" >/dev/null
done
at=$(curl -fsS -b "$jar" "$BASE/jour-fixe/$series" | grep -o 'name="at" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
started=$(date +%s.%N)
meeting=$(post --data-urlencode "at=$at" "$BASE/jour-fixe/$series/occurrences/prepare" | grep -o '/meetings/[0-9]*' | grep -o '[0-9]*$')
# The job may have prepared it while the accounts were being added: prepare it again with all.
post "$BASE/meetings/$meeting/prepare-again" >/dev/null
prepared=$(echo "$(date +%s.%N) - $started" | bc)
items=$(sql "SELECT id FROM jf_items WHERE meeting_id = $meeting ORDER BY position")
read -r -a item_ids <<<"$(echo $items)"
for i in $(seq 1 "$CONTRIBUTIONS"); do
    item=${item_ids[$(( (i - 1) % ${#item_ids[@]} ))]}
    post --data-urlencode "category=needs" --data-urlencode "text=Beitrag $i: Der Kunde plant einen neuen Standort." \
        "$BASE/meetings/$meeting/items/$item/contributions" >/dev/null
done
revision=$(sql "SELECT revision FROM jf_meetings WHERE id = $meeting")
signature=$(echo "$items" | paste -sd, -)
echo "user $BENCH_USER; series $series, meeting $meeting: ${#item_ids[@]} items, $CONTRIBUTIONS contributions," \
    "revision $revision; prepared through the page in ${prepared} s; oha JSON in $OUT"
printf '%-36s %7s %9s %9s %9s  %s\n' page clients "p50 ms" "p99 ms" "req/s" statuses

run() {
    local label=$1 clients=$2 url=$3 file
    file="$OUT/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-')-c$clients.json"
    "$OHA" -z "$DURATION" -c "$clients" --no-tui --output-format json -H "Cookie: $cookie" "$url" >"$file"
    jq -r --arg page "$label" --arg clients "$clients" '
        def ms: if . == null then "-" else . * 10000 | round / 10 end;
        [$page, $clients, (.latencyPercentiles.p50 | ms), (.latencyPercentiles.p99 | ms),
         (.summary.requestsPerSec * 10 | round / 10), (.statusCodeDistribution | tostring)]
        | @tsv' "$file" | awk -F'\t' '{ printf "%-36s %7s %9s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6 }'
}
curl -fsS -o /dev/null -H "Cookie: $cookie" "$BASE/meetings/$meeting"
for clients in $CLIENTS; do
    run "meeting page" "$clients" "$BASE/meetings/$meeting"
done
for clients in $CLIENTS; do
    run "poll, nothing new (204)" "$clients" "$BASE/meetings/$meeting/live?rev=$revision&items=$signature"
done
for clients in $CLIENTS; do
    run "poll, all logs (200)" "$clients" "$BASE/meetings/$meeting/live?rev=0&items=$signature"
done
rm -f "$jar"
