-- wrk script for the model gateway (or the upstream directly): POST /v1/chat/completions with a
-- small chat body. SWITCHYARD_BENCH_KEY: the Bearer key; SWITCHYARD_BENCH_MODEL: `model`
-- ("route:bench" through the gateway, "echo" straight at the fake upstream);
-- SWITCHYARD_BENCH_STREAM=1 streams. One fixed request, sent from wrk's prebuilt buffer (no Lua
-- per request: wrk shares the cores with the server and the upstream).
local key = os.getenv("SWITCHYARD_BENCH_KEY") or "none"
local model = os.getenv("SWITCHYARD_BENCH_MODEL") or "route:bench"
local stream = os.getenv("SWITCHYARD_BENCH_STREAM") == "1"

wrk.method = "POST"
wrk.path = os.getenv("SWITCHYARD_BENCH_PATH") or "/v1/chat/completions"
wrk.headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
wrk.body = string.format(
  '{"model":"%s","user":"bench-user-42","stream":%s,"temperature":0.2,' ..
  '"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}]}',
  model, stream and "true" or "false")

-- SWITCHYARD_BENCH_PAUSE_MS=N: each connection pauses N ms between an answer and its next request
-- (wrk measures from the send, so the pause is not counted). Sixteen connections then offer a
-- known load below saturation, where latency shows what a call costs rather than the queue that
-- a closed loop at full speed builds on shared cores.
local pause = tonumber(os.getenv("SWITCHYARD_BENCH_PAUSE_MS") or "")
if pause then
  function delay()
    return pause
  end
end
