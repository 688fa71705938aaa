// HttpServer: Boost.Beast/Asio transport. Accepts connections, reads requests within limits,
// hands each to a RequestHandler (the Router) and writes the response, with keep-alive.
//
// Threads: Run() runs the io_context on `threads` threads (the caller's included); each
// connection lives on its own strand, so a session's handlers never run concurrently. Handlers
// run on the I/O threads and must not block for long (store reads are fine; nothing waits on the
// network).
// Shutdown: Shutdown() (thread-safe; SIGTERM/SIGINT call it) stops accepting, lets requests in
// flight finish and be answered, closes idle keep-alive connections, and Run() returns once all
// connections are gone or after `shutdown_timeout`.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "server/http_message.h"
#include "switchyard/status.h"

namespace switchyard::server {

struct HttpLimits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_connections = 10000;
  std::chrono::seconds idle_timeout{60};     // a keep-alive connection with no request
  std::chrono::seconds request_timeout{30};  // reading one request / writing one response
  std::chrono::seconds shutdown_timeout{10};
};

using RequestHandler = std::function<Response(const Request&)>;
class ServerMetrics;

class HttpServer {
 public:
  HttpServer(HttpLimits limits, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the bound port (useful with port 0).
  Result<int> Listen(const std::string& host, int port);
  // Before Run: open connections are then counted there.
  void SetMetrics(ServerMetrics* metrics);
  // Serves until shut down. Installs SIGINT/SIGTERM handlers that call Shutdown().
  void Run(int threads);
  void Shutdown();

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace switchyard::server
