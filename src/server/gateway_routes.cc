// The OpenAI-compatible gateway: POST /v1/chat/completions (and /v1/completions, /v1/embeddings,
// /v1/responses passed through the same way), GET /v1/models, and the paired shadow comparison.
//
// A call: the route (from `model: "route:KEY"` or X-Switchyard-Route), the user (`user` or
// X-Switchyard-Distinct-Id, else the request id), the flag's assignment (the same evaluation as
// /api/v1/evaluate, so sticky and exposure-recording), the model it maps to, then the upstream
// through the shared outbound client (which retries connect errors, 429 and 5xx), the route's
// default model as a fallback when that fails before any answer, and a record of the call.
// Sampled requests are mirrored to the route's shadow without the caller waiting for it.
#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "gateway/openai_request.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/gateway_call.h"
#include "server/gateway_metrics.h"
#include "server/gateway_relay_stream.h"
#include "server/gateway_service.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// Chat requests carry whole conversations (and images as data URLs): larger than our own API's.
constexpr std::size_t kMaxGatewayBodyBytes = 8 * 1024 * 1024;

// Both sides of one mirrored request; the comparison is added when the second one completes.
class ShadowPair {
 public:
  ShadowPair(GatewayService& service, std::int64_t project_id, std::string route)
      : service_(service), project_id_(project_id), route_(std::move(route)) {}

  void Complete(bool shadow, gateway::CallOutcome outcome) {
    std::optional<gateway::CallOutcome> baseline, mirrored;
    {
      MutexLock lock(mu_);
      (shadow ? shadow_ : baseline_) = std::move(outcome);
      if (!baseline_ || !shadow_) return;
      baseline = std::move(baseline_);
      mirrored = std::move(shadow_);
    }
    service_.comparisons().Add(project_id_, route_, *baseline, *mirrored);
  }

 private:
  GatewayService& service_;
  const std::int64_t project_id_;
  const std::string route_;
  Mutex mu_;
  std::optional<gateway::CallOutcome> baseline_ GUARDED_BY(mu_);
  std::optional<gateway::CallOutcome> shadow_ GUARDED_BY(mu_);
};

bool Sampled(const std::string& request_id, double percent) {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return static_cast<double>(std::hash<std::string>{}(request_id) % 10000) < percent * 100;
}

// The shadow call: never streamed, never seen by the caller, always recorded and paired.
net::awaitable<void> RunShadow(ServerContext& ctx, CallPlan plan, gateway::GatewayRequest request,
                               std::string path, std::shared_ptr<ShadowPair> pair) {
  CallResult result;
  result.started = GatewayClock::now();
  auto resolved = plan.catalog->Resolve(plan.shadow->model);
  if (!resolved.ok()) {
    result.model_ref = plan.shadow->model;
    result.error_type = "unknown_model";
  } else {
    result.model_ref = resolved->reference;
    auto upstream = UpstreamRequest(ctx, *resolved->version, path,
                                    gateway::ShadowBody(request, resolved->version->upstream.model), false);
    if (!upstream.ok()) {
      result.error_type = "credential_missing";
    } else {
      // Named first: GCC 12 destroys a temporary coroutine argument twice inside co_await.
      auto send = ctx.gateway->client().Send(std::move(*upstream));
      auto sent = co_await std::move(send);
      if (sent.ok()) {
        ReadWholeResponse(ctx.gateway->parsers(), *resolved->version, *sent, result);
      } else {
        result.error_type = sent.status().code() == StatusCode::kUnavailable ? "connect" : "timeout";
      }
    }
  }
  RecordCall(ctx, plan, result, /*shadow=*/true);
  pair->Complete(true, OutcomeOf(result));
  ctx.gateway->FinishShadow();
}

