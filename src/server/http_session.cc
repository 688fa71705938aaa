#include "server/http_session.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <limits>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "server/api_error.h"
#include "server/http_text.h"
#include "server/response_head.h"
#include "server/response_stream.h"
#include "server/server_metrics.h"
#include "server/socket_body_source.h"

namespace switchyard::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

constexpr std::size_t kReadChunk = 4096;
// A client still sending after we answered early gets this much drained, then a close.
constexpr std::size_t kMaxLingerBytes = 8 * 1024 * 1024;
constexpr std::chrono::seconds kLingerTime{2};

std::int64_t SteadyNowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool IsDisconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == beast::error::timeout ||
         ec == net::error::operation_aborted || ec == net::error::connection_reset ||
         ec == net::error::bad_descriptor || ec == net::error::eof || ec == net::error::broken_pipe;
}

Request RequestFromHead(const http::request_header<>& in) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  ParseTarget(out.target, &out.path, &out.query);
  out.headers.reserve(8);
  for (const auto& field : in) {
    auto name = field.name_string();
    out.headers.emplace_back(AsciiLower(std::string_view(name.data(), name.size())),
                             std::string(field.value().data(), field.value().size()));
  }
  return out;
}

Request ToRequest(http::request<http::string_body>&& in) {
  Request out = RequestFromHead(in);
  out.body = std::move(in.body());
  return out;
}

Response WithRetryAfter(Response response, int seconds) {
  response.headers.emplace_back("Retry-After", std::to_string(seconds));
  return response;
}

// A protocol-level failure before the router saw the request: answer and close.
Response ReadErrorResponse(beast::error_code ec, const HttpLimits& limits, std::size_t body_limit) {
  if (ec == http::error::body_limit) {
    return ErrorResponse(413, "payload_too_large",
                         "the request body exceeds " + std::to_string(body_limit) + " bytes", "body");
  }
  if (ec == http::error::header_limit) {
    return ErrorResponse(431, "headers_too_large",
                         "the request headers exceed " + std::to_string(limits.max_header_bytes) + " bytes",
                         "headers");
  }
  if (ec == http::error::buffer_overflow) {
    return ErrorResponse(
        431, "headers_too_large",
        "a header, chunk or trailer line exceeds " + std::to_string(limits.max_header_bytes) + " bytes",
        "headers");
  }
  return ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message());
}

// RFC 9112 framing rules that Beast leaves to us. A request whose body length two parties could
// read differently is the start of request smuggling: refuse it and close.
std::optional<Response> FramingError(const http::request<http::string_body>& head) {
  if (head.version() >= 11 && head.count(http::field::host) != 1) {
    return ErrorResponse(400, "bad_request",
                         head.count(http::field::host) == 0 ? "HTTP/1.1 requests need a Host header"
                                                            : "more than one Host header",
                         "host");
  }
  if (head.count(http::field::transfer_encoding) == 0) return std::nullopt;
  if (head.version() < 11) {
    return ErrorResponse(400, "bad_request", "Transfer-Encoding is not allowed in HTTP/1.0",
                         "transfer-encoding");
  }
  if (head.count(http::field::content_length) != 0) {
    return ErrorResponse(400, "bad_request", "both Transfer-Encoding and Content-Length",
                         "transfer-encoding");
  }
  std::vector<std::string> codings;
  for (auto it = head.find(http::field::transfer_encoding);
       it != head.end() && it->name() == http::field::transfer_encoding; ++it) {
    std::string_view value(it->value().data(), it->value().size());
    while (!value.empty()) {
      auto comma = value.find(',');
      std::string_view coding = TrimOws(value.substr(0, comma));
      if (!coding.empty()) codings.push_back(AsciiLower(coding));
      value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    }
  }
  if (codings.size() != 1 || codings.front() != "chunked") {
    return ErrorResponse(400, "bad_request", "the only transfer coding accepted is a single 'chunked'",
                         "transfer-encoding");
  }
  return std::nullopt;
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, std::shared_ptr<SessionHost> host, std::string address)
    : stream_(std::move(socket)),
      // The whole head, and any one chunk-size or trailer line, must fit. Bounding the buffer
      // turns an oversized trailer into an error code instead of an exception from Beast.
      buffer_(std::max<std::size_t>(host->limits.max_header_bytes, 16 * 1024) + 1024),
      host_(std::move(host)),
      address_(std::move(address)) {}

HttpSession::~HttpSession() {
  host_->OnSessionEnd(this);
}

void HttpSession::Start() {
  net::co_spawn(
      stream_.get_executor(), [self = shared_from_this()]() { return self->Run(); }, net::detached);
}

