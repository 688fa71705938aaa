#include "server/http_server.h"

#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/thread_name.h"
#include "server/http_session.h"
#include "server/rate_limiter.h"
#include "server/reactor_heartbeat.h"
#include "server/server_metrics.h"

namespace switchyard::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class HttpServer::Impl : public SessionHost, public std::enable_shared_from_this<HttpServer::Impl> {
 public:
  Impl(HttpLimits server_limits, HttpHandlers request_handlers, int threads)
      : SessionHost(server_limits, std::move(request_handlers)),
        lanes_(MakeLanes(threads)),
        acceptor_(*lanes_[0]),
        signals_(*lanes_[0], SIGINT, SIGTERM),
        deadline_(*lanes_[0]) {
    for (auto& lane : lanes_) {
      keep_running_.emplace_back(lane->get_executor());
      heartbeats_.push_back(std::make_unique<ReactorHeartbeat>(*lane, kHeartbeatPeriod));
    }
    if (limits.rate_limit_per_address > 0) {
      address_limiter_ =
          std::make_unique<RateLimiter>(limits.rate_limit_per_address, limits.rate_limit_per_address);
    }
  }

  Result<int> Listen(const std::string& host, int port) {
    boost::system::error_code ec;
    auto address = net::ip::make_address(host, ec);
    if (ec) return Status::InvalidArgument("'" + host + "' is not an IP address", "listen");
    tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::Unavailable("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                                 ec.message());
    }
    return static_cast<int>(acceptor_.local_endpoint().port());
  }

  std::vector<net::io_context*> lanes() const {
    std::vector<net::io_context*> lanes;
    for (const auto& lane : lanes_) lanes.push_back(lane.get());
    return lanes;
  }

