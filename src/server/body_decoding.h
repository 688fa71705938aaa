// Request body decoding (Content-Encoding). Compressed bodies are decoded with zlib against a
// running bound: a few kilobytes of gzip can expand to gigabytes, so the limit applies to the
// decoded size and decoding stops as soon as it is passed. Whole bodies (GunzipBounded) and
// streamed ones (GunzipBodySource, piece by piece) share one decoder.
#pragma once

#include <zlib.h>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/body_source.h"
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

// An incremental gzip decoder: Feed compressed input, then Inflate until it returns 0 (input
// used up, the stream ended, or an error), then Feed the next input. Neither copyable nor
// movable: zlib's state points back at the z_stream.
class GunzipStream {
 public:
  explicit GunzipStream(std::size_t max_bytes);
  ~GunzipStream();
  GunzipStream(const GunzipStream&) = delete;
  GunzipStream& operator=(const GunzipStream&) = delete;

  // `input` must stay valid until Inflate has returned 0.
  void Feed(std::string_view input);
  // Decodes into `out`; the bytes written. 0 means: more input needed, ended(), or error().
  std::size_t Inflate(char* out, std::size_t capacity);

  bool ended() const { return ended_; }
  BodyDecodeError error() const { return error_; }
  const std::string& message() const { return message_; }

 private:
  void Fail(BodyDecodeError error, std::string message);

  z_stream z_{};
  bool initialized_ = false;
  bool ended_ = false;
  BodyDecodeError error_ = BodyDecodeError::kNone;
  std::string message_;
  std::size_t max_bytes_;
  std::size_t produced_ = 0;
};

// A streamed body's gzip layer: reads compressed pieces from `inner` and hands out decoded ones,
// failing with kTooLarge past `max_bytes` decoded and kBadEncoding for a broken stream.
class GunzipBodySource : public BodySource {
 public:
  GunzipBodySource(std::shared_ptr<BodySource> inner, std::size_t max_bytes)
      : inner_(std::move(inner)), gunzip_(max_bytes) {}
  boost::asio::awaitable<BodyChunk> Read() override;
  std::optional<BodyChunk> failure() const override;
  bool finished() const override { return done_; }

 private:
  BodyChunk Fail(BodyError error, std::string message);

  std::shared_ptr<BodySource> inner_;
  GunzipStream gunzip_;
  std::array<char, 16 * 1024> piece_{};
  std::optional<BodyChunk> failure_;
  bool done_ = false;
};

}  // namespace switchyard::server
