// GatewayRelayStream: a streamed model answer passed to the client chunk by chunk. Each Next
// reads the upstream until the SSE relay has whole events to forward, so the client gets every
// chunk as soon as it is complete and the upstream is read only as fast as the client reads
// (backpressure through the transport). The call is recorded exactly once: at the end of the
// stream, when it breaks, or when the client goes away (Cancel closes the upstream connection).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gateway/sse_relay.h"
#include "outbound/outbound_client.h"
#include "server/gateway_call.h"
#include "server/response_stream.h"

namespace switchyard::server {

class GatewayRelayStream : public ResponseStream {
 public:
  // `on_done` runs once with the finished result (after recording), e.g. to pair a shadow.
  GatewayRelayStream(ServerContext& ctx, CallPlan plan, CallResult result,
                     std::unique_ptr<outbound::OutboundStream> upstream, bool hide_usage_chunk,
                     std::function<void(const CallResult&)> on_done);
  ~GatewayRelayStream() override;

  boost::asio::awaitable<std::optional<std::string>> Next() override;
  void Cancel() override;

 private:
  void Finish(bool success, std::string error_type);

  ServerContext& ctx_;
  CallPlan plan_;
  CallResult result_;
  std::unique_ptr<outbound::OutboundStream> upstream_;
  gateway::SseRelay relay_;
  std::function<void(const CallResult&)> on_done_;
  bool finished_ = false;
  bool ended_ = false;  // nothing more to send
};

}  // namespace switchyard::server
