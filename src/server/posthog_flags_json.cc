#include "server/posthog_flags_json.h"

#include <nlohmann/json.hpp>

#include "server/answer_writer.h"
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

// The reason's code with its quotes, written as a literal (no escaping check).
void WriteReasonCode(AnswerWriter& w, Reason reason) {
  switch (reason) {
    case Reason::kConditionMatch: w.Literal("\"condition_match\""); return;
    case Reason::kOutOfRollout: w.Literal("\"out_of_rollout_bound\""); return;
    case Reason::kNoConditionMatch:
    case Reason::kMissingProperty: w.Literal("\"no_condition_match\""); return;
    case Reason::kDisabled: w.Literal("\"disabled\""); return;
    case Reason::kError: w.Literal("\"missing_dependency\""); return;
    case Reason::kFlagNotFound: w.Literal("\"flag_not_found\""); return;
  }
  w.Literal("\"unknown\"");
}

void WriteReasonDescription(AnswerWriter& w, const FlagResult& result) {
  switch (result.reason) {
    case Reason::kConditionMatch:
      w.Literal("\"Matched condition set ");
      w.Int(result.condition_index.value_or(0) + 1);
      w.Char('"');
      return;
    case Reason::kOutOfRollout:
      if (result.detail.empty()) {
        w.Literal("\"Out of rollout bound\"");
        return;
      }
      break;
    case Reason::kNoConditionMatch: w.Literal("\"No matching condition set\""); return;
    case Reason::kDisabled: w.Literal("\"Flag is disabled\""); return;
    case Reason::kMissingProperty:
    case Reason::kError:
    case Reason::kFlagNotFound: break;
  }
  w.Quoted(result.detail);
}

// PostHog sends a payload as the text of its JSON, in a string.
std::string PayloadText(const nlohmann::json& payload) {
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Room for everything WriteV2Flag writes but the payload: the literals (~190 bytes), four numbers,
// and the strings.
std::size_t V2FlagBound(const FlagResult& result) {
  return 256 + 4 * AnswerWriter::kIntBound + 2 * AnswerWriter::QuotedBound(result.key) +
         (result.variant ? AnswerWriter::QuotedBound(*result.variant) : 0) +
         AnswerWriter::QuotedBound(result.detail);
}

// `"key":{...}` for one flag.
void WriteV2Flag(AnswerWriter& w, const FlagResult& result) {
  w.Room(V2FlagBound(result));
  w.Quoted(result.key);
  w.Literal(":{\"key\":");
  w.Quoted(result.key);
  if (result.enabled) {
    w.Literal(",\"enabled\":true,\"variant\":");
  } else {
    w.Literal(",\"enabled\":false,\"variant\":");
  }
  if (result.variant) {
    w.Quoted(*result.variant);
  } else {
    w.Literal("null");
  }
  w.Literal(",\"reason\":{\"code\":");
  WriteReasonCode(w, result.reason);
  w.Literal(",\"condition_index\":");
  if (result.condition_index) {
    w.Int(*result.condition_index);
  } else {
    w.Literal("null");
  }
  w.Literal(",\"description\":");
  WriteReasonDescription(w, result);
  w.Literal("},\"metadata\":{\"id\":");
  w.Int(PostHogFlagId(result.key));
  w.Literal(",\"version\":");
  w.Int(result.version);
  if (result.enabled && result.payload) {
    const std::string payload = PayloadText(*result.payload);
    w.Room(16 + AnswerWriter::QuotedBound(payload));
    w.Literal(",\"payload\":");
    w.Quoted(payload);
  }
  w.Literal("}}");
}

void WriteV1(AnswerWriter& w, const std::vector<FlagResult>& results) {
  w.Room(32);
  w.Literal("{\"featureFlags\":{");
  bool first = true;
  for (const FlagResult& result : results) {
    if (result.reason == Reason::kFlagNotFound) continue;
    w.Room(8 + AnswerWriter::QuotedBound(result.key) +
           (result.variant ? AnswerWriter::QuotedBound(*result.variant) : 0));
    if (!first) w.Char(',');
    first = false;
    w.Quoted(result.key);
    w.Char(':');
    if (result.variant) {
      w.Quoted(*result.variant);
    } else if (result.enabled) {
      w.Literal("true");
    } else {
      w.Literal("false");
    }
  }
  w.Room(32);
  w.Literal("},\"featureFlagPayloads\":{");
  first = true;
  for (const FlagResult& result : results) {
    if (!result.enabled || !result.payload) continue;
    const std::string payload = PayloadText(*result.payload);
    w.Room(8 + AnswerWriter::QuotedBound(result.key) + AnswerWriter::QuotedBound(payload));
    if (!first) w.Char(',');
    first = false;
    w.Quoted(result.key);
    w.Char(':');
    w.Quoted(payload);
  }
  w.Room(1);
  w.Char('}');
}

void WriteV2(AnswerWriter& w, const std::vector<FlagResult>& results) {
  w.Room(16);
  w.Literal("{\"flags\":{");
  bool first = true;
  for (const FlagResult& result : results) {
    if (result.reason == Reason::kFlagNotFound) continue;
    if (!first) {
      w.Room(1);
      w.Char(',');
    }
    first = false;
    WriteV2Flag(w, result);
  }
  w.Room(1);
  w.Char('}');
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
  AnswerWriter w(128 + results.size() * (options.version == 1 ? 48 : 256));
  if (options.version == 1) {
    WriteV1(w, results);
  } else {
    WriteV2(w, results);
  }
  bool errors = false;
  for (const FlagResult& result : results) errors = errors || result.reason == Reason::kError;
  w.Room(64 + AnswerWriter::QuotedBound(options.request_id) + kConfigMembers.size());
  if (errors) {
    w.Literal(",\"errorsWhileComputingFlags\":true");
  } else {
    w.Literal(",\"errorsWhileComputingFlags\":false");
  }
  w.Literal(",\"requestId\":");
  w.Quoted(options.request_id);
  if (options.with_config) {
    w.Char(',');
    w.Raw(kConfigMembers);
  }
  w.Char('}');
  return w.Take();
}

std::string PostHogRemoteConfigJson(std::string_view token) {
  std::string out = "{\"token\":";
  core::AppendJsonString(out, token);
  out += ',';
  out += kConfigMembers;
  out += '}';
  return out;
}

}  // namespace switchyard::server
