// PostHog's answers to /flags and /decide, each a projection of one evaluation result (the same
// FlagResults POST /api/v1/evaluate answers with), written straight into a string as
// evaluation_json.h does and for the same reason.
//
//   v1: {"featureFlags": {key: true | "variant" | false}, "featureFlagPayloads": {key: "<json>"},
//        "errorsWhileComputingFlags", "requestId"}
//   v2: {"flags": {key: {"key", "enabled", "variant", "reason": {"code", "condition_index",
//        "description"}, "metadata": {"id", "version", "payload"?}}}, "errorsWhileComputingFlags",
//        "requestId"}
// Payloads are JSON text in a string, as PostHog stores and sends them (the SDKs parse them).
// Flags the caller named that do not exist are left out, as PostHog does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "switchyard/evaluation.h"

namespace switchyard::server {

struct PostHogAnswerOptions {
  int version = 2;         // 1 or 2 (posthog_flags_request.h)
  std::string request_id;  // a uuid, echoed as requestId
  // Adds the remote configuration a /decide answer (or /flags?config=true) carries.
  bool with_config = false;
};

std::string PostHogFlagsJson(const std::vector<FlagResult>& results, const PostHogAnswerOptions& options);

// PostHog's reason code for ours ("condition_match", "out_of_rollout_bound", ...).
std::string_view PostHogReasonCode(Reason reason);

// The minimal remote configuration (GET /array/{token}/config, and the decide keys): no session
// recording, surveys, heatmaps or site apps; gzip and base64 bodies accepted; flags available.
std::string PostHogRemoteConfigJson(std::string_view token);

}  // namespace switchyard::server
