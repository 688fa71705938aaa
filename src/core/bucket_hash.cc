// See bucket_hash.h for why the low-level SHA-1 interface is used.
#define OPENSSL_SUPPRESS_DEPRECATED  // SHA1_Init & co.: deliberate, measured (bucket_hash.h)
#include "core/bucket_hash.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>

#include "switchyard/flag_set.h"

namespace switchyard::core {
namespace {

// PostHog divides by this *float*: the integer is rounded to a double first, then divided, so
// the same two doubles divided here give bit-identical results.
constexpr double kLongScale = static_cast<double>(0xFFFFFFFFFFFFFFFULL);
constexpr int kHexDigitsUsed = 15;  // = the top 60 bits of the digest
constexpr std::size_t kStackInput = 256;

}  // namespace

double PostHogHash(std::string_view key, std::string_view id, std::string_view salt) {
  SHA_CTX ctx;
  SHA1_Init(&ctx);
  // One update of a stack copy is measurably cheaper than four small updates; long inputs
  // (ids are caller-controlled) fall back to the pieces.
  char buffer[kStackInput];
  const std::size_t size = key.size() + 1 + id.size() + salt.size();
  if (size <= sizeof buffer) {
    char* out = std::copy(key.begin(), key.end(), buffer);
    *out++ = '.';
    out = std::copy(id.begin(), id.end(), out);
    std::copy(salt.begin(), salt.end(), out);
    SHA1_Update(&ctx, buffer, size);
  } else {
    SHA1_Update(&ctx, key.data(), key.size());
    SHA1_Update(&ctx, ".", 1);
    SHA1_Update(&ctx, id.data(), id.size());
    SHA1_Update(&ctx, salt.data(), salt.size());
  }
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1_Final(digest, &ctx);
  std::uint64_t top = 0;
  for (int i = 0; i < 8; ++i) top = (top << 8) | digest[i];
  return static_cast<double>(top >> (64 - 4 * kHexDigitsUsed)) / kLongScale;
}

}  // namespace switchyard::core

namespace switchyard {

double BucketHash(std::string_view flag_key, std::string_view bucketing_id, std::string_view salt) {
  return core::PostHogHash(flag_key, bucketing_id, salt);
}

}  // namespace switchyard
