# Sourced by the gateway benchmarks: create_bench_route URL ADMIN_KEY UPSTREAM_URL registers two
# model versions on the fake upstream (model `echo`), a 50/50 flag between them and the route
# `bench` over that flag, so every call evaluates the flag, records an event and its metrics, as
# production traffic does. `bench_api METHOD PATH BODY` is the admin call it uses.
bench_api() {
  curl -sf -X "$1" -H "Authorization: Bearer $bench_admin" -H 'Content-Type: application/json' \
    "$bench_url$2" -d "$3" >/dev/null
}

create_bench_route() {
  bench_url=$1 bench_admin=$2
  local upstream=$3 name
  for name in baseline candidate; do
    bench_api POST /api/v1/projects/default/models "{\"name\":\"$name\",\"version\":\"1.0.0\",\"kind\":\"openai_chat\",
      \"upstream\":{\"base_url\":\"$upstream/v1\",\"model\":\"echo\"},
      \"prices\":{\"input_per_1m\":2.5,\"cached_input_per_1m\":1.25,\"output_per_1m\":10}}"
  done
  bench_api POST /api/v1/projects/default/flags '{"key":"bench-model","filters":{"groups":[{"properties":[]}],
    "multivariate":{"variants":[{"key":"a","rollout_percentage":50},{"key":"b","rollout_percentage":50}]}}}'
  bench_api POST /api/v1/projects/default/routes '{"key":"bench","flag":"bench-model",
    "variants":{"a":"baseline@1.0.0","b":"candidate@1.0.0"},"default":"baseline@1.0.0"}'
}

# start_fake_upstream WORK_DIR [BINARY=./build/sy_fake_upstream]: the fake upstream with one
# serving thread on a free port (written to WORK_DIR/port); sets $fake_pid and $fake_url. The
# caller's EXIT trap kills it.
start_fake_upstream() {
  "${2:-./build/sy_fake_upstream}" --port 0 --print-port --threads 1 >"$1/port" 2>/dev/null &
  fake_pid=$!
  for _ in $(seq 100); do [ -s "$1/port" ] && break; sleep 0.1; done
  fake_url="http://127.0.0.1:$(head -1 "$1/port")"
}
