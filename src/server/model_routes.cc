// The model registry's REST API: register versions, list and read them, move them through the
// lifecycle, point aliases at them (with history and rollback), and apply the retention policy.
// Every write reloads the project's catalog, so the gateway sees it at once.
#include <cstdio>
#include <set>

#include "core/json_fields.h"
#include "registry/model_reference.h"
#include "registry/registry_fields.h"
#include "registry/retention.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "server/model_catalog_publish.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// Sorts as ListModelVersions orders versions: by name, then numerically by version.
std::string VersionPosition(const registry::ModelVersion& model) {
  const core::Semver order = registry::VersionOrder(model.version);
  char digits[64];
  std::snprintf(digits, sizeof digits, "%09lld.%09lld.%09lld", static_cast<long long>(order.major),
                static_cast<long long>(order.minor), static_cast<long long>(order.patch));
  return model.name + '\x01' + digits;
}

// The optional string member `name` of a small action body.
Result<std::string> OptionalString(const json& body, const char* name) {
  std::string out;
  if (Status s = core::ReadString(body, name, "", &out); !s.ok()) return s;
  return out;
}

// A small action body: an object holding only `fields`; an empty body is {}.
Result<json> ActionBody(const RequestContext& req, core::FieldList fields) {
  auto body = OptionalObjectBody(req);
  if (!body.ok()) return body.status();
  if (Status s = core::CheckFields(*body, "", fields); !s.ok()) return s;
  return body;
}

Result<std::string> ReasonOf(const json& body) {
  auto reason = OptionalString(body, "reason");
  if (!reason.ok()) return reason.status();
  if (Status s = registry::ValidateReason(*reason); !s.ok()) return s;
  return reason;
}

Response ListModels(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "models");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  const std::string* name = req.request().QueryParam("name");
  const std::string* state_name = req.request().QueryParam("state");
  const std::string* tag = req.request().QueryParam("tag");
  std::optional<registry::ModelState> state;
  if (state_name) {
    state = registry::ParseModelState(*state_name);
    if (!state)
      return InvalidQueryResponse(Status::InvalidArgument(
          "state must be registered, validated, canary, deployed, deprecated or archived", "state"));
  }
  auto all = ctx.store.ListModelVersions(project->id);
  if (!all.ok()) return ErrorResponse(all.status());
  std::vector<registry::ModelVersion> matching;
  for (registry::ModelVersion& model : *all) {
    if (name && model.name != *name) continue;
    if (state && model.state != *state) continue;
    if (tag && !model.HasTag(*tag)) continue;
    matching.push_back(std::move(model));
  }
  std::optional<std::string> next;
  json out = json::array();
  for (const auto* model : TakePage(matching, *page, VersionPosition, &next))
    out.push_back(registry::ModelVersionToJson(*model));
  return PagedJsonResponse(req.request(), "models", {{"models", std::move(out)}}, next);
}

Response RegisterModel(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto model = registry::ModelVersionFromJson(*body);
  if (!model.ok()) return ErrorResponse(model.status());
  auto created = ctx.store.CreateModelVersion(project->id, *model, ActorOf(req));
  if (!created.ok()) return ErrorResponse(created.status());
  PublishModels(ctx, project->id);
  return JsonResponse(201, registry::ModelVersionToJson(*created));
}

Response GetModel(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto model = ctx.store.GetModelVersion(project->id, req.Param("name"), req.Param("version"));
  if (!model.ok()) return ErrorResponse(model.status());
  return JsonResponse(200, registry::ModelVersionToJson(*model));
}

Response TransitionModel(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ActionBody(req, registry::kTransitionFields);
  if (!body.ok()) return ErrorResponse(body.status());
  auto to_name = OptionalString(*body, "to");
  if (!to_name.ok()) return ErrorResponse(to_name.status());
  auto to = registry::ParseModelState(*to_name);
  if (!to)
    return ErrorResponse(Status::InvalidArgument(
        "to must be registered, validated, canary, deployed, deprecated or archived", "to"));
  auto reason = ReasonOf(*body);
  if (!reason.ok()) return ErrorResponse(reason.status());
  auto moved = ctx.store.TransitionModelVersion(project->id, req.Param("name"), req.Param("version"), *to,
                                                *reason, ActorOf(req));
  if (!moved.ok()) return ErrorResponse(moved.status());
  PublishModels(ctx, project->id);
  return JsonResponse(200, registry::ModelVersionToJson(*moved));
}

Response ListAliases(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "aliases");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto all = ctx.store.ListModelAliases(project->id);
  if (!all.ok()) return ErrorResponse(all.status());
  std::vector<registry::ModelAlias> aliases;
  for (registry::ModelAlias& alias : *all)
    if (alias.name == req.Param("name")) aliases.push_back(std::move(alias));
  std::optional<std::string> next;
  auto alias_of = [](const registry::ModelAlias& alias) -> const std::string& { return alias.alias; };
  json out = json::array();
  for (const auto* alias : TakePage(aliases, *page, alias_of, &next))
    out.push_back(registry::ModelAliasToJson(*alias));
  return PagedJsonResponse(req.request(), "aliases", {{"aliases", std::move(out)}}, next);
}

