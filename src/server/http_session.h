// One HTTP connection as one coroutine: read a request head, check its framing, read its body
// within the route's limit, run the request pipeline, write the response (whole or streamed),
// repeat while keep-alive. Internal to http_server.cc; lives on its own strand.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/byte_budget.h"
#include "server/http_server.h"
#include "server/response_stream.h"

namespace switchyard::server {

class HttpSession;

// What sessions need from the server, shared so that it outlives every session.
class SessionHost {
 public:
  SessionHost(HttpLimits server_limits, HttpHandlers request_handlers)
      : limits(server_limits),
        handlers(std::move(request_handlers)),
        budget(server_limits.max_buffered_bytes) {}
  virtual ~SessionHost() = default;

  const HttpLimits limits;
  const HttpHandlers handlers;
  ByteBudget budget;
  std::atomic<bool> stopping{false};
  ServerMetrics* metrics = nullptr;  // optional; set before serving

  virtual void OnSessionEnd(HttpSession* session) = 0;
  // Per-address request rate (when configured): false = answer 429 with `retry_after` seconds.
  virtual bool AllowRequestFrom(const std::string& address, int* retry_after) = 0;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SessionHost> host, std::string address);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void Start();
  // Answers 503 (too many connections) and closes, without reading a request.
  void Reject(std::string message);
  // Called (on any thread) at shutdown: closes the connection if it is waiting for a request,
  // or in any case when `force` is set (the shutdown deadline passed).
  void CloseIfIdle(bool force);

  // For the server's choice of whom to close when full: waiting for a request since when.
  bool idle() const { return idle_.load(std::memory_order_relaxed); }
  std::int64_t idle_since() const { return idle_since_.load(std::memory_order_relaxed); }
  // Marks the session as chosen for eviction; false when it already was.
  bool ClaimForEviction() { return !evicting_.exchange(true); }
  const std::string& address() const { return address_; }

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  boost::asio::awaitable<void> Run();
  // Serves one request; false when the connection must close afterwards.
  boost::asio::awaitable<bool> ServeOne(bool first);
  boost::asio::awaitable<bool> Write(Response response, unsigned version, bool keep_alive);
  // The head (into head_text_) and body of a whole response, ready for one write.
  std::array<boost::asio::const_buffer, 2> Serialize(const Response& response, unsigned version,
                                                     bool keep_alive);
  boost::asio::awaitable<void> WriteStream(Response response, unsigned version);
  // After an error answered before the whole request was read: stop sending, discard what the
  // client still sends (bounded), then close, so the client reads our answer, not a reset.
  boost::asio::awaitable<void> LingerAndClose();
  // Reads the socket while a stream is written; EOF or a reset means the client is gone.
  boost::asio::awaitable<void> WatchDisconnect(std::shared_ptr<ResponseStream> stream);
  // While a handler runs (routes with cancel_on_disconnect): waits for the socket to become
  // readable and peeks. EOF or a reset requests the stop of the request's cancel token; bytes of
  // a pipelined next request end the watch and stay unread for it. A completion handler, not a
  // coroutine: it runs for every gateway call, and a coroutine frame per call costs more.
  struct HandlerWatch {
    std::stop_source stop;
    bool handler_done = false;  // both flags are touched on the session's strand only
    bool waiting = false;
  };
  void WatchWhileHandling(std::shared_ptr<HandlerWatch> watch);
  void OnReadableWhileHandling(std::shared_ptr<HandlerWatch> watch, const boost::beast::error_code& ec);
  // Feeds the bytes already buffered to the parser (the head, or the body once eager); running
  // out of bytes is not an error, the caller then reads more.
  boost::beast::error_code ParseBuffered();
  void SetIdle(bool idle);
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;  // bounded: a head (or a chunk/trailer line) must fit
  std::optional<Parser> parser_;
  std::string head_text_;  // the response head being written; reused, so its capacity is too
  std::shared_ptr<SessionHost> host_;
  std::string address_;
  bool linger_ = false;
  bool streaming_done_ = false;
  std::atomic<bool> idle_{false};
  std::atomic<std::int64_t> idle_since_{0};
  std::atomic<bool> evicting_{false};
};

}  // namespace switchyard::server
