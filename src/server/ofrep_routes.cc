// OFREP: POST /ofrep/v1/evaluate/flags/{key} (server providers, one flag per call) and
// POST /ofrep/v1/evaluate/flags (client providers: every flag, polled with If-None-Match).
// The evaluation is /api/v1/evaluate's (stored person properties under the context's attributes,
// the environment's snapshot, the experiment gate, the evaluation counters); only the request and
// answer shapes are OFREP's (ofrep_evaluation.h).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/conditional_get.h"
#include "server/evaluate_user.h"
#include "server/evaluation_inputs.h"
#include "server/ofrep_evaluation.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using json = nlohmann::json;

// A context is a key and some attributes; the same bound as /api/v1/evaluate.
constexpr std::size_t kMaxOfrepBodyBytes = 64 * 1024;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Response FailureResponse(const OfrepFailure& failure, std::string_view key, int status) {
  Response response;
  response.status = status;
  response.body = Dump(OfrepFailureJson(failure, key));
  return response;
}

std::optional<std::string> QueryValue(const Request& request, std::string_view name) {
  const std::string* value = request.QueryParam(name);
  return value != nullptr ? std::optional<std::string>(*value) : std::nullopt;
}

// What both routes evaluate with, or the answer when the request cannot be evaluated.
struct Prepared {
  std::optional<Response> refused;
  EvaluationTarget where;
  EvaluateRequest request;
};

net::awaitable<Prepared> Prepare(ServerContext& ctx, RequestContext& req, const std::string& key) {
  Prepared prepared;
  const Request& request = req.request();
  json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    OfrepFailure failure{OfrepError::kParseError, "the request body must be a JSON object", "body"};
    prepared.refused = FailureResponse(failure, key, 400);
    co_return prepared;
  }
  OfrepContext context;
  if (auto failure = ReadOfrepContext(body, &context)) {
    prepared.refused = FailureResponse(*failure, key, 400);
    co_return prepared;
  }
  // A project key evaluates its own environment; an admin key names one in the query string.
  auto where = EvaluationWhere(ctx.store, req.principal(), QueryValue(request, "project"),
                               QueryValue(request, "environment"));
  if (!where.ok()) {
    // OFREP knows no 422: a request that names no (or an unknown) project is a bad request.
    int status = HttpStatusFor(where.status().code());
    OfrepFailure failure{OfrepError::kGeneral, where.status().message(), where.status().field()};
    prepared.refused = FailureResponse(failure, key, status == 422 ? 400 : status);
    co_return prepared;
  }
  prepared.where = *where;
  prepared.request.distinct_id = std::move(context.targeting_key);
  prepared.request.properties = std::move(context.attributes);
  if (!key.empty()) prepared.request.flags = std::vector<std::string>{key};
  co_return prepared;
}

net::awaitable<Response> EvaluateOne(ServerContext& ctx, RequestContext& req) {
  const std::string& key = req.Param("key");
  Prepared prepared = co_await Prepare(ctx, req, key);
  if (prepared.refused) co_return std::move(*prepared.refused);
  auto evaluated = co_await EvaluateUser(ctx, prepared.where, prepared.request);
  if (!evaluated.ok()) co_return PersonReadFailedResponse(evaluated.status());
  auto snapshot = ctx.snapshots.Get(prepared.where.environment_id);
  const FlagResult& result = evaluated->results.front();
  if (auto failure = OfrepFailureOf(result))
    co_return FailureResponse(*failure, key, OfrepHttpStatus(failure->error));
  Response response;
  response.body = Dump(OfrepSuccessJson(result, snapshot->Find(key)));
  co_return response;
}

net::awaitable<Response> EvaluateAll(ServerContext& ctx, RequestContext& req) {
  const std::string no_key;  // named: GCC 12 may destroy a temporary coroutine argument twice
  Prepared prepared = co_await Prepare(ctx, req, no_key);
  if (prepared.refused) co_return std::move(*prepared.refused);
  auto evaluated = co_await EvaluateUser(ctx, prepared.where, prepared.request);
  if (!evaluated.ok()) co_return PersonReadFailedResponse(evaluated.status());
  auto snapshot = ctx.snapshots.Get(prepared.where.environment_id);
  json flags = json::array();
  for (const FlagResult& result : evaluated->results) {
    auto failure = OfrepFailureOf(result);
    flags.push_back(failure ? OfrepFailureJson(*failure, result.key)
                            : OfrepSuccessJson(result, snapshot->Find(result.key)));
  }
  Response response;
  response.body = Dump(json{{"flags", std::move(flags)}});
  // The answer depends on the flags and on this context, so its digest is the ETag: a client
  // polling for the same context gets 304 until a change alters what it would be served.
  std::string etag = DigestETag(response.body);
  for (const auto& [name, value] : req.request().headers) {
    if (name != "if-none-match" || !IfNoneMatchMatches(value, etag)) continue;
    Response not_modified;
    not_modified.status = 304;
    not_modified.content_type.clear();
    not_modified.headers.emplace_back("ETag", etag);
    co_return not_modified;
  }
  response.headers.emplace_back("ETag", etag);
  co_return response;
}

}  // namespace

void RegisterOfrepRoutes(Router& router, ServerContext& ctx) {
  // The key: `Authorization: Bearer <key>`, or `X-API-Key: <key>` (OFREP's spec allows both; the
  // router takes either on every route).
  const RoutePolicy policy = EvaluationRoutePolicy(kMaxOfrepBodyBytes);
  router.AddAsync("POST", "/ofrep/v1/evaluate/flags/{key}", Access::kProject,
                  "OFREP: evaluate one flag for a context (value, variant, reason, metadata)", policy,
                  [&ctx](RequestContext& req) { return EvaluateOne(ctx, req); });
  router.AddAsync("POST", "/ofrep/v1/evaluate/flags", Access::kProject,
                  "OFREP: evaluate every flag for a context (ETag; If-None-Match -> 304)", policy,
                  [&ctx](RequestContext& req) { return EvaluateAll(ctx, req); });
}

}  // namespace switchyard::server