void HttpSession::Reject(std::string message) {
  net::co_spawn(
      stream_.get_executor(),
      [self = shared_from_this(), message = std::move(message)]() -> net::awaitable<void> {
        self->linger_ = true;
        Response answer = WithRetryAfter(ErrorResponse(503, "unavailable", message), 1);
        co_await self->Write(std::move(answer), 11, false);
        co_await self->LingerAndClose();
      },
      net::detached);
}

void HttpSession::CloseIfIdle(bool force) {
  net::post(stream_.get_executor(), [self = shared_from_this(), force] {
    if (self->idle_ || force) self->Close();
  });
}

void HttpSession::SetIdle(bool idle) {
  if (idle) idle_since_.store(SteadyNowNanos(), std::memory_order_relaxed);
  idle_.store(idle, std::memory_order_relaxed);
}

net::awaitable<void> HttpSession::Run() {
  try {
    bool first = true;
    while (!host_->stopping) {
      bool keep_alive = co_await ServeOne(first);
      first = false;
      if (!keep_alive) break;
    }
  } catch (const std::exception& e) {
    // Nothing a client sends may take the server down: log, drop this connection, serve the rest.
    spdlog::warn("connection from {} ended by an error: {}", address_, e.what());
    linger_ = false;
  }
  if (linger_) {
    try {
      co_await LingerAndClose();
    } catch (const std::exception&) {
    }
  }
  Close();
}

