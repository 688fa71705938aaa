#include "server/body_decoding.h"

#include <zlib.h>

#include <array>

namespace switchyard::server {
namespace {

// RAII for a z_stream set up for inflate.
class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK; }  // 16: gzip wrapper only
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

DecodedBody Failure(BodyDecodeError error, std::string message) {
  DecodedBody out;
  out.error = error;
  out.message = std::move(message);
  return out;
}

}  // namespace

DecodedBody GunzipBounded(std::string_view compressed, std::size_t max_bytes) {
  Inflater inflater;
  if (!inflater.ok()) return Failure(BodyDecodeError::kMalformed, "cannot start the gzip decoder");
  z_stream& z = inflater.stream();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  DecodedBody out;
  std::array<char, 16384> chunk;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    int rc = inflate(&z, Z_NO_FLUSH);
    std::size_t produced = chunk.size() - z.avail_out;
    if (out.body.size() + produced > max_bytes) {
      return Failure(BodyDecodeError::kTooLarge,
                     "the decompressed request body exceeds " + std::to_string(max_bytes) + " bytes");
    }
    out.body.append(chunk.data(), produced);
    if (rc == Z_STREAM_END) {
      if (z.avail_in != 0)
        return Failure(BodyDecodeError::kMalformed, "trailing bytes after the gzip stream");
      return out;
    }
    if (rc != Z_OK) {
      return Failure(BodyDecodeError::kMalformed,
                     std::string("malformed gzip body: ") + (z.msg != nullptr ? z.msg : "truncated"));
    }
    if (z.avail_in == 0 && produced == 0) return Failure(BodyDecodeError::kMalformed, "truncated gzip body");
  }
}

}  // namespace switchyard::server
