// Experiments: CRUD, the lifecycle (start, pause, stop, ship) and the project holdout. Bodies are
// the Experiment's fields (experiment_json.h), strict like flag bodies; every change goes through
// ExperimentService (checks, version, audit, the flag, the directory).
#include <string>

#include "core/known_fields.h"
#include "experiments/experiment_json.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/experiment_service.h"
#include "server/handler_support.h"
#include "server/list_page.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

constexpr core::KnownField kLifecycleFields[] = {{"version"}};
constexpr core::KnownField kShipFields[] = {{"variant"}, {"version"}};
constexpr core::KnownField kHoldoutFields[] = {{"percent"}};

json ExperimentRecordJson(const store::ExperimentRecord& record) {
  json out = experiments::ExperimentToJson(record.experiment);
  out["created_at"] = record.created_at;
  out["updated_at"] = record.updated_at;
  out["updated_by"] = record.updated_by;
  return out;
}

Response RecordResponse(int status, const Result<store::ExperimentRecord>& record) {
  if (!record.ok()) return ErrorResponse(record.status());
  return WithVersionETag(JsonResponse(status, ExperimentRecordJson(*record)), record->experiment.version);
}

Status ServiceMissing() {
  return Status::Unavailable("experiments are not served by this server");
}

Response ListExperiments(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string* status = req.request().QueryParam("status");
  if (status != nullptr && *status != "draft" && *status != "running" && *status != "paused" &&
      *status != "stopped") {
    return InvalidQueryResponse(
        Status::InvalidArgument("status must be draft, running, paused or stopped", "status"));
  }
  auto page = ReadPageRequest(req.request(), "experiments");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto records = ctx.store.ListExperiments(project->id);
  if (!records.ok()) return ErrorResponse(records.status());
  std::vector<store::ExperimentRecord> matching;
  for (store::ExperimentRecord& record : *records) {
    if (status == nullptr || *status == experiments::StatusName(record.experiment.status))
      matching.push_back(std::move(record));
  }
  std::optional<std::string> next;
  auto key_of = [](const store::ExperimentRecord& record) -> const std::string& {
    return record.experiment.key;
  };
  json out = json::array();
  for (const auto* record : TakePage(matching, *page, key_of, &next))
    out.push_back(ExperimentRecordJson(*record));
  return PagedJsonResponse(req.request(), "experiments", {{"experiments", std::move(out)}}, next);
}

Response CreateExperiment(ServerContext& ctx, RequestContext& req) {
  if (ctx.experiments == nullptr) return ErrorResponse(ServiceMissing());
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto experiment = experiments::ExperimentFromJson(*body, experiments::ExperimentJsonSource::kRequest);
  if (!experiment.ok()) return ErrorResponse(experiment.status());
  auto created = ctx.experiments->Create(*project, std::move(*experiment), ActorOf(req));
  Response response = RecordResponse(201, created);
  if (created.ok()) {
    response.headers.emplace_back(
        "Location", "/api/v1/projects/" + project->slug + "/experiments/" + created->experiment.key);
  }
  return response;
}

Response GetExperiment(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  return RecordResponse(200, ctx.store.GetExperiment(project->id, req.Param("key")));
}

Response ReplaceExperiment(ServerContext& ctx, RequestContext& req) {
  if (ctx.experiments == nullptr) return ErrorResponse(ServiceMissing());
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto force = BoolQueryParam(req.request(), "force");
  if (!force.ok()) return InvalidQueryResponse(force.status());
  if (Status s = MatchPathValue(*body, "key", req.Param("key")); !s.ok()) return ErrorResponse(s);
  auto experiment = experiments::ExperimentFromJson(*body, experiments::ExperimentJsonSource::kRequest);
  if (!experiment.ok()) return ErrorResponse(experiment.status());
  return RecordResponse(200, ctx.experiments->Replace(*project, std::move(*experiment), *version,
                                                      force->value_or(false), ActorOf(req)));
}

Response DeleteExperiment(ServerContext& ctx, RequestContext& req) {
  if (ctx.experiments == nullptr) return ErrorResponse(ServiceMissing());
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto version = VersionQueryParam(req.request());
  if (!version.ok()) return InvalidQueryResponse(version.status());
  return ErrorOr(ctx.experiments->Delete(*project, req.Param("key"), *version, ActorOf(req)));
}

enum class Move { kStart, kPause, kStop, kShip };

