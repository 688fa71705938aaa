// ReactorHeartbeat: a timer that fires every `period` on one io_context until stopped, so that the
// io_context always has a deadline at most `period` away.
//
// Why: Asio's epoll reactor reprograms its timerfd (one timerfd_settime system call) whenever a
// newly scheduled timer becomes the earliest of its io_context. Beast arms a timer for each read
// and write with a timeout, so a gateway call (the client's request, the upstream's write and
// read) made ~1.9 of these calls; on a quiet server each new timer was the earliest. With a
// deadline never more than a period away, a timeout of a period or longer is never the
// earliest, and the timerfd is reprogrammed about twice per period (when the heartbeat fires,
// and when it re-arms) rather than per operation. Shorter timeouts still work; they just
// reprogram it as before.
#pragma once

#include <atomic>
#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace switchyard::server {

class ReactorHeartbeat {
 public:
  ReactorHeartbeat(boost::asio::io_context& lane, std::chrono::milliseconds period);
  ReactorHeartbeat(const ReactorHeartbeat&) = delete;
  ReactorHeartbeat& operator=(const ReactorHeartbeat&) = delete;

  // Before the lane runs, or on its thread.
  void Start();
  // From any thread. The lane keeps work until the posted cancel has run there; the heartbeat
  // must outlive the lane's run().
  void Stop();

  // Times the timer has fired (for tests).
  int beats() const { return beats_.load(std::memory_order_relaxed); }

 private:
  void Arm();

  boost::asio::io_context& lane_;
  boost::asio::steady_timer timer_;
  const std::chrono::milliseconds period_;
  std::atomic<bool> stopped_{false};
  std::atomic<int> beats_{0};
};

}  // namespace switchyard::server
