// Request body decoding (Content-Encoding). Compressed bodies are decoded with zlib into a bounded
// buffer: a few kilobytes of gzip can expand to gigabytes, so the limit applies to the decoded
// size and decoding stops as soon as it is passed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "switchyard/status.h"

namespace switchyard::server {

enum class BodyDecodeError { kNone, kMalformed, kTooLarge };

struct DecodedBody {
  BodyDecodeError error = BodyDecodeError::kNone;
  std::string body;
  std::string message;  // set on error
};

// Decodes a gzip (RFC 1952) body; at most `max_bytes` of output.
DecodedBody GunzipBounded(std::string_view compressed, std::size_t max_bytes);

}  // namespace switchyard::server
