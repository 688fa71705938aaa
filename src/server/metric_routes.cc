// Metric definitions of experiments: the project's own (stored, audited) and the built-in
// model-traffic ones (listed in every project, read-only: a write to one is 409).
#include <algorithm>

#include "experiments/builtin_metrics.h"
#include "experiments/metric_json.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/experiment_aggregator.h"
#include "server/handler_support.h"
#include "server/list_page.h"

namespace switchyard::server {
namespace {

Status BuiltinIsReadOnly(const std::string& key) {
  return Status::Conflict("metric '" + key + "' is built in and read-only; create one with another key",
                          "key");
}

void TellAggregator(ServerContext& ctx) {
  if (ctx.aggregator != nullptr) ctx.aggregator->MetricsChanged();
}

Response ListMetrics(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "metrics");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto stored = ctx.store.ListMetrics(project->id);
  if (!stored.ok()) return ErrorResponse(stored.status());
  // One list by key (built-in keys cannot be taken), so the cursor is a key like everywhere else.
  std::vector<experiments::MetricDefinition> all = experiments::BuiltinMetrics();
  all.insert(all.end(), stored->begin(), stored->end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::optional<std::string> next;
  auto key_of = [](const experiments::MetricDefinition& metric) -> const std::string& { return metric.key; };
  nlohmann::json out = nlohmann::json::array();
  for (const auto* metric : TakePage(all, *page, key_of, &next))
    out.push_back(experiments::MetricToJson(*metric));
  return PagedJsonResponse(req.request(), "metrics", {{"metrics", std::move(out)}}, next);
}

Response CreateMetric(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto metric = experiments::MetricFromJson(*body);
  if (!metric.ok()) return ErrorResponse(metric.status());
  if (experiments::FindBuiltinMetric(metric->key) != nullptr)
    return ErrorResponse(BuiltinIsReadOnly(metric->key));
  auto created = ctx.store.CreateMetric(project->id, *metric, ActorOf(req));
  if (!created.ok()) return ErrorResponse(created.status());
  TellAggregator(ctx);
  return JsonResponse(201, experiments::MetricToJson(*created));
}

Response GetMetric(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string key = req.Param("key");
  if (const auto* builtin = experiments::FindBuiltinMetric(key))
    return JsonResponse(200, experiments::MetricToJson(*builtin));
  auto metric = ctx.store.GetMetric(project->id, key);
  if (!metric.ok()) return ErrorResponse(metric.status());
  return JsonResponse(200, experiments::MetricToJson(*metric));
}

Response ReplaceMetric(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string key = req.Param("key");
  if (experiments::FindBuiltinMetric(key) != nullptr) return ErrorResponse(BuiltinIsReadOnly(key));
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = MatchPathValue(*body, "key", key); !s.ok()) return ErrorResponse(s);
  auto metric = experiments::MetricFromJson(*body);
  if (!metric.ok()) return ErrorResponse(metric.status());
  auto replaced = ctx.store.ReplaceMetric(project->id, *metric, ActorOf(req));
  if (!replaced.ok()) return ErrorResponse(replaced.status());
  TellAggregator(ctx);
  return JsonResponse(200, experiments::MetricToJson(*replaced));
}

Response DeleteMetric(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string key = req.Param("key");
  if (experiments::FindBuiltinMetric(key) != nullptr) return ErrorResponse(BuiltinIsReadOnly(key));
  Status deleted = ctx.store.DeleteMetric(project->id, key, ActorOf(req));
  if (deleted.ok()) TellAggregator(ctx);
  return ErrorOr(deleted);
}

}  // namespace

void RegisterMetricRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/metrics";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin, "List metric definitions (built-in and stored, by key, paged)",
             AcceptingQuery({"limit", "cursor"}), bind(ListMetrics));
  router.Add("POST", base, Access::kAdmin, "Create a metric definition", bind(CreateMetric));
  router.Add("GET", base + "/{key}", Access::kAdmin, "Get a metric definition", bind(GetMetric));
  router.Add("PUT", base + "/{key}", Access::kAdmin, "Replace a metric definition (409 for a built-in)",
             bind(ReplaceMetric));
  router.Add("DELETE", base + "/{key}", Access::kAdmin, "Delete a metric definition (409 for a built-in)",
             bind(DeleteMetric));
}

}  // namespace switchyard::server
