// Flag management: CRUD, enable/disable, rollout. Definitions are PostHog-shaped (flag_json.h);
// every change goes through FlagService (validation, version check, no-op detection, audit,
// publish).
//
// Environments: `?environment=KEY` scopes a request to one environment. A write that names one
// changes the shared definition (name, description, tags, bucketing) and that environment's
// targeting (active, filters); a write that names none gives every environment the targeting it
// carries, which is what the API did before environments existed. Without an environment, bodies
// may also carry "environments": {key: {"active", "filters"}} to set environments one by one (the
// shape a GET returns, so a GET edited and PUT back round-trips).
#include <set>

#include "core/known_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/flag_body.h"
#include "server/flag_warnings.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// PATCH merges: a null there would reset a field to its default (re-enable a flag, wipe its
// filters), so only fields whose null means something are nullable. Null bucketing means "by
// distinct_id"; a null version is no version (then If-Match must carry it).
const std::set<std::string> kNullablePatchFields = {"bucketing_property", "bucketing_identifier", "version"};

// The fields a PATCH body changes: those a flag definition takes, minus "version" (what the
// change is based on) and "key" (which must be the URL's). What a GET answers besides (timestamps,
// author) is accepted and ignored, so that an edited GET body can be sent back.
Result<nlohmann::json> PatchFields(nlohmann::json body, const std::string& path_key) {
  if (Status s = core::CheckFields(body, "", core::kFlagFields); !s.ok()) return s;
  if (body.contains("key")) {
    if (Status s = MatchPathValue(body, "key", path_key); !s.ok()) return s;
  }
  nlohmann::json patch = nlohmann::json::object();
  for (auto& [field, value] : body.items()) {
    if (field == "key" || field == "version" ||
        core::RoleOf(core::kFlagFields, field) != core::FieldRole::kInput) {
      continue;
    }
    if (value.is_null() && !kNullablePatchFields.count(field)) {
      return Status::InvalidArgument(
          "'" + field + "' cannot be null; send a value (PATCH changes only the fields it names)", field);
    }
    patch[field] = std::move(value);
  }
  return patch;
}

// The flag as a write answers it: "changed" says whether anything was written, "warnings" appear
// when the definition is valid but suspicious (judged where the request looked).
Response FlagWriteResponse(int status, const FlagScope& scope, const FlagWriteResult& result) {
  json out = FlagRecordJson(result.record, scope.environments, scope.environment);
  out["changed"] = result.changed;
  const std::string where =
      scope.environment ? scope.environment->key : std::string(store::kPrimaryEnvironment);
  json warnings = FlagWarnings(result.record.In(where));
  if (!warnings.empty()) out["warnings"] = std::move(warnings);
  return JsonResponse(status, out);
}

// Runs `change` on each target environment's view of the record and keeps the results: the
// targeting per environment, the shared definition from the (identical) edits of each view.
Status ChangeViews(store::FlagRecord& record, const std::vector<std::string>& targets,
                   const std::function<Status(Flag&)>& change) {
  for (const std::string& key : targets) {
    Flag view = record.In(key);
    if (Status s = change(view); !s.ok()) {
      if (targets.size() == 1) return s;
      return Status(s.code(), "in environment " + key + ": " + s.message(), s.field());
    }
    const std::int64_t version = record.flag.version;
    record.environments[key] = TargetingOf(view);
    record.flag = DefinitionOf(std::move(view));
    record.flag.version = version;
  }
  return Status::Ok();
}

Response ListFlags(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  store::FlagQuery query;
  if (auto* tag = req.request().QueryParam("tag")) query.tag = *tag;
  if (auto* text = req.request().QueryParam("q")) query.text = *text;
  auto active = BoolQueryParam(req.request(), "active");
  if (!active.ok()) return InvalidQueryResponse(active.status());
  query.active = *active;
  // Archived flags leave the default list: ?archived=true lists only them, ?archived=any both.
  query.archived = false;
  if (const std::string* archived = req.request().QueryParam("archived")) {
    if (*archived == "any") {
      query.archived.reset();
    } else {
      auto only = BoolQueryParam(req.request(), "archived");
      if (!only.ok()) {
        return InvalidQueryResponse(
            Status::InvalidArgument("archived must be true, false or any", "archived"));
      }
      query.archived = *only;
    }
  }
  if (scope->environment) query.environment = scope->environment->key;
  auto page = ReadPageRequest(req.request(), "flags");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto flags = ctx.store.ListFlags(scope->project.id, query);
  if (!flags.ok()) return ErrorResponse(flags.status());
  std::optional<std::string> next;
  auto key_of = [](const store::FlagRecord& record) -> const std::string& { return record.flag.key; };
  json out = json::array();
  for (const auto* record : TakePage(*flags, *page, key_of, &next))
    out.push_back(FlagRecordJson(*record, scope->environments, scope->environment));
  return PagedJsonResponse(req.request(), "flags", {{"flags", std::move(out)}}, next);
}

