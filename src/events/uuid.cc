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

// `bytes` with `unix_ms` in its first 6 bytes and the version and variant bits set; bytes 6-15
// hold the random bits.
void Stamp(std::array<unsigned char, 16>& bytes, std::int64_t unix_ms) {
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 5; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms & 0xff);
    ms >>= 8;
  }
  bytes[6] = static_cast<unsigned char>(0x70 | (bytes[6] & 0x0f));  // version 7
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3f));  // variant 10
}

constexpr std::size_t kMaxDraw = 512;  // uuids per RAND_bytes call

// Fresh random bits for bytes 6-15. RAND_bytes fails only when the system has no entropy source
// at all; the time half still keeps uuids of different milliseconds apart, and the caller's
// de-duplication is per project.
void DrawRandom(std::array<unsigned char, 16>& bytes) {
  RAND_bytes(bytes.data() + 6, static_cast<int>(kRandomBytes));
}

// Adds one to the 74 random bits (rand_a: the low nibble of byte 6 and byte 7; rand_b: the low
// 6 bits of byte 8 and bytes 9-15), leaving the version and variant bits alone. False when all
// 74 bits were ones.
bool Increment(std::array<unsigned char, 16>& bytes) {
  for (std::size_t i = 15; i >= 9; --i) {
    if (++bytes[i] != 0) return true;
  }
  if ((bytes[8] & 0x3f) != 0x3f) return ++bytes[8], true;
  bytes[8] = 0x80;
  if (++bytes[7] != 0) return true;
  if ((bytes[6] & 0x0f) != 0x0f) return ++bytes[6], true;
  return false;
}

}  // namespace

std::string NewUuidV7(std::int64_t unix_ms) {
  std::array<unsigned char, 16> bytes{};
  DrawRandom(bytes);
  Stamp(bytes, unix_ms);
  return Format(bytes);
}

const unsigned char* UuidV7Generator::Draw() {
  if (used_ + kRandomBytes > random_.size()) {
    random_.assign(next_draw_ * kRandomBytes, 0);
    RAND_bytes(random_.data(), static_cast<int>(random_.size()));  // see DrawRandom on failure
    used_ = 0;
    next_draw_ = std::min(next_draw_ * 2, kMaxDraw);
  }
  const unsigned char* drawn = random_.data() + used_;
  used_ += kRandomBytes;
  return drawn;
}

std::string UuidV7Generator::Next(std::int64_t unix_ms) {
  if (unix_ms != last_ms_ || !Increment(last_)) {
    const unsigned char* random = Draw();
    std::copy(random, random + kRandomBytes, last_.begin() + 6);
    Stamp(last_, unix_ms);
    last_ms_ = unix_ms;
  }
  return Format(last_);
}

std::string UuidV7Generator::NextRandom(std::int64_t unix_ms) {
  std::array<unsigned char, 16> bytes{};
  const unsigned char* random = Draw();
  std::copy(random, random + kRandomBytes, bytes.begin() + 6);
  Stamp(bytes, unix_ms);
  return Format(bytes);
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
