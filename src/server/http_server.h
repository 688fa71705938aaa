// HttpServer: Boost.Beast/Asio transport. Accepts connections, reads requests within limits and
// hands each to the request pipeline (a coroutine: the Router's HandleAsync), then writes the
// response, whole or streamed, with keep-alive.
//
// Threads: one io_context per I/O thread (`threads`, the caller of Run() included); each
// connection is one coroutine on one of them, dealt out in turn, so a session's steps never run
// concurrently.
// A request suspends (without holding an I/O thread) while its handler awaits the worker pool,
// an upstream or a timer.
// Defences (each in docs/API.md "Limits"): a header timeout for connections that have not sent a
// whole request head; near max_connections the oldest idle keep-alive connections are closed to
// admit new ones; optional per-address connection cap and request rate; a bound on the bytes
// buffered per connection (head buffer, body limit per route) and in total across connections
// (past it: 503 + Retry-After); strict framing (Transfer-Encoding other than `chunked`, both
// Transfer-Encoding and Content-Length, a missing or repeated Host: 400 and close). No exception
// from parsing or handling escapes a session.
// Shutdown: Shutdown() (thread-safe; SIGTERM/SIGINT call it) stops accepting, lets requests in
// flight finish and be answered, closes idle keep-alive connections, and Run() returns once all
// connections are gone or after `shutdown_timeout`.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "server/http_message.h"
#include "switchyard/status.h"

namespace switchyard::server {

struct HttpLimits {
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;  // default; routes may set their own
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_address = 0;         // 0: no cap (proxies share an address)
  double rate_limit_per_address = 0;                   // requests/s per client address; 0: off
  std::size_t max_buffered_bytes = 256 * 1024 * 1024;  // request + response bytes held, all connections
  std::chrono::seconds header_timeout{10};   // a new connection, or a started request head, must complete
  std::chrono::seconds idle_timeout{60};     // a keep-alive connection with no request
  std::chrono::seconds request_timeout{30};  // reading one body / writing one response (or stream piece)
  std::chrono::seconds shutdown_timeout{10};
};

// What the transport calls. `body_rules` is asked once a head announcing a body is read, before
// the body is: its limit, and whether the handler streams it (then Request::body_source is set
// and the body is read only as the handler asks for it).
struct HttpHandlers {
  std::function<BodyRules(std::string_view method, std::string_view path)> body_rules;
  std::function<boost::asio::awaitable<Response>(Request)> handle;
  // Optional fast path: the answer when it needs no suspension (then `handle` is not called),
  // else nullopt and `request` untouched. Spares the pipeline's coroutine for cheap requests.
  std::function<std::optional<Response>(Request& request)> handle_inline;
};

class ServerMetrics;

class HttpServer {
 public:
  HttpServer(HttpLimits limits, HttpHandlers handlers, int threads = 1);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the bound port (useful with port 0).
  Result<int> Listen(const std::string& host, int port);
  // Before Run: open connections are then counted there.
  void SetMetrics(ServerMetrics* metrics);
  // Serves until shut down. Installs SIGINT/SIGTERM handlers that call Shutdown().
  void Run();
  void Shutdown();
  // The io_contexts Run() serves, each on one thread: what the outbound client (upstream calls of
  // the gateway) runs on, so an upstream's answer resumes its request on the same thread without
  // a hop. Objects bound to them must be destroyed before the server.
  std::vector<boost::asio::io_context*> io_contexts();

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace switchyard::server
