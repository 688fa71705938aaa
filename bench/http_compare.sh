#!/usr/bin/env bash
# Side-by-side HTTP benchmark of one or more `switchyard` binaries in one run on this machine:
# for each, a fresh SQLite store seeded with FLAGS flags, then wrk -t2 -c64 on GET /healthz and
# on POST /api/v1/evaluate (fixed user; then 1,000 rotating users), and the ratio of evaluate to
# the same binary's /healthz — absolute figures differ between machines, the ratio travels. With
# SWITCHYARD_BENCH_BATCH=N (e.g. 100) it also runs POST /api/v1/evaluate/batch with N users per
# request (bench/evaluate_batch.lua) and reports users evaluated per second against /healthz.
# Usage: bash bench/http_compare.sh [FLAGS=20] [SECONDS=10] [BINARY...]   (default ./build/switchyard)
# A BINARY may carry serve flags after a '+': './build/switchyard+--person-cache-entries=0' (the
# person cache off: every evaluate reads SQLite on the worker pool).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/seed_flags.sh
flags=${1:-20}
seconds=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=(./build/switchyard)
bash scripts/install-deps.sh --bench >/dev/null
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t2 -c64 -d${seconds}s"

rps() { awk '/Requests\/sec/ {print $2}'; }

for spec in "${binaries[@]}"; do
  bin=${spec%%+*}
  args=()
  [ "$spec" = "$bin" ] || read -r -a args <<<"${spec#*+}"
  data=$(mktemp -d)
  log=$(mktemp)
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" "${args[@]}" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  seed_flags "$url" "$admin" "$flags"
  sleep 1
  health=$(wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | rps)
  fixed=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_ROTATE=0 wrk -t2 -c64 -d"${seconds}s" \
    -s bench/evaluate.lua "$url" | rps)
  rotating=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_ROTATE=1 wrk -t2 -c64 -d"${seconds}s" \
    -s bench/evaluate.lua "$url" | rps)
  batch=0
  if [ -n "${SWITCHYARD_BENCH_BATCH:-}" ]; then
    batch=$(SWITCHYARD_BENCH_KEY=$project wrk -t2 -c64 -d"${seconds}s" -s bench/evaluate_batch.lua "$url" | rps)
  fi
  rss=$(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)
  kill $server; wait $server 2>/dev/null || true
  rm -rf "$data" "$log"
  awk -v b="$spec" -v h="$health" -v f="$fixed" -v r="$rotating" -v m="$rss" -v x="$batch" \
    -v n="${SWITCHYARD_BENCH_BATCH:-0}" 'BEGIN {
    printf "%s\n  /healthz %.0f req/s | evaluate fixed %.0f req/s (%.0f%% of healthz) | evaluate 1,000 users %.0f req/s (%.0f%%) | RSS %s\n",
      b, h, f, 100 * f / h, r, 100 * r / h, m
    if (n > 0) printf "  evaluate/batch of %d users %.0f req/s = %.0f users/s (%.0f%% of healthz req/s)\n",
      n, x, x * n, 100 * x * n / h }'
done
