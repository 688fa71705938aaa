#include "server/api_key.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace switchyard::server {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kRandomChars = 32;

}  // namespace

std::string GenerateApiKey(store::KeyScope scope) {
  std::string key = scope == store::KeyScope::kAdmin    ? "sy_admin_"
                    : scope == store::KeyScope::kSecret ? "sy_secret_"
                                                        : "sy_proj_";
  const std::size_t length = key.size() + kRandomChars;
  // Rejection sampling keeps every base62 character equally likely.
  while (key.size() < length) {
    std::array<unsigned char, 64> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("the system random generator failed");
    }
    for (unsigned char b : bytes) {
      if (b >= 248) continue;  // 248 = 4 * 62
      key.push_back(kBase62[b % 62]);
      if (key.size() == length) break;
    }
  }
  return key;
}

namespace {

std::string HexDigest(std::string_view key, const EVP_MD* md) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(key.data(), key.size(), digest.data(), &length, md, nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  // Written in place: every authenticated request hashes its key, and push_back's capacity
  // check per digit was a quarter of this function's instructions.
  std::string hex(length * 2, '\0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace

std::string HashApiKey(std::string_view key) {
  return HexDigest(key, EVP_sha256());
}

ApiKeyHasher::ApiKeyHasher() : sha256_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {
  if (sha256_ == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
}

ApiKeyHasher::~ApiKeyHasher() {
  EVP_MD_free(sha256_);
}

std::string ApiKeyHasher::Hash(std::string_view key) const {
  return HexDigest(key, sha256_);
}

std::string ApiKeyPrefix(std::string_view key) {
  return std::string(key.substr(0, kKeyPrefixLength));
}

std::string Principal::ActorName() const {
  return (is_admin() ? "admin:" : "project:") + key_prefix;
}

}  // namespace switchyard::server
