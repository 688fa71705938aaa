// Cohorts: named property-filter sets that flags target with `in` / `not_in`. Versioned and
// validated like flags (a cohort in use cannot be deleted).
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

Result<Cohort> CohortFromBody(nlohmann::json body, const std::string& path_id) {
  if (!path_id.empty()) {
    if (Status s = MatchPathValue(body, "id", path_id); !s.ok()) return s;
  }
  return CohortFromJson(body);
}

Response ListCohorts(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "cohorts");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto cohorts = ctx.store.ListCohorts(project->id);
  if (!cohorts.ok()) return ErrorResponse(cohorts.status());
  std::optional<std::string> next;
  auto id_of = [](const store::CohortRecord& record) -> const std::string& { return record.cohort.id; };
  nlohmann::json out = nlohmann::json::array();
  for (const auto* record : TakePage(*cohorts, *page, id_of, &next)) out.push_back(CohortRecordJson(*record));
  return PagedJsonResponse(req.request(), "cohorts", {{"cohorts", std::move(out)}}, next);
}

Response CreateCohort(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto cohort = CohortFromBody(*body, "");
  if (!cohort.ok()) return ErrorResponse(cohort.status());
  auto record = ctx.flags.CreateCohort(project->id, *cohort, ActorOf(req));
  if (!record.ok()) return ErrorResponse(record.status());
  return JsonResponse(201, CohortRecordJson(*record));
}

Response GetCohort(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto record = ctx.store.GetCohort(project->id, req.Param("id"));
  if (!record.ok()) return ErrorResponse(record.status());
  return WithVersionETag(JsonResponse(200, CohortRecordJson(*record)), record->version);
}

Response ReplaceCohort(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto version = RequiredBaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  auto cohort = CohortFromBody(*body, req.Param("id"));
  if (!cohort.ok()) return ErrorResponse(cohort.status());
  auto record = ctx.flags.ReplaceCohort(project->id, *cohort, *version, ActorOf(req));
  if (!record.ok()) return ErrorResponse(record.status());
  return JsonResponse(200, CohortRecordJson(*record));
}

Response DeleteCohort(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto version = VersionQueryParam(req.request());
  if (!version.ok()) return InvalidQueryResponse(version.status());
  return ErrorOr(ctx.flags.DeleteCohort(project->id, req.Param("id"), *version, ActorOf(req)));
}

}  // namespace

void RegisterCohortRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/cohorts";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin, "List cohorts (paged)", AcceptingQuery({"limit", "cursor"}),
             bind(ListCohorts));
  router.Add("POST", base, Access::kAdmin, "Create a cohort", bind(CreateCohort));
  router.Add("GET", base + "/{id}", Access::kAdmin, "Get a cohort", bind(GetCohort));
  router.Add("PUT", base + "/{id}", Access::kAdmin, "Replace a cohort (needs the version)",
             bind(ReplaceCohort));
  router.Add("DELETE", base + "/{id}", Access::kAdmin, "Delete a cohort not used by any flag",
             AcceptingQuery({"version"}), bind(DeleteCohort));
}

}  // namespace switchyard::server
