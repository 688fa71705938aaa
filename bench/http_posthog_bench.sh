#!/usr/bin/env bash
# HTTP benchmark of the PostHog endpoints against their native counterparts, in one run of the
# Release server (fresh data directory, FLAGS flags seeded as bench/http_evaluate_bench.sh does),
# each wrk -t2 -c64 for SECONDS: GET /healthz; POST /api/v1/evaluate vs POST /flags/?v=2 for one
# user (targets: /flags >= 90 % of evaluate's req/s); POST /api/v1/events with 100 events per
# request vs POST /batch/ with the same 100 events as posthog-node sends them (gzip, api_key in
# the body, timestamps and sent_at; target >= 80 % of /api/v1/events' events/s). Every figure is
# also given as a share of the same run's /healthz.
# Usage: bash bench/http_posthog_bench.sh [FLAGS=20] [SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/seed_flags.sh
flags=${1:-20}
seconds=${2:-10}
size=100
bash scripts/install-deps.sh --bench >/dev/null
bash scripts/build.sh

data=$(mktemp -d)
log=$(mktemp)
body=$(mktemp)
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
  ./build/switchyard serve --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$log" "$body"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
seed_flags "$url" "$admin" "$flags"
sleep 1

# posthog-node's batch: the events of bench/ingest.lua (same names, ids and properties) in
# posthog-node's envelope (type, library, timestamp; api_key and sent_at), no uuids (so every
# request stores all its events, as in the /api/v1/events run).
python3 - "$project" "$size" >"$body.json" <<'PY'
import json, sys
key, size = sys.argv[1], int(sys.argv[2])
names = ["$pageview", "signup", "llm_request"]
batch = [{"event": names[i % 3], "distinct_id": f"user-{i}", "type": "capture", "library": "posthog-node",
          "timestamp": "2026-11-29T10:00:00.000Z",
          "properties": {"model": f"m-{i % 4}", "latency_ms": 100 + i % 900, "tokens": 10 * i, "success": True}}
         for i in range(1, size + 1)]
print(json.dumps({"api_key": key, "batch": batch, "sent_at": "2026-11-29T10:00:01.000Z"}))
PY
gzip -c "$body.json" >"$body"
rm -f "$body.json"

rps() { awk '/^requests\/s:/ {print $2} /Requests\/sec/ {print $2}' | head -1; }
run() { wrk -t2 -c64 -d"${seconds}s" "$@"; }
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
health=$(run "$url/healthz" | rps)
echo "/healthz: $health req/s"
evaluate=$(SWITCHYARD_BENCH_KEY=$project run -s bench/evaluate.lua "$url" | rps)
echo "POST /api/v1/evaluate ($flags flags): $evaluate req/s ($(share "$evaluate" "$health") of /healthz)"
flags_v2=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_MODE=flags run -s bench/posthog.lua "$url" | rps)
echo "POST /flags/?v=2 ($flags flags): $flags_v2 req/s ($(share "$flags_v2" "$health") of /healthz)" \
  "= $(share "$flags_v2" "$evaluate") of evaluate (target >= 90%)"
events=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_BATCH=$size run -s bench/ingest.lua "$url" | rps)
events_eps=$(awk -v r="$events" -v s=$size 'BEGIN { printf "%.0f", r * s }')
echo "POST /api/v1/events ($size per request): $events req/s = $events_eps events/s ($(share "$events" "$health") of /healthz req/s)"
batch=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_MODE=batch SWITCHYARD_BENCH_BODY=$body \
  SWITCHYARD_BENCH_BATCH=$size run -s bench/posthog.lua "$url" | rps)
batch_eps=$(awk -v r="$batch" -v s=$size 'BEGIN { printf "%.0f", r * s }')
echo "POST /batch/ (gzip, $size per request): $batch req/s = $batch_eps events/s ($(share "$batch" "$health") of /healthz req/s)" \
  "= $(share "$batch_eps" "$events_eps") of /api/v1/events (target >= 80%)"
metrics=$(curl -s -H "Authorization: Bearer $admin" "$url/metrics")
echo "stored events: $(echo "$metrics" | awk '/^switchyard_events_stored_total/ {print $2}')"
