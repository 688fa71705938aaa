// GET /metrics: the server's metrics in the Prometheus text format. On the API port it needs an
// admin key (route patterns and store timings describe the deployment); on the optional
// metrics-only listener (`metrics_listen`) it is open, as scrapers expect.
#include <chrono>
#include <string>

#include "server/api_routes.h"
#include "server/experiment_aggregator.h"
#include "server/gateway_metrics.h"
#include "server/gateway_service.h"
#include "server/prometheus_text.h"

namespace switchyard::server {
namespace {

void AppendSnapshotMetrics(PrometheusText& out, const FlagSnapshots& snapshots) {
  auto stats = snapshots.Stats();
  out.Family("switchyard_flag_snapshot_version", "gauge",
             "Published flag snapshot of each project environment: 1 at start, +1 on each change.");
  for (const auto& each : stats) {
    out.Sample("switchyard_flag_snapshot_version",
               {{"project_id", std::to_string(each.project_id)}, {"environment", each.environment}},
               each.version);
  }
  out.Family("switchyard_flag_snapshot_rebuild_seconds", "gauge",
             "Time the latest change of each project environment's flag snapshot took (derive, or read and "
             "compile).");
  for (const auto& each : stats) {
    double seconds = std::chrono::duration<double>(each.rebuild_time).count();
    out.Sample("switchyard_flag_snapshot_rebuild_seconds",
               {{"project_id", std::to_string(each.project_id)}, {"environment", each.environment}}, seconds);
  }
}

}  // namespace

void RegisterMetricsRoute(Router& router, ServerContext& ctx, Access access) {
  // Rendering reads only atomics and snapshots: it never blocks, so it stays on the I/O thread
  // and a scrape is answered even when the worker pool is full.
  RoutePolicy policy;
  policy.execution = Execution::kInline;
  router.Add("GET", "/metrics", access, "Server metrics in the Prometheus text format", policy,
             [&ctx](RequestContext&) {
               // Read when scraped, so the pool's hot path carries no metrics call.
               if (ctx.workers != nullptr)
                 ctx.metrics.SetWorkerQueueDepth(static_cast<std::int64_t>(ctx.workers->depth()));
               PrometheusText text;
               ctx.metrics.AppendTo(text);
               AppendSnapshotMetrics(text, ctx.snapshots);
               if (ctx.events != nullptr) ctx.events->AppendMetrics(text);
               if (ctx.exposures != nullptr) ctx.exposures->AppendMetrics(text);
               if (ctx.aggregator != nullptr) ctx.aggregator->AppendMetrics(text);
               if (ctx.gateway_metrics != nullptr) ctx.gateway_metrics->AppendMetrics(text);
               if (ctx.gateway != nullptr) ctx.gateway->AppendMetrics(text);
               Response response;
               response.content_type = kPrometheusContentType;
               response.body = text.text();
               return response;
             });
}

}  // namespace switchyard::server
