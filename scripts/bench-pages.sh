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

case "$DATABASE_URL" in
postgres://* | postgresql://*)
    sql() { psql -At "$DATABASE_URL" -c "$1"; }
    # Statistics and visibility maps as a server with autovacuum has them: after the
    # generator's bulk load and its jobs' updates, without this the planner guesses and
    # every index-only scan visits the table (3,388 heap fetches per account page).
    psql -q "$DATABASE_URL" -c "VACUUM ANALYZE"
    ;;
*) sql() { sqlite3 -readonly "${DATABASE_URL#sqlite://}" "$1"; } ;;
esac

# The dataset's ids for the route table's placeholders: the largest of each kind where size
# matters (the account with the most key contacts, the person of ours with the most current
# counterparts), the first otherwise.
own=$(sql "SELECT id FROM organizations WHERE kind = 'own'")
account=$(sql "SELECT account_id FROM key_contacts GROUP BY account_id ORDER BY COUNT(*) DESC, account_id LIMIT 1")
contact=$(sql "SELECT id FROM key_contacts WHERE account_id = $account ORDER BY id LIMIT 1")
partner=$(sql "SELECT person_id FROM key_contacts WHERE id = $contact")
person=$(sql "SELECT our_id FROM assignments WHERE valid_to IS NULL GROUP BY our_id ORDER BY COUNT(*) DESC, our_id LIMIT 1")
assignment=$(sql "SELECT a.id FROM assignments a JOIN key_contacts k ON k.person_id = a.partner_id WHERE k.account_id = $account ORDER BY a.id LIMIT 1")
unit=$(sql "SELECT id FROM units WHERE organization_id = $own AND parent_id IS NULL ORDER BY id LIMIT 1")
criterion=$(sql "SELECT id FROM criteria ORDER BY id LIMIT 1")
level=$(sql "SELECT id FROM levels ORDER BY id LIMIT 1")
function=$(sql "SELECT id FROM functions ORDER BY id LIMIT 1")
guest=$(sql "SELECT id FROM users WHERE username = 'gast'")
insight=$(sql "SELECT id FROM insights WHERE partner_id = $partner ORDER BY id LIMIT 1")
series=$(sql "SELECT id FROM jf_series ORDER BY id LIMIT 1")
meeting=$( [ -z "$series" ] || sql "SELECT id FROM jf_meetings WHERE series_id = $series AND prepared_at IS NOT NULL ORDER BY starts_at DESC LIMIT 1")
item=$( [ -z "$meeting" ] || sql "SELECT id FROM jf_items WHERE meeting_id = $meeting ORDER BY position LIMIT 1")
action=$( [ -z "$meeting" ] || sql "SELECT id FROM jf_actions WHERE meeting_id = $meeting ORDER BY id LIMIT 1")

# The GET routes of the route table, each with its placeholders filled; a route whose record
# the dataset lacks (the jour fixe, unless scripts/bench-jour-fixe.sh made one) is listed as
# skipped.
routes=$(python3 - "$ONLY" <<EOF
import re, sys
text = open("crates/web/tests/support/routes.rs").read()
table = text[text.index("pub const ROUTES"):text.index("pub const UPLOAD_ROUTES")]
ids = {"a": "$account", "k": "$contact", "s": "$assignment", "c": "$criterion", "o": "$own",
       "u": "$unit", "p": "$person", "l": "$level", "f": "$function", "n": "$guest",
       "q": "$partner", "g": "$insight", "j": "$series", "m": "$meeting", "t": "$item",
       "x": "$action", "i": ""}
for path in re.findall(r'\(\s*Method::Get,\s*"([^"]+)"', table):
    if not re.search(sys.argv[1], path):
        continue
    names = re.findall(r"\{(\w)\}", path)
    missing = [n for n in names if not ids.get(n)]
    filled = re.sub(r"\{(\w)\}", lambda m: ids.get(m.group(1), ""), path)
    print(("skip " if missing else "run ") + path + " " + filled)
EOF
)

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

jar=$(mktemp)
csrf=$(curl -fsS -b "$jar" -c "$jar" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 |
    sed 's/.*value="//; s/"$//')
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "username=schneider" --data-urlencode "password=$PASSWORD" "$BASE/login")
[ "$status" = 303 ] || { echo "login failed: HTTP $status" >&2; exit 1; }
cookie="cp_session=$(awk '$6 == "cp_session" { print $7 }' "$jar")"
rm -f "$jar"

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
