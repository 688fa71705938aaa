// Projects and their API keys. A key's plaintext is returned exactly once, when it is created.
#include <algorithm>

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
Result<nlohmann::json> IssueProjectKey(ServerContext& ctx, std::int64_t project_id, const std::string& label,
                                       const store::Actor& actor) {
  std::string plaintext = GenerateApiKey(store::KeyScope::kProject);
  store::ApiKey key;
  key.scope = store::KeyScope::kProject;
  key.project_id = project_id;
  key.label = label;
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  auto created = ctx.store.CreateApiKey(key, actor);
  if (!created.ok()) return created.status();
  if (Status s = ctx.keys.Reload(ctx.store); !s.ok()) return s;
  nlohmann::json out = ApiKeyJson(*created);
  out["key"] = plaintext;
  return out;
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
  auto key = IssueProjectKey(ctx, project->id, "default", ActorOf(req));
  if (!key.ok()) return ErrorResponse(key.status());
  nlohmann::json out = ProjectJson(*project);
  out["api_key"] = (*key)["key"];
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
  for (const auto* key : TakePage(own, *page, position, &next)) out.push_back(ApiKeyJson(*key));
  return PagedJsonResponse(req.request(), "keys", {{"keys", std::move(out)}}, next);
}

Response CreateKey(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = OptionalObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto label = OptionalString(*body, "label", 200);
  if (!label.ok()) return ErrorResponse(label.status());
  auto key = IssueProjectKey(ctx, project->id, *label, ActorOf(req));
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
}

}  // namespace switchyard::server
