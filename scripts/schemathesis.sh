#!/usr/bin/env bash
# The API conformance run (issue 15): Schemathesis against a live server. Starts
# `counterpart demo` on a fresh SQLite file on a free port, issues an administrator a
# read-write token and a viewer a read token (`counterpart token create`), runs
# `schemathesis run …/api/v1/openapi.json` with every check once with each token, stops the
# server, and fails on any failed check (a 5xx, a status, header, content type or body the
# document does not describe, …), on any 5xx or 429 in the server's log, and when a run was
# answered nothing but errors (a token that did not work tests nothing).
#
#   scripts/schemathesis.sh
#
# Needs Schemathesis (`pip install -r scripts/schemathesis-requirements.txt`). Settings by
# environment:
#   COUNTERPART_BIN  the server binary (default: `cargo build` the debug one and use it)
#   ST_EXAMPLES      test cases per operation and phase (50)
#   ST_WORKERS       concurrent Schemathesis workers (2)
#   ST_SEED          the random seed, for a reproducible run (20261207)
#   ST_OUT           where the server log and the reports go (a new temporary directory)
#
# The server runs with `--api-rate-limit 1000000`: the production default (600 requests a
# token a minute) would answer most of the run with 429 and so test nothing; the server logs
# a warning that the rate is not the default. The settings of the checks, each with its
# reason, are in scripts/schemathesis.toml.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXAMPLES=${ST_EXAMPLES:-50}
WORKERS=${ST_WORKERS:-2}
SEED=${ST_SEED:-20261207}
OUT=${ST_OUT:-$(mktemp -d /tmp/counterpart-schemathesis.XXXXXX)}
mkdir -p "$OUT"

# The command pip installed: on PATH, else beside the python3 that installed it.
ST=$(command -v schemathesis || echo "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/schemathesis")
test -x "$ST" || {
  echo "schemathesis is missing: pip install -r scripts/schemathesis-requirements.txt" >&2
  exit 1
}
wanted=$(sed -n 's/^schemathesis==//p' "$ROOT/scripts/schemathesis-requirements.txt")
"$ST" --version | grep -qF "version $wanted" || {
  echo "schemathesis $wanted is pinned, found: $("$ST" --version)" >&2
  exit 1
}
if [ -z "${COUNTERPART_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --quiet -p counterpart-cli --bin counterpart)
  COUNTERPART_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/counterpart"
fi
test -x "$COUNTERPART_BIN" || { echo "no server binary at $COUNTERPART_BIN" >&2; exit 1; }

DB="$OUT/api.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$COUNTERPART_BIN" demo --no-serve --database-url "$DB" >/dev/null
token() {
  "$COUNTERPART_BIN" token create --user "$1" --scope "$2" --days 1 --label "Schemathesis" \
    --database-url "$DB" 2>/dev/null
}
WRITE_TOKEN=$(token schneider write)
READ_TOKEN=$(token gast read)

# The server on a port the system chooses; its first line names the address.
LOG="$OUT/server.log"
NO_COLOR=1 COUNTERPART_LOG="info,sqlx=warn" "$COUNTERPART_BIN" demo --database-url "$DB" \
  --bind 127.0.0.1:0 --api-rate-limit 1000000 >"$LOG" 2>&1 &
SERVER=$!
stop() { kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true; }
trap stop EXIT
BASE=
for _ in $(seq 1 100); do
  BASE=$(grep -o 'running at http://[0-9.:]*' "$LOG" | head -1 | cut -d' ' -f3 || true)
  [ -n "$BASE" ] && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { echo "the server did not start:" >&2; cat "$LOG" >&2; exit 1; }
echo "Server at $BASE (log: $LOG)"

# Each token opens the API with its scope, or the run would test only refusals.
for pair in "write:$WRITE_TOKEN" "read:$READ_TOKEN"; do
  scope=${pair%%:*}
  me=$(curl -sf -H "Authorization: Bearer ${pair#*:}" "$BASE/api/v1/me")
  grep -q "\"scope\":\"$scope\"" <<<"$me" || { echo "the $scope token does not work: $me" >&2; exit 1; }
done

failed=0
run() {
  local name=$1 secret=$2 examples=$3
  echo
  echo "==> Schemathesis with the $name token ($examples examples per operation, seed $SEED)"
  (
    cd "$OUT"
    "$ST" --no-color --config-file "$ROOT/scripts/schemathesis.toml" run \
      "$BASE/api/v1/openapi.json" \
      --checks all \
      --header "Authorization: Bearer $secret" \
      --max-examples "$examples" \
      --workers "$WORKERS" \
      --seed "$SEED" \
      --generation-database none \
      --report junit --report-dir "$OUT/$name"
  ) || failed=1
}
run write "$WRITE_TOKEN" "$EXAMPLES"
run read "$READ_TOKEN" "$(((EXAMPLES + 1) / 2))"
stop
trap - EXIT

# What the server answered, from its request log.
statuses=$(sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -o 'http.status=[0-9]*' | cut -d= -f2 | sort | uniq -c)
echo
echo "==> What the server answered (count, status)"
echo "$statuses"
count() { awk -v re="$1" '$2 ~ re { n += $1 } END { print n + 0 }' <<<"$statuses"; }
if [ "$(count '^5')" != 0 ]; then
  echo "the server answered 5xx; see $LOG" >&2
  failed=1
fi
if [ "$(count '^429$')" != 0 ]; then
  echo "the server braked the run with 429; it tested less than it claims" >&2
  failed=1
fi
if [ "$(count '^2')" -lt 100 ]; then
  echo "fewer than 100 successful answers: the run tested little but refusals" >&2
  failed=1
fi
if [ "$failed" != 0 ]; then
  echo "API conformance: FAILED (server log and reports in $OUT)" >&2
  exit 1
fi
echo "API conformance: 0 server errors, 0 schema violations"
