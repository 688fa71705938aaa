#include "server/body_source.h"

#include <algorithm>

#include "server/api_error.h"

namespace switchyard::server {

Response BodyErrorResponse(const BodyChunk& failed) {
  switch (failed.error) {
    case BodyError::kTooLarge: return ErrorResponse(413, "payload_too_large", failed.message, "body");
    case BodyError::kBadEncoding:
      return ErrorResponse(400, "invalid_encoding", failed.message, "content-encoding");
    case BodyError::kTimedOut: return ErrorResponse(408, "request_timeout", failed.message, "body");
    case BodyError::kMalformed:
    case BodyError::kDisconnected:
    case BodyError::kNone: break;
  }
  return ErrorResponse(400, "bad_request", failed.message.empty() ? "malformed request body" : failed.message,
                       "body");
}

boost::asio::awaitable<BodyChunk> StringBodySource::Read() {
  BodyChunk chunk;
  std::size_t n = std::min(piece_bytes_, body_.size() - offset_);
  chunk.data = std::string_view(body_).substr(offset_, n);
  offset_ += n;
  co_return chunk;
}

}  // namespace switchyard::server