Response ChangeStatus(ServerContext& ctx, RequestContext& req, Move move) {
  if (ctx.experiments == nullptr) return ErrorResponse(ServiceMissing());
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = move == Move::kShip ? ObjectBody(req) : OptionalObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  const core::FieldList fields =
      move == Move::kShip ? core::FieldList(kShipFields) : core::FieldList(kLifecycleFields);
  if (Status s = core::CheckFields(*body, "", fields); !s.ok()) return ErrorResponse(s);
  auto version = BaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  const std::string& key = req.Param("key");
  const store::Actor actor = ActorOf(req);
  switch (move) {
    case Move::kStart: return RecordResponse(200, ctx.experiments->Start(*project, key, *version, actor));
    case Move::kPause: return RecordResponse(200, ctx.experiments->Pause(*project, key, *version, actor));
    case Move::kStop: return RecordResponse(200, ctx.experiments->Stop(*project, key, *version, actor));
    case Move::kShip: break;
  }
  auto variant = body->find("variant");
  if (variant == body->end() || !variant->is_string() || variant->get_ref<const std::string&>().empty()) {
    return ErrorResponse(
        Status::InvalidArgument("variant (the key of the variant to ship) is required", "variant"));
  }
  return RecordResponse(200,
                        ctx.experiments->Ship(*project, key, variant->get<std::string>(), *version, actor));
}

Response GetHoldout(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto percent = ctx.store.GetExperimentHoldout(project->id);
  if (!percent.ok()) return ErrorResponse(percent.status());
  return JsonResponse(200, json{{"project", project->slug}, {"percent", *percent}});
}

Response SetHoldout(ServerContext& ctx, RequestContext& req) {
  if (ctx.experiments == nullptr) return ErrorResponse(ServiceMissing());
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", kHoldoutFields); !s.ok()) return ErrorResponse(s);
  auto percent = body->find("percent");
  if (percent == body->end() || !percent->is_number()) {
    return ErrorResponse(Status::InvalidArgument("percent (a number from 0 to 50) is required", "percent"));
  }
  if (Status s = ctx.experiments->SetHoldout(*project, percent->get<double>(), ActorOf(req)); !s.ok())
    return ErrorResponse(s);
  return GetHoldout(ctx, req);
}

}  // namespace

void RegisterExperimentRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/experiments";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  auto move = [&ctx](Move m) { return [&ctx, m](RequestContext& req) { return ChangeStatus(ctx, req, m); }; };
  router.Add("GET", base, Access::kAdmin, "List experiments (?status=; paged)",
             AcceptingQuery({"status", "limit", "cursor"}), bind(ListExperiments));
  router.Add("POST", base, Access::kAdmin, "Create an experiment (a draft; creates its flag unless flag_key)",
             AcceptingQuery({}), bind(CreateExperiment));
  router.Add("GET", base + "/{key}", Access::kAdmin, "Get an experiment", AcceptingQuery({}),
             bind(GetExperiment));
  router.Add("PUT", base + "/{key}", Access::kAdmin,
             "Replace an experiment (needs its version; ?force=true to change a running split)",
             AcceptingQuery({"force"}), bind(ReplaceExperiment));
  router.Add("DELETE", base + "/{key}", Access::kAdmin, "Delete a draft or stopped experiment (?version=N)",
             AcceptingQuery({"version"}), bind(DeleteExperiment));
  router.Add("POST", base + "/{key}/start", Access::kAdmin,
             "Start (or resume) an experiment: its flag serves it", AcceptingQuery({}), move(Move::kStart));
  router.Add("POST", base + "/{key}/pause", Access::kAdmin, "Pause a running experiment (its flag off)",
             AcceptingQuery({}), move(Move::kPause));
  router.Add("POST", base + "/{key}/stop", Access::kAdmin, "Stop an experiment (its flag off)",
             AcceptingQuery({}), move(Move::kStop));
  router.Add("POST", base + "/{key}/ship", Access::kAdmin,
             "Ship a variant: stops the experiment and serves the variant to everyone", AcceptingQuery({}),
             move(Move::kShip));
  router.Add("GET", "/api/v1/projects/{project}/holdout", Access::kAdmin,
             "The project's experiment holdout percent", AcceptingQuery({}), bind(GetHoldout));
  router.Add("PUT", "/api/v1/projects/{project}/holdout", Access::kAdmin,
             "Set the project's experiment holdout percent (0..50)", AcceptingQuery({}), bind(SetHoldout));
}

}  // namespace switchyard::server
