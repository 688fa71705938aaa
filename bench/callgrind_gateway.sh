#!/usr/bin/env bash
# The server's user-space instructions per gateway call, counted by callgrind: unlike req/s and
# CPU time, the count does not move with what else runs on the machine, so two binaries compare
# to a fraction of a percent. For each BINARY: the fake upstream, the server under callgrind, the
# route of bench/gateway_route.sh (a 50/50 flag over two models), a 3 s warm-up, counters
# zeroed, then `wrk -t1 -c4 -d SECONDS` through the gateway; the whole server's instructions
# (every thread: I/O, event writer, aggregator) divided by the calls wrk completed.
# Usage: bash bench/callgrind_gateway.sh [SECONDS=20] BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift
[ $# -gt 0 ] || { echo "usage: $0 [SECONDS] BINARY..." >&2; exit 2; }
bash scripts/install-deps.sh --bench >/dev/null
source bench/gateway_route.sh
source bench/callgrind_server.sh
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
work=$(mktemp -d)
fake_pid=
trap 'kill $fake_pid 2>/dev/null; rm -rf "$work"' EXIT
start_fake_upstream "$work"

for bin in "$@"; do
  start_callgrind_server "$bin" "$work" $admin $project
  create_bench_route "$url" $admin "$fake_url"
  SWITCHYARD_BENCH_KEY=$project wrk -t1 -c4 -d3s -s bench/gateway.lua "$url" >/dev/null
  sleep 1
  callgrind_control -z $server >/dev/null 2>&1
  out=$(SWITCHYARD_BENCH_KEY=$project wrk -t1 -c4 -d"${seconds}s" -s bench/gateway.lua "$url")
  sleep 1  # the last calls' events committed
  instructions=$(callgrind_instructions "$work")
  calls=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$bin: $calls calls, $((instructions / calls)) instructions per call"
  kill $server
  wait $server 2>/dev/null || true
done
