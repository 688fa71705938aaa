-- wrk script: one fixed POST /api/v1/evaluate request, so that wrk sends it from its prebuilt
-- buffer without running Lua per request (wrk's fast path; it shares the 2 cores with the
-- server). bench/evaluate.lua rotates users instead, at a higher cost to wrk itself.
wrk.method = "POST"
wrk.path = "/api/v1/evaluate"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SWITCHYARD_BENCH_KEY")
wrk.body = '{"distinct_id":"user-42","properties":{"plan":"pro","email":"user42@example.com","app_version":"2.3.0"}}'

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
