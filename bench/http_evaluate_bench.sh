#!/usr/bin/env bash
# HTTP benchmark of POST /api/v1/evaluate: starts the Release server on a free loopback port with a
# fresh SQLite store, seeds FLAGS flags (rollouts, property filters, a multivariate flag), reports
# the idle RSS, then runs wrk -t2 -c64 -s bench/evaluate.lua with keep-alive twice: one fixed
# request (wrk's no-Lua fast path) and 1,000 rotating users (SWITCHYARD_BENCH_ROTATE=1, which costs
# wrk more CPU on the same two cores). Usage: bash bench/http_evaluate_bench.sh [FLAGS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/seed_flags.sh
flags=${1:-20}
seconds=${2:-15}
bash scripts/install-deps.sh --bench >/dev/null
bash scripts/build.sh

data=$(mktemp -d)
log=$(mktemp)
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
  ./build/switchyard serve --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$log"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)

seed_flags "$url" "$admin" "$flags"
sleep 1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "idle RSS after seeding $flags flags: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
for rotate in 0 1; do
  echo "== SWITCHYARD_BENCH_ROTATE=$rotate wrk -t2 -c64 -d${seconds}s -s bench/evaluate.lua"
  SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_ROTATE=$rotate wrk -t2 -c64 -d"${seconds}s" \
    -s bench/evaluate.lua "$url" | tail -3
done
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
