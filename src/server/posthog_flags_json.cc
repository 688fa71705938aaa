#include "server/posthog_flags_json.h"

#include <charconv>

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

void AppendNumber(std::string& out, std::int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// Written in place: this runs for every flag of every answer.
void AppendReasonDescription(std::string& out, const FlagResult& result) {
  switch (result.reason) {
    case Reason::kConditionMatch:
      out += "\"Matched condition set ";
      AppendNumber(out, result.condition_index.value_or(0) + 1);
      out += '"';
      return;
    case Reason::kOutOfRollout:
      if (result.detail.empty()) {
        out += "\"Out of rollout bound\"";
        return;
      }
      break;
    case Reason::kNoConditionMatch: out += "\"No matching condition set\""; return;
    case Reason::kDisabled: out += "\"Flag is disabled\""; return;
    case Reason::kMissingProperty:
    case Reason::kError:
    case Reason::kFlagNotFound: break;
  }
  AppendJsonString(out, result.detail);
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
  if (result.condition_index) {
    AppendNumber(out, *result.condition_index);
  } else {
    out += "null";
  }
  out += ",\"description\":";
  AppendReasonDescription(out, result);
  out += "},\"metadata\":{\"id\":";
  AppendNumber(out, PostHogFlagId(result.key));
  out += ",\"version\":";
  AppendNumber(out, result.version);
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
  out.reserve(128 + results.size() * (options.version == 1 ? 48 : 256));
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
