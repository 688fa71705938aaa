#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ./build-fuzz) and runs each for SECONDS (default 60) from
# its seed corpus in fuzz/corpus/<target>/. Fails on the first crash, leak, timeout or sanitizer
# report; the reproducer is left in build-fuzz/fuzz/artifacts/.
#
#   bash scripts/fuzz.sh [SECONDS]
#   replay one input:  build-fuzz/fuzz/fuzz_router build-fuzz/fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build=build-fuzz

bash scripts/configure-clang-build.sh
cmake --build "$build" -j"$(nproc)" --target sy_fuzzers

# Bounds that keep the run about our code: inputs past these sizes hit limits owned elsewhere
# (JSON nesting depth, prerequisite chain length), tracked in issue 5.
declare -A max_len=([router]=4096 [definitions]=4096 [property_match]=1024 [date]=128 [semver]=128 [event_parser]=2048 [gateway_request]=2048)

artifacts="$build/fuzz/artifacts"
mkdir -p "$artifacts"
for target in router definitions property_match date semver event_parser gateway_request; do
  echo "== fuzz $target (${seconds}s)"
  # A scratch corpus: what the run discovers stays out of the committed seeds.
  work="$build/fuzz/corpus-$target"
  mkdir -p "$work"
  log="$build/fuzz/$target.log"
  status=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/fuzz_$target" "$work" "fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    tail -n 80 "$log"
    echo "fuzz $target failed (exit $status); reproducer: $(ls -t "$artifacts"/"$target"-* 2>/dev/null | head -1)"
    exit 1
  fi
  grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added)' "$log" || tail -n 3 "$log"
done
echo "== fuzzing passed"
