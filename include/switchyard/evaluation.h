// What an evaluation takes and gives back.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard {

// A group (PostHog's group analytics: a company, a team) the user acts in.
struct EvaluationGroup {
  std::string key;  // the group key: what a flag aggregated by this group type buckets on
  nlohmann::json properties = nlohmann::json::object();
};

struct EvaluationContext {
  std::string distinct_id;
  // A JSON object: stored person properties with the request's properties merged over them.
  nlohmann::json properties = nlohmann::json::object();
  // "Now" for relative dates (`-7d`). Passed in so that evaluation stays pure and testable.
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  // The user's groups by group type index (the project's group_type_mapping): a flag aggregated
  // by a group type evaluates for the group of that type instead of the user.
  std::map<int, EvaluationGroup> groups;
};

enum class Reason {
  kConditionMatch,    // a group matched and the user is inside its rollout
  kOutOfRollout,      // a group's properties matched but the user hashed outside its rollout
  kNoConditionMatch,  // no group's properties matched
  kDisabled,          // the flag is inactive
  kMissingProperty,   // a filter (or the bucketing property) needed a property the user lacks
  kError,             // the flag could not be evaluated (e.g. a prerequisite flag is gone)
  kFlagNotFound,      // the caller asked for a key that does not exist
};

// Stable snake_case names used on the wire: "condition_match", "out_of_rollout", ...
std::string_view ReasonName(Reason reason);

struct FlagResult {
  std::string key;
  bool enabled = false;
  std::optional<std::string> variant;     // set for multivariate flags when enabled
  std::optional<nlohmann::json> payload;  // the payload of the chosen outcome, if any
  Reason reason = Reason::kNoConditionMatch;
  std::optional<int> condition_index;  // the group that decided, when one did
  std::string detail;                  // a human-readable explanation for kError / kMissingProperty
  std::int64_t version = 0;            // the flag version that produced this result

  // The flag's value as PostHog reports it: the variant key, or true/false.
  nlohmann::json value() const { return variant ? nlohmann::json(*variant) : nlohmann::json(enabled); }
};

}  // namespace switchyard