Response CreateFlag(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto flag = ReadFlagBody(std::move(*body), *scope, "");
  if (!flag.ok()) return ErrorResponse(flag.status());
  auto build = [&](store::FlagRecord& record, const std::vector<store::Environment>&) {
    ApplyFlagBody(*flag, scope->Targets(), record);
    return Status::Ok();
  };
  auto result = ctx.flags.Create(scope->project.id, build, scope->In(ActorOf(req)));
  if (!result.ok()) return ErrorResponse(result.status());
  Response response = FlagWriteResponse(201, *scope, *result);
  response.headers.emplace_back(
      "Location", "/api/v1/projects/" + scope->project.slug + "/flags/" + result->record.flag.key);
  return response;
}

Response GetFlag(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto record = ctx.store.GetFlag(scope->project.id, req.Param("key"));
  if (!record.ok()) return ErrorResponse(record.status());
  return WithVersionETag(JsonResponse(200, FlagRecordJson(*record, scope->environments, scope->environment)),
                         record->flag.version);
}

Response ReplaceFlag(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto flag = ReadFlagBody(std::move(*body), *scope, req.Param("key"));
  if (!flag.ok()) return ErrorResponse(flag.status());
  auto change = [&](store::FlagRecord& record, const std::vector<store::Environment>&) {
    ApplyFlagBody(*flag, scope->Targets(), record);
    return Status::Ok();
  };
  auto result =
      ctx.flags.Update(scope->project.id, req.Param("key"), *version, change, scope->In(ActorOf(req)));
  if (!result.ok()) return ErrorResponse(result.status());
  return FlagWriteResponse(200, *scope, *result);
}