  void Run() {
    signals_.async_wait([self = shared_from_this()](boost::system::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("received signal {}; shutting down", signal);
      self->Shutdown();
    });
    Accept();
    for (auto& heartbeat : heartbeats_) heartbeat->Start();
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < lanes_.size(); ++i)
      pool.emplace_back([this, i] {
        NameThisThread("sy-io-" + std::to_string(i));  // lane 0 is the caller's thread, named by it
        RunLoop(*lanes_[i]);
      });
    RunLoop(*lanes_[0]);
    for (auto& t : pool) t.join();
  }

  void Shutdown() {
    net::post(*lanes_[0], [self = shared_from_this()] { self->BeginShutdown(); });
  }

  void OnSessionEnd(HttpSession* session) override {
    if (metrics != nullptr) metrics->OnConnectionClosed();
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
    auto it = per_address_.find(session->address());
    if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
    if (stopping && sessions_.empty()) {
      deadline_.cancel();
      ReleaseLanesLocked();
    }
  }

  bool AllowRequestFrom(const std::string& address, int* retry_after) override {
    if (!address_limiter_) return true;
    return address_limiter_->Allow(address, RateLimiter::Clock::now(), retry_after);
  }

 private:
  // Asio lets an exception thrown inside a completion handler escape run(); the handler's
  // operation is already gone by then, so serving the other connections can simply go on.
  void RunLoop(net::io_context& lane) {
    for (;;) {
      try {
        lane.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("an I/O handler threw ({}); its connection was dropped, serving on", e.what());
      }
    }
  }

  // One io_context per I/O thread: a session's steps then never run concurrently without a
  // strand. A strand's executor (24 bytes) does not fit any_io_executor's 16-byte inline buffer
  // in Boost 1.74, so each of the ~40 executor copies Asio and Beast make per request was a heap
  // allocation; an io_context's (8 bytes) fits. Connections are dealt out in turn.
  static std::vector<std::unique_ptr<net::io_context>> MakeLanes(int threads) {
    std::vector<std::unique_ptr<net::io_context>> lanes;
    for (int i = 0; i < std::max(threads, 1); ++i) lanes.push_back(std::make_unique<net::io_context>(1));
    return lanes;
  }

  net::io_context& NextLane() { return *lanes_[next_lane_++ % lanes_.size()]; }

  void Accept() {
    acceptor_.async_accept(NextLane(),
                           [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || self->stopping) return;
                             if (!ec) self->StartSession(std::move(socket));
                             self->Accept();
                           });
  }

  void StartSession(tcp::socket socket) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    auto remote = socket.remote_endpoint(ec);
    std::string address = ec ? std::string("unknown") : remote.address().to_string();
    auto session = std::make_shared<HttpSession>(std::move(socket), shared_from_this(), address);
    if (metrics != nullptr) metrics->OnConnectionOpened();
    std::string refusal;
    // Sessions looked at while the lock is held are released after it: a last reference dropped
    // under the lock would run OnSessionEnd, which takes it again.
    std::vector<std::shared_ptr<HttpSession>> looked_at;
    {
      std::lock_guard lock(mutex_);
      std::size_t& from_address = per_address_[address];
      if (limits.max_connections_per_address != 0 && from_address >= limits.max_connections_per_address) {
        refusal = "too many connections from this address; retry shortly";
      } else if (sessions_.size() >= limits.max_connections && !EvictOldestIdleLocked(&looked_at)) {
        refusal = "too many connections; retry shortly";
      }
      ++from_address;
      sessions_.emplace(session.get(), session);
    }
    if (!refusal.empty()) {
      session->Reject(refusal);
    } else {
      session->Start();
    }
  }

  // Full: close the connection that has waited longest for its next request, so that idle
  // keep-alive (or never-speaking) connections cannot lock everyone else out.
  bool EvictOldestIdleLocked(std::vector<std::shared_ptr<HttpSession>>* looked_at) {
    std::shared_ptr<HttpSession> oldest;
    std::int64_t oldest_since = std::numeric_limits<std::int64_t>::max();
    for (auto& [_, weak] : sessions_) {
      auto session = weak.lock();
      if (!session) continue;
      looked_at->push_back(session);
      if (!session->idle() || session->idle_since() >= oldest_since) continue;
      oldest = std::move(session);
      oldest_since = oldest->idle_since();
    }
    looked_at->push_back(oldest);
    if (!oldest || !oldest->ClaimForEviction()) return false;
    oldest->CloseIfIdle(false);
    return true;
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    CloseSessions(false);
    // The lanes keep running until the last session has ended (or the deadline has passed):
    // CloseSessions posts to each session's lane, and a post to a lane whose run() had already
    // returned would never run, keeping its session, and the shutdown, waiting. Released, each
    // lane's run() returns once its last work (an upstream call, a shadow) is done.
    std::lock_guard lock(mutex_);
    if (sessions_.empty()) {
      ReleaseLanesLocked();
      return;
    }
    deadline_.expires_after(limits.shutdown_timeout);
    deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;  // every session ended in time
      spdlog::warn("shutdown deadline passed; closing the remaining connections");
      self->CloseSessions(true);  // posted before the lanes are released: they run
      std::lock_guard held(self->mutex_);
      self->ReleaseLanesLocked();
    });
  }

  // Each lane's run() returns once its remaining work is done. Called with mutex_ held.
  void ReleaseLanesLocked() {
    keep_running_.clear();
    for (auto& heartbeat : heartbeats_) heartbeat->Stop();
  }

  void CloseSessions(bool force) {
    std::vector<std::shared_ptr<HttpSession>> live;
    {
      std::lock_guard lock(mutex_);
      for (auto& [_, weak] : sessions_) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->CloseIfIdle(force);
  }

  std::unique_ptr<RateLimiter> address_limiter_;
  std::vector<std::unique_ptr<net::io_context>> lanes_;
  // Until shutdown has closed every session: a lane with no connection must not return from
  // run(). Guarded by mutex_ once Run has started.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running_;
  // One per lane: see reactor_heartbeat.h. A second is shorter than every default timeout
  // (header 10 s, request 30 s, the upstream's connect 2 s).
  static constexpr std::chrono::milliseconds kHeartbeatPeriod{1000};
  std::vector<std::unique_ptr<ReactorHeartbeat>> heartbeats_;
  std::size_t next_lane_ = 0;  // only the accept loop (on lane 0) touches it
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer deadline_;
  std::mutex mutex_;
  std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions_;
  std::unordered_map<std::string, std::size_t> per_address_;
};

HttpServer::HttpServer(HttpLimits limits, HttpHandlers handlers, int threads)
    : impl_(std::make_shared<Impl>(limits, std::move(handlers), threads)) {}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Listen(const std::string& host, int port) {
  return impl_->Listen(host, port);
}

void HttpServer::SetMetrics(ServerMetrics* metrics) {
  impl_->metrics = metrics;
}

void HttpServer::Run() {
  impl_->Run();
}

void HttpServer::Shutdown() {
  impl_->Shutdown();
}

std::vector<net::io_context*> HttpServer::io_contexts() {
  return impl_->lanes();
}

}  // namespace switchyard::server
