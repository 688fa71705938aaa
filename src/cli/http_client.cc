// HttpClient implementation on Boost.Beast.
//
// Beast's tcp_stream only enforces its expiry on asynchronous operations, so each step is started
// asynchronously and driven to completion with io_context::run(): the caller still sees a blocking
// call, but a stalled server turns into a timeout instead of a hang. Name resolution is blocking
// (asio offers no timeout for it) and is only done when (re)connecting.
#include "cli/http_client.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace switchyard::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Flag exports can be large; anything beyond this is not a Switchyard response.
constexpr std::uint64_t kMaxBodyBytes = std::uint64_t{256} << 20;
constexpr char kUserAgent[] = "switchyard-cli/0.1";

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view View(beast::string_view s) {
  return {s.data(), s.size()};
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The server closed a kept-alive connection under us; the request never reached it or was not
// answered, so a fresh connection may retry it.
bool IsPeerClosed(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
}

// Methods a server may see twice without a second effect (RFC 9110, 9.2.2). Only these are
// retried once a request may have reached the server: a POST or PATCH whose connection closed
// after sending may have been applied, and sending it again would apply it twice.
bool IsIdempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

std::string HostHeader(const BaseUrl& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  bool default_port =
      (url.scheme == "http" && url.port == "80") || (url.scheme == "https" && url.port == "443");
  return default_port ? host : host + ":" + url.port;
}

// Splits "host[:port]" or "[v6]:port" into url->host / url->port.
Status ParseAuthority(std::string_view authority, BaseUrl* url) {
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("unterminated IPv6 address in URL");
    url->host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Status::InvalidArgument("malformed host in URL");
    if (!rest.empty()) port = rest.substr(1);
  } else {
    auto colon = authority.rfind(':');
    url->host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url->host.empty()) return Status::InvalidArgument("URL has no host");
  if (!port.empty() && !AllDigits(port)) return Status::InvalidArgument("URL has a non-numeric port");
  url->port = port.empty() ? (url->scheme == "https" ? "443" : "80") : std::string(port);
  return Status::Ok();
}

// The request as sent: defaults first, then the caller's headers, which replace same-named ones.
http::request<http::string_body> BuildRequest(const BaseUrl& url, std::string_view method,
                                              std::string_view target, std::string_view body,
                                              const HttpClient::Headers& headers) {
  http::request<http::string_body> req;
  req.method_string(beast::string_view(method.data(), method.size()));
  req.target(url.prefix + std::string(target));
  req.version(11);
  req.set(http::field::host, HostHeader(url));
  req.set(http::field::user_agent, kUserAgent);
  req.set(http::field::accept, "application/json");
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::string(body);
  }
  for (const auto& [name, value] : headers) req.set(name, value);
  req.keep_alive(true);
  req.prepare_payload();
  return req;
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Result<BaseUrl> ParseBaseUrl(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    return Status::InvalidArgument("URL '" + std::string(url) + "' must start with http://");
  }
  BaseUrl out;
  out.scheme = Lower(url.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https") {
    return Status::InvalidArgument("URL scheme '" + out.scheme + "' is not http or https");
  }
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  Status st = ParseAuthority(rest.substr(0, slash), &out);
  if (!st.ok()) return Status::InvalidArgument(st.message() + ": '" + std::string(url) + "'");
  if (slash != std::string_view::npos) out.prefix = std::string(rest.substr(slash));
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  return out;
}

struct HttpClient::Impl {
  struct Outcome {
    beast::error_code ec;
    bool got_response_bytes = false;
  };

  Impl(Result<BaseUrl> parsed, std::chrono::milliseconds t) : url(std::move(parsed)), timeout(t) {}

  // Runs one asynchronous operation to completion (or to the stream's expiry).
  template <typename Start>
  beast::error_code RunOp(Start&& start) {
    beast::error_code result;
    ioc.restart();
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.run();
    return result;
  }

