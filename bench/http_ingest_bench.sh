#!/usr/bin/env bash
# HTTP benchmark of durable event ingestion, for one or more `switchyard` binaries side by side in
# one run: each starts on a free loopback port with a fresh data directory; wrk -t2 -c64 runs on
# GET /healthz, then POST /api/v1/events with batches of each size in BATCHES (bench/ingest.lua;
# every 200 is a group-committed, fsynced batch). It reports events/s and its ratio to the same
# binary's /healthz req/s (the ratio travels between machines; absolute figures do not), and the
# server's CPU time per stored event (utime + stime from /proc over the load, divided by the
# events the server counted): a cost that holds even on a machine busy with other work, where
# throughput does not. It ends with each server's events per group commit, size on disk and RSS.
# Usage: bash bench/http_ingest_bench.sh [SECONDS=10] [BATCHES="100 500"] [BINARY...]
#        (default ./build/switchyard)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
batches=${2:-"100 500"}
shift $(( $# > 2 ? 2 : $# ))
binaries=("$@")
bash scripts/install-deps.sh --bench >/dev/null
if [ ${#binaries[@]} -eq 0 ]; then
  bash scripts/build.sh
  binaries=(./build/switchyard)
fi
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
ticks=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"

rps() { awk '/Requests\/sec/ {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of the whole process
stored_events() {
  curl -s -H "Authorization: Bearer $admin" "$1/metrics" | awk '/^switchyard_events_stored_total/ {print $2}'
}

for bin in "${binaries[@]}"; do
  data=$(mktemp -d)
  log=$(mktemp)
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$log"' EXIT
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  echo "== $bin"
  health=$(wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | rps)
  echo "  /healthz: $health req/s"
  for size in $batches; do
    cpu_before=$(cpu_ticks "$server")
    stored_before=$(stored_events "$url")
    out=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_BATCH=$size wrk -t2 -c64 -d"${seconds}s" \
      -s bench/ingest.lua "$url")
    cpu_after=$(cpu_ticks "$server")
    stored_after=$(stored_events "$url")
    r=$(echo "$out" | rps)
    echo "$out" | tail -2 | sed "s/^/  batch $size: /"
    awk -v s="$size" -v r="$r" -v h="$health" -v c=$((cpu_after - cpu_before)) -v t="$ticks" \
      -v e=$((stored_after - stored_before)) 'BEGIN {
      printf "  batch %d: %.0f req/s = %.0f events/s (%.2fx /healthz req/s); server CPU %.2f us per event\n",
        s, r, r * s, r * s / h, (e > 0 ? 1e6 * c / t / e : 0) }'
  done
  metrics=$(curl -s -H "Authorization: Bearer $admin" "$url/metrics")
  stored=$(echo "$metrics" | awk '/^switchyard_events_stored_total/ {print $2}')
  commits=$(echo "$metrics" | awk '/^switchyard_ingest_commits_total\{pipeline="events"\}/ {print $2}')
  awk -v s="$stored" -v c="$commits" 'BEGIN { printf "  stored %d events in %d transactions: %.0f events per commit\n", s, c, s / c }'
  echo "  events.db: $(du -sh "$data" | cut -f1) with WAL; RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
  kill $server
  wait $server 2>/dev/null || true
  rm -rf "$data" "$log"
  trap - EXIT
done
