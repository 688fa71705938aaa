#include "server/body_decoding.h"

namespace switchyard::server {

GunzipStream::GunzipStream(std::size_t max_bytes) : max_bytes_(max_bytes) {
  initialized_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;  // 16: the gzip wrapper only
  if (!initialized_) Fail(BodyDecodeError::kMalformed, "cannot start the gzip decoder");
}

GunzipStream::~GunzipStream() {
  if (initialized_) inflateEnd(&z_);
}

void GunzipStream::Fail(BodyDecodeError error, std::string message) {
  if (error_ != BodyDecodeError::kNone) return;
  error_ = error;
  message_ = std::move(message);
}

void GunzipStream::Feed(std::string_view input) {
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z_.avail_in = static_cast<uInt>(input.size());
  if (ended_ && !input.empty()) Fail(BodyDecodeError::kMalformed, "trailing bytes after the gzip stream");
}

std::size_t GunzipStream::Inflate(char* out, std::size_t capacity) {
  if (error_ != BodyDecodeError::kNone || ended_ || capacity == 0) return 0;
  z_.next_out = reinterpret_cast<Bytef*>(out);
  z_.avail_out = static_cast<uInt>(capacity);
  int rc = inflate(&z_, Z_NO_FLUSH);
  std::size_t produced = capacity - z_.avail_out;
  produced_ += produced;
  if (produced_ > max_bytes_) {
    Fail(BodyDecodeError::kTooLarge,
         "the decompressed request body exceeds " + std::to_string(max_bytes_) + " bytes");
    return 0;
  }
  if (rc == Z_STREAM_END) {
    ended_ = true;
    if (z_.avail_in != 0) Fail(BodyDecodeError::kMalformed, "trailing bytes after the gzip stream");
    return produced;
  }
  // Z_BUF_ERROR only says no progress was possible: the input is used up.
  if (rc != Z_OK && rc != Z_BUF_ERROR) {
    Fail(BodyDecodeError::kMalformed,
         std::string("malformed gzip body: ") + (z_.msg != nullptr ? z_.msg : "corrupt data"));
    return 0;
  }
  return produced;
}

DecodedBody GunzipBounded(std::string_view compressed, std::size_t max_bytes) {
  GunzipStream gunzip(max_bytes);
  gunzip.Feed(compressed);
  DecodedBody out;
  std::array<char, 16384> chunk;
  while (std::size_t n = gunzip.Inflate(chunk.data(), chunk.size())) out.body.append(chunk.data(), n);
  if (gunzip.error() == BodyDecodeError::kNone && !gunzip.ended()) {
    return DecodedBody{BodyDecodeError::kMalformed, {}, "truncated gzip body"};
  }
  if (gunzip.error() != BodyDecodeError::kNone) return DecodedBody{gunzip.error(), {}, gunzip.message()};
  return out;
}

BodyChunk GunzipBodySource::Fail(BodyError error, std::string message) {
  BodyChunk failed;
  failed.error = error;
  failed.message = std::move(message);
  failure_ = failed;
  return failed;
}

std::optional<BodyChunk> GunzipBodySource::failure() const {
  if (failure_) return failure_;
  return inner_->failure();
}

boost::asio::awaitable<BodyChunk> GunzipBodySource::Read() {
  if (failure_) co_return *failure_;
  BodyChunk chunk;
  if (done_) co_return chunk;
  for (;;) {
    std::size_t n = gunzip_.Inflate(piece_.data(), piece_.size());
    if (gunzip_.error() == BodyDecodeError::kTooLarge)
      co_return Fail(BodyError::kTooLarge, gunzip_.message());
    if (gunzip_.error() != BodyDecodeError::kNone) co_return Fail(BodyError::kBadEncoding, gunzip_.message());
    if (n > 0) {
      chunk.data = std::string_view(piece_.data(), n);
      co_return chunk;
    }
    // The decoder wants input (or has ended: then only the end of the body may follow).
    BodyChunk in = co_await inner_->Read();
    if (!in.ok()) {
      failure_ = in;
      co_return in;
    }
    if (in.end()) {
      if (!gunzip_.ended()) co_return Fail(BodyError::kBadEncoding, "truncated gzip body");
      done_ = true;
      co_return chunk;
    }
    gunzip_.Feed(in.data);
  }
}

}  // namespace switchyard::server
