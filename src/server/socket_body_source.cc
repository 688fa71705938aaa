#include "server/socket_body_source.h"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchyard::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {
constexpr std::size_t kReadChunk = 4096;
}  // namespace

SocketBodySource::SocketBodySource(std::shared_ptr<void> owner, beast::tcp_stream& stream,
                                   beast::flat_buffer& buffer, HeadParser&& head, std::size_t max_body_bytes,
                                   std::chrono::seconds read_timeout)
    : owner_(std::move(owner)),
      stream_(stream),
      buffer_(buffer),
      parser_(std::move(head)),
      max_body_bytes_(max_body_bytes),
      read_timeout_(read_timeout) {
  parser_.body_limit(max_body_bytes_);
  parser_.eager(true);
}

BodyChunk SocketBodySource::Fail(BodyError error, std::string message) {
  BodyChunk failed;
  failed.error = error;
  failed.message = std::move(message);
  failure_ = failed;
  return failed;
}

net::awaitable<BodyChunk> SocketBodySource::Read() {
  if (failure_) co_return *failure_;
  if (detached_) co_return BodyChunk{BodyError::kDisconnected, {}, "the request has already been answered"};
  BodyChunk chunk;
  if (parser_.is_done()) co_return chunk;
  auto& body = parser_.get().body();
  for (;;) {
    body.data = piece_.data();
    body.size = piece_.size();
    beast::error_code ec;
    while (buffer_.size() > 0 && !parser_.is_done()) {
      std::size_t used = parser_.put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_buffer || ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec || used == 0) break;
    }
    if (ec == http::error::body_limit) {
      co_return Fail(BodyError::kTooLarge,
                     "the request body exceeds " + std::to_string(max_body_bytes_) + " bytes");
    }
    if (ec) co_return Fail(BodyError::kMalformed, "malformed request body: " + ec.message());
    std::size_t produced = piece_.size() - body.size;
    if (produced > 0) {
      chunk.data = std::string_view(piece_.data(), produced);
      co_return chunk;
    }
    if (parser_.is_done()) co_return chunk;
    // A chunk-size or trailer line must fit in the bounded buffer, as a request head must.
    std::size_t room = buffer_.max_size() - buffer_.size();
    if (room == 0) {
      co_return Fail(BodyError::kMalformed,
                     "a chunk or trailer line exceeds " + std::to_string(buffer_.max_size()) + " bytes");
    }
    stream_.expires_after(read_timeout_);
    std::size_t n = co_await stream_.async_read_some(buffer_.prepare(std::min(kReadChunk, room)),
                                                     net::redirect_error(net::use_awaitable, ec));
    if (ec == beast::error::timeout) {
      co_return Fail(BodyError::kTimedOut, "no part of the request body arrived within " +
                                               std::to_string(read_timeout_.count()) + " s");
    }
    if (ec) co_return Fail(BodyError::kDisconnected, "the client closed the connection mid-body");
    buffer_.commit(n);
  }
}

}  // namespace switchyard::server
