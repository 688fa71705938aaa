// GET .../experiments/{key}/results: the experiment (store), its metric definitions (built-in and
// stored), its ingest-time aggregate (the aggregator) and the analysis (sy_experiments), joined.
// Costs O(variants x metrics x chart points) whatever the number of events.
#include <chrono>
#include <map>

#include "experiments/builtin_metrics.h"
#include "experiments/experiment_analysis.h"
#include "experiments/results_json.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/experiment_aggregator.h"
#include "server/handler_support.h"
#include "server/wall_clock.h"

namespace switchyard::server {
namespace {

Result<std::map<std::string, experiments::MetricDefinition>> MetricsOf(store::Store& store,
                                                                       std::int64_t project_id) {
  std::map<std::string, experiments::MetricDefinition> metrics;
  for (const auto& metric : experiments::BuiltinMetrics()) metrics.emplace(metric.key, metric);
  auto stored = store.ListMetrics(project_id);
  if (!stored.ok()) return stored.status();
  for (auto& metric : *stored) metrics.insert_or_assign(metric.key, std::move(metric));
  return metrics;
}

Response GetResults(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  if (ctx.aggregator == nullptr)
    return ErrorResponse(Status::Unavailable("experiment aggregation is not running"));
  auto record = ctx.store.GetExperiment(project->id, req.Param("key"));
  if (!record.ok()) return ErrorResponse(record.status());
  auto metrics = MetricsOf(ctx.store, project->id);
  if (!metrics.ok()) return ErrorResponse(metrics.status());
  ctx.aggregator->WaitUntilCaughtUp(ExperimentAggregator::kReadYourWritesWait);
  auto aggregate = ctx.aggregator->Aggregate(project->id, record->experiment.key);
  experiments::ExperimentAggregate empty;
  if (!aggregate.ok()) {
    // A draft (or an experiment that never saw an event) has no aggregate yet: results with no
    // data, whose verdict says so, rather than an error.
    if (aggregate.status().code() != StatusCode::kNotFound) return ErrorResponse(aggregate.status());
    empty.experiment_key = record->experiment.key;
  }
  auto results = experiments::AnalyzeExperiment(record->experiment, *metrics,
                                                aggregate.ok() ? *aggregate : empty, NowMs());
  if (!results.ok()) return ErrorResponse(results.status());
  return JsonResponse(200, experiments::ResultsToJson(*results));
}

}  // namespace

void RegisterExperimentResultsRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/api/v1/projects/{project}/experiments/{key}/results", Access::kAdmin,
             "An experiment's results: per-variant values, lifts, health checks and the verdict",
             Bind(ctx, GetResults));
}

}  // namespace switchyard::server