net::awaitable<bool> HttpSession::ServeOne(bool first) {
  const HttpLimits& limits = host_->limits;
  beast::error_code ec;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  // Not yet the limit: which one applies (the route's may exceed the server default) is known
  // once the head is parsed, and a Content-Length over it is refused then. Not boost::none:
  // Beast 1.74 compares a Content-Length with it as "greater" and refuses every body.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());

  // Waiting for a request: idle (evictable) until its first byte. A new connection gets only the
  // short header timeout for it; a keep-alive one the idle timeout.
  if (buffer_.size() == 0) {
    SetIdle(true);
    stream_.expires_after(first ? limits.header_timeout : limits.idle_timeout);
    std::size_t n = co_await stream_.async_read_some(buffer_.prepare(kReadChunk),
                                                     net::redirect_error(net::use_awaitable, ec));
    SetIdle(false);
    if (ec) co_return false;
    buffer_.commit(n);
  }
  if (host_->stopping) co_return false;

  // Usually the whole head (and a small body) arrived with the first read: parse it in place,
  // with no further asynchronous step. Otherwise the rest of the head must come within the
  // header timeout (slow-header clients hold no slot for long).
  parser_->eager(false);
  ec = ParseBuffered();
  if (!ec && !parser_->is_header_done()) {
    stream_.expires_after(limits.header_timeout);
    co_await http::async_read_header(stream_, buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  }
  if (ec) {
    if (IsDisconnect(ec)) co_return false;
    linger_ = true;
    Response answer = ReadErrorResponse(ec, limits, limits.max_body_bytes);
    co_await Write(std::move(answer), 11, false);
    co_return false;
  }
  const auto& head = parser_->get();
  unsigned version = head.version();
  if (auto refused = FramingError(head)) {
    linger_ = true;
    co_await Write(std::move(*refused), version, false);
    co_return false;
  }
  int retry_after = 0;
  if (!host_->AllowRequestFrom(address_, &retry_after)) {
    linger_ = true;
    Response answer = WithRetryAfter(
        ErrorResponse(429, "rate_limited", "too many requests from this address"), retry_after);
    co_await Write(std::move(answer), version, false);
    co_return false;
  }

  BodyRules rules{limits.max_body_bytes, false};
  bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
  if (has_body) {  // only then are the route's body rules worth a lookup
    std::string_view target(head.target().data(), head.target().size());
    std::string_view method(head.method_string().data(), head.method_string().size());
    rules = host_->handlers.body_rules(method, target.substr(0, target.find('?')));
    parser_->body_limit(rules.max_bytes);
  }
  const std::size_t body_limit = rules.max_bytes;
  std::size_t expected = 0;
  if (auto length = parser_->content_length()) {
    expected = static_cast<std::size_t>(*length);
  } else if (parser_->chunked()) {
    expected = body_limit;
  }
  if (expected > body_limit) {
    linger_ = true;
    Response answer = ReadErrorResponse(http::error::body_limit, limits, body_limit);
    co_await Write(std::move(answer), version, false);
    co_return false;
  }
  // A streamed body is held a piece at a time (a raw piece and a decoded one), never whole.
  std::size_t held = rules.streamed ? std::min(expected, 2 * SocketBodySource::kPieceBytes) : expected;
  ByteBudget::Reservation body_bytes;
  if (held > 0 && !host_->budget.TryReserve(held, &body_bytes)) {
    linger_ = true;
    Response answer = WithRetryAfter(
        ErrorResponse(503, "overloaded", "the server is buffering too much; retry shortly"), 1);
    co_await Write(std::move(answer), version, false);
    co_return false;
  }
  if (!parser_->is_done()) {
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, version};
      stream_.expires_after(limits.request_timeout);
      co_await http::async_write(stream_, go_on, net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return false;
    }
    if (!rules.streamed) {
      parser_->eager(true);
      ec = ParseBuffered();
      if (!ec && !parser_->is_done()) {
        stream_.expires_after(limits.request_timeout);
        co_await http::async_read(stream_, buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
      }
      if (ec) {
        if (IsDisconnect(ec)) co_return false;
        linger_ = true;
        Response answer = ReadErrorResponse(ec, limits, body_limit);
        co_await Write(std::move(answer), version, false);
        co_return false;
      }
    }
  }

  bool keep_alive = parser_->get().keep_alive();
  Request request;
  std::shared_ptr<SocketBodySource> body_source;
  if (rules.streamed && !parser_->is_done()) {
    // The handler reads the body from here on, as it goes; the parser (which has read nothing of
    // the body yet) moves into its source.
    request = RequestFromHead(parser_->get());
    body_source = std::make_shared<SocketBodySource>(shared_from_this(), stream_, buffer_,
                                                     std::move(*parser_), body_limit, limits.request_timeout);
    request.body_source = body_source;
  } else {
    request = ToRequest(parser_->release());
  }
  // Bytes already buffered are a pipelined next request: the client is there, nothing to watch.
  std::shared_ptr<HandlerWatch> watch;
  if (rules.watch_disconnect && !body_source && buffer_.size() == 0) {
    watch = std::make_shared<HandlerWatch>();
    request.cancel = watch->stop.get_token();
    WatchWhileHandling(watch);
  }
  Response response;
  try {
    // Most requests that need no suspension (inline routes such as /healthz, and every answer
    // decided before a handler runs) are answered here without a coroutine for the pipeline.
    std::optional<Response> answered;
    if (!body_source && host_->handlers.handle_inline) answered = host_->handlers.handle_inline(request);
    if (answered) {
      response = std::move(*answered);
    } else {
      response = co_await host_->handlers.handle(std::move(request));
    }
  } catch (const std::exception& e) {
    // The router catches handler exceptions; this is the last line for anything else.
    spdlog::error("a request from {} failed outside the router: {}", address_, e.what());
    response = ErrorResponse(500, "internal", "internal error; see the server log");
  }
  if (watch) {
    watch->handler_done = true;
    // Ends the watcher's wait before anything else is done on the socket.
    beast::error_code ignored;
    if (watch->waiting) stream_.socket().cancel(ignored);
  }
  body_bytes.reset();
  // A body left unread (the handler stopped early, or it failed) ends the connection after the
  // answer; a client still sending gets drained a little so it reads that answer, not a reset.
  bool drain_after = false;
  if (body_source) {
    body_source->Detach();
    if (!body_source->finished()) {
      keep_alive = false;
      auto failed = body_source->failure();
      drain_after =
          !failed || (failed->error != BodyError::kDisconnected && failed->error != BodyError::kTimedOut);
    }
  }
  keep_alive = keep_alive && !host_->stopping;
  if (response.stream) {
    co_await WriteStream(std::move(response), version);
    linger_ = drain_after;
    co_return false;
  }
  ByteBudget::Reservation response_bytes;
  if (!host_->budget.TryReserve(response.body.size(), &response_bytes)) {
    response = WithRetryAfter(
        ErrorResponse(503, "overloaded", "the server is buffering too much; retry shortly"), 1);
  }
  // Written here rather than by Write: one coroutine frame fewer on every request.
  auto message = Serialize(response, version, keep_alive);
  stream_.expires_after(limits.request_timeout);
  co_await net::async_write(stream_, message, net::redirect_error(net::use_awaitable, ec));
  bool written = !ec;
  linger_ = written && drain_after;
  co_return written&& keep_alive;
}

net::awaitable<bool> HttpSession::Write(Response response, unsigned version, bool keep_alive) {
  if (linger_ && host_->metrics != nullptr) {
    // Refused by the transport before routing (framing, limits, overload): counted, unrouted.
    auto started = host_->metrics->OnRequestStarted();
    host_->metrics->OnRequestFinished(ServerMetrics::kUnmatchedRoute, "other", response.status, started);
  }
  auto message = Serialize(response, version, keep_alive);
  stream_.expires_after(host_->limits.request_timeout);
  beast::error_code ec;
  co_await net::async_write(stream_, message, net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
}

std::array<net::const_buffer, 2> HttpSession::Serialize(const Response& response, unsigned version,
                                                        bool keep_alive) {
  WriteResponseHead(response, version, keep_alive, &head_text_);
  bool no_content = response.status == 204 || response.status == 304 || response.status < 200;
  return {net::buffer(head_text_), net::buffer(response.body.data(), no_content ? 0 : response.body.size())};
}

net::awaitable<void> HttpSession::WriteStream(Response response, unsigned version) {
  std::shared_ptr<ResponseStream> producer = std::move(response.stream);
  http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
  head.set(http::field::server, "switchyard");
  if (!response.content_type.empty()) head.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) head.insert(name, value);
  head.set(http::field::cache_control, "no-cache");
  head.chunked(true);
  head.keep_alive(false);
  http::response_serializer<http::empty_body> serializer{head};
  beast::error_code ec;
  stream_.expires_after(host_->limits.request_timeout);
  co_await http::async_write_header(stream_, serializer, net::redirect_error(net::use_awaitable, ec));
  if (ec) {
    producer->Cancel();
    co_return;
  }
  streaming_done_ = false;
  net::co_spawn(
      stream_.get_executor(),
      [self = shared_from_this(), producer]() { return self->WatchDisconnect(producer); }, net::detached);
  std::optional<std::string> piece = std::move(response.body);
  while (!ec && !streaming_done_) {
    if (piece && !piece->empty()) {
      stream_.expires_after(host_->limits.request_timeout);
      co_await net::async_write(stream_, http::make_chunk(net::buffer(*piece)),
                                net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
    }
    try {
      piece = co_await producer->Next();
    } catch (const std::exception& e) {
      spdlog::error("a response stream to {} failed: {}", address_, e.what());
      piece.reset();
    }
    if (!piece) break;
  }
  bool client_gone = ec || streaming_done_;
  streaming_done_ = true;
  if (client_gone) {
    producer->Cancel();
    co_return;
  }
  stream_.expires_after(host_->limits.request_timeout);
  co_await net::async_write(stream_, http::make_chunk_last(), net::redirect_error(net::use_awaitable, ec));
}

net::awaitable<void> HttpSession::WatchDisconnect(std::shared_ptr<ResponseStream> producer) {
  std::array<char, 512> discard;
  beast::error_code ec;
  // Bytes a client sends during a stream are not a request we will answer (the connection closes
  // after it). EOF ends the stream as a reset does: a client that half-closes yet still reads is
  // taken as gone (as nginx takes it), since waiting for a write to fail could take as long as
  // a stalled upstream's idle timeout.
  while (!ec && !streaming_done_) {
    co_await stream_.socket().async_read_some(net::buffer(discard),
                                              net::redirect_error(net::use_awaitable, ec));
  }
  if (!streaming_done_) {
    streaming_done_ = true;
    producer->Cancel();
  }
}

void HttpSession::WatchWhileHandling(std::shared_ptr<HandlerWatch> watch) {
  watch->waiting = true;
  // No associated executor on the handler: it runs on the socket's, the session's strand.
  stream_.socket().async_wait(net::socket_base::wait_read,
                              [self = shared_from_this(), watch](const beast::error_code& ec) mutable {
                                self->OnReadableWhileHandling(std::move(watch), ec);
                              });
}

void HttpSession::OnReadableWhileHandling(std::shared_ptr<HandlerWatch> watch, const beast::error_code& ec) {
  watch->waiting = false;
  if (watch->handler_done || ec == net::error::operation_aborted) return;
  if (!ec) {
    char byte;
    ssize_t peeked = ::recv(stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (peeked > 0) return;  // a pipelined request: the client is still there
    if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      WatchWhileHandling(std::move(watch));
      return;
    }
  }
  // EOF, a reset, or the socket closed under us (a forced shutdown): nobody will read the answer.
  watch->stop.request_stop();
}

net::awaitable<void> HttpSession::LingerAndClose() {
  linger_ = false;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  std::array<char, 16384> discard;
  std::size_t drained = 0;
  stream_.expires_after(kLingerTime);
  while (!ec && drained < kMaxLingerBytes) {
    drained +=
        co_await stream_.async_read_some(net::buffer(discard), net::redirect_error(net::use_awaitable, ec));
  }
  Close();
}

beast::error_code HttpSession::ParseBuffered() {
  beast::error_code ec;
  while (buffer_.size() > 0 && !parser_->is_done()) {
    std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) return {};
    if (ec) return ec;
    if (used == 0 || (!parser_->eager() && parser_->is_header_done())) break;
  }
  return ec;
}

void HttpSession::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace switchyard::server
