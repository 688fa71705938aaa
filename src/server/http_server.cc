#include "server/http_server.h"

#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "server/http_session.h"
#include "server/server_metrics.h"

namespace switchyard::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class HttpServer::Impl : public SessionHost, public std::enable_shared_from_this<HttpServer::Impl> {
 public:
  Impl(HttpLimits server_limits, RequestHandler request_handler)
      : acceptor_(ioc_), signals_(ioc_, SIGINT, SIGTERM), deadline_(ioc_) {
    limits = server_limits;
    handler = std::move(request_handler);
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

  void Run(int threads) {
    signals_.async_wait([self = shared_from_this()](boost::system::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("received signal {}; shutting down", signal);
      self->Shutdown();
    });
    Accept();
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : pool) t.join();
  }

  ServerMetrics* metrics = nullptr;

  void Shutdown() {
    net::post(ioc_, [self = shared_from_this()] { self->BeginShutdown(); });
  }

  void OnSessionEnd(HttpSession* session) override {
    if (metrics != nullptr) metrics->OnConnectionClosed();
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
    if (stopping && sessions_.empty()) deadline_.cancel();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                             if (ec == net::error::operation_aborted || self->stopping) return;
                             if (!ec) self->StartSession(std::move(socket));
                             self->Accept();
                           });
  }

  void StartSession(tcp::socket socket) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<HttpSession>(std::move(socket), shared_from_this());
    if (metrics != nullptr) metrics->OnConnectionOpened();
    bool reject = false;
    {
      std::lock_guard lock(mutex_);
      reject = sessions_.size() >= limits.max_connections;
      sessions_.emplace(session.get(), session);
    }
    if (reject) {
      session->Reject();
    } else {
      session->Start();
    }
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    CloseSessions(false);
    std::lock_guard lock(mutex_);
    if (sessions_.empty()) return;
    deadline_.expires_after(limits.shutdown_timeout);
    deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;  // every session ended in time
      spdlog::warn("shutdown deadline passed; closing the remaining connections");
      self->CloseSessions(true);
    });
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

  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  net::steady_timer deadline_;
  std::mutex mutex_;
  std::unordered_map<HttpSession*, std::weak_ptr<HttpSession>> sessions_;
};

HttpServer::HttpServer(HttpLimits limits, RequestHandler handler)
    : impl_(std::make_shared<Impl>(limits, std::move(handler))) {}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Listen(const std::string& host, int port) {
  return impl_->Listen(host, port);
}

void HttpServer::SetMetrics(ServerMetrics* metrics) {
  impl_->metrics = metrics;
}

void HttpServer::Run(int threads) {
  impl_->Run(threads);
}

void HttpServer::Shutdown() {
  impl_->Shutdown();
}

}  // namespace switchyard::server
