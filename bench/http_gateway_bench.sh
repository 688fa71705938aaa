#!/usr/bin/env bash
# HTTP benchmark of the model gateway against a local fake upstream (build/sy_fake_upstream), in
# one run, for one or more `switchyard` binaries:
#   1. GET /healthz (wrk -t2 -c64): the machine's yardstick; every figure is also given as a ratio;
#   2. the upstream directly and through the gateway at 16 connections (wrk -t2 -c16 --latency):
#      added latency = gateway − direct at p50 and p99 (the issue's targets: ≤ 100 µs / ≤ 1 ms);
#      and the same at 1 connection (wrk -t1 -c1): what a call costs in the gateway when it waits
#      for no other call (at 16 connections wrk keeps every core busy, so the difference there
#      is mostly queueing behind the gateway's CPU on shared cores);
#   3. throughput through the gateway at 64 connections (target ≥ 15,000 req/s on 2 cores), and the
#      server's CPU time per call in that run (utime + stime / calls: steady on a busy machine);
#   4. 1,000 concurrent streams (model drip-20: a chunk every 20 ms) for SECONDS: the server's RSS
#      before and at the end, to show memory stays bounded;
#   5. on a machine of 2 cores or more, the server on one core of its own (taskset, --threads 1)
#      with wrk and the fake upstream pinned to the others: /healthz and the gateway at 64
#      connections. On 2 cores this is the only measured figure of the gateway's throughput that
#      wrk and the fake do not share: what one core serves.
# The route is a 50/50 flag between two model versions, so every call evaluates the flag, records
# an event and its metrics, as production traffic does.
# Usage: bash bench/http_gateway_bench.sh [SECONDS=10] [BINARY...]   (default ./build/switchyard)
# SWITCHYARD_FAKE_UPSTREAM=PATH runs another build of the fake upstream (default ./build/sy_fake_upstream).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift $(( $# > 1 ? 1 : $# ))
binaries=("$@")
bash scripts/install-deps.sh --bench >/dev/null
source bench/gateway_route.sh
if [ ${#binaries[@]} -eq 0 ]; then
  bash scripts/build.sh
  binaries=(./build/switchyard)
fi
fake=${SWITCHYARD_FAKE_UPSTREAM:-./build/sy_fake_upstream}
admin=sy_admin_bench_0123456789abcdefghijklmnop
project=sy_proj_bench_0123456789abcdefghijklmnop
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"

rps() { awk '/Requests\/sec/ {print $2}'; }
# wrk --latency prints "50%  1.23ms"; in microseconds.
percentile_us() {
  awk -v p="$1" '$1 == p {v = $2; u = 1; if (v ~ /us$/) u = 1; else if (v ~ /ms$/) u = 1000; else if (v ~ /s$/) u = 1000000;
    gsub(/[a-z]+$/, "", v); printf "%.0f", v * u}'
}

fake_dir=$(mktemp -d)
fake_pid=
trap 'kill $fake_pid 2>/dev/null; rm -rf "$fake_dir"' EXIT
start_fake_upstream "$fake_dir" "$fake"

direct=$(SWITCHYARD_BENCH_MODEL=echo wrk -t2 -c16 -d"${seconds}s" --latency -s bench/gateway.lua "$fake_url")
direct_p50=$(echo "$direct" | percentile_us 50%)
direct_p99=$(echo "$direct" | percentile_us 99%)
echo "upstream directly, 16 connections: $(echo "$direct" | rps) req/s, p50 ${direct_p50} us, p99 ${direct_p99} us"
direct1=$(SWITCHYARD_BENCH_MODEL=echo wrk -t1 -c1 -d"${seconds}s" --latency -s bench/gateway.lua "$fake_url")
direct1_p50=$(echo "$direct1" | percentile_us 50%)
direct1_p99=$(echo "$direct1" | percentile_us 99%)
echo "upstream directly, 1 connection: $(echo "$direct1" | rps) req/s, p50 ${direct1_p50} us, p99 ${direct1_p99} us"

# Step 5 for one binary: a fresh server pinned to the last core with one I/O thread (its event
# writer and workers share that core), the fake upstream and wrk pinned to the other cores.
one_core_run() {
  local bin=$1 data log url health out r p50 p99 calls cpu_before cpu_after fake_cpus
  # The CPUs this script may use (not always 0..n-1 in a cpuset): the server gets the last.
  local cpus=($(taskset -pc $$ | awk '{print $NF}' | tr ',' '\n' |
    awk -F- '{ if (NF == 2) for (i = $1; i <= $2; i++) print i; else print $1 }'))
  local last=${cpus[-1]}
  local others=$(IFS=,; echo "${cpus[*]:0:${#cpus[@]}-1}")
  data=$(mktemp -d)
  log=$(mktemp)
  # -a: every thread of the fake (it serves on one it spawned), put back as it was afterwards.
  fake_cpus=$(taskset -pc $fake_pid | awk '{print $NF}')
  taskset -a -p -c "$others" $fake_pid >/dev/null
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    taskset -c $last "$bin" serve --threads 1 --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
  server=$!
  trap 'kill $server $fake_pid 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$log" "$fake_dir"' EXIT
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  create_bench_route "$url" $admin "$fake_url"
  health=$(taskset -c "$others" wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | rps)
  cpu_before=$(awk '{print $14 + $15}' /proc/$server/stat)
  out=$(SWITCHYARD_BENCH_KEY=$project taskset -c "$others" wrk -t2 -c64 -d"${seconds}s" --latency -s bench/gateway.lua "$url")
  cpu_after=$(awk '{print $14 + $15}' /proc/$server/stat)
  r=$(echo "$out" | rps)
  p50=$(echo "$out" | percentile_us 50%)
  p99=$(echo "$out" | percentile_us 99%)
  calls=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "  the server on CPU $last of its own (--threads 1), wrk and the fake upstream on CPU(s) $others:"
  awk -v r="$r" -v h="$health" -v p50="$p50" -v p99="$p99" -v a="$cpu_before" -v b="$cpu_after" -v n="$calls" \
    -v t="$(getconf CLK_TCK)" 'BEGIN {
      printf "    /healthz %.0f req/s; through the gateway, 64 connections: %.0f req/s (%.2fx /healthz), p50 %d us, p99 %d us; server CPU per call %.0f us (%.0f%% of its core)\n",
        h, r, r / h, p50, p99, (b - a) / t * 1e6 / n, (b - a) / t * 100 * r / n }'
  kill $server
  wait $server 2>/dev/null || true
  taskset -a -p -c "$fake_cpus" $fake_pid >/dev/null
  trap 'kill $fake_pid 2>/dev/null; rm -rf "$fake_dir"' EXIT
  rm -rf "$data" "$log"
}