// Starts the shadow of a sampled request (when a slot is free); returns the pair to complete
// with the baseline, or nullptr.
net::awaitable<std::shared_ptr<ShadowPair>> MaybeShadow(ServerContext& ctx, const CallPlan& plan,
                                                        const gateway::GatewayRequest& request,
                                                        const std::string& path) {
  if (!plan.shadow || !Sampled(plan.request_id, plan.shadow->sample_percent)) co_return nullptr;
  if (!ctx.gateway->TryStartShadow()) {
    if (ctx.gateway_metrics != nullptr) ctx.gateway_metrics->CountShadowDropped(plan.route);
    co_return nullptr;
  }
  auto pair = std::make_shared<ShadowPair>(*ctx.gateway, plan.project_id, plan.route);
  auto executor = co_await net::this_coro::executor;
  net::co_spawn(executor, RunShadow(ctx, plan, request, path, pair), net::detached);
  co_return pair;
}

bool Cancelled(const Status& status) {
  return status.code() == StatusCode::kCancelled;
}

std::string UserOf(const gateway::GatewayRequest& request, const Request& http) {
  if (request.user) return *request.user;
  return std::string(http.Header("x-switchyard-distinct-id"));
}

net::awaitable<Response> ModelCall(ServerContext& ctx, RequestContext& req, std::string path) {
  const GatewayClock::time_point started = GatewayClock::now();
  if (ctx.gateway == nullptr || ctx.models == nullptr)
    co_return OpenAiErrorResponse(503, "the model gateway is not running in this server", "", "");
  auto parsed = gateway::ParseGatewayRequest(req.request().body, ctx.gateway->parsers());
  if (!parsed.ok()) {
    co_return OpenAiErrorResponse(400, parsed.status().message(), parsed.status().field(), "");
  }
  gateway::GatewayRequest& request = *parsed;
  std::string route_key(req.request().Header("x-switchyard-route"));
  if (route_key.empty()) {
    if (auto named = gateway::RouteInModel(request.model)) route_key = std::string(*named);
  }
  if (route_key.empty()) {
    co_return OpenAiErrorResponse(
        404, "`model` must name a route (\"route:<key>\") or the X-Switchyard-Route header must be set",
        "model", "", "model_not_found");
  }
  std::string user = UserOf(request, req.request());
  // Awaitables are named first: GCC 12 destroys a temporary coroutine argument twice inside co_await.
  auto plan_call = PlanCall(ctx, req.principal(), route_key, std::move(user));
  auto planned = co_await std::move(plan_call);
  if (auto* error = std::get_if<Response>(&planned)) co_return std::move(*error);
  CallPlan plan = std::move(std::get<CallPlan>(planned));

  std::shared_ptr<ShadowPair> pair = co_await MaybeShadow(ctx, plan, request, path);
  CallResult result;
  result.started = started;
  result.model_ref = plan.model_ref;

  // The model, then the fallback when the model gave no answer worth passing on.
  const registry::ModelVersion* model = plan.model;
  for (int round = 0; round < 2; ++round) {
    auto upstream = UpstreamRequest(ctx, *model, path, gateway::UpstreamBody(request, model->upstream.model),
                                    request.stream);
    const bool last = round == 1 || plan.fallback == nullptr;
    if (!upstream.ok()) {
      result.error_type = "credential_missing";
      if (!last) {
        model = plan.fallback;
        result.model_ref = plan.fallback_ref;
        result.fallback = true;
        continue;
      }
      RecordCall(ctx, plan, result, false);
      if (pair) pair->Complete(false, OutcomeOf(result));
      Response response = OpenAiErrorResponse(502, upstream.status().message(), "", plan.request_id);
      AddAssignmentHeaders(plan, result, response);
      co_return response;
    }
    result.overhead_us = std::chrono::duration<double, std::micro>(GatewayClock::now() - started).count();
    upstream->cancel = req.request().cancel;
    if (request.stream) {
      auto open = ctx.gateway->client().Open(std::move(*upstream));
      auto opened = co_await std::move(open);
      if (!opened.ok() && Cancelled(opened.status())) co_return ClientGone(ctx, plan, result);
      const bool failed = !opened.ok() || (*opened)->status() == 429 || (*opened)->status() >= 500;
      if (failed && !last) {
        if (opened.ok()) result.attempts += (*opened)->attempts();
        model = plan.fallback;
        result.model_ref = plan.fallback_ref;
        result.fallback = true;
        continue;
      }
      if (!opened.ok()) {
        result.error_type = opened.status().code() == StatusCode::kUnavailable ? "connect" : "timeout";
        result.attempts += 1;
        RecordCall(ctx, plan, result, false);
        if (pair) pair->Complete(false, OutcomeOf(result));
        Response response = OpenAiErrorResponse(
            502, "the model's upstream did not answer: " + opened.status().message(), "", plan.request_id);
        result.attempts = std::max(result.attempts, 2);  // the client retried for us
        AddAssignmentHeaders(plan, result, response);
        co_return response;
      }
      std::unique_ptr<outbound::OutboundStream> stream = std::move(*opened);
      result.attempts += stream->attempts();
      result.status = stream->status();
      Response response;
      response.status = stream->status();
      if (stream->status() != 200) {
        // An error answer: read it whole (bounded) and pass it on as it is.
        std::string body;
        while (body.size() < 64 * 1024) {
          auto piece = co_await stream->Next();
          if (!piece.ok() || !piece->has_value()) break;
          body += **piece;
        }
        outbound::OutboundResponse whole;
        whole.status = stream->status();
        whole.body = body;
        whole.attempts = 0;
        ReadWholeResponse(ctx.gateway->parsers(), *model, whole, result);
        RecordCall(ctx, plan, result, false);
        if (pair) pair->Complete(false, OutcomeOf(result));
        response.body = std::move(body);
        AddAssignmentHeaders(plan, result, response);
        co_return response;
      }
      response.content_type = "text/event-stream";
      response.headers.emplace_back("Cache-Control", "no-cache");
      AddAssignmentHeaders(plan, result, response);
      std::function<void(const CallResult&)> on_done;
      if (pair) {
        on_done = [pair](const CallResult& done) {
          if (done.error_type != kClientDisconnected)
            pair->Complete(false, OutcomeOf(done));  // as ClientGone
        };
      }
      response.stream = std::make_shared<GatewayRelayStream>(ctx, plan, result, std::move(stream),
                                                             !request.client_wants_usage, std::move(on_done));
      co_return response;
    }

    auto send = ctx.gateway->client().Send(std::move(*upstream));
    auto sent = co_await std::move(send);
    if (!sent.ok() && Cancelled(sent.status())) co_return ClientGone(ctx, plan, result);
    if (!sent.ok()) {
      if (!last) {
        result.attempts += 1;
        model = plan.fallback;
        result.model_ref = plan.fallback_ref;
        result.fallback = true;
        continue;
      }
      result.error_type = sent.status().code() == StatusCode::kUnavailable ? "connect" : "timeout";
      result.attempts = std::max(result.attempts + 1, 2);
      RecordCall(ctx, plan, result, false);
      if (pair) pair->Complete(false, OutcomeOf(result));
      Response response = OpenAiErrorResponse(
          502, "the model's upstream did not answer: " + sent.status().message(), "", plan.request_id);
      AddAssignmentHeaders(plan, result, response);
      co_return response;
    }
    CallResult attempt = result;
    ReadWholeResponse(ctx.gateway->parsers(), *model, *sent, attempt);
    // 429/5xx after the client's retries, or a 2xx that is not JSON: nothing worth passing on.
    const bool malformed = attempt.error_type == "malformed_response";
    if ((FailedBeforeAnswer(sent) || malformed) && !last) {
      result.attempts = attempt.attempts;
      model = plan.fallback;
      result.model_ref = plan.fallback_ref;
      result.fallback = true;
      continue;
    }
    result = std::move(attempt);
    auto executor = co_await net::this_coro::executor;
    RecordCallAfterAnswer(ctx, executor, plan, result);
    if (pair) pair->Complete(false, OutcomeOf(result));
    if (malformed) {
      Response response =
          OpenAiErrorResponse(502, "the model's upstream answered with a body that is not JSON", "",
                              plan.request_id, "upstream_malformed_response");
      AddAssignmentHeaders(plan, result, response);
      co_return response;
    }
    Response response;
    response.status = sent->status;
    response.body = std::move(sent->body);
    for (const auto& [name, value] : sent->headers) {
      if (name == "content-type" || name == "Content-Type") response.content_type = value;
      if (name == "retry-after" || name == "Retry-After") response.headers.emplace_back("Retry-After", value);
    }
    AddAssignmentHeaders(plan, result, response);
    co_return response;
  }
  co_return OpenAiErrorResponse(500, "no model was called", "", plan.request_id);  // unreachable
}

