# Sourced by the callgrind benchmarks (callgrind_gateway.sh, callgrind_ingest.sh).
#   start_callgrind_server BINARY WORK_DIR ADMIN_KEY PROJECT_KEY
#     starts BINARY under callgrind on a fresh WORK_DIR/data, its profile at WORK_DIR/cg.<pid>;
#     sets $server (its pid) and $url once it listens.
#   callgrind_instructions WORK_DIR: dumps the running server's counters and prints its total
#     instructions since they were last zeroed (`callgrind_control -z $server`).
start_callgrind_server() {
  local bin=$1 work=$2 admin=$3 project=$4
  rm -rf "$work/data" "$work"/cg.*
  mkdir "$work/data"
  SWITCHYARD_ADMIN_KEY=$admin SWITCHYARD_PROJECT_KEY=$project SWITCHYARD_LOG_LEVEL=warn \
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.%p" \
    "$bin" serve --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/log" 2>&1 &
  server=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/log" && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/log" | head -1)
}

callgrind_instructions() {
  local work=$1 profile
  callgrind_control -d "$server" >/dev/null 2>&1
  sleep 1
  profile=$(ls -t "$work"/cg.* | head -1)
  callgrind_annotate "$profile" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
