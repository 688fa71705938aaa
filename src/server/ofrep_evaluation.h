// OFREP (OpenFeature Remote Evaluation Protocol) on top of the engine's results: what a request's
// `context` means to us, and how a FlagResult reads as an OFREP evaluation. Pure (no I/O), so the
// rules below are unit-tested apart from the routes (ofrep_routes.cc).
//
// Values, so that the SDK's typed getters work:
//   - a boolean flag (no variants) is a boolean: `enabled`;
//   - a multivariate flag that serves a variant is that variant's payload when it has one (a
//     number, string, object or list: what getNumberValue / getStringValue / getObjectValue
//     expect), else the variant key (a string);
//   - a multivariate flag that serves nothing to this user is `false`, as in PostHog; a typed
//     string/number/object getter then falls back to the code's default (the provider reports a
//     type mismatch).
// A boolean flag's payload goes in metadata.payload as JSON text (metadata holds only scalars).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/evaluation.h"
#include "switchyard/flag.h"

namespace switchyard::server {

// OFREP's error codes (the OpenFeature ones an evaluation service can give).
enum class OfrepError {
  kParseError,           // the body is not JSON, or not an object
  kTargetingKeyMissing,  // context.targetingKey absent or empty
  kInvalidContext,       // context (or an attribute) of the wrong shape or past a limit
  kFlagNotFound,
  kGeneral,  // the flag could not be evaluated
};

std::string_view OfrepErrorName(OfrepError error);

struct OfrepFailure {
  OfrepError error = OfrepError::kGeneral;
  std::string details;
  std::string field;  // the offending request field ("context.targetingKey"), when there is one
};

// Who to evaluate for: context.targetingKey and the other attributes (as person properties).
struct OfrepContext {
  std::string targeting_key;
  nlohmann::json attributes = nlohmann::json::object();
};

// Reads an evaluation request body (`{"context": {...}}`, a parsed JSON object) into `out`; the
// failure when it is not one we can evaluate. The limits are those of POST /api/v1/evaluate
// (distinct_id and properties).
std::optional<OfrepFailure> ReadOfrepContext(const nlohmann::json& body, OfrepContext* out);

// The OpenFeature reason of `result` for `flag` (null when the key is unknown): STATIC,
// TARGETING_MATCH, SPLIT, DISABLED, DEFAULT, ERROR or UNKNOWN.
std::string_view OfrepReason(const FlagResult& result, const Flag* flag);

// The failure to report for `result` (kFlagNotFound, kError), or nullopt for an evaluation.
std::optional<OfrepFailure> OfrepFailureOf(const FlagResult& result);

// A success object: {key, value, reason, variant?, metadata}.
nlohmann::json OfrepSuccessJson(const FlagResult& result, const Flag* flag);

// A failure object: {key?, errorCode, errorDetails}, plus our usual `error` object
// ({code, message, field}) so that a person reading it sees the same shape as everywhere else.
nlohmann::json OfrepFailureJson(const OfrepFailure& failure, std::string_view key);

// The HTTP status of a single-flag failure: 404 not found, 500 general, else 400.
int OfrepHttpStatus(OfrepError error);

}  // namespace switchyard::server
