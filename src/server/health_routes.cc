// Liveness, readiness and version: public, cheap, and safe to poll.
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/version.h"

namespace switchyard::server {

void RegisterHealthRoutes(Router& router, ServerContext& ctx) {
  RoutePolicy inline_policy;
  inline_policy.execution = Execution::kInline;
  router.Add("GET", "/healthz", Access::kPublic, "Liveness: the process serves HTTP", inline_policy,
             // Built once: the answer never changes, and load balancers poll it hardest.
             [alive = JsonResponse(200, {{"status", "ok"}})](RequestContext&) { return alive; });
  // A project whose flags are not published is reported, not made fatal: a 503 would take the
  // whole server out of rotation and every healthy project with it. Ids only (this route is
  // public); the reasons are in the log.
  router.Add("GET", "/readyz", Access::kPublic, "Readiness: the store answers", [&ctx](RequestContext&) {
    if (!ctx.store.Healthy()) {
      Response response = ErrorResponse(503, "unavailable", "the store is not answering");
      response.headers.emplace_back("Retry-After", "1");
      return response;
    }
    if (ctx.events != nullptr && !ctx.events->Healthy()) {
      Response response = ErrorResponse(503, "unavailable", "the event log is not answering");
      response.headers.emplace_back("Retry-After", "1");
      return response;
    }
    const auto not_ready = ctx.snapshots.NotReady();
    if (not_ready.empty()) return JsonResponse(200, {{"status", "ready"}});
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& [project_id, reason] : not_ready) ids.push_back(project_id);
    return JsonResponse(200, {{"status", "degraded"}, {"projects_not_ready", ids}});
  });
  router.Add("GET", "/api/v1/version", Access::kPublic, "Server name and version", inline_policy,
             [version = JsonResponse(200, {{"name", "switchyard"}, {"version", kVersion}})](RequestContext&) {
               return version;
             });
}

}  // namespace switchyard::server
