// POST /api/v1/evaluate: the hot path. One snapshot load, one person lookup (the in-memory cache,
// else a store read on the worker pool), one pass of the engine; nothing here takes a lock that a
// writer holds, and a cached user is answered without leaving the I/O thread.
#include <chrono>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluate_request.h"
#include "server/evaluation_inputs.h"
#include "server/evaluation_json.h"
#include "server/handler_support.h"
#include "server/stored_properties.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// Evaluate bodies are small (an id, a few properties); a larger one is refused before it is read.
constexpr size_t kMaxEvaluateBodyBytes = 64 * 1024;

net::awaitable<Response> Evaluate(ServerContext& ctx, RequestContext& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) co_return BadJsonResponse(body.status());
  auto request = ParseEvaluateRequest(std::move(*body));
  if (!request.ok()) co_return ErrorResponse(request.status());
  auto where = EvaluationWhere(ctx.store, req.principal(), request->project, request->environment);
  if (!where.ok()) co_return ErrorResponse(where.status());

  auto stored = co_await StoredProperties(ctx, where->project_id, request->distinct_id);
  if (!stored.ok()) co_return PersonReadFailedResponse(stored.status());
  EvaluationContext context =
      MergedContext(std::move(request->distinct_id), *stored, std::move(request->properties));

  auto snapshot = ctx.snapshots.Get(where->environment_id);
  std::vector<FlagResult> results =
      request->flags ? snapshot->EvaluateSome(*request->flags, context) : snapshot->EvaluateAll(context);
  if (ctx.experiment_gate != nullptr)
    ctx.experiment_gate->Apply(where->environment_id, *snapshot, context, results);
  if (ctx.counters != nullptr)
    ctx.counters->Record(where->environment_id, results, std::chrono::system_clock::now());
  Response response;
  response.body = EvaluationResponseJson(context.distinct_id, results);
  co_return response;
}

}  // namespace

void RegisterEvaluateRoutes(Router& router, ServerContext& ctx) {
  const RoutePolicy policy = EvaluationRoutePolicy(kMaxEvaluateBodyBytes);
  router.AddAsync("POST", "/api/v1/evaluate", Access::kProject,
                  "Evaluate all (or the named) flags for a user: values, variants, payloads, reasons", policy,
                  [&ctx](RequestContext& req) { return Evaluate(ctx, req); });
}

}  // namespace switchyard::server
