-- wrk script for PostHog's endpoints as the SDKs call them (no Authorization header; the project
-- key SWITCHYARD_BENCH_KEY in the body). SWITCHYARD_BENCH_MODE:
--   flags: POST /flags/?v=2 for one user (the user and properties of bench/evaluate.lua's body)
--   batch: POST /batch/ with the gzip file SWITCHYARD_BENCH_BODY (posthog-node's
--          {"api_key","batch","sent_at"}, Content-Encoding: gzip), made by bench/http_posthog_bench.sh
-- Every request is the same, so wrk sends it from its prebuilt buffer (no Lua per request).
-- Usage: wrk -t2 -c64 -d10s -s bench/posthog.lua http://127.0.0.1:PORT
local key = os.getenv("SWITCHYARD_BENCH_KEY")
local mode = os.getenv("SWITCHYARD_BENCH_MODE") or "flags"
local size = tonumber(os.getenv("SWITCHYARD_BENCH_BATCH") or "100")

wrk.method = "POST"
if mode == "flags" then
  wrk.path = "/flags/?v=2"
  wrk.headers = { ["Content-Type"] = "application/json" }
  -- The same user and properties as bench/evaluate.lua's fixed request for the same
  -- SWITCHYARD_BENCH_USER, so the two endpoints do the same evaluation work.
  local user = tonumber(os.getenv("SWITCHYARD_BENCH_USER") or "42")
  local plans = { "free", "pro", "enterprise" }
  wrk.body = string.format(
    '{"token":"%s","distinct_id":"user-%d","groups":{},"person_properties":{"plan":"%s",' ..
    '"email":"user%d@example.com","app_version":"2.%d.0"},"group_properties":{}}',
    key, user, plans[user % 3 + 1], user, user % 10)
else
  local file = assert(io.open(os.getenv("SWITCHYARD_BENCH_BODY"), "rb"))
  wrk.path = "/batch/"
  wrk.headers = { ["Content-Type"] = "application/json", ["Content-Encoding"] = "gzip" }
  wrk.body = file:read("*a")
  file:close()
end

done = function(summary, latency, requests)
  local rps = summary.requests / (summary.duration / 1e6)
  if mode == "flags" then
    io.write(string.format("requests/s: %.0f\n", rps))
  else
    io.write(string.format("requests/s: %.0f (events/s: %.0f)\n", rps, rps * size))
  end
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
