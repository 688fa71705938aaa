#include "server/evaluation_inputs.h"

#include <chrono>
#include <memory>
#include <utility>

#include "server/api_error.h"

namespace switchyard::server {

Result<EvaluationTarget> EvaluationWhere(store::Store& store, const Principal& principal,
                                         const std::optional<std::string>& project,
                                         const std::optional<std::string>& environment) {
  if (!principal.is_admin()) {
    if (environment && *environment != principal.environment) {
      return Status(StatusCode::kPermissionDenied,
                    "this key evaluates environment '" + principal.environment + "'; use a key of '" +
                        *environment + "'",
                    "environment");
    }
    return EvaluationTarget{*principal.project_id, principal.environment_id.value_or(0)};
  }
  if (!project) {
    return Status::InvalidArgument("with an admin key, name the project to evaluate in (\"project\": slug)",
                                   "project");
  }
  auto found = store.GetProjectBySlug(*project);
  if (!found.ok()) return Status::NotFound(found.status().message(), "project");
  auto environments = store.ListEnvironments(found->id);
  if (!environments.ok()) return environments.status();
  const std::string wanted = environment.value_or(store::kPrimaryEnvironment);
  for (const auto& each : *environments) {
    if (each.key == wanted) return EvaluationTarget{found->id, each.id};
  }
  return Status::NotFound("project '" + found->slug + "' has no environment '" + wanted + "'", "environment");
}

Response PersonReadFailedResponse(const Status& status) {
  Response failed = ErrorResponse(status);
  if (status.code() == StatusCode::kUnavailable) failed.headers.emplace_back("Retry-After", "1");
  return failed;
}

RoutePolicy EvaluationRoutePolicy(std::size_t max_body_bytes) {
  RoutePolicy policy;
  policy.cors = true;
  policy.accept_gzip = true;
  policy.max_body_bytes = max_body_bytes;
  return policy;
}

Result<PersonCache::Properties> ReadStoredProperties(store::Store& store, std::int64_t project_id,
                                                     const std::string& distinct_id) {
  auto stored = store.GetPerson(project_id, distinct_id);
  if (stored.ok()) return std::make_shared<const nlohmann::json>(std::move(stored->properties));
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  return std::make_shared<const nlohmann::json>();
}

EvaluationContext MergedContext(std::string distinct_id, const PersonCache::Properties& stored,
                                nlohmann::json request_properties) {
  EvaluationContext context;
  context.distinct_id = std::move(distinct_id);
  context.properties = stored->is_null() ? nlohmann::json::object() : *stored;
  for (auto& [k, v] : request_properties.items()) context.properties[k] = std::move(v);
  context.now = std::chrono::system_clock::now();
  return context;
}

}  // namespace switchyard::server
