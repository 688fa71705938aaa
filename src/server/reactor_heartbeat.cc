#include "server/reactor_heartbeat.h"

#include <boost/asio/post.hpp>

namespace switchyard::server {

ReactorHeartbeat::ReactorHeartbeat(boost::asio::io_context& lane, std::chrono::milliseconds period)
    : lane_(lane), timer_(lane), period_(period) {}

void ReactorHeartbeat::Start() {
  Arm();
}

void ReactorHeartbeat::Stop() {
  stopped_.store(true);
  // The timer is only touched on its lane: a cancel from another thread would race Arm.
  boost::asio::post(lane_, [this] { timer_.cancel(); });
}

void ReactorHeartbeat::Arm() {
  if (stopped_.load()) return;
  timer_.expires_after(period_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    beats_.fetch_add(1, std::memory_order_relaxed);
    Arm();
  });
}

}  // namespace switchyard::server
