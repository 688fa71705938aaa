// The body of POST /api/v1/evaluate, checked against limits that make a hostile request cost
// about what a normal one does. Project keys ship inside browser and mobile apps, so anyone can
// send this body; every bound here is documented in docs/API.md ("Evaluation limits").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/group_inputs.h"
#include "switchyard/status.h"

namespace switchyard::server {

inline constexpr std::size_t kMaxDistinctIdBytes = 400;
// Property values in one request: each property counts one, each item of a list (or member of a
// flat object) one more, so a single property cannot smuggle in a huge list.
inline constexpr std::size_t kMaxPropertyValues = 1000;
inline constexpr std::size_t kMaxPropertyKeyBytes = 256;
inline constexpr std::size_t kMaxPropertyStringBytes = 8 * 1024;
inline constexpr std::size_t kMaxRequestedFlags = 1000;
// Unknown names are echoed in the answer (as the map key, "key" and "detail"): this bounds that.
inline constexpr std::size_t kMaxRequestedFlagBytes = 32 * 1024;

struct EvaluateRequest {
  std::optional<std::string> project;      // "project": an admin key names the project this way
  std::optional<std::string> environment;  // "environment": and the environment (default production)
  std::string distinct_id;
  nlohmann::json properties = nlohmann::json::object();
  std::optional<std::vector<std::string>> flags;  // nullopt: every flag
  RequestGroups groups;                           // "groups" and "group_properties"
};

// `body` must be a JSON object. InvalidArgument (a 422) naming the field past a limit or of the
// wrong shape: an unknown top-level field, "distinct_id", "properties" or "properties.<key>",
// "flags" or "flags[i]" (not a flag key, or a repeat).
Result<EvaluateRequest> ParseEvaluateRequest(nlohmann::json body);

// The parts of ParseEvaluateRequest, for the PostHog routes, whose body names two of the fields
// differently (person_properties, flag_keys_to_evaluate): each takes the field's name in the body,
// and errors name it ("person_properties.plan", "flag_keys[2]").

// The optional flags member `field` of `body` (nullopt when absent or null), checked as above.
Result<std::optional<std::vector<std::string>>> ReadRequestedFlags(const nlohmann::json& body,
                                                                   std::string_view field);
// The properties object `field` of `body`, moved out of it (an empty object when absent or null).
Result<nlohmann::json> TakeRequestProperties(nlohmann::json* body, std::string_view field);
// "distinct_id": a string of 1 to kMaxDistinctIdBytes bytes.
Result<std::string> ReadDistinctId(const nlohmann::json& body);

// "project" (a slug) and "environment" (a key), which an admin key uses to say where to evaluate;
// each absent or null is nullopt. InvalidArgument naming the field when not a string.
Status ReadEvaluationScope(const nlohmann::json& body, std::optional<std::string>* project,
                           std::optional<std::string>* environment);

}  // namespace switchyard::server
