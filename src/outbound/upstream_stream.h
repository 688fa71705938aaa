// UpstreamStream: the OutboundStream of a response whose head has arrived; reads its body piece
// by piece on the connection's executor, and returns the connection to the pool when the body ends.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "outbound/connection_pool.h"
#include "outbound/exchange.h"
#include "outbound/outbound_client.h"

namespace switchyard::outbound {

class UpstreamStream final : public OutboundStream {
 public:
  UpstreamStream(ExchangeResult head, std::shared_ptr<ConnectionPool> pool, const ExchangePlan& plan,
                 int attempts);
  ~UpstreamStream() override;

  int status() const override { return status_; }
  const Headers& headers() const override { return headers_; }
  int attempts() const override { return attempts_; }
  boost::asio::awaitable<Result<std::optional<std::string>>> Next() override;
  void Cancel() override;

  // Shared with work posted to the connection's executor, which may run after this is gone.
  struct Flags {
    std::atomic<bool> cancelled{false};
    std::atomic<bool> released{false};  // the body ended and the connection went back to the pool
  };

 private:
  const int status_;
  const Headers headers_;
  const int attempts_;
  std::shared_ptr<UpstreamConnection> connection_;
  std::shared_ptr<ConnectionPool> pool_;
  std::shared_ptr<Flags> flags_ = std::make_shared<Flags>();
  const std::string origin_;
  const Timeouts timeouts_;
  const Clock::time_point deadline_;
  bool ended_ = false;
};

}  // namespace switchyard::outbound
