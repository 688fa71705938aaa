// CallRecord: what the gateway knows about one upstream call once it is over -- who it was for
// (project, route, experiment, variant, model), how it went (status, error type, latency, time to
// first token, the gateway's own overhead) and what it used (tokens, cost). The gateway fills one
// per call (shadow calls too) and hands it to GatewayMetrics::Record; the event per call is built
// from the same record.
//
// Pure data: no I/O, no globals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::gateway {

struct CallRecord {
  std::int64_t project_id = 0;
  std::string route, experiment, variant, model;  // model = "name@version"
  bool shadow = false;                            // a shadow call (recorded, never seen by the caller)
  int status = 0;                                 // HTTP status returned (0 = no response)
  bool success = false;
  std::string error_type;               // "" / "timeout" / "upstream_5xx" / "connect" / ...
  double latency_ms = 0, ttft_ms = -1;  // ttft < 0 when not streamed
  double overhead_us = 0;               // time spent in the gateway itself
  std::int64_t input_tokens = 0, cached_input_tokens = 0, output_tokens = 0, reasoning_tokens = 0;
  double cost = 0;  // in the model's price currency
  bool fallback = false;
  int attempts = 1;
};

// The error type a failed call is counted under: its own, or "unknown" when the gateway named
// none; "" for a success. Metrics label values must never be empty.
std::string_view ErrorTypeOf(const CallRecord& call);

}  // namespace switchyard::gateway