Response PatchFlag(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto patch = PatchFields(*body, req.Param("key"));
  if (!patch.ok()) return ErrorResponse(patch.status());
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto overrides = TakeEnvironmentOverrides(*patch, *scope);
  if (!overrides.ok()) return ErrorResponse(overrides.status());
  auto merge = [&patch](Flag& flag) -> Status {
    json merged = FlagToJson(flag);
    for (const auto& [field, value] : patch->items()) merged[field] = value;
    // {"bucketing_property": null} switches back to bucketing by distinct_id. PostHog's
    // bucketing_identifier alone ("device_id", "distinct_id" or null) decides on its own rather
    // than being overridden by the stored bucketing_property.
    if (patch->contains("bucketing_identifier") && !patch->contains("bucketing_property")) {
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
  auto change = [&](store::FlagRecord& record, const std::vector<store::Environment>&) {
    if (Status s = ChangeViews(record, scope->Targets(), merge); !s.ok()) return s;
    for (const auto& [key, targeting] : *overrides) record.environments[key] = targeting;
    return Status::Ok();
  };
  auto result =
      ctx.flags.Update(scope->project.id, req.Param("key"), *version, change, scope->In(ActorOf(req)));
  if (!result.ok()) return ErrorResponse(result.status());
  return FlagWriteResponse(200, *scope, *result);
}

Response DeleteFlag(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  if (req.request().QueryParam("environment") != nullptr) {
    return ErrorResponse(Status::InvalidArgument(
        "a flag is deleted from every environment; to stop serving it in one, disable it there",
        "environment"));
  }
  auto version = VersionQueryParam(req.request());
  if (!version.ok()) return InvalidQueryResponse(version.status());
  return ErrorOr(ctx.flags.Delete(project->id, req.Param("key"), *version, ActorOf(req)));
}

// enable, disable and rollout: optional body {"version": N, ...} holding only `fields`, in
// ?environment= or in all.
Response ModifyFlag(ServerContext& ctx, RequestContext& req, core::FieldList fields,
                    const std::function<Status(Flag&, const json&)>& fn) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto body = OptionalObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", fields); !s.ok()) return ErrorResponse(s);
  auto version = BaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto change = [&](store::FlagRecord& record, const std::vector<store::Environment>&) {
    return ChangeViews(record, scope->Targets(), [&](Flag& flag) { return fn(flag, *body); });
  };
  auto result =
      ctx.flags.Update(scope->project.id, req.Param("key"), *version, change, scope->In(ActorOf(req)));
  if (!result.ok()) return ErrorResponse(result.status());
  return FlagWriteResponse(200, *scope, *result);
}

// Copies one environment's targeting of a flag to another: {"from", "to", "dry_run"?, "version"?}.
// Answers what the target had and now has, so a reviewer sees the change before (dry_run) or
// after making it.
Response PromoteFlag(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  for (const auto& [field, value] : body->items()) {
    if (field != "from" && field != "to" && field != "dry_run" && field != "version") {
      return ErrorResponse(Status::InvalidArgument(
          "unknown field '" + field + "'; expected from, to, dry_run or version", field));
    }
  }
  auto known = [&](const json& value) {
    return value.is_string() && std::any_of(scope->environments.begin(), scope->environments.end(),
                                            [&](const store::Environment& e) { return e.key == value; });
  };
  for (const char* field : {"from", "to"}) {
    if (!body->contains(field) || !known((*body)[field])) {
      return ErrorResponse(Status::InvalidArgument(
          std::string(field) + " must name one of the project's environments", field));
    }
  }
  const std::string from = (*body)["from"];
  const std::string to = (*body)["to"];
  if (from == to) return ErrorResponse(Status::InvalidArgument("from and to are the same environment", "to"));
  bool dry_run = false;
  if (body->contains("dry_run")) {
    if (!(*body)["dry_run"].is_boolean())
      return ErrorResponse(Status::InvalidArgument("dry_run must be a boolean", "dry_run"));
    dry_run = (*body)["dry_run"];
  }
  auto version = BaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto current = ctx.store.GetFlag(scope->project.id, req.Param("key"));
  if (!current.ok()) return ErrorResponse(current.status());
  auto targeting_in = [](const store::FlagRecord& record, const std::string& key) {
    auto it = record.environments.find(key);
    return it == record.environments.end() ? FlagTargeting{} : it->second;
  };
  json out{{"key", current->flag.key},
           {"from", from},
           {"to", to},
           {"dry_run", dry_run},
           {"before", TargetingToJson(targeting_in(*current, to))},
           {"after", TargetingToJson(targeting_in(*current, from))}};
  if (dry_run) {
    out["changed"] = out["before"] != out["after"];
    out["version"] = current->flag.version;
    return JsonResponse(200, out);
  }
  store::Actor actor = ActorOf(req);
  actor.environment = to;
  auto change = [&](store::FlagRecord& record, const std::vector<store::Environment>&) {
    record.environments[to] = targeting_in(record, from);
    return Status::Ok();
  };
  auto result = ctx.flags.Update(scope->project.id, req.Param("key"), *version, change, actor);
  if (!result.ok()) return ErrorResponse(result.status());
  out["changed"] = result->changed;
  out["version"] = result->record.flag.version;
  return JsonResponse(200, out);
}

// Sets every group's rollout, or one group's with "group": i. A flag without groups gets one
// group with no filters, so "rollout 10" on a fresh flag means 10 % of everyone.
Status ApplyRollout(Flag& flag, const json& body) {
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
const std::vector<std::string> kEveryFlagRouteQuery = {"environment"};

RoutePolicy FlagRoute(std::vector<std::string> own_query = {}) {
  own_query.insert(own_query.end(), kEveryFlagRouteQuery.begin(), kEveryFlagRouteQuery.end());
  return AcceptingQuery(std::move(own_query));
}

}  // namespace

void RegisterFlagRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/flags";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin,
             "List flags (filters: tag, active, q, archived; paged; environment)",
             FlagRoute({"tag", "active", "q", "limit", "cursor", "archived"}), bind(ListFlags));
  router.Add("POST", base, Access::kAdmin, "Create a flag (in every environment, or ?environment=)",
             FlagRoute(), bind(CreateFlag));
  router.Add("GET", base + "/{key}", Access::kAdmin, "Get a flag (every environment, or ?environment=)",
             FlagRoute(), bind(GetFlag));
  router.Add("PUT", base + "/{key}", Access::kAdmin, "Replace a flag (needs the version it is based on)",
             FlagRoute(), bind(ReplaceFlag));
  router.Add("PATCH", base + "/{key}", Access::kAdmin, "Change some fields of a flag (needs the version)",
             FlagRoute(), bind(PatchFlag));
  router.Add("DELETE", base + "/{key}", Access::kAdmin, "Delete a flag (?version=N to guard)",
             FlagRoute({"version"}), bind(DeleteFlag));
  router.Add("POST", base + "/{key}/enable", Access::kAdmin, "Enable a flag (everywhere, or ?environment=)",
             FlagRoute(), [&ctx](RequestContext& req) {
               return ModifyFlag(ctx, req, core::kFlagSwitchFields, [](Flag& f, const json&) {
                 f.active = true;
                 return Status::Ok();
               });
             });
  router.Add("POST", base + "/{key}/disable", Access::kAdmin, "Disable a flag (everywhere, or ?environment=)",
             FlagRoute(), [&ctx](RequestContext& req) {
               return ModifyFlag(ctx, req, core::kFlagSwitchFields, [](Flag& f, const json&) {
                 f.active = false;
                 return Status::Ok();
               });
             });
  router.Add(
      "POST", base + "/{key}/rollout", Access::kAdmin, "Set a flag's rollout percentage", FlagRoute(),
      [&ctx](RequestContext& req) { return ModifyFlag(ctx, req, core::kFlagRolloutFields, ApplyRollout); });
  router.Add("POST", base + "/{key}/promote", Access::kAdmin,
             "Copy one environment's targeting of a flag to another (dry_run shows the diff)", FlagRoute(),
             bind(PromoteFlag));
}

}  // namespace switchyard::server
