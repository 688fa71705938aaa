#include "outbound/upstream_connection.h"

#include <array>
#include <limits>
#include <memory>

#include <openssl/ssl.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

namespace switchyard::outbound {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {
constexpr std::uint32_t kMaxResponseHeaderBytes = 64 * 1024;
}  // namespace

UpstreamConnection::UpstreamConnection(net::io_context& lane, std::size_t lane_index,
                                       std::shared_ptr<ssl::context> tls)
    : UpstreamConnection(lane.get_executor(), &lane, lane_index, std::move(tls)) {}

UpstreamConnection::UpstreamConnection(net::strand<net::io_context::executor_type> strand,
                                       std::size_t lane_index, std::shared_ptr<ssl::context> tls)
    : UpstreamConnection(std::move(strand), nullptr, lane_index, std::move(tls)) {}

UpstreamConnection::UpstreamConnection(Executor executor, net::io_context* lane_context,
                                       std::size_t lane_index, std::shared_ptr<ssl::context> tls)
    : executor_(std::move(executor)), lane_context_(lane_context), lane_(lane_index) {
  if (tls) {
    tls_.emplace(executor_, *tls);
  } else {
    plain_.emplace(executor_);
  }
}

beast::tcp_stream& UpstreamConnection::Tcp() {
  return tls_ ? tls_->next_layer() : *plain_;
}

net::awaitable<beast::error_code> UpstreamConnection::Connect(const Url& url, Clock::time_point deadline) {
  beast::error_code ec;
  // The resolver has no timeout of its own: a timer on this executor cancels it at the deadline.
  auto resolver = std::make_shared<net::ip::tcp::resolver>(executor_);
  auto expired = std::make_shared<bool>(false);
  net::steady_timer guard(executor_);
  guard.expires_at(deadline);
  guard.async_wait([resolver, expired](const beast::error_code& waited) {
    if (waited) return;
    *expired = true;
    resolver->cancel();
  });
  std::string port = std::to_string(url.port);
  auto endpoints =
      co_await resolver->async_resolve(url.host, port, net::redirect_error(net::use_awaitable, ec));
  guard.cancel();
  if (*expired) co_return beast::error_code(beast::error::timeout);
  if (ec) co_return ec;
  Tcp().expires_at(deadline);
  co_await Tcp().async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return ec;
  Tcp().socket().set_option(net::ip::tcp::no_delay(true), ec);
  if (!tls_) co_return beast::error_code{};

  beast::error_code not_ip;
  net::ip::make_address(url.host, not_ip);
  // SNI is for names only (RFC 6066); verification covers both names and IP addresses.
  if (not_ip && !SSL_set_tlsext_host_name(tls_->native_handle(), url.host.c_str())) {
    co_return beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
  }
  tls_->set_verify_mode(ssl::verify_peer, ec);
  if (ec) co_return ec;
  tls_->set_verify_callback(ssl::host_name_verification(url.host), ec);
  if (ec) co_return ec;
  co_await tls_->async_handshake(ssl::stream_base::client, net::redirect_error(net::use_awaitable, ec));
  co_return ec;
}

net::awaitable<beast::error_code> UpstreamConnection::Write(const Request& request,
                                                            Clock::time_point deadline) {
  beast::error_code ec;
  parser_.emplace();
  parser_->header_limit(kMaxResponseHeaderBytes);
  // Sizes are enforced by the caller, which knows whether the body is streamed.
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  // A response to HEAD announces a body it does not send.
  if (request.head_method) parser_->skip(true);
  Tcp().expires_at(deadline);
  const std::array<net::const_buffer, 2> wire = {net::buffer(request.head), net::buffer(request.body)};
  if (tls_) {
    co_await net::async_write(*tls_, wire, net::redirect_error(net::use_awaitable, ec));
  } else {
    co_await net::async_write(*plain_, wire, net::redirect_error(net::use_awaitable, ec));
  }
  if (ec) failed_ = true;
  co_return ec;
}

net::awaitable<beast::error_code> UpstreamConnection::ReadHead(Clock::time_point deadline) {
  beast::error_code ec;
  Tcp().expires_at(deadline);
  if (tls_) {
    co_await http::async_read_header(*tls_, buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  } else {
    co_await http::async_read_header(*plain_, buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  }
  if (ec) failed_ = true;
  co_return ec;
}

net::awaitable<beast::error_code> UpstreamConnection::ReadBodyPiece(std::string* out,
                                                                    Clock::time_point deadline) {
  beast::error_code ec;
  if (parser_->is_done()) co_return ec;
  auto& body = parser_->get().body();
  body.data = piece_.data();
  body.size = piece_.size();
  Tcp().expires_at(deadline);
  if (tls_) {
    co_await http::async_read_some(*tls_, buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  } else {
    co_await http::async_read_some(*plain_, buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  }
  if (ec == http::error::need_buffer) ec = {};  // the piece buffer is full: a whole piece
  out->append(piece_.data(), piece_.size() - body.size);
  body.data = nullptr;
  body.size = 0;
  if (ec) failed_ = true;
  co_return ec;
}

void UpstreamConnection::Close() {
  failed_ = true;
  beast::error_code ignored;
  Tcp().socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  Tcp().close();
}

bool UpstreamConnection::GotResponseBytes() const {
  return buffer_.size() > 0 || (parser_ && parser_->got_some());
}

bool UpstreamConnection::Reusable() {
  return !failed_ && parser_ && parser_->is_done() && parser_->get().keep_alive() && buffer_.size() == 0 &&
         Tcp().socket().is_open();
}

}  // namespace switchyard::outbound
