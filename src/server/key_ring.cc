#include "server/key_ring.h"

#include <openssl/crypto.h>

namespace switchyard::server {

KeyRing::KeyRing() : keys_(std::make_shared<const Snapshot>()) {}

Status KeyRing::Reload(store::Store& store) {
  MutexLock lock(reload_mutex_);
  auto keys = store.ListApiKeys();
  if (!keys.ok()) return keys.status();
  auto environments = store.ListAllEnvironments();
  if (!environments.ok()) return environments.status();
  std::unordered_map<std::int64_t, std::string> environment_keys;
  for (const auto& environment : *environments) environment_keys[environment.id] = environment.key;
  auto snapshot = std::make_shared<Snapshot>();
  for (const auto& key : *keys) {
    if (key.revoked) continue;
    Principal principal{key.scope, key.project_id, key.environment_id, "", key.prefix};
    if (key.environment_id) principal.environment = environment_keys[*key.environment_id];
    (*snapshot)[key.hash_hex] = std::move(principal);
  }
  keys_.store(std::move(snapshot));
  return Status::Ok();
}

Result<Principal> KeyRing::Authenticate(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty())
    return Status::Unauthenticated("missing Authorization header (expected: Bearer <key>)");
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer) {
    return Status::Unauthenticated("malformed Authorization header (expected: Bearer <key>)");
  }
  return AuthenticateKey(authorization.substr(kBearer.size()));
}

Result<Principal> KeyRing::AuthenticateKey(std::string_view key) const {
  if (key.empty()) return Status::Unauthenticated("missing API key");
  std::string digest = hasher_.Hash(key);
  auto snapshot = keys_.load();
  auto it = snapshot->find(digest);
  if (it == snapshot->end() || CRYPTO_memcmp(it->first.data(), digest.data(), digest.size()) != 0) {
    return Status::Unauthenticated("invalid or revoked API key");
  }
  return it->second;
}

}  // namespace switchyard::server
