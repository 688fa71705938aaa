// One model call through the gateway, from request to record: where it goes (the route, the
// user's assignment, the model and its fallback) and what it gave, recorded once as a metric
// sample and an event ($ai_generation, so the built-in model metrics of experiments work with no
// client code; shadows as $ai_shadow_generation, so they never count in the user's results).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "gateway/json_parser_pool.h"
#include "gateway/shadow_comparison.h"
#include "gateway/usage.h"
#include "outbound/outbound_client.h"
#include "registry/model_catalog.h"
#include "server/api_key.h"
#include "server/http_message.h"
#include "server/server_context.h"

namespace switchyard::server {

using GatewayClock = std::chrono::steady_clock;

struct CallPlan {
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;
  std::string route;
  std::string experiment;  // "" when the flag is in no running experiment
  std::string variant;     // the flag's value: a variant key, "true" or "false"
  std::string user;
  bool user_is_request_id = false;
  std::string request_id;
  std::shared_ptr<const registry::CatalogSnapshot> catalog;  // keeps the model pointers alive
  const registry::ModelVersion* model = nullptr;
  std::string model_ref;                             // name@version
  const registry::ModelVersion* fallback = nullptr;  // the route's default, when it differs
  std::string fallback_ref;
  std::optional<registry::ShadowConfig> shadow;  // the route's, copied
};

// What a call gave, filled in as it goes.
struct CallResult {
  std::string model_ref;  // the model that answered (the fallback's after a fallback)
  int status = 0;
  bool success = false;
  std::string error_type;
  GatewayClock::time_point started;
  std::optional<GatewayClock::time_point> first_token_at;
  std::optional<gateway::TokenUsage> usage;
  double cost = 0;
  bool fallback = false;
  int attempts = 0;
  double overhead_us = 0;
  std::string text;  // the generated text (bounded), for shadow pairing
  std::size_t text_bytes = 0;
};

// The answer in OpenAI's error format, with the request id.
Response OpenAiErrorResponse(int status, std::string_view message, std::string_view param,
                             const std::string& request_id, std::string_view code = {});

// The route, the user's assignment and the model; an OpenAI-style error response otherwise.
// `user` empty: the request id stands in (and is recorded as such).
boost::asio::awaitable<std::variant<CallPlan, Response>> PlanCall(ServerContext& ctx,
                                                                  const Principal& principal,
                                                                  std::string_view route_key,
                                                                  std::string user);

// The upstream request for `model` (its base URL + `path`, its credential, `body`).
Result<outbound::OutboundRequest> UpstreamRequest(ServerContext& ctx, const registry::ModelVersion& model,
                                                  std::string_view path, std::string body, bool stream);

// Upstream gave up (429/5xx after its retries) or never answered: worth the fallback.
bool FailedBeforeAnswer(const Result<outbound::OutboundResponse>& sent);

// Fills usage, cost, success and text from a whole (non-streamed) upstream response.
void ReadWholeResponse(gateway::JsonParserPool& parsers, const registry::ModelVersion& model,
                       const outbound::OutboundResponse& response, CallResult& result);

// The response headers every gateway answer carries.
void AddAssignmentHeaders(const CallPlan& plan, const CallResult& result, Response& response);

// The error_type of a call its client abandoned.
inline constexpr char kClientDisconnected[] = "client_disconnected";

// The client closed its connection while the upstream call ran: the call was abandoned (its
// upstream connection closed), no fallback follows, and the record (event `event_name`, default
// the gateway's) says why it has no answer: status 499, `client_disconnected`. A shadow pair is
// left without its baseline by the caller: an abandoned call is no measure of the model.
Response ClientGone(ServerContext& ctx, const CallPlan& plan, CallResult& result,
                    std::string_view event_name = {});

// Records the call: metrics and the event (queued for the pipeline).
// `extra`: more event properties (generic invoke's numeric outputs); the call's own win a clash.
void RecordCall(ServerContext& ctx, const CallPlan& plan, const CallResult& result, bool shadow,
                std::string_view event_name = {}, const nlohmann::json* extra = nullptr);

// As RecordCall (not a shadow, the gateway's event), for a call whose answer the handler is about
// to return. The metrics are recorded now, so whoever reads them after the answer sees the call.
// The event, whose properties are most of the recording's cost, is posted to `executor`: the
// session starts writing the answer as soon as the handler returns (Asio tries the send at once),
// and the lane runs posted work before it polls again, so the event is queued microseconds later
// and off the caller's critical path. A server that stops runs its lanes' posted work first.
void RecordCallAfterAnswer(ServerContext& ctx, const boost::asio::any_io_executor& executor,
                           const CallPlan& plan, const CallResult& result);

gateway::Prices PricesOf(const registry::ModelVersion& model);

gateway::CallOutcome OutcomeOf(const CallResult& result);

}  // namespace switchyard::server
