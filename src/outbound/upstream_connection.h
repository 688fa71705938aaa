// UpstreamConnection: one keep-alive HTTP/1.1 connection to an upstream, plain or TLS, and the
// response being read on it. Every operation runs on the connection's executor (callers co_spawn
// onto executor()), which runs one handler at a time (an io_context run by one thread, or a
// strand), so Beast's timeout timers and a Close posted from any thread never race an operation
// in flight.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "outbound/url.h"

namespace switchyard::outbound {

class UpstreamConnection {
 public:
  using Executor = boost::asio::any_io_executor;
  using Clock = std::chrono::steady_clock;
  // A request as it goes on the wire: its head (request line, fields, blank line) and body.
  // Written by OutboundClient's plan, not by Beast's serializer, whose buffer sequences cost a
  // gateway call ~9 % of its instructions (docs/PERFORMANCE.md, "The upstream request's head").
  struct Request {
    std::string head;
    std::string body;
    bool head_method = false;  // HEAD: the response announces a body it does not send
  };
  using ResponseHeader = boost::beast::http::response_header<>;

  // On `lane`, an io_context run by exactly one thread; `lane_index` names it for the pool.
  UpstreamConnection(boost::asio::io_context& lane, std::size_t lane_index,
                     std::shared_ptr<boost::asio::ssl::context> tls);
  // On `strand` (of an io_context run by any number of threads); pooled as `lane_index`.
  UpstreamConnection(boost::asio::strand<boost::asio::io_context::executor_type> strand,
                     std::size_t lane_index, std::shared_ptr<boost::asio::ssl::context> tls);

  const Executor& executor() const { return executor_; }
  std::size_t lane() const { return lane_; }
  // Whether the calling thread is the lane's: then the connection's steps may run inline.
  bool RunsOnThisThread() const {
    return lane_context_ != nullptr && lane_context_->get_executor().running_in_this_thread();
  }

  // Resolve, connect and (TLS) handshake with SNI and host name verification, by `deadline`.
  boost::asio::awaitable<boost::beast::error_code> Connect(const Url& url, Clock::time_point deadline);
  // Sends a request and prepares to read its response.
  boost::asio::awaitable<boost::beast::error_code> Write(const Request& request, Clock::time_point deadline);
  // Reads the response head.
  boost::asio::awaitable<boost::beast::error_code> ReadHead(Clock::time_point deadline);
  // Appends the next piece of the body (possibly nothing, when only framing arrived).
  boost::asio::awaitable<boost::beast::error_code> ReadBodyPiece(std::string* out,
                                                                 Clock::time_point deadline);
  void Close();

  // One exchange at a time runs on a connection, and a caller on another thread may abandon it.
  // The serial lets that caller's abort close only the exchange it started, not a later one of
  // another caller on the same (pooled) connection.
  std::uint64_t BeginExchange() {
    exchanging_ = true;
    return ++exchange_serial_;
  }
  void EndExchange(std::uint64_t serial) {
    if (serial == exchange_serial_) exchanging_ = false;
  }
  // On its executor: closes the connection when exchange `serial` is still running.
  void AbortExchange(std::uint64_t serial) {
    if (exchanging_ && serial == exchange_serial_) Close();
  }

  // Whether any byte of the current response arrived (no retry after that).
  bool GotResponseBytes() const;
  const ResponseHeader& Head() const { return parser_->get().base(); }
  // The Content-Length the upstream announced (0 without one).
  std::uint64_t AnnouncedLength() const { return parser_->content_length().value_or(0); }
  bool BodyDone() const { return parser_ && parser_->is_done(); }
  // The response ended cleanly and the upstream keeps the connection open.
  bool Reusable();

  // Set when the connection comes out of the pool: a failure before any response byte then may
  // just mean the upstream closed it while idle.
  bool reused = false;
  Clock::time_point idle_since{};

 private:
  using Parser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;
  boost::beast::tcp_stream& Tcp();

  UpstreamConnection(Executor executor, boost::asio::io_context* lane_context, std::size_t lane_index,
                     std::shared_ptr<boost::asio::ssl::context> tls);

  Executor executor_;
  boost::asio::io_context* lane_context_;  // null on a strand
  std::size_t lane_;
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::array<char, 16 * 1024> piece_{};
  bool failed_ = false;
  bool exchanging_ = false;
  std::uint64_t exchange_serial_ = 0;
};

}  // namespace switchyard::outbound
