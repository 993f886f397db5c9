# The route table's GET routes with an enterprise dataset's ids filled in, for the benchmark
# scripts (sourced; needs DATABASE_URL and ONLY set, and the repository as the working
# directory). Sets `sql` (a query on the database), the ids, and `routes`: one line per route,
# "run TEMPLATE ADDRESS", or "skip TEMPLATE ADDRESS" where the dataset lacks the record; and
# `session_cookie BASE USER`, which logs in (password $PASSWORD) and prints the cookie.

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

session_cookie() {
    local jar csrf status
    jar=$(mktemp)
    csrf=$(curl -fsS -b "$jar" -c "$jar" "$1/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 |
        sed 's/.*value="//; s/"$//')
    status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" \
        --data-urlencode "username=$2" --data-urlencode "password=$PASSWORD" "$1/login")
    [ "$status" = 303 ] || { echo "login as $2 failed: HTTP $status" >&2; rm -f "$jar"; return 1; }
    echo "cp_session=$(awk '$6 == "cp_session" { print $7 }' "$jar")"
    rm -f "$jar"
}
