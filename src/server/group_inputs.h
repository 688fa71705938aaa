// The groups an evaluation request names (PostHog's `groups` {type: key} and `group_properties`
// {type: {...}}), and their resolution against the project's group types: the engine takes
// groups by type index (EvaluationContext::groups), with stored group properties ($groupidentify)
// under the request's. Shared by /api/v1/evaluate and the PostHog routes.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "switchyard/evaluation.h"
#include "switchyard/status.h"

namespace switchyard::server {

struct RequestGroups {
  std::map<std::string, std::string> keys;           // by group type name
  std::map<std::string, nlohmann::json> properties;  // by group type name, objects

  bool empty() const { return keys.empty(); }
};

// Reads `groups` and `group_properties` of `body` (each absent or null = none). InvalidArgument
// naming the field: not an object, a key that is not a non-empty string (numbers are PostHog's
// and are printed), properties that are not an object, more than store::kMaxGroupTypes types.
Result<RequestGroups> ReadRequestGroups(const nlohmann::json& body);

// The request's groups by the project's type index, with each stored group's properties under
// the request's. Types the project does not know are left out (their flags answer "no group").
// Blocking store reads: call on the worker pool.
Result<std::map<int, EvaluationGroup>> ResolveGroups(store::Store& store, std::int64_t project_id,
                                                     const RequestGroups& groups);

}  // namespace switchyard::server
