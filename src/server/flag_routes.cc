// Flag management: CRUD, enable/disable, rollout. Definitions are PostHog-shaped (flag_json.h);
// every change goes through FlagService (validation, version check, audit, publish).
#include <set>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/flag_warnings.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

const std::set<std::string> kPatchableFields = {
    "name",   "description", "tags", "active", "filters", "bucketing_property", "bucketing_identifier",
    "version"};

// PATCH merges: a null there would reset a field to its default (re-enable a flag, wipe its
// filters), so only fields whose null means something are nullable. Null bucketing means "by
// distinct_id"; a null version is no version (then If-Match must carry it).
const std::set<std::string> kNullablePatchFields = {"bucketing_property", "bucketing_identifier", "version"};

// The flag as a write answers it: with "warnings" when the definition is valid but suspicious.
Response FlagWriteResponse(int status, const store::FlagRecord& record) {
  nlohmann::json out = FlagRecordJson(record);
  nlohmann::json warnings = FlagWarnings(record.flag);
  if (!warnings.empty()) out["warnings"] = std::move(warnings);
  return JsonResponse(status, out);
}

// Builds a flag from a PUT/POST body; the path's key fills a missing "key" and must match a given one.
Result<Flag> FlagFromBody(nlohmann::json body, const std::string& path_key) {
  if (!path_key.empty()) {
    if (Status s = MatchPathValue(body, "key", path_key); !s.ok()) return s;
  }
  return FlagFromJson(body);
}

Response ListFlags(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  store::FlagQuery query;
  if (auto* tag = req.request().QueryParam("tag")) query.tag = *tag;
  if (auto* text = req.request().QueryParam("q")) query.text = *text;
  auto active = BoolQueryParam(req.request(), "active");
  if (!active.ok()) return InvalidQueryResponse(active.status());
  query.active = *active;
  auto page = ReadPageRequest(req.request(), "flags");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto flags = ctx.store.ListFlags(project->id, query);
  if (!flags.ok()) return ErrorResponse(flags.status());
  std::optional<std::string> next;
  auto key_of = [](const store::FlagRecord& record) -> const std::string& { return record.flag.key; };
  nlohmann::json out = nlohmann::json::array();
  for (const auto* record : TakePage(*flags, *page, key_of, &next)) out.push_back(FlagRecordJson(*record));
  return PagedJsonResponse(req.request(), "flags", {{"flags", std::move(out)}}, next);
}

Response CreateFlag(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto flag = FlagFromBody(*body, "");
  if (!flag.ok()) return ErrorResponse(flag.status());
  auto record = ctx.flags.Create(project->id, *flag, ActorOf(req));
  if (!record.ok()) return ErrorResponse(record.status());
  Response response = FlagWriteResponse(201, *record);
  response.headers.emplace_back("Location",
                                "/api/v1/projects/" + project->slug + "/flags/" + record->flag.key);
  return response;
}

Response GetFlag(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto record = ctx.store.GetFlag(project->id, req.Param("key"));
  if (!record.ok()) return ErrorResponse(record.status());
  return WithVersionETag(JsonResponse(200, FlagRecordJson(*record)), record->flag.version);
}

Response ReplaceFlag(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto flag = FlagFromBody(*body, req.Param("key"));
  if (!flag.ok()) return ErrorResponse(flag.status());
  auto record = ctx.flags.Replace(project->id, *flag, *version, ActorOf(req));
  if (!record.ok()) return ErrorResponse(record.status());
  return FlagWriteResponse(200, *record);
}

Response PatchFlag(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  for (const auto& [field, value] : body->items()) {
    if (!kPatchableFields.count(field)) {
      return ErrorResponse(Status::InvalidArgument("'" + field + "' cannot be patched", field));
    }
    if (value.is_null() && !kNullablePatchFields.count(field)) {
      return ErrorResponse(Status::InvalidArgument(
          "'" + field + "' cannot be null; send a value (PATCH changes only the fields it names)", field));
    }
  }
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  nlohmann::json patch = *body;
  auto change = [&patch](Flag& flag) -> Status {
    nlohmann::json merged = FlagToJson(flag);
    for (const auto& [field, value] : patch.items()) {
      if (field != "version") merged[field] = value;
    }
    // {"bucketing_property": null} switches back to bucketing by distinct_id. PostHog's
    // bucketing_identifier alone ("device_id", "distinct_id" or null) decides on its own rather
    // than being overridden by the stored bucketing_property.
    if (patch.contains("bucketing_identifier") && !patch.contains("bucketing_property")) {
      merged.erase("bucketing_property");
    }
    if (merged.contains("bucketing_property") && merged["bucketing_property"].is_null()) {
      merged.erase("bucketing_property");
    }
    auto updated = FlagFromJson(merged);
    if (!updated.ok()) return updated.status();
    flag = std::move(*updated);
    return Status::Ok();
  };
  auto record = ctx.flags.Modify(project->id, req.Param("key"), *version, change, ActorOf(req));
  if (!record.ok()) return ErrorResponse(record.status());
  return FlagWriteResponse(200, *record);
}