for bin in "${binaries[@]}"; do
  data=$(mktemp -d)
  log=$(mktemp)
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
  server=$!
  trap 'kill $server $fake_pid 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$log" "$fake_dir"' EXIT
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  create_bench_route "$url" $admin "$fake_url"
  bench_api POST /api/v1/projects/default/models "{\"name\":\"dripper\",\"version\":\"1.0.0\",\"kind\":\"openai_chat\",
    \"upstream\":{\"base_url\":\"$fake_url/v1\",\"model\":\"drip-20\"}}"
  bench_api POST /api/v1/projects/default/routes '{"key":"streams","flag":"bench-model","default":"dripper@1.0.0"}'

  server_cpu_ticks() { awk '{print $14 + $15}' /proc/$server/stat; }  # utime + stime
  fake_cpu_ticks() { awk '{print $14 + $15}' /proc/$fake_pid/stat; }
  # Sets $children_cpu: user + system seconds of this shell's finished children, wrk's among
  # them (`times` run in this shell: in a $(...) it would report the subshell's children).
  children_cpu_seconds() {
    times >"$data/times"
    children_cpu=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] } print t }' "$data/times")
  }
  echo "== $bin"
  health=$(wrk -t2 -c64 -d"${seconds}s" "$url/healthz" | rps)
  echo "  /healthz: $health req/s"
  through=$(SWITCHYARD_BENCH_KEY=$project wrk -t2 -c16 -d"${seconds}s" --latency -s bench/gateway.lua "$url")
  p50=$(echo "$through" | percentile_us 50%)
  p99=$(echo "$through" | percentile_us 99%)
  echo "  through the gateway, 16 connections: $(echo "$through" | rps) req/s, p50 ${p50} us, p99 ${p99} us"
  echo "  added latency: p50 $((p50 - direct_p50)) us, p99 $((p99 - direct_p99)) us"
  through1=$(SWITCHYARD_BENCH_KEY=$project wrk -t1 -c1 -d"${seconds}s" --latency -s bench/gateway.lua "$url")
  p50_1=$(echo "$through1" | percentile_us 50%)
  p99_1=$(echo "$through1" | percentile_us 99%)
  echo "  through the gateway, 1 connection: $(echo "$through1" | rps) req/s, p50 ${p50_1} us, p99 ${p99_1} us;" \
    "added p50 $((p50_1 - direct1_p50)) us, p99 $((p99_1 - direct1_p99)) us"
  cpu_before=$(server_cpu_ticks)
  fake_before=$(fake_cpu_ticks)
  children_cpu_seconds
  wrk_before=$children_cpu
  out=$(SWITCHYARD_BENCH_KEY=$project wrk -t2 -c64 -d"${seconds}s" -s bench/gateway.lua "$url")
  cpu_after=$(server_cpu_ticks)
  fake_after=$(fake_cpu_ticks)
  children_cpu_seconds
  wrk_after=$children_cpu
  r=$(echo "$out" | rps)
  calls=$(echo "$out" | awk '/requests in/ {print $1}')
  awk -v r="$r" -v h="$health" 'BEGIN { printf "  through the gateway, 64 connections: %.0f req/s (%.2fx /healthz)\n", r, r / h }'
  # The server's own CPU per call: unlike req/s, it hardly moves with what else runs on the cores.
  awk -v a="$cpu_before" -v b="$cpu_after" -v n="$calls" -v t="$(getconf CLK_TCK)" \
    'BEGIN { printf "  server CPU per call: %.0f us\n", (b - a) / t * 1e6 / n }'
  # Where the two cores went: the server, the fake upstream and wrk, per call. The server's
  # share on cores of its own (2 / its CPU per call) is what the VM cannot show directly.
  awk -v a="$cpu_before" -v b="$cpu_after" -v fa="$fake_before" -v fb="$fake_after" -v wa="$wrk_before" \
    -v wb="$wrk_after" -v n="$calls" -v t="$(getconf CLK_TCK)" -v cores="$(nproc)" 'BEGIN {
      server = (b - a) / t * 1e6 / n; fake = (fb - fa) / t * 1e6 / n; w = (wb - wa) * 1e6 / n
      printf "  CPU per call: server %.0f us, fake upstream %.0f us, wrk %.0f us; the server alone on %d cores: %.0f req/s\n",
        server, fake, w, cores, cores * 1e6 / server }'
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  [ -n "$non2xx" ] && echo "  non-2xx answers: $non2xx"
  rss_before=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
  streams=$(SWITCHYARD_BENCH_KEY=$project SWITCHYARD_BENCH_MODEL=route:streams SWITCHYARD_BENCH_STREAM=1 \
    wrk -t2 -c1000 -d"${seconds}s" --timeout 30s -s bench/gateway.lua "$url" 2>&1 &
    sleep $((seconds - 1)); awk '/VmRSS/ {print $2}' /proc/$server/status; wait)
  rss_during=$(echo "$streams" | head -1)
  echo "  1,000 concurrent streams: RSS ${rss_before} kB before, ${rss_during} kB with them open;" \
    "$(echo "$streams" | rps) streams/s completed"
  kill $server
  wait $server 2>/dev/null || true
  rm -rf "$data" "$log"
  if [ "$(nproc)" -ge 2 ]; then one_core_run "$bin"; fi
done
