// The body PostHog SDKs send to /flags and /decide, read into the request POST /api/v1/evaluate
// takes, so both evaluate the same way within the same limits. SDKs add fields over time
// (timezone, evaluation_contexts, $device_id, ...), so, unlike the rest of the API, unknown fields
// are ignored here; the fields read are still checked.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "server/evaluate_request.h"
#include "server/group_inputs.h"
#include "server/http_message.h"
#include "switchyard/status.h"

namespace switchyard::server {

struct PostHogFlagsRequest {
  EvaluateRequest evaluate;    // distinct_id, person_properties, flag_keys_to_evaluate / flag_keys
  bool disable_flags = false;  // posthog-js asks for configuration only: answer no flags
};

// `body`: `distinct_id` (a string, or a number as some SDKs send), `person_properties`,
// `flag_keys_to_evaluate` (posthog-node) or `flag_keys` (posthog-js), `disable_flags`, `groups`
// and `group_properties` (as /api/v1/evaluate's); `token` / `api_key`, `$anon_distinct_id`,
// `$device_id` and anything else are accepted and not used here. InvalidArgument naming the PostHog field
// otherwise
// ("person_properties.plan", "flag_keys_to_evaluate[2]").
Result<PostHogFlagsRequest> ParsePostHogFlagsRequest(nlohmann::json body);

// The answer shape a request asks for: 1 (featureFlags / featureFlagPayloads) or 2 (flags).
// /flags: `v` absent or 1 -> 1; 2 and anything newer -> 2 (the newest shape we serve: SDKs that
// ask for v=3 or v=4 read v2's). /decide (PostHog maps it onto /flags): v <= 3 -> 1, v >= 4 -> 2.
int PostHogAnswerVersion(const Request& request, bool decide);

}  // namespace switchyard::server
