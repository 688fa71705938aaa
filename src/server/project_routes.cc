// Projects, their environments and their API keys. A key's plaintext is returned exactly once, when
// it is created. A project key evaluates one environment (production unless it names another).
#include <algorithm>
#include "core/known_fields.h"

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/list_page.h"

namespace switchyard::server {
namespace {

Result<std::string> OptionalString(const nlohmann::json& body, const std::string& field, size_t max_length) {
  if (!body.contains(field) || body[field].is_null()) return std::string();
  if (!body[field].is_string()) return Status::InvalidArgument(field + " must be a string", field);
  auto value = body[field].get<std::string>();
  if (value.size() > max_length) {
    return Status::InvalidArgument(field + " must be at most " + std::to_string(max_length) + " characters",
                                   field);
  }
  return value;
}

// Creates a project key, reloads the key ring, and returns the key JSON with the plaintext.
Result<nlohmann::json> IssueProjectKey(ServerContext& ctx, const store::Environment& environment,
                                       const std::string& label, const store::Actor& actor,
                                       store::KeyScope scope = store::KeyScope::kProject) {
  std::string plaintext = GenerateApiKey(scope);
  store::ApiKey key;
  key.scope = scope;
  key.project_id = environment.project_id;
  key.environment_id = environment.id;
  key.label = label;
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  auto created = ctx.store.CreateApiKey(key, actor);
  if (!created.ok()) return created.status();
  if (Status s = ctx.keys.Reload(ctx.store); !s.ok()) return s;
  nlohmann::json out = ApiKeyJson(*created);
  out["environment"] = environment.key;
  out["key"] = plaintext;
  return out;
}

// The environment `key` of the project, NotFound on `field` naming the ones it has.
Result<store::Environment> FindEnvironment(const std::vector<store::Environment>& environments,
                                           const std::string& key, const std::string& field) {
  std::string known;
  for (const auto& environment : environments) {
    if (environment.key == key) return environment;
    known += (known.empty() ? "" : ", ") + environment.key;
  }
  return Status::NotFound("no environment '" + key + "' (the project has " + known + ")", field);
}

nlohmann::json EnvironmentJson(const store::Environment& environment) {
  return {{"id", environment.id},
          {"key", environment.key},
          {"name", environment.name},
          {"created_at", environment.created_at}};
}

Response ListProjects(ServerContext& ctx, RequestContext& req) {
  auto page = ReadPageRequest(req.request(), "projects");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto projects = ctx.store.ListProjects();
  if (!projects.ok()) return ErrorResponse(projects.status());
  std::sort(projects->begin(), projects->end(),
            [](const store::Project& a, const store::Project& b) { return a.id < b.id; });
  std::optional<std::string> next;
  auto position = [](const store::Project& p) { return IdPosition(p.id); };
  nlohmann::json out = nlohmann::json::array();
  for (const auto* p : TakePage(*projects, *page, position, &next)) out.push_back(ProjectJson(*p));
  return PagedJsonResponse(req.request(), "projects", {{"projects", std::move(out)}}, next);
}

Response CreateProject(ServerContext& ctx, RequestContext& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", core::kProjectCreateFields); !s.ok()) return ErrorResponse(s);
  if (!body->contains("slug") || !(*body)["slug"].is_string()) {
    return ErrorResponse(
        Status::InvalidArgument("slug (lower-case letters, digits and '-') is required", "slug"));
  }
  auto name = OptionalString(*body, "name", 200);
  if (!name.ok()) return ErrorResponse(name.status());
  std::string slug = (*body)["slug"].get<std::string>();
  auto project = ctx.store.CreateProject(slug, name->empty() ? slug : *name, ActorOf(req));
  if (!project.ok()) return ErrorResponse(project.status());
  if (Status s = ctx.snapshots.Reload(ctx.store, project->id); !s.ok()) return ErrorResponse(s);
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  nlohmann::json out = ProjectJson(*project);
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& environment : *environments) {
    auto key = IssueProjectKey(ctx, environment, "default", ActorOf(req));
    if (!key.ok()) return ErrorResponse(key.status());
    keys[environment.key] = (*key)["key"];
  }
  out["api_keys"] = keys;                                       // one per environment
  out["api_key"] = keys.value(store::kPrimaryEnvironment, "");  // production's, as before environments
  return JsonResponse(201, out);
}

Response GetProject(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  return JsonResponse(200, ProjectJson(*project));
}

Response ListKeys(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "keys");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto keys = ctx.store.ListApiKeys();
  if (!keys.ok()) return ErrorResponse(keys.status());
  std::vector<store::ApiKey> own;
  for (auto& key : *keys) {
    if (key.project_id == project->id) own.push_back(std::move(key));
  }
  std::sort(own.begin(), own.end(),
            [](const store::ApiKey& a, const store::ApiKey& b) { return a.id < b.id; });
  std::optional<std::string> next;
  auto position = [](const store::ApiKey& key) { return IdPosition(key.id); };
  nlohmann::json out = nlohmann::json::array();
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  for (const auto* key : TakePage(own, *page, position, &next)) {
    nlohmann::json item = ApiKeyJson(*key);
    for (const auto& environment : *environments) {
      if (key->environment_id == environment.id) item["environment"] = environment.key;
    }
    out.push_back(std::move(item));
  }
  return PagedJsonResponse(req.request(), "keys", {{"keys", std::move(out)}}, next);
}

