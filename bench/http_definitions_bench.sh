#!/usr/bin/env bash
# The local-evaluation definitions against /healthz, same binary, same run: wrk -t2 -c64 on
# GET /healthz, GET /flags/definitions (answered from the cached body) and the same with
# If-None-Match (the 304 path), with a secret key, FLAGS flags and a cohort.
# Usage: bash bench/http_definitions_bench.sh [FLAGS=20] [SECONDS=10] [BINARY=./build/switchyard]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/seed_flags.sh
flags=${1:-20}
seconds=${2:-10}
bin=${3:-./build/switchyard}
command -v wrk >/dev/null || bash scripts/install-deps.sh --bench >/dev/null
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t2 -c64 -d${seconds}s"
rps() { awk '/Requests\/sec/ {print $2}'; }

data=$(mktemp -d)
log=$(mktemp)
SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
  "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data" "$log"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
seed_flags "$url" "$admin" "$flags"
secret=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"scope":"secret","label":"bench"}' "$url/api/v1/projects/default/keys" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
target="$url/flags/definitions?token=$project&send_cohorts"
etag=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $secret" "$target" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
bytes=$(curl -sf -H "Authorization: Bearer $secret" "$target" | wc -c)
sleep 1
health=$(wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | rps)
body=$(wrk -t2 -c64 -d"${seconds}s" -H "Authorization: Bearer $secret" "$target" | rps)
not_modified=$(wrk -t2 -c64 -d"${seconds}s" -H "Authorization: Bearer $secret" -H "If-None-Match: $etag" "$target" | rps)
ratio() { python3 -c "print(f'{100 * $1 / $2:.0f} %')"; }
echo "definitions body: $bytes bytes for $flags flags"
echo "/healthz:                     $health req/s"
echo "/flags/definitions (200):     $body req/s ($(ratio "$body" "$health") of /healthz)"
echo "/flags/definitions (304):     $not_modified req/s ($(ratio "$not_modified" "$health") of /healthz)"
