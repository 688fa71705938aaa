#!/usr/bin/env bash
# HTTP benchmark of durable event ingestion: starts the Release server on a free loopback port with
# a fresh data directory, runs wrk -t2 -c64 on GET /healthz, then POST /api/v1/events with batches
# of each size in BATCHES (bench/ingest.lua; every 200 is a group-committed, fsynced batch), and
# reports events/s and requests/s as a share of the same run's /healthz (the ratio travels between
# machines; absolute figures do not). It ends with the server's own count of stored events and its
# transactions, so the events per commit can be read off.
# Usage: bash bench/http_ingest_bench.sh [SECONDS=10] [BATCHES="100 500"]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
batches=${2:-"100 500"}
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

rps() { awk '/Requests\/sec/ {print $2}'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
health=$(wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | rps)
echo "/healthz: $health req/s"
for size in $batches; do
  out=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_BATCH=$size wrk -t2 -c64 -d"${seconds}s" \
    -s bench/ingest.lua "$url")
  r=$(echo "$out" | rps)
  echo "$out" | tail -3 | sed "s/^/  batch $size: /"
  awk -v s="$size" -v r="$r" -v h="$health" 'BEGIN {
    printf "  batch %d: %.0f req/s (%.0f%% of /healthz) = %.0f events/s (%.1fx /healthz req/s)\n",
      s, r, 100 * r / h, r * s, r * s / h }'
done
metrics=$(curl -s -H "Authorization: Bearer $admin" "$url/metrics")
stored=$(echo "$metrics" | awk '/^switchyard_events_stored_total/ {print $2}')
commits=$(echo "$metrics" | awk '/^switchyard_ingest_commits_total\{pipeline="events"\}/ {print $2}')
awk -v s="$stored" -v c="$commits" 'BEGIN { printf "stored %d events in %d transactions: %.0f events per commit\n", s, c, s / c }'
echo "events.db: $(du -sh "$data" | cut -f1) with WAL; RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