Response ListModels(ServerContext& ctx, RequestContext& req) {
  const Principal& principal = req.principal();
  nlohmann::json data = nlohmann::json::array();
  if (principal.project_id && ctx.models != nullptr) {
    for (const registry::RouteDefinition* route : ctx.models->Get(*principal.project_id)->Routes()) {
      data.push_back({{"id", std::string(gateway::kRoutePrefix) + route->key},
                      {"object", "model"},
                      {"created", 0},
                      {"owned_by", "switchyard"}});
    }
  }
  return JsonResponse(200, {{"object", "list"}, {"data", std::move(data)}});
}

Response ShadowComparison(ServerContext& ctx, RequestContext& req) {
  if (ctx.gateway == nullptr || ctx.models == nullptr)
    return ErrorResponse(Status::Unavailable("the model gateway is not running in this server"));
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string& route = req.Param("route");
  if (ctx.models->Get(project->id)->FindRoute(route) == nullptr)
    return ErrorResponse(Status::NotFound("no route '" + route + "'", "route"));
  nlohmann::json report = ctx.gateway->comparisons().Report(project->id, route);
  report["route"] = route;
  return JsonResponse(200, report);
}

RoutePolicy GatewayPolicy() {
  RoutePolicy policy;
  policy.execution = Execution::kAsync;
  policy.max_body_bytes = kMaxGatewayBodyBytes;
  policy.accept_gzip = true;
  policy.cancel_on_disconnect = true;
  return policy;
}

}  // namespace

