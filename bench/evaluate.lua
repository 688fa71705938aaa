-- wrk script: POST /api/v1/evaluate with a project key, a rotating distinct_id and properties.
-- Usage: wrk -t2 -c64 -d15s --latency -s bench/evaluate.lua http://127.0.0.1:PORT
-- The key comes from the SWITCHYARD_BENCH_KEY environment variable.
local key = os.getenv("SWITCHYARD_BENCH_KEY")
local counter = 0
local plans = { "free", "pro", "enterprise" }

request = function()
  counter = counter + 1
  local body = string.format(
    '{"distinct_id":"user-%d","properties":{"plan":"%s","email":"user%d@example.com","app_version":"2.%d.0"}}',
    counter % 100000, plans[counter % 3 + 1], counter % 100000, counter % 10)
  return wrk.format("POST", "/api/v1/evaluate",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
