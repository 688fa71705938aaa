#include "server/http_session.h"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "server/api_error.h"

namespace switchyard::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

Request ToRequest(const http::request<http::string_body>& in) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  ParseTarget(out.target, &out.path, &out.query);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  return out;
}

// A protocol-level failure before the router saw the request: answer and close.
Response ReadErrorResponse(beast::error_code ec, const HttpLimits& limits) {
  if (ec == http::error::body_limit) {
    return ErrorResponse(413, "payload_too_large",
                         "the request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes",
                         "body");
  }
  if (ec == http::error::header_limit) {
    return ErrorResponse(431, "headers_too_large",
                         "the request headers exceed " + std::to_string(limits.max_header_bytes) + " bytes",
                         "headers");
  }
  return ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message());
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, std::shared_ptr<SessionHost> host)
    : stream_(std::move(socket)), host_(std::move(host)) {}

HttpSession::~HttpSession() {
  host_->OnSessionEnd(this);
}

void HttpSession::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
}

void HttpSession::Reject() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    Response response = ErrorResponse(503, "unavailable", "too many connections; retry shortly");
    response.headers.emplace_back("Retry-After", "1");
    self->Write(std::move(response), 11, false);
  });
}

void HttpSession::CloseIfIdle(bool force) {
  net::post(stream_.get_executor(), [self = shared_from_this(), force] {
    if (self->idle_ || force) self->Close();
  });
}

void HttpSession::Read() {
  if (host_->stopping) return Close();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(host_->limits.max_header_bytes));
  parser_->body_limit(host_->limits.max_body_bytes);
  idle_ = true;
  stream_.expires_after(host_->limits.idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void HttpSession::OnRead(beast::error_code ec) {
  idle_ = false;
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset ||
      ec == net::error::bad_descriptor) {
    return Close();
  }
  if (ec) {
    linger_ = true;
    return Write(ReadErrorResponse(ec, host_->limits), 11, false);
  }

  auto beast_request = parser_->release();
  Request request = ToRequest(beast_request);
  Response response;
  try {
    response = host_->handler(request);
  } catch (const std::exception& e) {
    // The router catches handler exceptions; this is the last line for anything else.
    spdlog::error("{} {} failed outside the router: {}", request.method, request.path, e.what());
    response = ErrorResponse(500, "internal", "internal error; see the server log");
  }
  bool keep_alive = beast_request.keep_alive() && !host_->stopping;
  Write(std::move(response), beast_request.version(), keep_alive);
}

void HttpSession::Write(Response response, unsigned version, bool keep_alive) {
  response_ = std::make_shared<BeastResponse>(static_cast<http::status>(response.status), version);
  response_->set(http::field::server, "switchyard");
  if (!response.content_type.empty()) response_->set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) response_->set(name, value);
  response_->body() = std::move(response.body);
  response_->keep_alive(keep_alive);
  response_->prepare_payload();
  stream_.expires_after(host_->limits.request_timeout);
  http::async_write(stream_, *response_,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      self->OnWrite(keep_alive, ec);
                    });
}

void HttpSession::OnWrite(bool keep_alive, beast::error_code ec) {
  response_.reset();
  if (!ec && linger_) return LingerAndClose();
  if (ec || !keep_alive) return Close();
  Read();
}

void HttpSession::LingerAndClose() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  discard_buffer_ = std::make_shared<std::array<char, 16384>>();
  stream_.expires_after(std::chrono::seconds(2));
  Discard(0);
}

void HttpSession::Discard(std::size_t discarded) {
  constexpr std::size_t kMaxDiscard = 64 * 1024 * 1024;
  if (discarded > kMaxDiscard) return Close();
  stream_.async_read_some(net::buffer(*discard_buffer_),
                          [self = shared_from_this(), discarded](beast::error_code ec, std::size_t n) {
                            if (ec) return self->Close();
                            self->Discard(discarded + n);
                          });
}

void HttpSession::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace switchyard::server