void RegisterGatewayRoutes(Router& router, ServerContext& ctx) {
  struct Endpoint {
    const char* path;
    const char* upstream;
    const char* summary;
  };
  for (const Endpoint& e :
       {Endpoint{"/v1/chat/completions", "/chat/completions",
                 "Gateway: OpenAI chat completions through a route (streaming passed through)"},
        Endpoint{"/v1/completions", "/completions", "Gateway: OpenAI completions through a route"},
        Endpoint{"/v1/embeddings", "/embeddings", "Gateway: OpenAI embeddings through a route"},
        Endpoint{"/v1/responses", "/responses", "Gateway: OpenAI Responses API through a route"}}) {
    std::string upstream = e.upstream;
    router.AddAsync("POST", e.path, Access::kProject, e.summary, GatewayPolicy(),
                    [&ctx, upstream](RequestContext& req) { return ModelCall(ctx, req, upstream); });
  }
  router.Add("GET", "/v1/models", Access::kProject,
             "Gateway: the routes this project key may call, as models", RoutePolicy{},
             [&ctx](RequestContext& req) { return ListModels(ctx, req); });
  router.Add("GET", "/api/v1/projects/{project}/routes/{route}/shadow/comparison", Access::kAdmin,
             "A route's shadow against its baseline: paired differences in latency, tokens, cost, length",
             RoutePolicy{}, [&ctx](RequestContext& req) { return ShadowComparison(ctx, req); });
}

}  // namespace switchyard::server
