// Small helpers that several route files share: resolving the {project} path parameter, reading
// versions and query parameters, and the JSON shapes of stored records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/flag_body.h"
#include "server/router.h"
#include "server/server_context.h"
#include "store/store.h"

namespace switchyard::server {

// The project named by the {project} parameter (a slug, or a numeric id).
Result<store::Project> ResolveProject(ServerContext& context, const RequestContext& request);

// The environment named by the `environment` query parameter: nullopt when absent (the request
// is about every environment), NotFound (field "environment") when the project has none by that key.
// `environments` receives the project's environments.
Result<std::optional<store::Environment>> ResolveEnvironment(ServerContext& context,
                                                             const RequestContext& request,
                                                             const store::Project& project,
                                                             std::vector<store::Environment>* environments);

// The version a change is based on: body "version" or the If-Match header ("3" or "\"3\"").
// nullopt when neither is present; InvalidArgument (field "version", or "if-match") when
// malformed or outside 1..store::kMaxVersion, and (field "version") when both are present and
// differ.
Result<std::optional<std::int64_t>> BaseVersion(const nlohmann::json& body, const Request& request);

// BaseVersion for PUT/PATCH, where the version is required (InvalidArgument, field "version").
Result<std::int64_t> RequiredBaseVersion(const nlohmann::json& body, const Request& request);

// `response` with `ETag: "<version>"`: the entity-tag If-Match takes back on a write, and what
// If-None-Match is compared with (the router's conditional GET) instead of a body digest.
Response WithVersionETag(Response response, std::int64_t version);

// DELETE's optional ?version=N guard; InvalidArgument (field "version") when malformed.
Result<std::optional<std::int64_t>> VersionQueryParam(const Request& request);

// Fills body[field] from the URL's path value, or checks that a given one matches it.
Status MatchPathValue(nlohmann::json& body, const std::string& field, const std::string& path_value);

// An integer query parameter within [min, max]; `fallback` when absent.
Result<std::int64_t> IntQueryParam(const Request& request, std::string_view name, std::int64_t fallback,
                                   std::int64_t min, std::int64_t max);
// "true"/"false" (also 1/0); nullopt when absent.
Result<std::optional<bool>> BoolQueryParam(const Request& request, std::string_view name);

store::Actor ActorOf(const RequestContext& request);

// The project ({project}) and environment (?environment=) a flag request is about.
Result<FlagScope> ResolveScope(ServerContext& context, RequestContext& request);

nlohmann::json ProjectJson(const store::Project& project);
// In one environment: the flag as it evaluates there, with "environment". In none: the flag as
// kPrimaryEnvironment evaluates it, with "environments": {key: {"active", "filters"}} for each of
// the project's `environments`.
nlohmann::json FlagRecordJson(const store::FlagRecord& record,
                              const std::vector<store::Environment>& environments,
                              const std::optional<store::Environment>& environment);
nlohmann::json CohortRecordJson(const store::CohortRecord& record);
nlohmann::json PersonJson(const store::Person& person);
nlohmann::json AuditEntryJson(const store::AuditEntry& entry);
nlohmann::json ApiKeyJson(const store::ApiKey& key);

// Shorthand for handlers: a body that must be a JSON object.
Result<nlohmann::json> ObjectBody(const RequestContext& request);
// The same where the body is optional: an empty body is an empty object.
Result<nlohmann::json> OptionalObjectBody(const RequestContext& request);

// Adapts a plain handler function to the router's Handler, bound to the server context.
inline Handler Bind(ServerContext& context, Response (*fn)(ServerContext&, RequestContext&)) {
  return [&context, fn](RequestContext& request) { return fn(context, request); };
}

// Runs `fn` when `result` holds a value, else returns the error response. Keeps handlers flat.
Response ErrorOr(const Status& status, int ok_status = 204);

}  // namespace switchyard::server
