#!/usr/bin/env bash
# HTTP benchmark of the PostHog endpoints against their native counterparts, each wrk -t2 -c64
# for SECONDS, in ROUNDS alternating rounds (medians reported; single runs on a shared 2-core
# machine vary by +-15 %): GET /healthz; POST /api/v1/evaluate vs POST /flags/?v=2 for one user
# (target: /flags >= 90 % of evaluate's req/s) on one server with FLAGS flags seeded as
# bench/http_evaluate_bench.sh does; POST /api/v1/events with 100 events per request vs POST
# /batch/ with the same 100 events as posthog-node sends them (gzip, api_key in the body,
# timestamps and sent_at; target >= 80 % of /api/v1/events' events/s), each on a server with a
# fresh data directory, so that neither inserts into the other's events. Every figure is also
# given as a share of the same run's /healthz, and with the server's CPU time per request.
# Both endpoints get the same user: SWITCHYARD_BENCH_USER (default 42, whose plan the seeded flags
# turn away early; 43 goes through every filter and the rollout hash), see bench/evaluate.lua.
# Usage: bash bench/http_posthog_bench.sh [FLAGS=20] [SECONDS=8] [ROUNDS=3] [BINARY=./build/switchyard]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/seed_flags.sh
flags=${1:-20}
seconds=${2:-8}
rounds=${3:-3}
bin=${4:-./build/switchyard}
size=100
bash scripts/install-deps.sh --bench >/dev/null
[ "$bin" != ./build/switchyard ] || bash scripts/build.sh

admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
scratch=$(mktemp -d)
server=
stop_server() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }; server=; }
trap 'stop_server; rm -rf "$scratch"' EXIT
# Starts the binary on a fresh data directory; sets $server and $url.
start_server() {
  stop_server
  local data log
  data=$(mktemp -d -p "$scratch")
  log="$data.log"
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
}

# posthog-node's batch: the events of bench/ingest.lua (same names, ids and properties) in
# posthog-node's envelope (type, library, timestamp; api_key and sent_at), no uuids (so every
# request stores all its events, as in the /api/v1/events run).
body=$scratch/batch.json.gz
python3 - "$project" "$size" <<'PY' | gzip -c >"$body"
import json, sys
key, size = sys.argv[1], int(sys.argv[2])
names = ["$pageview", "signup", "llm_request"]
batch = [{"event": names[i % 3], "distinct_id": f"user-{i}", "type": "capture", "library": "posthog-node",
          "timestamp": "2026-11-29T10:00:00.000Z",
          "properties": {"model": f"m-{i % 4}", "latency_ms": 100 + i % 900, "tokens": 10 * i, "success": True}}
         for i in range(1, size + 1)]
print(json.dumps({"api_key": key, "batch": batch, "sent_at": "2026-11-29T10:00:01.000Z"}))
PY

# Runs wrk with the given arguments; prints "REQ_PER_S CPU_US_PER_REQUEST" (the server's user +
# system time over the run, divided by the requests wrk completed).
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
run() {
  local before after out
  before=$(ticks)
  out=$(wrk -t2 -c64 -d"${seconds}s" "$@")
  after=$(ticks)
  echo "$out" | awk -v d=$((after - before)) -v hz="$hz" '
    /requests in/ { n = $1 } /Requests\/sec/ { r = $2 }
    END { printf "%.0f %.1f\n", r, (n > 0 ? d * 1e6 / hz / n : 0) }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c64 -d${seconds}s, $rounds alternating rounds, user ${SWITCHYARD_BENCH_USER:-42}; per run: req/s, server CPU per request"
start_server
seed_flags "$url" "$admin" "$flags"
sleep 1
: >"$scratch/health" && : >"$scratch/evaluate" && : >"$scratch/flags"
for round in $(seq "$rounds"); do
  h=$(run "$url/healthz")
  e=$(SWITCHYARD_BENCH_KEY=$project run -s bench/evaluate.lua "$url")
  f=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_MODE=flags run -s bench/posthog.lua "$url")
  echo "round $round: /healthz $h | evaluate $e | /flags?v=2 $f"
  echo "${h% *}" >>"$scratch/health"
  echo "$e" >>"$scratch/evaluate"
  echo "$f" >>"$scratch/flags"
done
health=$(median <"$scratch/health")
evaluate=$(cut -d' ' -f1 "$scratch/evaluate" | median)
flags_v2=$(cut -d' ' -f1 "$scratch/flags" | median)
echo "/healthz: $health req/s (median)"
echo "POST /api/v1/evaluate ($flags flags): $evaluate req/s ($(share "$evaluate" "$health") of /healthz)," \
  "$(cut -d' ' -f2 "$scratch/evaluate" | median) us server CPU per request"
echo "POST /flags/?v=2 ($flags flags): $flags_v2 req/s ($(share "$flags_v2" "$health") of /healthz)," \
  "$(cut -d' ' -f2 "$scratch/flags" | median) us server CPU per request" \
  "= $(share "$flags_v2" "$evaluate") of evaluate (target >= 90%)"

: >"$scratch/events" && : >"$scratch/batch"
for round in $(seq "$rounds"); do
  start_server
  e=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_BATCH=$size run -s bench/ingest.lua "$url")
  start_server
  b=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_MODE=batch SWITCHYARD_BENCH_BODY=$body \
    SWITCHYARD_BENCH_BATCH=$size run -s bench/posthog.lua "$url")
  echo "round $round (fresh store each): /api/v1/events $e | /batch $b (requests of $size events)"
  echo "$e" >>"$scratch/events"
  echo "$b" >>"$scratch/batch"
done
events_eps=$(cut -d' ' -f1 "$scratch/events" | median | awk -v s=$size '{ printf "%.0f", $1 * s }')
batch_eps=$(cut -d' ' -f1 "$scratch/batch" | median | awk -v s=$size '{ printf "%.0f", $1 * s }')
echo "POST /api/v1/events ($size per request): $events_eps events/s (median)," \
  "$(cut -d' ' -f2 "$scratch/events" | median) us server CPU per request"
echo "POST /batch/ (gzip, $size per request): $batch_eps events/s (median)," \
  "$(cut -d' ' -f2 "$scratch/batch" | median) us server CPU per request" \
  "= $(share "$batch_eps" "$events_eps") of /api/v1/events (target >= 80%)"
