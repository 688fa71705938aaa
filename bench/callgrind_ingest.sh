#!/usr/bin/env bash
# The server's user-space instructions per stored event, counted by callgrind: unlike events/s and
# CPU time, the count does not move with what else runs on the machine, so two binaries compare
# to a fraction of a percent. For each BINARY: the server under callgrind on a fresh data
# directory, a 3 s warm-up of bench/ingest.lua, counters zeroed, then `wrk -t1 -c4 -d SECONDS`
# with batches of BATCH events; the whole server's instructions (I/O threads, the event writer,
# the checkpointer, the aggregator) divided by the events the server counted as stored.
# Usage: bash bench/callgrind_ingest.sh [SECONDS=15] [BATCH=500] BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
batch=${2:-500}
shift 2 || { echo "usage: $0 [SECONDS] [BATCH] BINARY..." >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: $0 [SECONDS] [BATCH] BINARY..." >&2; exit 2; }
bash scripts/install-deps.sh --bench >/dev/null
source bench/callgrind_server.sh
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stored() {
  curl -s -H "Authorization: Bearer $admin" "$1/metrics" | awk '/^switchyard_events_stored_total/ {print $2}'
}

for bin in "$@"; do
  start_callgrind_server "$bin" "$work" $admin $project
  SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_BATCH=$batch wrk -t1 -c4 -d3s -s bench/ingest.lua "$url" >/dev/null
  sleep 1
  callgrind_control -z $server >/dev/null 2>&1
  before=$(stored "$url")
  SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_BATCH=$batch wrk -t1 -c4 -d"${seconds}s" -s bench/ingest.lua "$url" \
    >/dev/null
  sleep 2  # the last batches committed
  after=$(stored "$url")
  instructions=$(callgrind_instructions "$work")
  events=$(awk -v a="$before" -v b="$after" 'BEGIN {printf "%d", b - a}')
  echo "$bin: $events events, $((instructions / events)) instructions per stored event (batch $batch)"
  kill $server
  wait $server 2>/dev/null || true
done
