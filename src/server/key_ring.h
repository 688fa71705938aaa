// KeyRing: the set of live API keys, held in memory so that authenticating a request never
// touches the store.
//
// Thread-safety: Authenticate may be called from any thread at any time; it reads an immutable
// snapshot. Reload (after a key is created or revoked) publishes a new snapshot atomically.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/api_key.h"
#include "store/store.h"
#include "switchyard/status.h"

namespace switchyard::server {

class KeyRing {
 public:
  KeyRing();

  Status Reload(store::Store& store);

  // `authorization` is the Authorization header value ("Bearer <key>"). Unauthenticated when
  // absent, malformed, unknown or revoked; the message never echoes the key.
  Result<Principal> Authenticate(std::string_view authorization) const;

 private:
  // Indexed by the key's SHA-256 digest: the digest of a guess reveals nothing about any stored
  // key, so the lookup cannot leak one through timing; the final check is CRYPTO_memcmp.
  using Snapshot = std::unordered_map<std::string, Principal>;
  std::atomic<std::shared_ptr<const Snapshot>> keys_;
  ApiKeyHasher hasher_;
};

}  // namespace switchyard::server
