#!/usr/bin/env bash
# Import benchmark: 1,000,000 CSV rows and 100,000 XLSX rows through `counterpart import
# --commit` (a release build), with `sqlite3 .import` of the same CSV into a plain table in the
# same run as the ceiling. Prints a markdown table.
#
#   scripts/bench-import.sh [BIN]     (default: target/release/counterpart)
set -euo pipefail
BIN=${1:-target/release/counterpart}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
here=$(dirname "$0")

python3 "$here/gen-people-csv.py" 1000000 "$DIR/people-1m.csv"
head -n 100001 "$DIR/people-1m.csv" > "$DIR/people-100k.csv"

seconds() { local start=$(date +%s.%N); "$@" > "$DIR/out.txt" 2>&1; echo "$(date +%s.%N) - $start" | bc; }

DB="$DIR/bench.db"
# The 100k XLSX is our own export of 100k imported people (it must import back).
"$BIN" import "$DIR/people-100k.csv" --org "Quelle" --commit --database-url "$DB" > /dev/null 2>&1
"$BIN" export --org "Quelle" "$DIR/people-100k.xlsx" --database-url "$DB" > /dev/null

xlsx=$(seconds "$BIN" import "$DIR/people-100k.xlsx" --org "XLSX 100k" --commit --database-url "$DB")
grep -q "100000 created" "$DIR/out.txt" || { cat "$DIR/out.txt"; exit 1; }
csv=$(seconds "$BIN" import "$DIR/people-1m.csv" --org "CSV 1M" --commit --database-url "$DB")
grep -q "1000000 created" "$DIR/out.txt" || { cat "$DIR/out.txt"; exit 1; }
reimport=$(seconds "$BIN" import "$DIR/people-1m.csv" --org "CSV 1M" --commit --database-url "$DB")
grep -q "1000000 unchanged" "$DIR/out.txt" || { cat "$DIR/out.txt"; exit 1; }
ceiling=$(seconds sqlite3 "$DIR/ceiling.db" ".mode csv" ".separator ;" ".import $DIR/people-1m.csv people")

rate() { echo "scale=0; $1 / $2" | bc; }
echo "| import | rows | seconds | rows/s |"
echo "|---|---:|---:|---:|"
printf "| XLSX, new people | 100,000 | %.1f | %s |\n" "$xlsx" "$(rate 100000 "$xlsx")"
printf "| CSV, new people | 1,000,000 | %.1f | %s |\n" "$csv" "$(rate 1000000 "$csv")"
printf "| CSV, same file again (all unchanged) | 1,000,000 | %.1f | %s |\n" "$reimport" "$(rate 1000000 "$reimport")"
printf "| ceiling: sqlite3 .import into a plain table | 1,000,000 | %.1f | %s |\n" "$ceiling" "$(rate 1000000 "$ceiling")"
