// Group analytics' management side: group types declared ahead of their first $groupidentify
// (a flag aggregated by "company" can then ship before any company event), and a group's
// properties as events left them. Groups themselves are fed by $groupidentify (person_events.h).
#include "core/known_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/event_pipeline.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

constexpr core::KnownField kGroupTypeCreateFields[] = {{"name"}};

nlohmann::json GroupTypeJson(const store::GroupType& type) {
  return {{"name", type.name}, {"index", type.index}};
}

Response ListGroupTypes(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto types = ctx.store.ListGroupTypes(project->id);
  if (!types.ok()) return ErrorResponse(types.status());
  nlohmann::json out = nlohmann::json::array();
  for (const store::GroupType& type : *types) out.push_back(GroupTypeJson(type));
  return JsonResponse(200, {{"group_types", std::move(out)}});
}

Response CreateGroupType(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", kGroupTypeCreateFields); !s.ok()) return ErrorResponse(s);
  if (!body->contains("name") || !(*body)["name"].is_string()) {
    return ErrorResponse(Status::InvalidArgument("name (a string) is required", "name"));
  }
  auto type = ctx.store.CreateGroupType(project->id, (*body)["name"].get<std::string>(), ActorOf(req));
  if (!type.ok()) return ErrorResponse(type.status());
  // Cached definitions carry the type mapping; they are rebuilt on the next read.
  if (ctx.events != nullptr) ctx.events->NoteGroupTypesChanged();
  return JsonResponse(201, GroupTypeJson(*type));
}

Response GetGroup(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto group = ctx.store.GetGroup(project->id, req.Param("group_type"), req.Param("group_key"));
  if (!group.ok()) return ErrorResponse(group.status());
  return JsonResponse(200, {{"group_type", group->group_type},
                            {"group_key", group->group_key},
                            {"properties", group->properties},
                            {"created_at", group->created_at},
                            {"updated_at", group->updated_at}});
}

}  // namespace

void RegisterGroupRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base + "/group-types", Access::kAdmin, "List group types and their indexes",
             bind(ListGroupTypes));
  router.Add("POST", base + "/group-types", Access::kAdmin, "Declare a group type (the next free index of 5)",
             bind(CreateGroupType));
  router.Add("GET", base + "/groups/{group_type}/{group_key}", Access::kAdmin, "Get a group's properties",
             bind(GetGroup));
}

}  // namespace switchyard::server
