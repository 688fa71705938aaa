// The audit log: who changed what, when, with the entity before and after. Newest first, paged
// with ?before=<id> (the response's next_before).
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

Response ListAudit(ServerContext& ctx, RequestContext& req, std::optional<std::int64_t> project_id) {
  store::AuditQuery query;
  query.project_id = project_id;
  if (auto* type = req.request().QueryParam("entity_type")) query.entity_type = *type;
  if (auto* key = req.request().QueryParam("entity_key")) query.entity_key = *key;
  auto limit = IntQueryParam(req.request(), "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorResponse(400, "invalid_query", limit.status().message(), "limit");
  query.limit = static_cast<int>(*limit);
  if (req.request().QueryParam("before") != nullptr) {
    auto before = IntQueryParam(req.request(), "before", 0, 1, INT64_MAX);
    if (!before.ok()) return ErrorResponse(400, "invalid_query", before.status().message(), "before");
    query.before_id = *before;
  }
  auto entries = ctx.store.ListAudit(query);
  if (!entries.ok()) return ErrorResponse(entries.status());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& entry : *entries) out.push_back(AuditEntryJson(entry));
  nlohmann::json next = nlohmann::json();
  if (static_cast<int>(entries->size()) == query.limit && !entries->empty()) next = entries->back().id;
  return JsonResponse(200, {{"entries", out}, {"next_before", next}});
}

}  // namespace

void RegisterAuditRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/api/v1/audit", Access::kAdmin,
             "The audit log of every project (entity_type, entity_key, limit, before)",
             [&ctx](RequestContext& req) { return ListAudit(ctx, req, std::nullopt); });
  router.Add("GET", "/api/v1/projects/{project}/audit", Access::kAdmin,
             "A project's audit log (entity_type, entity_key, limit, before)", [&ctx](RequestContext& req) {
               auto project = ResolveProject(ctx, req);
               if (!project.ok()) return ErrorResponse(project.status());
               return ListAudit(ctx, req, project->id);
             });
}

}  // namespace switchyard::server
