#include "events/uuid.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <openssl/rand.h>

namespace switchyard::events {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Written in place: every event without a uuid of its own gets one, and 36 appends (each with its
// capacity check) cost more than the hex conversion itself.
std::string Format(const std::array<unsigned char, 16>& bytes) {
  std::string out(36, '-');
  char* at = out.data();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // over the dash
    *at++ = kHex[bytes[i] >> 4];
    *at++ = kHex[bytes[i] & 0x0f];
  }
  return out;
}

constexpr std::size_t kRandomBytes = 10;  // of a uuid: the 74 random bits and the version/variant
constexpr std::size_t kMaxDraw = 512;     // uuids per RAND_bytes call

// The uuid of `unix_ms` with `random` (kRandomBytes) in its last 10 bytes.
std::string UuidV7(std::int64_t unix_ms, const unsigned char* random) {
  std::array<unsigned char, 16> bytes{};
  std::copy(random, random + kRandomBytes, bytes.begin() + 6);
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 5; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms & 0xff);
    ms >>= 8;
  }
  bytes[6] = static_cast<unsigned char>(0x70 | (bytes[6] & 0x0f));  // version 7
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3f));  // variant 10
  return Format(bytes);
}

}  // namespace

std::string NewUuidV7(std::int64_t unix_ms) {
  std::array<unsigned char, kRandomBytes> random{};
  // RAND_bytes fails only when the system has no entropy source at all; the time half still
  // keeps uuids of different milliseconds apart, and the caller's de-duplication is per project.
  RAND_bytes(random.data(), static_cast<int>(random.size()));
  return UuidV7(unix_ms, random.data());
}

std::string UuidV7Generator::Next(std::int64_t unix_ms) {
  if (used_ + kRandomBytes > random_.size()) {
    random_.assign(next_draw_ * kRandomBytes, 0);
    RAND_bytes(random_.data(), static_cast<int>(random_.size()));  // see NewUuidV7 on failure
    used_ = 0;
    next_draw_ = std::min(next_draw_ * 2, kMaxDraw);
  }
  std::string uuid = UuidV7(unix_ms, random_.data() + used_);
  used_ += kRandomBytes;
  return uuid;
}

std::optional<std::string> CanonicalUuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const auto c = static_cast<unsigned char>(out[i]);
    if (dash) {
      if (c != '-') return std::nullopt;
    } else if (std::isxdigit(c) == 0) {
      return std::nullopt;
    } else {
      out[i] = static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

}  // namespace switchyard::events
