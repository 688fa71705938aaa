// SocketBodySource: the transport's side of a streamed request body (body_source.h). It parses
// the body (Content-Length or chunked) out of the connection's own buffer and socket, one piece
// per Read: the socket is read only when the parser has used up what is buffered, and never more
// than one read's worth, so a handler that stops reading stops the client (TCP backpressure).
// The route's body limit is the parser's; every socket read has the request timeout.
// Internal to http_session.cc.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/body_source.h"

namespace switchyard::server {

class SocketBodySource : public BodySource {
 public:
  using HeadParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  // `head` has parsed the request head and nothing of the body. `owner` keeps the stream and the
  // buffer alive as long as the source is.
  SocketBodySource(std::shared_ptr<void> owner, boost::beast::tcp_stream& stream,
                   boost::beast::flat_buffer& buffer, HeadParser&& head, std::size_t max_body_bytes,
                   std::chrono::seconds read_timeout);

  boost::asio::awaitable<BodyChunk> Read() override;
  std::optional<BodyChunk> failure() const override { return failure_; }
  bool finished() const override { return parser_.is_done(); }

  // The request has been answered: later Reads fail instead of touching the connection.
  void Detach() { detached_ = true; }

  static constexpr std::size_t kPieceBytes = 16 * 1024;

 private:
  BodyChunk Fail(BodyError error, std::string message);

  std::shared_ptr<void> owner_;
  boost::beast::tcp_stream& stream_;
  boost::beast::flat_buffer& buffer_;
  boost::beast::http::request_parser<boost::beast::http::buffer_body> parser_;
  std::size_t max_body_bytes_;
  std::chrono::seconds read_timeout_;
  std::array<char, kPieceBytes> piece_{};
  std::optional<BodyChunk> failure_;
  bool detached_ = false;
};

}  // namespace switchyard::server