// PUT .../aliases/{alias} (version given) and POST .../aliases/{alias}/rollback (none).
Response MoveAlias(ServerContext& ctx, RequestContext& req, bool rollback) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string name = req.Param("name");
  const std::string alias = req.Param("alias");
  if (Status s = registry::ValidateAliasName(alias); !s.ok()) return ErrorResponse(s);
  if (alias == registry::kLatestAlias)
    return ErrorResponse(Status::InvalidArgument(
        "alias latest is kept on the highest registered version automatically; use another alias", "alias"));
  auto body = ActionBody(req, rollback ? core::FieldList(registry::kRollbackFields)
                                       : core::FieldList(registry::kAliasMoveFields));
  if (!body.ok()) return ErrorResponse(body.status());
  std::optional<std::string> version;
  if (!rollback) {
    std::string target;
    if (Status s = core::ReadRequiredString(*body, "version", "", &target); !s.ok()) return ErrorResponse(s);
    if (Status s = registry::ValidateModelVersionString(target); !s.ok()) return ErrorResponse(s);
    version = std::move(target);
  }
  auto reason = ReasonOf(*body);
  if (!reason.ok()) return ErrorResponse(reason.status());
  auto move = ctx.store.MoveModelAlias(project->id, name, alias, version, *reason, ActorOf(req));
  if (!move.ok()) return ErrorResponse(move.status());
  PublishModels(ctx, project->id);
  return JsonResponse(200, registry::AliasMoveToJson(*move));
}

Response AliasHistory(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "alias-history");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto history = ctx.store.ListModelAliasHistory(project->id, req.Param("name"), req.Param("alias"));
  if (!history.ok()) return ErrorResponse(history.status());
  std::optional<std::string> next;
  auto id_of = [](const registry::AliasMove& move) { return IdPosition(move.id); };
  json out = json::array();
  for (const auto* move : TakePage(*history, *page, id_of, &next))
    out.push_back(registry::AliasMoveToJson(*move));
  return PagedJsonResponse(req.request(), "alias-history", {{"history", std::move(out)}}, next);
}

Response ApplyRetention(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ActionBody(req, registry::kRetentionFields);
  if (!body.ok()) return ErrorResponse(body.status());
  std::int64_t keep = 0;
  if (Status s = core::ReadInt64(*body, "keep", "", &keep); !s.ok()) return ErrorResponse(s);
  if (Status s = registry::ValidateRetentionKeep(keep); !s.ok()) return ErrorResponse(s);
  bool dry_run = false;
  if (Status s = core::ReadBool(*body, "dry_run", "", &dry_run); !s.ok()) return ErrorResponse(s);
  auto reason = ReasonOf(*body);
  if (!reason.ok()) return ErrorResponse(reason.status());
  const std::string name = req.Param("name");
  auto all = ctx.store.ListModelVersions(project->id);
  if (!all.ok()) return ErrorResponse(all.status());
  auto aliases = ctx.store.ListModelAliases(project->id);
  if (!aliases.ok()) return ErrorResponse(aliases.status());
  std::vector<registry::ModelVersion> versions;
  for (registry::ModelVersion& model : *all)
    if (model.name == name) versions.push_back(std::move(model));
  if (versions.empty())
    return ErrorResponse(Status::NotFound("model '" + name + "' has no versions", "name"));
  std::set<std::string> targets;
  for (const registry::ModelAlias& alias : *aliases)
    if (alias.name == name) targets.insert(alias.version);
  registry::RetentionPlan plan = registry::PlanRetention(versions, targets, static_cast<int>(keep));
  json archived = json::array();
  if (!dry_run) {
    const std::string why = reason->empty() ? "retention: keep " + std::to_string(keep) : *reason;
    for (const std::string& version : plan.archive) {
      auto moved = ctx.store.TransitionModelVersion(project->id, name, version,
                                                    registry::ModelState::kArchived, why, ActorOf(req));
      if (!moved.ok()) {
        PublishModels(ctx, project->id);
        return ErrorResponse(moved.status());
      }
      archived.push_back(version);
    }
    PublishModels(ctx, project->id);
  }
  json spared = json::array();
  for (const auto& [version, why] : plan.spared) spared.push_back({{"version", version}, {"reason", why}});
  return JsonResponse(200, {{"name", name},
                            {"keep", keep},
                            {"dry_run", dry_run},
                            {"to_archive", plan.archive},
                            {"archived", std::move(archived)},
                            {"kept", plan.kept},
                            {"spared", std::move(spared)}});
}

}  // namespace

void RegisterModelRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/models";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin, "List model versions (filters: name, state, tag; paged)",
             AcceptingQuery({"name", "state", "tag", "limit", "cursor"}), bind(ListModels));
  router.Add("POST", base, Access::kAdmin, "Register a model version", bind(RegisterModel));
  router.Add("GET", base + "/{name}/versions/{version}", Access::kAdmin, "Get a model version",
             bind(GetModel));
  router.Add("POST", base + "/{name}/versions/{version}/transition", Access::kAdmin,
             "Move a model version through its lifecycle (409 for a refused transition)",
             bind(TransitionModel));
  router.Add("GET", base + "/{name}/aliases", Access::kAdmin, "List a model's aliases (by alias, paged)",
             AcceptingQuery({"limit", "cursor"}), bind(ListAliases));
  router.Add("PUT", base + "/{name}/aliases/{alias}", Access::kAdmin, "Point an alias at a version",
             [&ctx](RequestContext& req) { return MoveAlias(ctx, req, false); });
  router.Add("POST", base + "/{name}/aliases/{alias}/rollback", Access::kAdmin,
             "Move an alias back to its previous target",
             [&ctx](RequestContext& req) { return MoveAlias(ctx, req, true); });
  router.Add("GET", base + "/{name}/aliases/{alias}/history", Access::kAdmin,
             "An alias's moves (who, when, from, to, why), oldest first (paged)",
             AcceptingQuery({"limit", "cursor"}), bind(AliasHistory));
  router.Add("POST", base + "/{name}/retention", Access::kAdmin,
             "Archive old versions, keeping the newest N and alias targets (dry_run to preview)",
             bind(ApplyRetention));
}

}  // namespace switchyard::server
