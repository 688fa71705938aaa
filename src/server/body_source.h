// BodySource: a request body a handler consumes piece by piece, for routes whose bodies may be
// large (RoutePolicy::stream_body), so that a request never has to be held in memory whole.
// The transport reads the socket only when the handler asks for the next piece (backpressure:
// at most one buffer is read ahead) and keeps enforcing the route's body limit, the server-wide
// byte budget and the read timeout; the router inflates gzip incrementally on top, with the
// decoded size bounded too.
//
// Thread-safety: one reader at a time, on the connection's strand (an async handler's coroutine).
// A source is valid while its handler runs; after that every Read fails.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include "server/http_message.h"

namespace switchyard::server {

enum class BodyError {
  kNone,
  kTooLarge,      // past the route's body limit (raw or decoded): 413
  kMalformed,     // broken chunked framing: 400
  kBadEncoding,   // a Content-Encoding that does not decode: 400
  kDisconnected,  // the client went away before the end of the body
  kTimedOut,      // no bytes within the request timeout
};

// One step of reading: data, the end of the body (ok and empty), or an error.
struct BodyChunk {
  BodyError error = BodyError::kNone;
  // Valid until the next Read; never empty unless the body has ended or failed.
  std::string_view data;
  std::string message;  // set on error

  bool ok() const { return error == BodyError::kNone; }
  bool end() const { return ok() && data.empty(); }
};

class BodySource {
 public:
  virtual ~BodySource() = default;
  // The next piece. After an error every later call returns the same error.
  virtual boost::asio::awaitable<BodyChunk> Read() = 0;
  // The error the body failed with, if it did (the router answers 413/400 from it whatever the
  // handler returned: the request itself was refused).
  virtual std::optional<BodyChunk> failure() const = 0;
  // The whole body was read (the connection can serve another request).
  virtual bool finished() const = 0;
};

// The answer for a failed body: 413 payload_too_large, 400 bad_request / invalid_encoding, or
// 408 for a client that stopped sending (rarely seen: the connection is usually gone).
Response BodyErrorResponse(const BodyChunk& failed);

// A body already in memory, in pieces of at most `piece_bytes` (unit tests; the router's
// in-process Handle).
class StringBodySource : public BodySource {
 public:
  explicit StringBodySource(std::string body, std::size_t piece_bytes = 16 * 1024)
      : body_(std::move(body)), piece_bytes_(piece_bytes == 0 ? 1 : piece_bytes) {}
  boost::asio::awaitable<BodyChunk> Read() override;
  std::optional<BodyChunk> failure() const override { return std::nullopt; }
  bool finished() const override { return offset_ == body_.size(); }

 private:
  std::string body_;
  std::size_t piece_bytes_;
  std::size_t offset_ = 0;
};

}  // namespace switchyard::server
