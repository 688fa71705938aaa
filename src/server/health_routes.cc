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
             [](RequestContext&) {
               return JsonResponse(200, {{"status", "ok"}});
             });
  router.Add("GET", "/readyz", Access::kPublic, "Readiness: the store answers", [&ctx](RequestContext&) {
    if (!ctx.store.Healthy()) {
      Response response = ErrorResponse(503, "unavailable", "the store is not answering");
      response.headers.emplace_back("Retry-After", "1");
      return response;
    }
    return JsonResponse(200, {{"status", "ready"}});
  });
  router.Add("GET", "/api/v1/version", Access::kPublic, "Server name and version", inline_policy,
             [](RequestContext&) {
               return JsonResponse(200, {{"name", "switchyard"}, {"version", kVersion}});
             });
}

}  // namespace switchyard::server
