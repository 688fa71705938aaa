#include "core/bucket_hash.h"

#include <cstdint>

#include "switchyard/flag_set.h"

namespace switchyard::core {
namespace {

// PostHog divides by this *float*: the integer is rounded to a double first, then divided, so
// the same two doubles divided here give bit-identical results.
constexpr double kLongScale = static_cast<double>(0xFFFFFFFFFFFFFFFULL);
constexpr int kHexDigitsUsed = 15;  // = the top 60 bits of the digest

}  // namespace

Sha1Algorithm::Sha1Algorithm() : md_(EVP_MD_fetch(nullptr, "SHA1", nullptr)) {}

Sha1Algorithm::~Sha1Algorithm() {
  EVP_MD_free(md_);
}

const EVP_MD* Sha1Algorithm::md() const {
  return md_ != nullptr ? md_ : EVP_sha1();
}

BucketHasher::~BucketHasher() {
  EVP_MD_CTX_free(ctx_);
}

double BucketHasher::Hash(std::string_view key, std::string_view id, std::string_view salt) {
  if (ctx_ == nullptr) ctx_ = EVP_MD_CTX_new();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool ok = ctx_ != nullptr && EVP_DigestInit_ex2(ctx_, md_, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx_, key.data(), key.size()) == 1 &&
                  EVP_DigestUpdate(ctx_, ".", 1) == 1 && EVP_DigestUpdate(ctx_, id.data(), id.size()) == 1 &&
                  EVP_DigestUpdate(ctx_, salt.data(), salt.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx_, digest, &length) == 1;
  // SHA-1 cannot fail short of memory exhaustion; hashing to 1.0 then keeps users out of every
  // partial rollout rather than letting them in.
  if (!ok) return 1.0;
  std::uint64_t top = 0;
  for (int i = 0; i < 8; ++i) top = (top << 8) | digest[i];
  return static_cast<double>(top >> (64 - 4 * kHexDigitsUsed)) / kLongScale;
}

}  // namespace switchyard::core

namespace switchyard {

double BucketHash(std::string_view flag_key, std::string_view bucketing_id, std::string_view salt) {
  // Not the hot path (FlagSet keeps its own fetched algorithm): the built-in SHA-1 is fine here.
  core::BucketHasher hasher(EVP_sha1());
  return hasher.Hash(flag_key, bucketing_id, salt);
}

}  // namespace switchyard
