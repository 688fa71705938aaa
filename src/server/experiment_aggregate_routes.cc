// The ingest-time aggregate of an experiment, read-only (the analysis's results build on the
// same ExperimentAggregator::Aggregate).
#include "experiments/aggregate_json.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/experiment_aggregator.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

Response GetAggregate(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  if (ctx.aggregator == nullptr)
    return ErrorResponse(Status::Unavailable("experiment aggregation is not running"));
  ctx.aggregator->WaitUntilCaughtUp(ExperimentAggregator::kReadYourWritesWait);
  auto aggregate = ctx.aggregator->Aggregate(project->id, req.Param("key"));
  if (!aggregate.ok()) return ErrorResponse(aggregate.status());
  return JsonResponse(200, experiments::ExperimentAggregateToJson(*aggregate));
}

}  // namespace

void RegisterExperimentAggregateRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/api/v1/projects/{project}/experiments/{key}/aggregate", Access::kAdmin,
             "An experiment's ingest-time sufficient statistics (per variant, metric and hour)",
             Bind(ctx, GetAggregate));
}

}  // namespace switchyard::server
