// POST /api/v1/evaluate: the hot path. One snapshot load, one person lookup (the in-memory cache,
// else a store read on the worker pool), one pass of the engine; nothing here takes a lock that a
// writer holds, and a cached user is answered without leaving the I/O thread.
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluate_request.h"
#include "server/evaluate_user.h"
#include "server/evaluation_inputs.h"
#include "server/evaluation_json.h"
#include "server/handler_support.h"

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

  auto evaluated = co_await EvaluateUser(ctx, *where, *request);
  if (!evaluated.ok()) co_return PersonReadFailedResponse(evaluated.status());
  Response response;
  response.body = EvaluationResponseJson(evaluated->context.distinct_id, evaluated->results);
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