Response CreateKey(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = OptionalObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", core::kKeyCreateFields); !s.ok()) return ErrorResponse(s);
  auto label = OptionalString(*body, "label", 200);
  if (!label.ok()) return ErrorResponse(label.status());
  auto wanted = OptionalString(*body, "environment", 64);
  if (!wanted.ok()) return ErrorResponse(wanted.status());
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  auto environment =
      FindEnvironment(*environments, wanted->empty() ? store::kPrimaryEnvironment : *wanted, "environment");
  if (!environment.ok()) return ErrorResponse(environment.status());
  auto scope_name = OptionalString(*body, "scope", 16);
  if (!scope_name.ok()) return ErrorResponse(scope_name.status());
  if (!scope_name->empty() && *scope_name != "project" && *scope_name != "secret") {
    return ErrorResponse(Status::InvalidArgument(
        "scope must be \"project\" (evaluates; ships in apps) or \"secret\" (back-end SDKs: also reads "
        "flag definitions for local evaluation)",
        "scope"));
  }
  const store::KeyScope scope =
      *scope_name == "secret" ? store::KeyScope::kSecret : store::KeyScope::kProject;
  auto key = IssueProjectKey(ctx, *environment, *label, ActorOf(req), scope);
  if (!key.ok()) return ErrorResponse(key.status());
  return JsonResponse(201, *key);
}

Response RevokeKey(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto keys = ctx.store.ListApiKeys();
  if (!keys.ok()) return ErrorResponse(keys.status());
  const std::string& id = req.Param("id");
  for (const auto& key : *keys) {
    if (std::to_string(key.id) != id || key.project_id != project->id) continue;
    if (Status s = ctx.store.RevokeApiKey(key.id, ActorOf(req)); !s.ok()) return ErrorResponse(s);
    return ErrorOr(ctx.keys.Reload(ctx.store));
  }
  return ErrorResponse(Status::NotFound("project '" + project->slug + "' has no key " + id, "id"));
}

Response ListEnvironments(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "environments");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  std::optional<std::string> next;
  auto position = [](const store::Environment& e) { return IdPosition(e.id); };
  nlohmann::json out = nlohmann::json::array();
  for (const auto* environment : TakePage(*environments, *page, position, &next)) {
    out.push_back(EnvironmentJson(*environment));
  }
  return PagedJsonResponse(req.request(), "environments", {{"environments", std::move(out)}}, next);
}

// {"key", "name"?, "copy_from"?}: without copy_from the new environment serves every flag off.
Response CreateEnvironment(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  for (const auto& [field, value] : body->items()) {
    if (field != "key" && field != "name" && field != "copy_from") {
      return ErrorResponse(
          Status::InvalidArgument("unknown field '" + field + "'; expected key, name or copy_from", field));
    }
  }
  if (!body->contains("key") || !(*body)["key"].is_string()) {
    return ErrorResponse(
        Status::InvalidArgument("key (lower-case letters, digits and '-') is required", "key"));
  }
  auto name = OptionalString(*body, "name", 200);
  if (!name.ok()) return ErrorResponse(name.status());
  auto copy_from = OptionalString(*body, "copy_from", 64);
  if (!copy_from.ok()) return ErrorResponse(copy_from.status());
  const std::string key = (*body)["key"];
  auto environment = ctx.flags.CreateEnvironment(
      project->id, key, name->empty() ? key : *name,
      copy_from->empty() ? std::nullopt : std::optional<std::string>(*copy_from), ActorOf(req));
  if (!environment.ok()) return ErrorResponse(environment.status());
  return JsonResponse(201, EnvironmentJson(*environment));
}

}  // namespace

void RegisterProjectRoutes(Router& router, ServerContext& ctx) {
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", "/api/v1/projects", Access::kAdmin, "List projects (paged)",
             AcceptingQuery({"limit", "cursor"}), bind(ListProjects));
  router.Add("POST", "/api/v1/projects", Access::kAdmin, "Create a project (returns its first project key)",
             bind(CreateProject));
  router.Add("GET", "/api/v1/projects/{project}", Access::kAdmin, "Get a project", bind(GetProject));
  router.Add("GET", "/api/v1/projects/{project}/keys", Access::kAdmin,
             "List a project's keys (prefixes only; paged)", AcceptingQuery({"limit", "cursor"}),
             bind(ListKeys));
  router.Add("POST", "/api/v1/projects/{project}/keys", Access::kAdmin, "Create a project key (shown once)",
             bind(CreateKey));
  router.Add("DELETE", "/api/v1/projects/{project}/keys/{id}", Access::kAdmin, "Revoke a project key",
             bind(RevokeKey));
  router.Add("GET", "/api/v1/projects/{project}/environments", Access::kAdmin,
             "List a project's environments (paged)", AcceptingQuery({"limit", "cursor"}),
             bind(ListEnvironments));
  router.Add("POST", "/api/v1/projects/{project}/environments", Access::kAdmin,
             "Add an environment (copy_from copies another's targeting)", bind(CreateEnvironment));
}

}  // namespace switchyard::server
