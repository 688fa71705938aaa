// The gateway's routes: which flag or experiment picks each user's variant, and which model
// reference serves each variant. Versioned like flags (If-Match / "version"); every model a route
// names must resolve when it is written, and its flag or experiment must exist with every variant
// it maps (422 naming the field otherwise).
#include <set>
#include <string>

#include "core/json_fields.h"
#include "registry/model_catalog.h"
#include "registry/registry_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "server/model_catalog_publish.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// Every reference of `route` resolves against the registry as stored now (not the published
// catalog, which may lag a concurrent write by a moment).
Status CheckModelsExist(ServerContext& ctx, std::int64_t project_id, const registry::RouteDefinition& route) {
  auto versions = ctx.store.ListModelVersions(project_id);
  if (!versions.ok()) return versions.status();
  auto aliases = ctx.store.ListModelAliases(project_id);
  if (!aliases.ok()) return aliases.status();
  const registry::CatalogSnapshot catalog(std::move(*versions), *aliases, {});
  for (const auto& [field, reference] : route.References()) {
    auto resolved = catalog.Resolve(reference);
    if (!resolved.ok()) return Status::InvalidArgument(field + ": " + resolved.status().message(), field);
  }
  return Status::Ok();
}

std::string ListedKeys(const std::set<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) out += (out.empty() ? "" : ", ") + key;
  return out;
}

// The flag or experiment a route binds exists, and each variant it maps is one the binding can
// answer: a misspelt key would otherwise send every user to the default, silently. A boolean
// flag answers "true"/"false", and so does any flag for a user it gives no variant; variants are
// those of the flag in any environment (each environment has its own), or the experiment's arms.
Status CheckBindingExists(ServerContext& ctx, std::int64_t project_id,
                          const registry::RouteDefinition& route) {
  std::set<std::string> answers = {"true", "false"};
  std::string bound;
  if (!route.flag.empty()) {
    auto flag = ctx.store.GetFlag(project_id, route.flag);
    if (flag.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument("flag: no flag '" + route.flag + "' in this project", "flag");
    }
    if (!flag.ok()) return flag.status();
    for (const auto& [environment, targeting] : flag->environments) {
      for (const Variant& variant : targeting.variants) answers.insert(variant.key);
    }
    bound = "flag '" + route.flag + "'";
  } else {
    auto experiment = ctx.store.GetExperiment(project_id, route.experiment);
    if (experiment.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument("experiment: no experiment '" + route.experiment + "' in this project",
                                     "experiment");
    }
    if (!experiment.ok()) return experiment.status();
    for (const auto& variant : experiment->experiment.variants) answers.insert(variant.key);
    bound = "experiment '" + route.experiment + "'";
  }
  for (const auto& [variant, reference] : route.variants) {
    if (answers.count(variant) == 0) {
      const std::string field = core::FieldPath("variants", variant);
      return Status::InvalidArgument(
          field + ": " + bound + " never answers '" + variant + "' (it answers " + ListedKeys(answers) + ")",
          field);
    }
  }
  return Status::Ok();
}

// Both checks a route write must pass.
Status CheckRoute(ServerContext& ctx, std::int64_t project_id, const registry::RouteDefinition& route) {
  if (Status s = CheckBindingExists(ctx, project_id, route); !s.ok()) return s;
  return CheckModelsExist(ctx, project_id, route);
}

Response RouteResponse(int status, const registry::RouteDefinition& route) {
  return WithVersionETag(JsonResponse(status, registry::RouteToJson(route)), route.version);
}

Response ListRoutes(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "routes");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto routes = ctx.store.ListRoutes(project->id);
  if (!routes.ok()) return ErrorResponse(routes.status());
  std::optional<std::string> next;
  auto key_of = [](const registry::RouteDefinition& route) -> const std::string& { return route.key; };
  json out = json::array();
  for (const auto* route : TakePage(*routes, *page, key_of, &next))
    out.push_back(registry::RouteToJson(*route));
  return PagedJsonResponse(req.request(), "routes", {{"routes", std::move(out)}}, next);
}

