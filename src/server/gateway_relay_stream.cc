#include "server/gateway_relay_stream.h"

#include <utility>

#include "gateway/openai_error.h"

namespace switchyard::server {

GatewayRelayStream::GatewayRelayStream(ServerContext& ctx, CallPlan plan, CallResult result,
                                       std::unique_ptr<outbound::OutboundStream> upstream,
                                       bool hide_usage_chunk, std::function<void(const CallResult&)> on_done)
    : ctx_(ctx),
      plan_(std::move(plan)),
      result_(std::move(result)),
      upstream_(std::move(upstream)),
      relay_(hide_usage_chunk),
      on_done_(std::move(on_done)) {}

GatewayRelayStream::~GatewayRelayStream() {
  // The transport dropped the stream without finishing it (the server stopping).
  if (!finished_) Finish(false, "cancelled");
}

boost::asio::awaitable<std::optional<std::string>> GatewayRelayStream::Next() {
  while (!ended_) {
    auto piece = co_await upstream_->Next();
    if (finished_) co_return std::nullopt;  // cancelled while waiting
    if (!piece.ok()) {
      // Broken mid-stream: the client has had only whole events; it gets an error event, as
      // OpenAI sends one, instead of a stream that just stops.
      ended_ = true;
      Finish(false, "stream_broken");
      co_return "data: " +
          gateway::OpenAiErrorBody("the upstream stream broke: " + piece.status().message(), "api_error") +
          "\n\n";
    }
    if (!piece->has_value()) {
      ended_ = true;
      std::string rest = relay_.Finish();
      const bool success = relay_.done() && !relay_.error();
      Finish(success, success ? "" : relay_.error() ? "upstream_error_event" : "stream_incomplete");
      if (rest.empty()) co_return std::nullopt;
      co_return rest;
    }
    std::string out = relay_.Feed(**piece, GatewayClock::now());
    if (!out.empty()) co_return out;
  }
  co_return std::nullopt;
}

void GatewayRelayStream::Cancel() {
  if (finished_) return;
  ended_ = true;
  upstream_->Cancel();
  Finish(false, "client_disconnected");
}

void GatewayRelayStream::Finish(bool success, std::string error_type) {
  if (finished_) return;
  finished_ = true;
  result_.success = success;
  result_.error_type = std::move(error_type);
  result_.first_token_at = relay_.first_token_at();
  result_.usage = relay_.usage();
  if (result_.usage && plan_.model != nullptr) {
    const registry::ModelVersion& model =
        result_.fallback && plan_.fallback != nullptr ? *plan_.fallback : *plan_.model;
    result_.cost = gateway::CostOf(*result_.usage, PricesOf(model));
  }
  result_.text = relay_.content();
  result_.text_bytes = relay_.content_bytes();
  RecordCall(ctx_, plan_, result_, /*shadow=*/false);
  if (on_done_) on_done_(result_);
}

}  // namespace switchyard::server
