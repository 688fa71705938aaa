// GET /api/v1/gateway/stats: the gateway's statistics per route × variant × model, over the whole
// run and the last minute (GatewayMetrics::Snapshot). What `switchyard top` polls.
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/gateway_metrics.h"

namespace switchyard::server {

void RegisterGatewayStatsRoutes(Router& router, ServerContext& ctx) {
  // Reads only atomics (like /metrics): it never blocks, so it stays on the I/O thread and a
  // dashboard keeps refreshing when the worker pool is full.
  RoutePolicy policy;
  policy.execution = Execution::kInline;
  router.Add("GET", "/api/v1/gateway/stats", Access::kAdmin,
             "Gateway statistics per route and variant: whole run and the last minute", policy,
             [&ctx](RequestContext&) {
               if (ctx.gateway_metrics == nullptr)
                 return ErrorResponse(Status::Unavailable("gateway metrics are not enabled"));
               return JsonResponse(200, ctx.gateway_metrics->Snapshot());
             });
}

}  // namespace switchyard::server
