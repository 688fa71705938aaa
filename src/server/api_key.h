// API keys: generation, hashing and the principal a key authenticates as.
//
// Keys are random 32-character base62 strings behind a readable scope prefix ("sy_admin_...",
// "sy_proj_...", "sy_secret_..."). Only their SHA-256 digest is stored. A fast hash is right here (unlike for
// passwords): the keys carry ~190 bits of entropy, so there is nothing to brute-force.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"

struct evp_md_st;

namespace switchyard::server {

inline constexpr std::size_t kMinKeyLength = 24;
inline constexpr std::size_t kKeyPrefixLength = 12;

// A fresh random key for the scope (OpenSSL RAND_bytes).
std::string GenerateApiKey(store::KeyScope scope);

// Lower-case hex SHA-256 of the key.
std::string HashApiKey(std::string_view key);

// The same with a SHA-256 fetched once (EVP_MD_fetch): OpenSSL 3 otherwise looks the algorithm
// up on every call, which costs more than hashing a key (measured ~0.5 µs per request).
class ApiKeyHasher {
 public:
  ApiKeyHasher();
  ~ApiKeyHasher();
  ApiKeyHasher(const ApiKeyHasher&) = delete;
  ApiKeyHasher& operator=(const ApiKeyHasher&) = delete;

  // Thread-safe: a fetched EVP_MD is immutable and may be shared.
  std::string Hash(std::string_view key) const;

 private:
  evp_md_st* sha256_;
};

// The public part shown in listings and audit entries: the first kKeyPrefixLength characters.
std::string ApiKeyPrefix(std::string_view key);

// Who a request is, once its key is verified.
struct Principal {
  store::KeyScope scope = store::KeyScope::kProject;
  std::optional<std::int64_t> project_id;      // set for project keys
  std::optional<std::int64_t> environment_id;  // set for project keys: the environment they evaluate
  std::string environment;                     // and its key
  std::string key_prefix;

  bool is_admin() const { return scope == store::KeyScope::kAdmin; }
  // Admin and secret keys may read flag definitions (local evaluation); project keys ship in
  // apps and may not.
  bool may_read_definitions() const { return scope != store::KeyScope::kProject; }
  // For the audit log: "admin:sy_admin_Ab3" — never the key itself.
  std::string ActorName() const;
};

}  // namespace switchyard::server
