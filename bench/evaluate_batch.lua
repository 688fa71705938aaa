-- wrk script for POST /api/v1/evaluate/batch with a project key (SWITCHYARD_BENCH_KEY): every
-- request is the same batch of SWITCHYARD_BENCH_BATCH users (default 100) with the properties
-- evaluate.lua sends, so wrk sends it from its prebuilt buffer (no Lua per request).
-- Usage: wrk -t2 -c64 -d15s -s bench/evaluate_batch.lua http://127.0.0.1:PORT
local key = os.getenv("SWITCHYARD_BENCH_KEY")
local size = tonumber(os.getenv("SWITCHYARD_BENCH_BATCH") or "100")
local plans = { "free", "pro", "enterprise" }

local users = {}
for i = 1, size do
  users[i] = string.format(
    '{"distinct_id":"user-%d","properties":{"plan":"%s","email":"user%d@example.com","app_version":"2.%d.0"}}',
    i, plans[i % 3 + 1], i, i % 10)
end

wrk.method = "POST"
wrk.path = "/api/v1/evaluate/batch"
wrk.headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
wrk.body = '{"users":[' .. table.concat(users, ",") .. ']}'

done = function(summary, latency, requests)
  local rps = summary.requests / (summary.duration / 1e6)
  io.write(string.format("requests/s: %.0f (users/s: %.0f)\n", rps, rps * size))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
