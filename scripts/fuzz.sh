#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader of outside input with AFL++ (cargo-afl, on the
# stable toolchain): CSV, XLSX, vCard, DIMACS and the full dump. Runs each target for SECONDS
# (default 30), fails if any run found a crash or a hang, and prints what each run did.
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
#
# Needs cargo-afl (`cargo install cargo-afl`; it builds AFL++ on first use). A long run, e.g.
# `scripts/fuzz.sh 3600`, is how the figures in RELIABILITY.md were made.
set -euo pipefail
SECONDS_EACH=${1:-30}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(csv xlsx vcard dimacs dump)
cd "$(dirname "$0")/../fuzz"
OUT=${FUZZ_OUT:-$(mktemp -d)}
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
cargo afl build --release --quiet
BIN_DIR="${CARGO_TARGET_DIR:-target}/release"
failed=0
printf '| target | seconds | executions | execs/s | corpus | crashes | hangs | peak RSS (MB) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for target in "${TARGETS[@]}"; do
  mkdir -p "$OUT/$target"
  cargo afl fuzz -V "$SECONDS_EACH" -t 5000 -m 2048 -i "seeds/$target" -o "$OUT/$target" "$BIN_DIR/$target" \
    > "$OUT/$target.log" 2>&1 || { echo "afl-fuzz failed on $target:"; tail -20 "$OUT/$target.log"; exit 1; }
  stats="$OUT/$target/default/fuzzer_stats"
  value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(value saved_crashes)
  hangs=$(value saved_hangs)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$SECONDS_EACH" "$(value execs_done)" \
    "$(value execs_per_sec)" "$(value corpus_count)" "$crashes" "$hangs" "$(value peak_rss_mb)"
  if [ "$crashes" != "0" ] || [ "$hangs" != "0" ]; then
    echo "$target: crashes or hangs in $OUT/$target/default/{crashes,hangs}" >&2
    failed=1
  fi
done
exit $failed