  Status Connect(const std::string& base) {
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url->host, url->port, ec);
    if (ec) return Status::Unavailable("cannot resolve " + base + ": " + ec.message());
    stream.expires_after(timeout);
    ec = RunOp([&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
    if (ec == beast::error::timeout) return Status::Unavailable("timed out connecting to " + base);
    if (ec) return Status::Unavailable("cannot connect to " + base + ": " + ec.message());
    connected = true;
    return Status::Ok();
  }

  // True when a kept-alive connection is known to be unusable before anything is sent on it: the
  // server already closed it (the usual idle timeout) or sent bytes nobody asked for. A peek that
  // would block means it is open and quiet.
  bool ClosedByPeer() {
    beast::error_code ec;
    auto& socket = stream.socket();
    socket.non_blocking(true, ec);
    if (ec) return true;
    char byte = 0;
    socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
    beast::error_code ignored;
    socket.non_blocking(false, ignored);
    return ec != asio::error::would_block;
  }

  void Close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.consume(buffer.size());
    connected = false;
  }

  Outcome Exchange(const http::request<http::string_body>& req, bool head, HttpResponse* out) {
    stream.expires_after(timeout);
    const beast::error_code write_ec =
        RunOp([&](auto handler) { http::async_write(stream, req, std::move(handler)); });
    // A server may answer before it has read the whole body (413 for a body past its limit) and
    // close: the answer is then waiting to be read although the write failed, as curl reads it.
    if (write_ec && !IsPeerClosed(write_ec)) return {write_ec, false};
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBodyBytes);
    parser.skip(head);  // a HEAD response announces a body it never sends
    stream.expires_after(timeout);
    beast::error_code ec =
        RunOp([&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
    if (ec) return {write_ec ? write_ec : ec, parser.got_some()};
    auto res = parser.release();
    out->status = static_cast<int>(res.result_int());
    out->body = std::move(res.body());
    for (const auto& field : res) {
      std::string& slot = out->headers[Lower(View(field.name_string()))];
      slot += slot.empty() ? std::string(View(field.value())) : ", " + std::string(View(field.value()));
    }
    if (write_ec || !res.keep_alive()) Close();
    return {};
  }

  Result<BaseUrl> url;
  std::chrono::milliseconds timeout;
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;
};

HttpClient::HttpClient(std::string base_url, std::chrono::milliseconds timeout)
    : base_url_(std::move(base_url)), impl_(std::make_unique<Impl>(ParseBaseUrl(base_url_), timeout)) {}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::Request(std::string_view method, std::string_view target,
                                         std::string_view body, const Headers& headers) {
  if (!impl_->url.ok()) return impl_->url.status();
  if (impl_->url->scheme == "https")
    return Status::InvalidArgument("https is not supported yet: " + base_url_);
  const auto req = BuildRequest(*impl_->url, method, target, body, headers);

  const bool head = method == "HEAD";
  const std::string where = base_url_ + std::string(target);
  for (int attempt = 0;; ++attempt) {
    if (impl_->connected && impl_->ClosedByPeer()) impl_->Close();  // nothing sent yet: reconnect
    const bool reused = impl_->connected;
    if (!impl_->connected) {
      Status st = impl_->Connect(base_url_);
      if (!st.ok()) return st;
    }
    HttpResponse response;
    Impl::Outcome outcome = impl_->Exchange(req, head, &response);
    if (!outcome.ec) return response;
    impl_->Close();
    if (reused && attempt == 0 && !outcome.got_response_bytes && IsPeerClosed(outcome.ec) &&
        IsIdempotent(method)) {
      continue;
    }
    if (outcome.ec == beast::error::timeout) {
      return Status::Unavailable("request to " + where + " timed out after " +
                                 std::to_string(impl_->timeout.count()) + " ms");
    }
    return Status::Unavailable("request to " + where + " failed: " + outcome.ec.message());
  }
}

}  // namespace switchyard::cli
