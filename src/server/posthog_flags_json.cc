#include "server/posthog_flags_json.h"

#include <nlohmann/json.hpp>

#include "server/evaluation_json.h"
#include "server/posthog_flag_id.h"

namespace switchyard::server {
namespace {

// The members a decide answer carries besides flags, each switched off or at its default, so an
// SDK neither logs an error nor starts a feature Switchyard does not serve.
constexpr std::string_view kConfigMembers =
    "\"config\":{\"enable_collect_everything\":true},\"toolbarParams\":{},\"isAuthenticated\":false,"
    "\"supportedCompression\":[\"gzip\",\"gzip-js\"],\"sessionRecording\":false,\"siteApps\":[],"
    "\"capturePerformance\":false,\"autocapture_opt_out\":false,\"autocaptureExceptions\":false,"
    "\"surveys\":false,\"heatmaps\":false,\"hasFeatureFlags\":true";

std::string ReasonDescription(const FlagResult& result) {
  switch (result.reason) {
    case Reason::kConditionMatch:
      return "Matched condition set " + std::to_string(result.condition_index.value_or(0) + 1);
    case Reason::kOutOfRollout: return result.detail.empty() ? "Out of rollout bound" : result.detail;
    case Reason::kNoConditionMatch: return "No matching condition set";
    case Reason::kDisabled: return "Flag is disabled";
    case Reason::kMissingProperty:
    case Reason::kError:
    case Reason::kFlagNotFound: return result.detail;
  }
  return result.detail;
}

void AppendPayloadString(std::string& out, const nlohmann::json& payload) {
  AppendJsonString(out, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void AppendV2Flag(std::string& out, const FlagResult& result) {
  out += "{\"key\":";
  AppendJsonString(out, result.key);
  out += result.enabled ? ",\"enabled\":true,\"variant\":" : ",\"enabled\":false,\"variant\":";
  if (result.variant) {
    AppendJsonString(out, *result.variant);
  } else {
    out += "null";
  }
  out += ",\"reason\":{\"code\":";
  AppendJsonString(out, PostHogReasonCode(result.reason));
  out += ",\"condition_index\":";
  out += result.condition_index ? std::to_string(*result.condition_index) : "null";
  out += ",\"description\":";
  AppendJsonString(out, ReasonDescription(result));
  out += "},\"metadata\":{\"id\":";
  out += std::to_string(PostHogFlagId(result.key));
  out += ",\"version\":";
  out += std::to_string(result.version);
  if (result.enabled && result.payload) {
    out += ",\"payload\":";
    AppendPayloadString(out, *result.payload);
  }
  out += "}}";
}

void AppendV1(std::string& out, const std::vector<FlagResult>& results) {
  out += "{\"featureFlags\":{";
  bool first = true;
  for (const FlagResult& result : results) {
    if (result.reason == Reason::kFlagNotFound) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, result.key);
    out += ':';
    if (result.variant) {
      AppendJsonString(out, *result.variant);
    } else {
      out += result.enabled ? "true" : "false";
    }
  }
  out += "},\"featureFlagPayloads\":{";
  first = true;
  for (const FlagResult& result : results) {
    if (!result.enabled || !result.payload) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, result.key);
    out += ':';
    AppendPayloadString(out, *result.payload);
  }
  out += '}';
}

void AppendV2(std::string& out, const std::vector<FlagResult>& results) {
  out += "{\"flags\":{";
  bool first = true;
  for (const FlagResult& result : results) {
    if (result.reason == Reason::kFlagNotFound) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, result.key);
    out += ':';
    AppendV2Flag(out, result);
  }
  out += '}';
}

}  // namespace

std::string_view PostHogReasonCode(Reason reason) {
  switch (reason) {
    case Reason::kConditionMatch: return "condition_match";
    case Reason::kOutOfRollout: return "out_of_rollout_bound";
    // PostHog's server decides a missing property as not matching (it has no "inconclusive").
    case Reason::kNoConditionMatch:
    case Reason::kMissingProperty: return "no_condition_match";
    case Reason::kDisabled: return "disabled";
    case Reason::kError: return "missing_dependency";
    case Reason::kFlagNotFound: return "flag_not_found";
  }
  return "unknown";
}

std::string PostHogFlagsJson(const std::vector<FlagResult>& results, const PostHogAnswerOptions& options) {
  std::string out;
  out.reserve(128 + results.size() * (options.version == 1 ? 48 : 240));
  if (options.version == 1) {
    AppendV1(out, results);
  } else {
    AppendV2(out, results);
  }
  bool errors = false;
  for (const FlagResult& result : results) errors = errors || result.reason == Reason::kError;
  out += errors ? ",\"errorsWhileComputingFlags\":true" : ",\"errorsWhileComputingFlags\":false";
  out += ",\"requestId\":";
  AppendJsonString(out, options.request_id);
  if (options.with_config) {
    out += ',';
    out += kConfigMembers;
  }
  out += '}';
  return out;
}

std::string PostHogRemoteConfigJson(std::string_view token) {
  std::string out = "{\"token\":";
  AppendJsonString(out, token);
  out += ',';
  out += kConfigMembers;
  out += '}';
  return out;
}

}  // namespace switchyard::server
