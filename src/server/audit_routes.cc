// The audit log: who changed what, when, with the entity before and after. Newest first, paged
// with ?cursor= (the response's next_cursor) like every list, or ?before=<id> (next_before), the
// older form, which stays.
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/list_page.h"

namespace switchyard::server {
namespace {

Response ListAudit(ServerContext& ctx, RequestContext& req, std::optional<std::int64_t> project_id) {
  store::AuditQuery query;
  query.project_id = project_id;
  if (auto* type = req.request().QueryParam("entity_type")) query.entity_type = *type;
  if (auto* key = req.request().QueryParam("entity_key")) query.entity_key = *key;
  auto page = ReadPageRequest(req.request(), "audit");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  query.limit = static_cast<int>(page->limit);
  if (page->after) {
    if (req.request().QueryParam("before") != nullptr) {
      return InvalidQueryResponse(Status::InvalidArgument("give cursor or before, not both", "before"));
    }
    auto id = PositionId(*page->after);
    if (!id)
      return InvalidQueryResponse(Status::InvalidArgument("cursor is not one this list returned", "cursor"));
    query.before_id = *id;
  } else if (req.request().QueryParam("before") != nullptr) {
    auto before = IntQueryParam(req.request(), "before", 0, 1, INT64_MAX);
    if (!before.ok()) return InvalidQueryResponse(before.status());
    query.before_id = *before;
  }
  auto entries = ctx.store.ListAudit(query);
  if (!entries.ok()) return ErrorResponse(entries.status());
  std::optional<std::int64_t> next;
  if (static_cast<int>(entries->size()) == query.limit) {
    // A full page: one more read says whether older entries exist.
    store::AuditQuery older = query;
    older.before_id = entries->back().id;
    older.limit = 1;
    auto more = ctx.store.ListAudit(older);
    if (!more.ok()) return ErrorResponse(more.status());
    if (!more->empty()) next = entries->back().id;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& entry : *entries) out.push_back(AuditEntryJson(entry));
  nlohmann::json body = {{"entries", std::move(out)},
                         {"next_before", next ? nlohmann::json(*next) : nlohmann::json()}};
  std::optional<std::string> position;
  if (next) position = IdPosition(*next);
  return PagedJsonResponse(req.request(), "audit", std::move(body), position);
}

}  // namespace

void RegisterAuditRoutes(Router& router, ServerContext& ctx) {
  const RoutePolicy policy = AcceptingQuery({"entity_type", "entity_key", "limit", "cursor", "before"});
  router.Add("GET", "/api/v1/audit", Access::kAdmin,
             "The audit log of every project (entity_type, entity_key; paged)", policy,
             [&ctx](RequestContext& req) { return ListAudit(ctx, req, std::nullopt); });
  router.Add("GET", "/api/v1/projects/{project}/audit", Access::kAdmin,
             "A project's audit log (entity_type, entity_key; paged)", policy, [&ctx](RequestContext& req) {
               auto project = ResolveProject(ctx, req);
               if (!project.ok()) return ErrorResponse(project.status());
               return ListAudit(ctx, req, project->id);
             });
}

}  // namespace switchyard::server
