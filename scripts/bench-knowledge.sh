#!/usr/bin/env bash
# The knowledge pages (issue 13) against a running release server on the "enterprise" dataset:
# the person and account briefing, My day, the header search (a name and a broad word) and
# recording an insight, each with oha at 1 and 32 concurrent clients. Prints one line per page
# and client count (p50, p99, requests per second, status codes) and keeps oha's JSON.
#
#   rm -f /tmp/cp-ent.db*
#   cargo run --release -- demo --scale enterprise --no-serve --database-url /tmp/cp-ent.db
#   target/release/counterpart serve --database-url /tmp/cp-ent.db --bind 127.0.0.1:8090 &
#   scripts/bench-knowledge.sh
#
# Needs curl, jq, sqlite3 (to choose the user and the ids from the database) and oha
# (`cargo install oha --locked`). Settings by environment:
#   BASE        the server (http://127.0.0.1:8090)
#   DB          its SQLite file, read only (/tmp/cp-ent.db)
#   DURATION    per run (20s)
#   CLIENTS     concurrent clients, one run each ("1 32")
#   BENCH_USER  the login (default: the generated user whose person holds the most current
#               counterparts); TYPICAL_USER for a second My day (default: a generated user
#               with the median number); password PASSWORD (demo)
#   WORD        the broad search word (Standort)
#   OUT         where oha's JSON goes (a new temporary directory)
#
# Recording an insight writes one insight per request into the database (tens of thousands
# per run, about a partner of another account than the briefings'): load the dataset afresh
# before comparing runs.
set -euo pipefail

