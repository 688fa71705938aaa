// What POST /api/v1/evaluate and its batch form share before the engine runs: the project to
// evaluate in, and a user's stored properties merged under the request's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/api_key.h"
#include "server/http_message.h"
#include "server/person_cache.h"
#include "server/route_policy.h"
#include "store/store.h"
#include "switchyard/evaluation.h"
#include "switchyard/status.h"

namespace switchyard::server {

// Where a request evaluates: the project (persons) and the environment (snapshot).
struct EvaluationTarget {
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;
};

// A project key's own project and environment (naming another environment is PermissionDenied on
// "environment"); an admin key names the project by slug (`"project"` in the body) and the
// environment by key (`"environment"`, default production). InvalidArgument (field "project")
// when an admin key names no project; NotFound when the project or environment is unknown.
Result<EvaluationTarget> EvaluationWhere(store::Store& store, const Principal& principal,
                                         const std::optional<std::string>& project,
                                         const std::optional<std::string>& environment);

// How evaluation routes are called: browsers may (CORS), SDKs may gzip, and the body is bounded
// by `max_body_bytes`.
RoutePolicy EvaluationRoutePolicy(std::size_t max_body_bytes);

// The answer when stored properties could not be read: the error, with Retry-After when the
// worker pool was full (kUnavailable), so clients back off instead of retrying at once.
Response PersonReadFailedResponse(const Status& status);

// A person's stored properties; a null json when the person does not exist.
Result<PersonCache::Properties> ReadStoredProperties(store::Store& store, std::int64_t project_id,
                                                     const std::string& distinct_id);

// The context to evaluate: the stored properties with the request's merged over them (the
// request wins).
EvaluationContext MergedContext(std::string distinct_id, const PersonCache::Properties& stored,
                                nlohmann::json request_properties);

}  // namespace switchyard::server
