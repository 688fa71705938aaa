-- wrk script: POST /api/v1/evaluate with a project key, rotating over 1,000 users and properties.
-- Usage: wrk -t2 -c64 -d15s --latency -s bench/evaluate.lua http://127.0.0.1:PORT
-- The key comes from the SWITCHYARD_BENCH_KEY environment variable. Requests are built once in
-- init(): wrk shares the 2 cores with the server, so its own per-request work must stay small.
local key = os.getenv("SWITCHYARD_BENCH_KEY")
local plans = { "free", "pro", "enterprise" }
local requests = {}
local counter = 0

init = function(args)
  for i = 1, 1000 do
    local body = string.format(
      '{"distinct_id":"user-%d","properties":{"plan":"%s","email":"user%d@example.com","app_version":"2.%d.0"}}',
      i, plans[i % 3 + 1], i, i % 10)
    requests[i] = wrk.format("POST", "/api/v1/evaluate",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
  end
end

request = function()
  counter = counter % 1000 + 1
  return requests[counter]
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
