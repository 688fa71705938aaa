-- wrk script for POST /api/v1/events with a project key (SWITCHYARD_BENCH_KEY): every request is
-- the same batch of SWITCHYARD_BENCH_BATCH events (default 100) without uuids, so the server
-- assigns new ones and every request stores all its events (no duplicates), and wrk sends it from
-- its prebuilt buffer (no Lua per request). Each 200 means the batch was fsynced.
-- Usage: wrk -t2 -c64 -d15s -s bench/ingest.lua http://127.0.0.1:PORT
local key = os.getenv("SWITCHYARD_BENCH_KEY")
local size = tonumber(os.getenv("SWITCHYARD_BENCH_BATCH") or "100")
local names = { "$pageview", "signup", "llm_request" }

local events = {}
for i = 1, size do
  events[i] = string.format(
    '{"event":"%s","distinct_id":"user-%d","properties":{"model":"m-%d","latency_ms":%d,"tokens":%d,"success":true}}',
    names[i % 3 + 1], i, i % 4, 100 + i % 900, 10 * i)
end

wrk.method = "POST"
wrk.path = "/api/v1/events"
wrk.headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
wrk.body = '{"batch":[' .. table.concat(events, ",") .. ']}'

done = function(summary, latency, requests)
  local rps = summary.requests / (summary.duration / 1e6)
  io.write(string.format("requests/s: %.0f (events/s: %.0f)\n", rps, rps * size))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
