#!/usr/bin/env bash
# The fake upstream's own instructions per call, counted by callgrind. The gateway benchmarks run
# the fake on the cores the server is measured on, so what it costs is taken from the gateway.
# For each FAKE_BINARY (a build of sy_fake_upstream): the fake under callgrind, a 2 s warm-up,
# counters zeroed, then `wrk -t1 -c4 -d SECONDS` straight at it (model `echo`, as the gateway's
# bench route calls it); the fake's instructions divided by the calls wrk completed.
# Usage: bash bench/callgrind_fake_upstream.sh [SECONDS=10] FAKE_BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift
[ $# -gt 0 ] || { echo "usage: $0 [SECONDS] FAKE_BINARY..." >&2; exit 2; }
bash scripts/install-deps.sh --bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for bin in "$@"; do
  rm -f "$work"/cg.* "$work/port"
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.%p" "$bin" --port 0 --print-port >"$work/port" 2>/dev/null &
  fake=$!
  for _ in $(seq 300); do [ -s "$work/port" ] && break; sleep 0.1; done
  fake_url="http://127.0.0.1:$(head -1 "$work/port")"
  SWITCHYARD_BENCH_MODEL=echo wrk -t1 -c4 -d2s -s bench/gateway.lua "$fake_url" >/dev/null
  callgrind_control -z $fake >/dev/null 2>&1
  out=$(SWITCHYARD_BENCH_MODEL=echo wrk -t1 -c4 -d"${seconds}s" -s bench/gateway.lua "$fake_url")
  callgrind_control -d $fake >/dev/null 2>&1
  sleep 1
  profile=$(ls -t "$work"/cg.* | head -1)
  instructions=$(callgrind_annotate "$profile" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  calls=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$bin: $calls calls, $((instructions / calls)) instructions per call"
  kill -INT $fake
  wait $fake 2>/dev/null || true
done