Response DeleteFlag(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto version = VersionQueryParam(req.request());
  if (!version.ok()) return InvalidQueryResponse(version.status());
  return ErrorOr(ctx.flags.Delete(project->id, req.Param("key"), *version, ActorOf(req)));
}

// enable, disable and rollout: optional body {"version": N, ...}.
Response ModifyFlag(ServerContext& ctx, RequestContext& req,
                    const std::function<Status(Flag&, const nlohmann::json&)>& fn) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = OptionalObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto version = BaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto change = [&](Flag& flag) { return fn(flag, *body); };
  auto record = ctx.flags.Modify(project->id, req.Param("key"), *version, change, ActorOf(req));
  if (!record.ok()) return ErrorResponse(record.status());
  return FlagWriteResponse(200, *record);
}

// Sets every group's rollout, or one group's with "group": i. A flag without groups gets one
// group with no filters, so "rollout 10" on a fresh flag means 10 % of everyone.
Status ApplyRollout(Flag& flag, const nlohmann::json& body) {
  if (!body.contains("percentage") || !body["percentage"].is_number()) {
    return Status::InvalidArgument("percentage (a number from 0 to 100) is required", "percentage");
  }
  double pct = body["percentage"].get<double>();
  if (!(pct >= 0 && pct <= 100))
    return Status::InvalidArgument("percentage must be from 0 to 100", "percentage");
  if (flag.groups.empty()) flag.groups.emplace_back();
  if (body.contains("group") && !body["group"].is_null()) {
    if (!body["group"].is_number_integer())
      return Status::InvalidArgument("group must be an integer", "group");
    auto index = body["group"].get<std::int64_t>();
    if (index < 0 || index >= static_cast<std::int64_t>(flag.groups.size())) {
      return Status::InvalidArgument("group " + std::to_string(index) + " does not exist", "group");
    }
    flag.groups[static_cast<size_t>(index)].rollout_percentage = pct;
    return Status::Ok();
  }
  for (auto& group : flag.groups) group.rollout_percentage = pct;
  return Status::Ok();
}

// The query parameters every flag route takes, besides its own.
const std::vector<std::string> kEveryFlagRouteQuery = {};

RoutePolicy FlagRoute(std::vector<std::string> own_query = {}) {
  own_query.insert(own_query.end(), kEveryFlagRouteQuery.begin(), kEveryFlagRouteQuery.end());
  return AcceptingQuery(std::move(own_query));
}

}  // namespace

void RegisterFlagRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/flags";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin, "List flags (filters: tag, active, q; paged)",
             FlagRoute({"tag", "active", "q", "limit", "cursor"}), bind(ListFlags));
  router.Add("POST", base, Access::kAdmin, "Create a flag", FlagRoute(), bind(CreateFlag));
  router.Add("GET", base + "/{key}", Access::kAdmin, "Get a flag", FlagRoute(), bind(GetFlag));
  router.Add("PUT", base + "/{key}", Access::kAdmin, "Replace a flag (needs the version it is based on)",
             FlagRoute(), bind(ReplaceFlag));
  router.Add("PATCH", base + "/{key}", Access::kAdmin, "Change some fields of a flag (needs the version)",
             FlagRoute(), bind(PatchFlag));
  router.Add("DELETE", base + "/{key}", Access::kAdmin, "Delete a flag (?version=N to guard)",
             FlagRoute({"version"}), bind(DeleteFlag));
  router.Add("POST", base + "/{key}/enable", Access::kAdmin, "Enable a flag", FlagRoute(),
             [&ctx](RequestContext& req) {
               return ModifyFlag(ctx, req, [](Flag& f, const nlohmann::json&) {
                 f.active = true;
                 return Status::Ok();
               });
             });
  router.Add("POST", base + "/{key}/disable", Access::kAdmin, "Disable a flag", FlagRoute(),
             [&ctx](RequestContext& req) {
               return ModifyFlag(ctx, req, [](Flag& f, const nlohmann::json&) {
                 f.active = false;
                 return Status::Ok();
               });
             });
  router.Add("POST", base + "/{key}/rollout", Access::kAdmin, "Set a flag's rollout percentage", FlagRoute(),
             [&ctx](RequestContext& req) { return ModifyFlag(ctx, req, ApplyRollout); });
}

}  // namespace switchyard::server
