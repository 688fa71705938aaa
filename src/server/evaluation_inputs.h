// What POST /api/v1/evaluate and its batch form share before the engine runs: the project to
// evaluate in, and a user's stored properties merged under the request's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/api_key.h"
#include "server/person_cache.h"
#include "store/store.h"
#include "switchyard/evaluation.h"
#include "switchyard/status.h"

namespace switchyard::server {

// A project key's own project; an admin key names one by slug (`"project"` in the body).
// InvalidArgument (field "project") when an admin key names none; NotFound when it is unknown.
Result<std::int64_t> EvaluationProject(store::Store& store, const Principal& principal,
                                       const std::optional<std::string>& project);

// A person's stored properties; a null json when the person does not exist.
Result<PersonCache::Properties> ReadStoredProperties(store::Store& store, std::int64_t project_id,
                                                     const std::string& distinct_id);

// The context to evaluate: the stored properties with the request's merged over them (the
// request wins).
EvaluationContext MergedContext(std::string distinct_id, const PersonCache::Properties& stored,
                                nlohmann::json request_properties);

}  // namespace switchyard::server