BASE=${BASE:-http://127.0.0.1:8090}
DB=${DB:-/tmp/cp-ent.db}
DURATION=${DURATION:-20s}
CLIENTS=${CLIENTS:-1 32}
PASSWORD=${PASSWORD:-demo}
WORD=${WORD:-Standort}
OHA=${OHA:-$(command -v oha || echo "$HOME/.cargo/bin/oha")}
OUT=${OUT:-$(mktemp -d /tmp/bench-knowledge.XXXXXX)}
mkdir -p "$OUT"

sql() { sqlite3 -readonly "$DB" "$1"; }

# Generated users are those after the four demo logins; each is linked to a person of ours.
held="(SELECT COUNT(*) FROM assignments s WHERE s.our_id = u.person_id AND s.valid_to IS NULL)"
BENCH_USER=${BENCH_USER:-$(sql "SELECT username FROM users u WHERE id > 4 ORDER BY $held DESC, id LIMIT 1")}
TYPICAL_USER=${TYPICAL_USER:-$(sql "SELECT username FROM users u WHERE id > 4 AND $held > 0
    ORDER BY $held, id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM users WHERE id > 4)")}
person=$(sql "SELECT person_id FROM users WHERE username = '$BENCH_USER'")
# The briefings: the partner of the user's current pairs with the most contacts logged, and
# that partner's account.
partner=$(sql "SELECT s.partner_id FROM assignments s WHERE s.our_id = $person AND s.valid_to IS NULL
    ORDER BY (SELECT COUNT(*) FROM interactions c WHERE c.partner_id = s.partner_id) DESC, s.partner_id
    LIMIT 1")
account=$(sql "SELECT k.account_id FROM key_contacts k WHERE k.person_id = $partner LIMIT 1")
name=$(sql "SELECT family_name FROM persons WHERE id = $partner")
# Insights are recorded about another of the user's partners, of another account, so that the
# briefings measured stay as they were loaded.
scribble=$(sql "SELECT s.partner_id FROM assignments s JOIN key_contacts k ON k.person_id = s.partner_id
    WHERE s.our_id = $person AND s.valid_to IS NULL AND k.account_id <> $account
    ORDER BY s.partner_id LIMIT 1")

# Logs in through the form as a browser does: the login page's CSRF token (and its cookie),
# then POST /login; prints the session cookie.
login() {
    local jar token status
    jar=$(mktemp)
    token=$(curl -fsS -c "$jar" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 |
        sed 's/.*value="//; s/"$//')
    status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
        --data-urlencode "_csrf=$token" --data-urlencode "username=$1" \
        --data-urlencode "password=$PASSWORD" "$BASE/login")
    if [ "$status" != 303 ]; then
        echo "login as $1 failed: HTTP $status" >&2
        exit 1
    fi
    echo "cp_session=$(awk '$6 == "cp_session" { print $7 }' "$jar")"
    rm -f "$jar"
}

cookie=$(login "$BENCH_USER")
# The session's CSRF token, from any page's forms.
csrf=$(curl -fsS -H "Cookie: $cookie" "$BASE/people/$partner/briefing" |
    grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')

urlencode() { jq -rn --arg v "$1" '$v | @uri'; }

echo "user $BENCH_USER (person $person, $(sql "SELECT COUNT(*) FROM assignments WHERE our_id = $person AND valid_to IS NULL") current pairs);" \
    "partner $partner ($name: $(sql "SELECT COUNT(*) FROM insights WHERE partner_id = $partner") insights," \
    "$(sql "SELECT COUNT(*) FROM interactions WHERE partner_id = $partner") contacts);" \
    "account $account ($(sql "SELECT COUNT(*) FROM key_contacts WHERE account_id = $account") key contacts);" \
    "typical user $TYPICAL_USER; oha JSON in $OUT"
printf '%-36s %7s %9s %9s %9s  %s\n' page clients "p50 ms" "p99 ms" "req/s" statuses

# One oha run: label, clients, URL, further oha arguments.
run() {
    local label=$1 clients=$2 url=$3
    shift 3
    local file
    file="$OUT/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-')-c$clients.json"
    "$OHA" -z "$DURATION" -c "$clients" --no-tui --output-format json -H "Cookie: $cookie" \
        "$@" "$url" >"$file"
    jq -r --arg page "$label" --arg clients "$clients" '
        def ms: if . == null then "-" else . * 10000 | round / 10 end;
        [$page, $clients, (.latencyPercentiles.p50 | ms), (.latencyPercentiles.p99 | ms),
         (.summary.requestsPerSec * 10 | round / 10), (.statusCodeDistribution | tostring)]
        | @tsv' "$file" |
        awk -F'\t' '{ printf "%-36s %7s %9s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6 }'
}

each() {
    local label=$1
    shift
    for clients in $CLIENTS; do
        run "$label" "$clients" "$@"
    done
}

# A first request of each page, so that the measurements start from a warm page cache.
for path in "people/$partner/briefing" "accounts/$account/briefing" "" \
    "search?q=$(urlencode "$name")" "search?q=$(urlencode "$WORD")"; do
    curl -fsS -o /dev/null -H "Cookie: $cookie" "$BASE/$path"
done

each "person briefing" "$BASE/people/$partner/briefing"
each "account briefing" "$BASE/accounts/$account/briefing"
each "My day" "$BASE/"
# My day of a user with few counterparts, for comparison.
main_cookie=$cookie
cookie=$(login "$TYPICAL_USER")
each "My day ($TYPICAL_USER)" "$BASE/"
cookie=$main_cookie
each "search: a name ($name)" "$BASE/search?q=$(urlencode "$name")"
each "search: a broad word ($WORD)" "$BASE/search?q=$(urlencode "$WORD")"
# Writes last: oha cancels the requests still running at the end of a run, and a write
# cancelled at the wrong moment has been seen to leave the server unable to write until it
# restarts (BENCHMARKS.md, knowledge pages).
each "record an insight (partner $scribble)" "$BASE/people/$scribble/insights" -m POST \
    -T application/x-www-form-urlencoded \
    -d "_csrf=$csrf&category=needs&text=$(urlencode "Braucht für den Standort Köln ein neues Konzept für die Glasreinigung.")"
