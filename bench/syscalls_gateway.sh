#!/usr/bin/env bash
# The server's system calls per gateway call, counted by `strace -c` on every thread: like
# callgrind's instructions, the count hardly moves with what else runs on the machine. For each
# BINARY: the fake upstream, the server, the route of bench/gateway_route.sh, a 3 s warm-up, then
# `wrk -t1 -c4 -d SECONDS` through the gateway with strace attached. Calls are counted as half the
# server's sendmsg (each call sends the upstream request and the client's answer), since strace
# slows the server and attaches while wrk runs.
# Usage: bash bench/syscalls_gateway.sh [SECONDS=8] BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
shift
[ $# -gt 0 ] || { echo "usage: $0 [SECONDS] BINARY..." >&2; exit 2; }
bash scripts/install-deps.sh --bench >/dev/null
source bench/gateway_route.sh
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
work=$(mktemp -d)
fake_pid= server=
trap 'kill $fake_pid $server 2>/dev/null; rm -rf "$work"' EXIT
start_fake_upstream "$work"

for bin in "$@"; do
  rm -rf "$work/data"
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    "$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/log" | head -1)
  create_bench_route "$url" $admin "$fake_url"
  SWITCHYARD_BENCH_KEY=$project wrk -t1 -c4 -d3s -s bench/gateway.lua "$url" >/dev/null
  threads=$(ls /proc/$server/task | paste -sd,)
  timeout $((seconds + 1)) strace -c -f -p "$threads" -o "$work/strace" >/dev/null 2>&1 &
  tracer=$!
  SWITCHYARD_BENCH_KEY=$project wrk -t1 -c4 -d"${seconds}s" -s bench/gateway.lua "$url" >/dev/null
  wait $tracer || true
  echo "$bin: system calls per gateway call"
  # strace -c's rows: % time, seconds, usecs/call, calls, [errors,] syscall.
  awk 'NF >= 5 && $1 ~ /^[0-9.]+$/ && $NF != "total" { n[$NF] = $4; total += $4 }
       END { per = n["sendmsg"] / 2; if (per == 0) { print "  no sendmsg seen"; exit }
             printf "  %-18s %5.2f\n", "all", total / per
             for (s in n) if (n[s] / per >= 0.01) printf "  %-18s %5.2f\n", s, n[s] / per }' "$work/strace" |
    sort -k2 -nr
  kill $server
  wait $server 2>/dev/null || true
  server=
done
