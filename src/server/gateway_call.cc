#include "server/gateway_call.h"

#include <cstdlib>

#include <boost/asio/post.hpp>

#include "gateway/call_event.h"
#include "gateway/openai_error.h"
#include "gateway/response_summary.h"
#include "server/evaluate_request.h"
#include "server/evaluate_user.h"
#include "server/evaluation_inputs.h"
#include "server/gateway_metrics.h"
#include "server/gateway_service.h"
#include "server/wall_clock.h"

namespace switchyard::server {
namespace {

double Millis(GatewayClock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// The flag a route assigns with: its own, or its experiment's (running ones from the directory).
std::string FlagOf(ServerContext& ctx, const CallPlan& plan, const registry::RouteDefinition& route,
                   std::string* experiment) {
  if (!route.flag.empty()) {
    *experiment = "";
    if (ctx.experiment_gate != nullptr) {
      auto snapshot = ctx.experiment_gate->directory().Current();
      if (const auto* active = snapshot->ByFlag(plan.environment_id, route.flag))
        *experiment = active->experiment.key;
    }
    return route.flag;
  }
  *experiment = route.experiment;
  if (ctx.experiment_gate != nullptr) {
    auto snapshot = ctx.experiment_gate->directory().Current();
    if (const auto* active = snapshot->ByKey(plan.project_id, route.experiment))
      return active->experiment.flag_key;
  }
  return {};  // not running: the route's default serves
}

// Who and what a call's event is about: copied out of the plan, so the event can be built later.
struct CallEventSource {
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;
  std::string event;
  std::string user;
  std::string request_id;
  bool user_is_request_id = false;
};

CallEventSource CallEventSourceOf(const CallPlan& plan, std::string_view event_name) {
  return {plan.project_id, plan.environment_id, std::string(event_name),
          plan.user,       plan.request_id,     plan.user_is_request_id};
}

gateway::CallRecord CallRecordOf(const CallPlan& plan, const CallResult& result, bool shadow,
                                 GatewayClock::time_point now) {
  gateway::CallRecord call;
  call.project_id = plan.project_id;
  call.route = plan.route;
  call.experiment = plan.experiment;
  call.variant = plan.variant;
  call.model = result.model_ref;
  call.shadow = shadow;
  call.status = result.status;
  call.success = result.success;
  call.error_type = result.error_type;
  call.latency_ms = Millis(now - result.started);
  call.ttft_ms = result.first_token_at ? Millis(*result.first_token_at - result.started) : -1;
  call.overhead_us = result.overhead_us;
  if (result.usage) {
    call.input_tokens = result.usage->input;
    call.cached_input_tokens = result.usage->cached_input;
    call.output_tokens = result.usage->output;
    call.reasoning_tokens = result.usage->reasoning;
  }
  call.cost = result.cost;
  call.fallback = result.fallback;
  call.attempts = result.attempts;
  return call;
}

// The event (queued for the pipeline): its properties are most of what recording a call costs.
void QueueCallEvent(ServerContext& ctx, const CallEventSource& source, const gateway::CallRecord& call,
                    const nlohmann::json* extra) {
  events::Event event;
  event.project_id = source.project_id;
  event.environment_id = source.environment_id;
  event.uuid = ctx.gateway->NewEventUuid();
  event.event = !source.event.empty() ? source.event
                : call.shadow         ? "$ai_shadow_generation"
                                      : "$ai_generation";
  event.distinct_id = source.user;
  event.properties =
      gateway::CallEventProperties(call, {source.request_id, source.user_is_request_id}, extra);
  event.timestamp_ms = NowMs();
  event.received_at_ms = event.timestamp_ms;
  ctx.gateway->RecordEvent(std::move(event));
}

}  // namespace

Response OpenAiErrorResponse(int status, std::string_view message, std::string_view param,
                             const std::string& request_id, std::string_view code) {
  Response response;
  response.status = status;
  response.body = gateway::OpenAiErrorBody(message, gateway::OpenAiErrorType(status), param, code);
  if (!request_id.empty()) response.headers.emplace_back("X-Switchyard-Request-Id", request_id);
  return response;
}

boost::asio::awaitable<std::variant<CallPlan, Response>> PlanCall(ServerContext& ctx,
                                                                  const Principal& principal,
                                                                  std::string_view route_key,
                                                                  std::string user) {
  CallPlan plan;
  plan.request_id = ctx.gateway->NewRequestId();
  if (!principal.project_id || !principal.environment_id) {
    co_return OpenAiErrorResponse(
        403, "the gateway takes a project key (it decides the project and environment)", "", plan.request_id);
  }
  if (user.size() > kMaxDistinctIdBytes) {
    // The same bound as evaluate's distinct_id: the id is evaluated, cached and stored on every event.
    co_return OpenAiErrorResponse(400,
                                  "user must be at most " + std::to_string(kMaxDistinctIdBytes) + " bytes",
                                  "user", plan.request_id);
  }
  plan.project_id = *principal.project_id;
  plan.environment_id = *principal.environment_id;
  plan.route = std::string(route_key);
  plan.catalog = ctx.models->Get(plan.project_id);
  const registry::RouteDefinition* route = plan.catalog->FindRoute(route_key);
  if (route == nullptr) {
    co_return OpenAiErrorResponse(404,
                                  "no route '" + plan.route + "' in this project (GET /v1/models lists them)",
                                  "model", plan.request_id, "model_not_found");
  }
  plan.shadow = route->shadow;
  plan.user_is_request_id = user.empty();
  plan.user = user.empty() ? plan.request_id : std::move(user);

  std::string reference = route->default_model;
  const std::string flag = FlagOf(ctx, plan, *route, &plan.experiment);
  if (!flag.empty()) {
    EvaluateRequest request;
    request.distinct_id = plan.user;
    request.flags = std::vector<std::string>{flag};
    const EvaluationTarget where{plan.project_id, plan.environment_id};
    auto evaluated = co_await EvaluateUser(ctx, where, request);
    if (!evaluated.ok()) {
      co_return OpenAiErrorResponse(503, "cannot read the user's properties: " + evaluated.status().message(),
                                    "", plan.request_id);
    }
    if (!evaluated->results.empty()) {
      const FlagResult& result = evaluated->results.front();
      plan.variant = result.variant ? *result.variant : (result.enabled ? "true" : "false");
      if (auto it = route->variants.find(plan.variant); it != route->variants.end()) reference = it->second;
    }
  }
  auto resolved = plan.catalog->Resolve(reference);
  auto fallback = plan.catalog->Resolve(route->default_model);
  if (!resolved.ok()) {
    if (!fallback.ok()) {
      co_return OpenAiErrorResponse(
          503, "route '" + plan.route + "' names no model that exists: " + resolved.status().message(),
          "model", plan.request_id);
    }
    resolved = fallback;  // a dangling variant reference serves the default
  }
  plan.model = resolved->version;
  plan.model_ref = resolved->reference;
  if (fallback.ok() && fallback->reference != plan.model_ref) {
    plan.fallback = fallback->version;
    plan.fallback_ref = fallback->reference;
  }
  co_return plan;
}

Result<outbound::OutboundRequest> UpstreamRequest(ServerContext& ctx, const registry::ModelVersion& model,
                                                  std::string_view path, std::string body, bool stream) {
  outbound::OutboundRequest request;
  std::string base = model.upstream.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  request.url = base + std::string(path);
  request.body = std::move(body);
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  if (!model.upstream.credential_env.empty()) {
    // Read at call time and never kept: rotating the variable needs no restart, and the secret
    // lives only in this request's headers.
    const char* secret = std::getenv(model.upstream.credential_env.c_str());
    if (secret == nullptr || *secret == '\0') {
      return Status::Unavailable("the model's credential variable " + model.upstream.credential_env +
                                 " is not set in the server's environment");
    }
    request.headers.emplace_back("Authorization", std::string("Bearer ") + secret);
  }
  request.timeouts = ctx.gateway->options().timeouts;
  request.retry = ctx.gateway->options().retry;
  return request;
}

bool FailedBeforeAnswer(const Result<outbound::OutboundResponse>& sent) {
  return !sent.ok() || sent->status == 429 || sent->status >= 500;
}

gateway::Prices PricesOf(const registry::ModelVersion& model) {
  return {model.prices.input_per_1m, model.prices.cached_input_per_1m, model.prices.output_per_1m};
}

void ReadWholeResponse(gateway::JsonParserPool& parsers, const registry::ModelVersion& model,
                       const outbound::OutboundResponse& response, CallResult& result) {
  result.status = response.status;
  result.attempts += response.attempts;
  gateway::ResponseSummary summary = gateway::SummarizeResponse(response.body, 256 * 1024, parsers);
  const bool ok_status = response.status >= 200 && response.status < 300;
  result.success = ok_status && summary.json_object;
  if (!result.success) {
    result.error_type = ok_status                ? "malformed_response"
                        : response.status == 429 ? "rate_limited"
                        : response.status >= 500 ? "upstream_5xx"
                                                 : "upstream_4xx";
  }
  if (summary.usage) {
    result.usage = summary.usage;
    result.cost = gateway::CostOf(*result.usage, PricesOf(model));
  }
  result.text_bytes = summary.text_bytes;
  result.text = std::move(summary.text);
}

void AddAssignmentHeaders(const CallPlan& plan, const CallResult& result, Response& response) {
  response.headers.emplace_back("X-Switchyard-Request-Id", plan.request_id);
  response.headers.emplace_back("X-Switchyard-Route", plan.route);
  response.headers.emplace_back("X-Switchyard-Variant", plan.variant);
  response.headers.emplace_back("X-Switchyard-Model",
                                result.model_ref.empty() ? plan.model_ref : result.model_ref);
  // The gateway already retried (or fell back): a client retrying too would multiply the load.
  if (result.attempts > 1 || result.fallback) response.headers.emplace_back("x-should-retry", "false");
}

gateway::CallOutcome OutcomeOf(const CallResult& result) {
  gateway::CallOutcome outcome;
  outcome.model = result.model_ref;
  outcome.success = result.success;
  outcome.latency_ms = Millis(GatewayClock::now() - result.started);
  if (result.usage) {
    outcome.input_tokens = result.usage->input;
    outcome.output_tokens = result.usage->output;
  }
  outcome.cost = result.cost;
  outcome.response_bytes = result.text_bytes;
  outcome.text = result.text;
  return outcome;
}

Response ClientGone(ServerContext& ctx, const CallPlan& plan, CallResult& result,
                    std::string_view event_name) {
  result.status = 499;
  result.success = false;
  result.error_type = kClientDisconnected;
  result.attempts = std::max(result.attempts, 1);
  RecordCall(ctx, plan, result, false, event_name);
  Response response = OpenAiErrorResponse(499, "the client closed the request", "", plan.request_id);
  AddAssignmentHeaders(plan, result, response);
  return response;
}

void RecordCall(ServerContext& ctx, const CallPlan& plan, const CallResult& result, bool shadow,
                std::string_view event_name, const nlohmann::json* extra) {
  const gateway::CallRecord call = CallRecordOf(plan, result, shadow, GatewayClock::now());
  if (ctx.gateway_metrics != nullptr) ctx.gateway_metrics->Record(call);
  QueueCallEvent(ctx, CallEventSourceOf(plan, event_name), call, extra);
}

void RecordCallAfterAnswer(ServerContext& ctx, const boost::asio::any_io_executor& executor,
                           const CallPlan& plan, const CallResult& result) {
  gateway::CallRecord call = CallRecordOf(plan, result, false, GatewayClock::now());
  if (ctx.gateway_metrics != nullptr) ctx.gateway_metrics->Record(call);
  boost::asio::post(executor, [&ctx, source = CallEventSourceOf(plan, {}), call = std::move(call)] {
    QueueCallEvent(ctx, source, call, nullptr);
  });
}

}  // namespace switchyard::server
