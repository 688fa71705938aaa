// POST /api/v1/routes/{route}/invoke: the gateway for models that are not chat models (a
// scheduling policy network, a ranker): {user_id, params} goes as JSON to the endpoint of the
// model the user's variant maps to; the answer is the model's JSON plus the assignment. Numeric
// fields of the model's answer (e.g. `makespan`) are recorded on the call's event
// ($model_invocation), so an experiment can use them as metrics with no client code.
#include <algorithm>
#include <utility>

#include "core/bounded_json.h"
#include "core/known_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/gateway_call.h"
#include "server/gateway_service.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

constexpr std::size_t kMaxInvokeBodyBytes = 1024 * 1024;
// Numeric outputs recorded per call: enough for any policy's metrics, bounded so an upstream's
// huge answer cannot make huge events.
constexpr std::size_t kMaxRecordedOutputs = 32;

nlohmann::json NumericOutputs(const nlohmann::json& answer) {
  nlohmann::json out = nlohmann::json::object();
  if (!answer.is_object()) return out;
  for (auto it = answer.begin(); it != answer.end() && out.size() < kMaxRecordedOutputs; ++it) {
    if (it.value().is_number() && it.key().size() <= 64 && !it.key().starts_with("$"))
      out[it.key()] = it.value();
  }
  return out;
}

net::awaitable<Response> Invoke(ServerContext& ctx, RequestContext& req) {
  const GatewayClock::time_point started = GatewayClock::now();
  if (ctx.gateway == nullptr || ctx.models == nullptr)
    co_return ErrorResponse(Status::Unavailable("the model gateway is not running in this server"));
  auto body = ObjectBody(req);
  if (!body.ok()) co_return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", core::kInvokeFields); !s.ok()) co_return ErrorResponse(s);
  std::string user;
  if (auto it = body->find("user_id"); it != body->end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().size() > 400)
      co_return ErrorResponse(
          Status::InvalidArgument("user_id must be a string of at most 400 bytes", "user_id"));
    user = it->get<std::string>();
  }
  nlohmann::json params = nlohmann::json::object();
  if (auto it = body->find("params"); it != body->end() && !it->is_null()) params = *it;

  auto plan_call = PlanCall(ctx, req.principal(), req.Param("route"), std::move(user));
  auto planned = co_await std::move(plan_call);
  if (auto* error = std::get_if<Response>(&planned)) co_return std::move(*error);
  CallPlan plan = std::move(std::get<CallPlan>(planned));

  CallResult result;
  result.started = started;
  result.model_ref = plan.model_ref;
  const registry::ModelVersion* model = plan.model;
  std::optional<outbound::OutboundResponse> answer;
  for (int round = 0; round < 2 && !answer; ++round) {
    const bool last = round == 1 || plan.fallback == nullptr;
    auto upstream = UpstreamRequest(ctx, *model, "", params.dump(), false);
    if (upstream.ok()) {
      result.overhead_us = std::chrono::duration<double, std::micro>(GatewayClock::now() - started).count();
      upstream->cancel = req.request().cancel;
      auto send = ctx.gateway->client().Send(std::move(*upstream));
      auto sent = co_await std::move(send);
      if (!sent.ok() && sent.status().code() == StatusCode::kCancelled) {
        co_return ClientGone(ctx, plan, result, "$model_invocation");
      }
      if (!FailedBeforeAnswer(sent) || (last && sent.ok())) {
        answer = std::move(*sent);
        break;
      }
      result.attempts += sent.ok() ? sent->attempts : 1;
      result.error_type = sent.ok() ? "upstream_5xx" : "connect";
    } else {
      result.error_type = "credential_missing";
    }
    if (last) break;
    model = plan.fallback;
    result.model_ref = plan.fallback_ref;
    result.fallback = true;
  }
  if (!answer) {
    RecordCall(ctx, plan, result, false, "$model_invocation");
    Response response = OpenAiErrorResponse(502, "the model's endpoint did not answer", "", plan.request_id);
    AddAssignmentHeaders(plan, result, response);
    co_return response;
  }
  result.status = answer->status;
  result.attempts += answer->attempts;
  Result<nlohmann::json> parsed = core::ParseBoundedJson(answer->body);
  result.success = answer->status >= 200 && answer->status < 300 && parsed.ok();
  if (!result.success) result.error_type = parsed.ok() ? "upstream_status" : "malformed_response";
  const nlohmann::json outputs = parsed.ok() ? NumericOutputs(parsed.value()) : nlohmann::json::object();
  RecordCall(ctx, plan, result, false, "$model_invocation", &outputs);
  if (!parsed.ok()) {
    Response response =
        OpenAiErrorResponse(502, "the model's endpoint answered with malformed JSON", "", plan.request_id);
    AddAssignmentHeaders(plan, result, response);
    co_return response;
  }
  Response response = JsonResponse(result.success ? 200 : 502, {{"result", std::move(parsed).value()},
                                                                {"status", answer->status},
                                                                {"assignment",
                                                                 {{"route", plan.route},
                                                                  {"experiment", plan.experiment},
                                                                  {"variant", plan.variant},
                                                                  {"model", result.model_ref},
                                                                  {"user_id", plan.user},
                                                                  {"fallback", result.fallback}}},
                                                                {"request_id", plan.request_id}});
  AddAssignmentHeaders(plan, result, response);
  co_return response;
}

}  // namespace

void RegisterInvokeRoutes(Router& router, ServerContext& ctx) {
  RoutePolicy policy;
  policy.execution = Execution::kAsync;
  policy.max_body_bytes = kMaxInvokeBodyBytes;
  policy.cancel_on_disconnect = true;
  router.AddAsync(
      "POST", "/api/v1/routes/{route}/invoke", Access::kProject,
      "Gateway: invoke a route's JSON model for a user ({user_id, params}); the answer and the assignment",
      policy, [&ctx](RequestContext& req) { return Invoke(ctx, req); });
}

}  // namespace switchyard::server