Response CreateRoute(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto route = registry::RouteFromJson(*body);
  if (!route.ok()) return ErrorResponse(route.status());
  if (Status s = CheckRoute(ctx, project->id, *route); !s.ok()) return ErrorResponse(s);
  auto created = ctx.store.CreateRoute(project->id, *route, ActorOf(req));
  if (!created.ok()) return ErrorResponse(created.status());
  PublishModels(ctx, project->id);
  return RouteResponse(201, *created);
}

Response GetRoute(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto route = ctx.store.GetRoute(project->id, req.Param("key"));
  if (!route.ok()) return ErrorResponse(route.status());
  return RouteResponse(200, *route);
}

Response ReplaceRoute(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = MatchPathValue(*body, "key", req.Param("key")); !s.ok()) return ErrorResponse(s);
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto route = registry::RouteFromJson(*body);
  if (!route.ok()) return ErrorResponse(route.status());
  if (Status s = CheckRoute(ctx, project->id, *route); !s.ok()) return ErrorResponse(s);
  auto updated = ctx.store.UpdateRoute(project->id, *route, *version, ActorOf(req));
  if (!updated.ok()) return ErrorResponse(updated.status());
  PublishModels(ctx, project->id);
  return RouteResponse(200, *updated);
}

Response DeleteRoute(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto version = VersionQueryParam(req.request());
  if (!version.ok()) return InvalidQueryResponse(version.status());
  const std::string key = req.Param("key");
  std::int64_t expected = 0;
  if (*version) {
    expected = **version;
  } else {
    auto current = ctx.store.GetRoute(project->id, key);
    if (!current.ok()) return ErrorResponse(current.status());
    expected = current->version;
  }
  Status deleted = ctx.store.DeleteRoute(project->id, key, expected, ActorOf(req));
  if (deleted.ok()) PublishModels(ctx, project->id);
  return ErrorOr(deleted);
}

// PUT .../shadow {model, sample_percent} and DELETE .../shadow: a new version of the route with
// only its shadow changed; an If-Match (or body "version" on PUT) guards it like any write.
Response SetShadow(ServerContext& ctx, RequestContext& req, bool clear) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  json body = json::object();
  if (!clear) {
    auto read = ObjectBody(req);
    if (!read.ok()) return BadJsonResponse(read.status());
    body = std::move(*read);
  }
  auto base = BaseVersion(body, req.request());
  if (!base.ok()) return ErrorResponse(base.status());
  body.erase("version");
  auto route = ctx.store.GetRoute(project->id, req.Param("key"));
  if (!route.ok()) return ErrorResponse(route.status());
  if (clear) {
    route->shadow.reset();
  } else {
    auto shadow = registry::ShadowFromJson(body, "");
    if (!shadow.ok()) return ErrorResponse(shadow.status());
    route->shadow = std::move(*shadow);
    if (Status s = CheckModelsExist(ctx, project->id, *route); !s.ok()) return ErrorResponse(s);
  }
  auto updated = ctx.store.UpdateRoute(project->id, *route, base->value_or(route->version), ActorOf(req));
  if (!updated.ok()) return ErrorResponse(updated.status());
  PublishModels(ctx, project->id);
  return RouteResponse(200, *updated);
}

}  // namespace

void RegisterGatewayRouteRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/routes";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin, "List gateway routes (by key, paged)",
             AcceptingQuery({"limit", "cursor"}), bind(ListRoutes));
  router.Add("POST", base, Access::kAdmin, "Create a gateway route (its models must exist)",
             bind(CreateRoute));
  router.Add("GET", base + "/{key}", Access::kAdmin, "Get a gateway route", bind(GetRoute));
  router.Add("PUT", base + "/{key}", Access::kAdmin,
             "Replace a gateway route (needs the version it is based on)", bind(ReplaceRoute));
  router.Add("DELETE", base + "/{key}", Access::kAdmin, "Delete a gateway route (?version=N to guard)",
             AcceptingQuery({"version"}), bind(DeleteRoute));
  router.Add("PUT", base + "/{key}/shadow", Access::kAdmin, "Set a route's shadow model and sample percent",
             [&ctx](RequestContext& req) { return SetShadow(ctx, req, false); });
  router.Add("DELETE", base + "/{key}/shadow", Access::kAdmin, "Stop a route's shadow traffic",
             [&ctx](RequestContext& req) { return SetShadow(ctx, req, true); });
}

}  // namespace switchyard::server
