#include "server/handler_support.h"

#include <charconv>

#include "server/api_error.h"
#include "store/store_validation.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

Result<store::Project> ResolveProject(ServerContext& context, const RequestContext& request) {
  const std::string& name = request.Param("project");
  auto by_slug = context.store.GetProjectBySlug(name);
  if (by_slug.ok() || by_slug.status().code() != StatusCode::kNotFound) return by_slug;
  if (auto id = ParseInt(name)) {
    auto by_id = context.store.GetProject(*id);
    if (by_id.ok()) return by_id;
  }
  return Status::NotFound("no project '" + name + "'", "project");
}

Result<std::optional<store::Environment>> ResolveEnvironment(ServerContext& context,
                                                             const RequestContext& request,
                                                             const store::Project& project,
                                                             std::vector<store::Environment>* environments) {
  auto listed = context.store.ListEnvironments(project.id);
  if (!listed.ok()) return listed.status();
  *environments = std::move(*listed);
  const std::string* wanted = request.request().QueryParam("environment");
  if (wanted == nullptr) return std::optional<store::Environment>();
  for (const store::Environment& environment : *environments) {
    if (environment.key == *wanted) return std::optional<store::Environment>(environment);
  }
  std::string known;
  for (const store::Environment& environment : *environments)
    known += (known.empty() ? "" : ", ") + environment.key;
  return Status::NotFound(
      "project '" + project.slug + "' has no environment '" + *wanted + "' (it has " + known + ")",
      "environment");
}

Result<std::optional<std::int64_t>> BaseVersion(const nlohmann::json& body, const Request& request) {
  std::optional<std::int64_t> from_body;
  if (body.is_object() && body.contains("version") && !body["version"].is_null()) {
    const auto& v = body["version"];
    // Unsigned first: get<int64_t> of a value past INT64_MAX would wrap.
    const bool in_range =
        v.is_number_unsigned()
            ? v.get<std::uint64_t>() >= 1 && v.get<std::uint64_t>() <= std::uint64_t{store::kMaxVersion}
        : v.is_number_integer() ? v.get<std::int64_t>() >= 1 && v.get<std::int64_t>() <= store::kMaxVersion
                                : false;
    if (!in_range) {
      return Status::InvalidArgument(
          "version must be an integer from 1 to " + std::to_string(store::kMaxVersion), "version");
    }
    from_body = v.get<std::int64_t>();
  }
  std::optional<std::int64_t> from_header;
  std::string_view if_match = request.Header("if-match");
  if (!if_match.empty()) {
    if (if_match.size() >= 2 && if_match.front() == '"' && if_match.back() == '"') {
      if_match = if_match.substr(1, if_match.size() - 2);
    }
    auto parsed = ParseInt(if_match);
    if (!parsed || *parsed < 1 || *parsed > store::kMaxVersion) {
      return Status::InvalidArgument(
          "If-Match must carry a version number from 1 to " + std::to_string(store::kMaxVersion), "if-match");
    }
    from_header = *parsed;
  }
  // Two answers to "which version is this based on" that differ: neither may silently win.
  if (from_body && from_header && *from_body != *from_header) {
    return Status::InvalidArgument("the body's version " + std::to_string(*from_body) +
                                       " disagrees with If-Match " + std::to_string(*from_header),
                                   "version");
  }
  return from_body ? from_body : from_header;
}

Result<std::int64_t> RequiredBaseVersion(const nlohmann::json& body, const Request& request) {
  auto version = BaseVersion(body, request);
  if (!version.ok()) return version.status();
  if (!*version) {
    return Status::InvalidArgument(
        "an update must carry the version it is based on (body \"version\" or If-Match)", "version");
  }
  return **version;
}

Response WithVersionETag(Response response, std::int64_t version) {
  response.headers.emplace_back("ETag", "\"" + std::to_string(version) + "\"");
  return response;
}

Result<std::optional<std::int64_t>> VersionQueryParam(const Request& request) {
  if (request.QueryParam("version") == nullptr) return std::optional<std::int64_t>();
  auto parsed = IntQueryParam(request, "version", 0, 1, store::kMaxVersion);
  if (!parsed.ok()) return parsed.status();
  return std::optional<std::int64_t>(*parsed);
}

Status MatchPathValue(nlohmann::json& body, const std::string& field, const std::string& path_value) {
  if (!body.contains(field)) body[field] = path_value;
  if (!body[field].is_string() || body[field].get<std::string>() != path_value) {
    return Status::InvalidArgument("the body's " + field + " must match the URL's '" + path_value + "'",
                                   field);
  }
  return Status::Ok();
}

Result<std::int64_t> IntQueryParam(const Request& request, std::string_view name, std::int64_t fallback,
                                   std::int64_t min, std::int64_t max) {
  const std::string* raw = request.QueryParam(name);
  if (raw == nullptr) return fallback;
  auto parsed = ParseInt(*raw);
  if (!parsed || *parsed < min || *parsed > max) {
    return Status::InvalidArgument(
        std::string(name) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
        std::string(name));
  }
  return *parsed;
}

