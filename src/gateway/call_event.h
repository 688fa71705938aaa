// The properties of the event recorded for every gateway call ($ai_generation,
// $ai_shadow_generation, $model_invocation): PostHog's LLM-analytics names, which the built-in
// experiment metrics read, plus plain names for people reading the events (docs/API.md lists them).
//
// Pure: no I/O, no clock reads.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/call_record.h"

namespace switchyard::gateway {

struct CallEventContext {
  std::string_view request_id;
  bool user_is_request_id = false;  // no user was given: the request id stands in for one
};

// The event's properties as a JSON object text. `extra` (an object, or nullptr) adds members the
// call produced (generic invoke's numeric outputs) without replacing any of the call's own.
std::string CallEventProperties(const CallRecord& call, const CallEventContext& context,
                                const nlohmann::json* extra = nullptr);

}  // namespace switchyard::gateway
