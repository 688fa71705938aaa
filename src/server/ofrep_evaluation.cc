#include "server/ofrep_evaluation.h"

#include <algorithm>
#include <utility>

#include "server/evaluate_request.h"

namespace switchyard::server {
namespace {

using json = nlohmann::json;

OfrepFailure Failure(OfrepError error, std::string details, std::string field) {
  return OfrepFailure{error, std::move(details), std::move(field)};
}

bool NamesVariant(const Flag& flag, const std::optional<std::string>& variant) {
  return variant && std::any_of(flag.variants.begin(), flag.variants.end(),
                                [&](const Variant& v) { return v.key == *variant; });
}

// A matched group decided by a hash (a partial rollout, or a variant picked by the variant hash)
// is a SPLIT; one that asks nothing of the user is STATIC; any other matched on the user's
// properties: TARGETING_MATCH.
std::string_view MatchReason(const FlagResult& result, const Flag* flag) {
  if (flag == nullptr || !result.condition_index || *result.condition_index < 0 ||
      static_cast<std::size_t>(*result.condition_index) >= flag->groups.size()) {
    return "TARGETING_MATCH";
  }
  const ConditionGroup& group = flag->groups[static_cast<std::size_t>(*result.condition_index)];
  bool hashed_in = group.rollout_percentage && *group.rollout_percentage < 100;
  bool hashed_variant = flag->is_multivariate() && !NamesVariant(*flag, group.variant);
  if (hashed_in || hashed_variant) return "SPLIT";
  return group.properties.empty() ? "STATIC" : "TARGETING_MATCH";
}

}  // namespace

std::string_view OfrepErrorName(OfrepError error) {
  switch (error) {
    case OfrepError::kParseError: return "PARSE_ERROR";
    case OfrepError::kTargetingKeyMissing: return "TARGETING_KEY_MISSING";
    case OfrepError::kInvalidContext: return "INVALID_CONTEXT";
    case OfrepError::kFlagNotFound: return "FLAG_NOT_FOUND";
    case OfrepError::kGeneral: return "GENERAL";
  }
  return "GENERAL";
}

int OfrepHttpStatus(OfrepError error) {
  switch (error) {
    case OfrepError::kFlagNotFound: return 404;
    case OfrepError::kGeneral: return 500;
    case OfrepError::kParseError:
    case OfrepError::kTargetingKeyMissing:
    case OfrepError::kInvalidContext: return 400;
  }
  return 500;
}

std::optional<OfrepFailure> ReadOfrepContext(const json& body, OfrepContext* out) {
  if (!body.is_object())
    return Failure(OfrepError::kParseError, "the request body must be a JSON object", "body");
  auto context = body.find("context");
  if (context == body.end() || context->is_null()) {
    return Failure(OfrepError::kTargetingKeyMissing,
                   "context.targetingKey is required (the user to evaluate for)", "context.targetingKey");
  }
  if (!context->is_object()) {
    return Failure(OfrepError::kInvalidContext, "context must be a JSON object", "context");
  }
  auto key = context->find("targetingKey");
  if (key == context->end() || key->is_null() ||
      (key->is_string() && key->get_ref<const std::string&>().empty())) {
    return Failure(OfrepError::kTargetingKeyMissing,
                   "context.targetingKey is required (the user to evaluate for)", "context.targetingKey");
  }
  if (!key->is_string()) {
    return Failure(OfrepError::kInvalidContext, "context.targetingKey must be a string",
                   "context.targetingKey");
  }
  json attributes = *context;
  attributes.erase("targetingKey");
  // The same bounds as /api/v1/evaluate, by handing it the body it would have received.
  auto request = ParseEvaluateRequest(json{{"distinct_id", *key}, {"properties", std::move(attributes)}});
  if (!request.ok()) {
    const std::string field = request.status().field();  // status() is a copy: keep the field
    std::string ours = field == "distinct_id"              ? "context.targetingKey"
                       : field.rfind("properties", 0) == 0 ? "context" + field.substr(10)
                                                           : "context";
    return Failure(OfrepError::kInvalidContext, request.status().message(), ours);
  }
  out->targeting_key = std::move(request->distinct_id);
  out->attributes = std::move(request->properties);
  return std::nullopt;
}

std::string_view OfrepReason(const FlagResult& result, const Flag* flag) {
  switch (result.reason) {
    case Reason::kConditionMatch: return MatchReason(result, flag);
    case Reason::kOutOfRollout:
      return "SPLIT";  // the properties matched; the rollout hash (or a holdout) left the user out
    case Reason::kNoConditionMatch:
    case Reason::kMissingProperty: return "DEFAULT";
    case Reason::kDisabled: return "DISABLED";
    case Reason::kError:
    case Reason::kFlagNotFound: return "ERROR";
  }
  return "UNKNOWN";
}

std::optional<OfrepFailure> OfrepFailureOf(const FlagResult& result) {
  if (result.reason == Reason::kFlagNotFound) {
    return Failure(OfrepError::kFlagNotFound, "no flag '" + result.key + "' in this environment", "key");
  }
  if (result.reason == Reason::kError) {
    return Failure(OfrepError::kGeneral,
                   result.detail.empty() ? "the flag could not be evaluated" : result.detail, "key");
  }
  return std::nullopt;
}

json OfrepSuccessJson(const FlagResult& result, const Flag* flag) {
  bool multivariate = flag != nullptr ? flag->is_multivariate() : result.variant.has_value();
  json value = result.enabled;
  if (multivariate) {
    if (!result.variant) {
      value = false;
    } else if (result.payload && !result.payload->is_null()) {
      value = *result.payload;
    } else {
      value = *result.variant;
    }
  }
  json metadata = {{"flagVersion", result.version}, {"switchyardReason", ReasonName(result.reason)}};
  if (result.condition_index) metadata["conditionIndex"] = *result.condition_index;
  if (!result.detail.empty()) metadata["detail"] = result.detail;
  if (!multivariate && result.payload && !result.payload->is_null()) {
    metadata["payload"] = result.payload->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  json out = {{"key", result.key}, {"value", std::move(value)}, {"reason", OfrepReason(result, flag)}};
  if (result.variant) {
    out["variant"] = *result.variant;
  } else if (!multivariate) {
    out["variant"] = result.enabled ? "true" : "false";
  }
  out["metadata"] = std::move(metadata);
  return out;
}

json OfrepFailureJson(const OfrepFailure& failure, std::string_view key) {
  json out = json::object();
  if (!key.empty()) out["key"] = key;
  out["errorCode"] = OfrepErrorName(failure.error);
  out["errorDetails"] = failure.details;
  json error = {{"code", OfrepErrorName(failure.error)}, {"message", failure.details}};
  if (!failure.field.empty()) error["field"] = failure.field;
  out["error"] = std::move(error);
  return out;
}

}  // namespace switchyard::server