Result<std::optional<bool>> BoolQueryParam(const Request& request, std::string_view name) {
  const std::string* raw = request.QueryParam(name);
  if (raw == nullptr) return std::optional<bool>();
  if (*raw == "true" || *raw == "1") return std::optional<bool>(true);
  if (*raw == "false" || *raw == "0") return std::optional<bool>(false);
  return Status::InvalidArgument(std::string(name) + " must be true or false", std::string(name));
}

store::Actor ActorOf(const RequestContext& request) {
  return store::Actor{request.principal().ActorName()};
}

nlohmann::json ProjectJson(const store::Project& project) {
  return {
      {"id", project.id}, {"slug", project.slug}, {"name", project.name}, {"created_at", project.created_at}};
}

nlohmann::json FlagRecordJson(const store::FlagRecord& record,
                              const std::vector<store::Environment>& environments,
                              const std::optional<store::Environment>& environment) {
  nlohmann::json out;
  if (environment) {
    out = FlagToJson(record.In(environment->key));
    out["environment"] = environment->key;
  } else {
    out = FlagToJson(record.In(store::kPrimaryEnvironment));
    nlohmann::json by_environment = nlohmann::json::object();
    for (const store::Environment& each : environments) {
      auto it = record.environments.find(each.key);
      by_environment[each.key] =
          TargetingToJson(it == record.environments.end() ? FlagTargeting{} : it->second);
    }
    out["environments"] = std::move(by_environment);
  }
  out["created_at"] = record.created_at;
  out["updated_at"] = record.updated_at;
  out["updated_by"] = record.updated_by;
  out["archived"] = record.archived;
  if (record.archived) out["archived_at"] = record.archived_at;
  return out;
}

nlohmann::json CohortRecordJson(const store::CohortRecord& record) {
  nlohmann::json out = CohortToJson(record.cohort);
  out["version"] = record.version;
  out["created_at"] = record.created_at;
  out["updated_at"] = record.updated_at;
  return out;
}

nlohmann::json PersonJson(const store::Person& person) {
  nlohmann::json out = {{"distinct_id", person.distinct_id},
                        {"properties", person.properties},
                        {"created_at", person.created_at},
                        {"updated_at", person.updated_at}};
  // Every id of a merged person ($identify, $create_alias), when the read filled them in.
  if (!person.distinct_ids.empty()) out["distinct_ids"] = person.distinct_ids;
  return out;
}

nlohmann::json AuditEntryJson(const store::AuditEntry& entry) {
  nlohmann::json out = {{"id", entry.id},
                        {"at", entry.at},
                        {"actor", entry.actor},
                        {"action", entry.action},
                        {"entity_type", entry.entity_type},
                        {"entity_key", entry.entity_key},
                        {"before", entry.before},
                        {"after", entry.after}};
  out["environment"] = entry.environment ? nlohmann::json(*entry.environment) : nlohmann::json();
  out["project_id"] = entry.project_id ? nlohmann::json(*entry.project_id) : nlohmann::json();
  return out;
}

nlohmann::json ApiKeyJson(const store::ApiKey& key) {
  nlohmann::json out = {{"id", key.id},
                        {"label", key.label},
                        {"prefix", key.prefix},
                        {"scope", key.scope == store::KeyScope::kAdmin    ? "admin"
                                  : key.scope == store::KeyScope::kSecret ? "secret"
                                                                          : "project"},
                        {"created_at", key.created_at},
                        {"revoked", key.revoked}};
  out["project_id"] = key.project_id ? nlohmann::json(*key.project_id) : nlohmann::json();
  out["environment_id"] = key.environment_id ? nlohmann::json(*key.environment_id) : nlohmann::json();
  return out;
}

Result<nlohmann::json> ObjectBody(const RequestContext& request) {
  auto body = request.JsonBody();
  if (!body.ok()) return body;
  if (!body->is_object()) return Status::InvalidArgument("the request body must be a JSON object", "body");
  return body;
}

Result<nlohmann::json> OptionalObjectBody(const RequestContext& request) {
  if (request.request().body.empty()) return nlohmann::json::object();
  return ObjectBody(request);
}

Response ErrorOr(const Status& status, int ok_status) {
  if (!status.ok()) return ErrorResponse(status);
  return EmptyResponse(ok_status);
}

Result<FlagScope> ResolveScope(ServerContext& context, RequestContext& request) {
  auto project = ResolveProject(context, request);
  if (!project.ok()) return project.status();
  FlagScope scope{*project, {}, std::nullopt};
  auto environment = ResolveEnvironment(context, request, *project, &scope.environments);
  if (!environment.ok()) return environment.status();
  scope.environment = std::move(*environment);
  return scope;
}

}  // namespace switchyard::server
