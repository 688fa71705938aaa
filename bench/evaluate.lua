-- wrk script for POST /api/v1/evaluate with a project key (SWITCHYARD_BENCH_KEY).
-- Usage: wrk -t2 -c64 -d15s -s bench/evaluate.lua http://127.0.0.1:PORT
-- By default every request is the same, so wrk sends it from its prebuilt buffer without running
-- Lua per request (wrk shares the two cores with the server). With SWITCHYARD_BENCH_ROTATE=1 it
-- rotates over 1,000 users with properties, built once in init(), at a higher cost to wrk.
-- SWITCHYARD_BENCH_USER picks the fixed request's user (default 42, plan "free", which the seeded
-- flags' plan filter turns away; 43 is "pro", which goes on to the email filter and the rollout).
local key = os.getenv("SWITCHYARD_BENCH_KEY")
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
local plans = { "free", "pro", "enterprise" }

local function body(i)
  return string.format(
    '{"distinct_id":"user-%d","properties":{"plan":"%s","email":"user%d@example.com","app_version":"2.%d.0"}}',
    i, plans[i % 3 + 1], i, i % 10)
end

wrk.method = "POST"
wrk.path = "/api/v1/evaluate"
wrk.headers = headers
wrk.body = body(tonumber(os.getenv("SWITCHYARD_BENCH_USER") or "42"))

if os.getenv("SWITCHYARD_BENCH_ROTATE") == "1" then
  local requests = {}
  local counter = 0
  init = function(args)
    for i = 1, 1000 do requests[i] = wrk.format("POST", "/api/v1/evaluate", headers, body(i)) end
  end
  request = function()
    counter = counter % 1000 + 1
    return requests[counter]
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
