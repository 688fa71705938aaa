// KeyRing: the set of live API keys, held in memory so that authenticating a request never
// touches the store.
//
// Thread-safety: Authenticate may be called from any thread at any time; it reads an immutable
// snapshot. Reload (after a key is created or revoked) publishes a new snapshot atomically.
// Reloads are serialized from the store read to the publication: two overlapping reloads could
// otherwise publish the older read last, and a key revoked in between would authenticate again.
// So once RevokeApiKey and then Reload have returned, the key fails everywhere.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/thread_annotations.h"
#include "server/api_key.h"
#include "store/store.h"
#include "switchyard/status.h"

namespace switchyard::server {

class KeyRing {
 public:
  KeyRing();

  Status Reload(store::Store& store) EXCLUDES(reload_mutex_);

  // `authorization` is the Authorization header value ("Bearer <key>"). Unauthenticated when
  // absent, malformed, unknown or revoked; the message never echoes the key.
  Result<Principal> Authenticate(std::string_view authorization) const;
  // The same for a bare key (a `token` in a query string or body).
  Result<Principal> AuthenticateKey(std::string_view key) const;

 private:
  // Indexed by the key's SHA-256 digest: the digest of a guess reveals nothing about any stored
  // key, so the lookup cannot leak one through timing; the final check is CRYPTO_memcmp.
  using Snapshot = std::unordered_map<std::string, Principal>;
  std::atomic<std::shared_ptr<const Snapshot>> keys_;  // read lock-free; stored under reload_mutex_
  Mutex reload_mutex_;
  ApiKeyHasher hasher_;
};

}  // namespace switchyard::server
