// POST /api/v1/projects/{project}/flags/apply: flags as code, validated by the server.
//
// Body {"flags": [flag, ...], "prune"?: bool, "dry_run"?: bool, "project"?: slug}; each flag is a
// POST body (flag_body.h), ?environment= scopes the whole file to one environment. The answer is the
// plan (flag_apply_plan.h) and whether it was applied. When any flag cannot be applied the answer is
// 422 listing every problem under "errors", with the plan of the rest, and nothing is written; a dry
// run answers exactly what the real apply would (the same status and body, "applied": false).
#include "core/known_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/flag_body.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

constexpr core::KnownField kApplyFields[] = {{"flags"}, {"prune"}, {"dry_run"}, {"project"}};

// A bulk apply carries a whole file: more than one flag write, less than an event batch.
constexpr std::size_t kMaxApplyBodyBytes = 8 * 1024 * 1024;

struct ApplyBody {
  ApplyRequest request;
  bool dry_run = false;
};

Result<ApplyBody> ReadApplyBody(json body, const store::Project& project) {
  if (Status s = core::CheckFields(body, "", kApplyFields); !s.ok()) return s;
  ApplyBody out;
  auto flags = body.find("flags");
  if (flags == body.end() || !flags->is_array()) {
    // A missing list is an error rather than "no flags": with prune it would delete everything.
    return Status::InvalidArgument("flags must be a list of flags (use [] for none)", "flags");
  }
  out.request.flags = std::move(*flags);
  for (auto [field, target] : {std::pair{"prune", &out.request.prune}, std::pair{"dry_run", &out.dry_run}}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_boolean()) return Status::InvalidArgument(std::string(field) + " must be a boolean", field);
    *target = it->get<bool>();
  }
  if (auto it = body.find("project"); it != body.end() && !it->is_null()) {
    if (!it->is_string() || (*it != project.slug && *it != std::to_string(project.id))) {
      return Status::InvalidArgument("the file is for project " + it->dump() + ", not '" + project.slug + "'",
                                     "project");
    }
  }
  return out;
}

const char* ActionName(store::FlagWrite::Kind kind) {
  switch (kind) {
    case store::FlagWrite::Kind::kCreate: return "create";
    case store::FlagWrite::Kind::kUpdate: return "update";
    case store::FlagWrite::Kind::kDelete: return "delete";
  }
  return "update";
}

// The environments whose evaluation of the flag the change alters.
json ChangedEnvironments(const PlannedChange& change, const FlagScope& scope) {
  json out = json::array();
  for (const store::Environment& environment : scope.environments) {
    if (scope.environment && scope.environment->key != environment.key) continue;
    std::optional<Flag> before, after;
    if (change.before) before = change.before->In(environment.key);
    if (change.after) after = change.after->In(environment.key);
    if (before && after) before->version = after->version;
    if (before != after) out.push_back(environment.key);
  }
  return out;
}

json PlanJson(const FlagApplyResult& result, const FlagScope& scope, bool dry_run) {
  json changes = json::array();
  json counts = {{"create", 0}, {"update", 0}, {"delete", 0}};
  for (std::size_t i = 0; i < result.plan.changes.size(); ++i) {
    const PlannedChange& change = result.plan.changes[i];
    const char* action = ActionName(change.write.kind);
    counts[action] = counts[action].get<int>() + 1;
    json entry = {{"action", action}, {"environments", ChangedEnvironments(change, scope)}};
    if (change.before)
      entry["before"] = FlagRecordJson(*change.before, scope.environments, scope.environment);
    if (change.after) {
      store::FlagRecord after = result.applied ? result.stored[i] : *change.after;
      if (!result.applied && change.before) after.flag.version = change.before->flag.version + 1;
      entry["after"] = FlagRecordJson(after, scope.environments, scope.environment);
      for (const char* unset : {"created_at", "updated_at", "updated_by"}) {
        if (entry["after"].value(unset, "").empty()) entry["after"].erase(unset);  // not written yet
      }
    }
    entry["key"] = change.after ? change.after->flag.key : change.write.key;
    changes.push_back(std::move(entry));
  }
  counts["unchanged"] = result.plan.unchanged.size();
  json out = {{"dry_run", dry_run},
              {"applied", result.applied},
              {"changes", std::move(changes)},
              {"unchanged", result.plan.unchanged},
              {"summary", std::move(counts)}};
  if (scope.environment) out["environment"] = scope.environment->key;
  return out;
}

Response ProblemsResponse(const FlagApplyResult& result, const FlagScope& scope, bool dry_run) {
  json errors = json::array();
  for (const ApplyProblem& problem : result.plan.problems) {
    json error = {{"code", StatusCodeName(problem.status.code())}, {"message", problem.status.message()}};
    if (!problem.status.field().empty()) error["field"] = problem.status.field();
    if (problem.index) error["index"] = *problem.index;
    if (!problem.key.empty()) error["key"] = problem.key;
    errors.push_back(std::move(error));
  }
  const std::size_t count = errors.size();
  json out = PlanJson(result, scope, dry_run);
  const ApplyProblem& first = result.plan.problems.front();
  out["error"] = {{"code", StatusCodeName(StatusCode::kInvalidArgument)},
                  {"message", std::to_string(count) + (count == 1 ? " problem" : " problems") +
                                  " in the flags; nothing was applied. First: " + first.status.message()},
                  {"field", first.status.field()}};
  out["errors"] = std::move(errors);
  return JsonResponse(422, out);
}

Response ApplyFlags(ServerContext& ctx, RequestContext& req) {
  auto scope = ResolveScope(ctx, req);
  if (!scope.ok()) return ErrorResponse(scope.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto apply = ReadApplyBody(std::move(*body), scope->project);
  if (!apply.ok()) return ErrorResponse(apply.status());
  if (apply->request.prune && scope->environment) {
    return ErrorResponse(Status::InvalidArgument(
        "prune deletes flags from every environment; it cannot be combined with ?environment=", "prune"));
  }
  const FlagScope& flag_scope = *scope;
  const ApplyRequest& request = apply->request;
  auto planner = [&](const std::vector<store::FlagRecord>& current, const std::vector<Cohort>& cohorts) {
    return PlanFlagApply(request, flag_scope, current, cohorts);
  };
  auto result = ctx.flags.Apply(scope->project.id, planner, apply->dry_run, scope->In(ActorOf(req)));
  if (!result.ok()) return ErrorResponse(result.status());
  if (!result->plan.ok()) return ProblemsResponse(*result, *scope, apply->dry_run);
  return JsonResponse(200, PlanJson(*result, *scope, apply->dry_run));
}

}  // namespace

void RegisterFlagApplyRoutes(Router& router, ServerContext& ctx) {
  RoutePolicy policy = AcceptingQuery({"environment"});
  policy.max_body_bytes = kMaxApplyBodyBytes;
  policy.accept_gzip = true;
  router.Add("POST", "/api/v1/projects/{project}/flags/apply", Access::kAdmin,
             "Make the project's flags match a whole flags-as-code file, all or nothing (dry_run: the plan)",
             policy, Bind(ctx, ApplyFlags));
}

}  // namespace switchyard::server
