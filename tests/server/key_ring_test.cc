// KeyRing: a revoked key fails from the moment RevokeApiKey and Reload have returned, however
// reloads overlap.
#include "server/key_ring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/api_key.h"
#include "store/memory_store.h"
#include "support/forwarding_store.h"

namespace switchyard::server {
namespace {

const store::Actor kActor{"admin:test"};

// Stores a fresh project key for the project and returns its id and plaintext.
std::pair<std::int64_t, std::string> AddKey(store::Store& store, std::int64_t project_id) {
  std::string plaintext = GenerateApiKey(store::KeyScope::kProject);
  store::ApiKey key;
  key.scope = store::KeyScope::kProject;
  key.project_id = project_id;
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  auto created = store.CreateApiKey(key, kActor);
  if (!created.ok()) throw std::runtime_error(created.status().ToString());
  return {created->id, plaintext};
}

// Holds the first ListApiKeys of a reload between reading the keys and returning them, until
// the test lets it go: the window in which a second reload can overtake it.
class PausingStore : public test_doubles::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  Result<std::vector<store::ApiKey>> ListApiKeys() override {
    auto keys = ForwardingStore::ListApiKeys();
    std::unique_lock lock(mu_);
    if (armed_) {
      armed_ = false;
      paused_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return !paused_; });
    }
    return keys;
  }

  void Arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
  }
  void WaitUntilPaused() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return paused_; });
  }
  void Resume() {
    std::lock_guard lock(mu_);
    paused_ = false;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool armed_ = false;
  bool paused_ = false;
};

TEST(KeyRingTest, AReloadThatReadBeforeARevokeCannotPublishAfterIt) {
  store::MemoryStore memory;
  PausingStore store(memory);
  const std::int64_t project = memory.CreateProject("acme", "Acme", kActor)->id;
  auto [key_id, plaintext] = AddKey(store, project);
  KeyRing ring;
  ASSERT_TRUE(ring.Reload(store).ok());
  ASSERT_TRUE(ring.Authenticate("Bearer " + plaintext).ok());

  // Reload A reads the keys while the key is live, then pauses before publishing.
  store.Arm();
  auto stale = std::async(std::launch::async, [&] { return ring.Reload(store); });
  store.WaitUntilPaused();

  // The revoke: the store change, then reload B, as the DELETE handler does.
  ASSERT_TRUE(store.RevokeApiKey(key_id, kActor).ok());
  auto fresh = std::async(std::launch::async, [&] { return ring.Reload(store); });
  // Unserialized, B publishes now and A's older read lands last. Serialized, B waits for A, so
  // this wait only runs out; it bounds the test, it asserts nothing.
  fresh.wait_for(std::chrono::seconds(2));
  store.Resume();
  ASSERT_TRUE(stale.get().ok());
  ASSERT_TRUE(fresh.get().ok());

  EXPECT_EQ(ring.Authenticate("Bearer " + plaintext).status().code(), StatusCode::kUnauthenticated);
}

TEST(KeyRingTest, RevokedKeysFailWhileOtherReloadsRun) {
  store::MemoryStore store;
  const std::int64_t project = store.CreateProject("acme", "Acme", kActor)->id;
  constexpr int kKeys = 40;
  std::vector<std::pair<std::int64_t, std::string>> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back(AddKey(store, project));
  KeyRing ring;
  ASSERT_TRUE(ring.Reload(store).ok());

  std::atomic<bool> done = false;
  std::vector<std::thread> reloaders;
  for (int t = 0; t < 3; ++t) {
    reloaders.emplace_back([&] {
      while (!done) EXPECT_TRUE(ring.Reload(store).ok());
    });
  }
  std::vector<std::string> still_authenticating;
  for (const auto& [id, plaintext] : keys) {
    ASSERT_TRUE(store.RevokeApiKey(id, kActor).ok());
    ASSERT_TRUE(ring.Reload(store).ok());
    // Every key revoked so far must fail now, whatever the other reloads are doing.
    for (const auto& [other_id, other_plaintext] : keys) {
      if (other_id > id) break;
      if (ring.Authenticate("Bearer " + other_plaintext).ok())
        still_authenticating.push_back(other_plaintext);
    }
  }
  done = true;
  for (std::thread& thread : reloaders) thread.join();
  EXPECT_TRUE(still_authenticating.empty()) << still_authenticating.size() << " revoked keys authenticated";
}

TEST(KeyRingTest, UnknownMalformedAndMissingKeysAreUnauthenticated) {
  store::MemoryStore store;
  KeyRing ring;
  ASSERT_TRUE(ring.Reload(store).ok());
  for (const char* header : {"", "Bearer ", "Basic abc", "Bearer sy_proj_unknown_0123456789abcdef"}) {
    EXPECT_EQ(ring.Authenticate(header).status().code(), StatusCode::kUnauthenticated) << header;
  }
  for (const char* key : {"", "sy_proj_unknown_0123456789abcdef"}) {
    EXPECT_EQ(ring.AuthenticateKey(key).status().code(), StatusCode::kUnauthenticated) << key;
  }
}

TEST(KeyRingTest, ABareKeyAuthenticatesAsItsBearerHeaderDoes) {
  store::MemoryStore store;
  const std::int64_t project = store.CreateProject("acme", "Acme", kActor)->id;
  auto [key_id, plaintext] = AddKey(store, project);
  KeyRing ring;
  ASSERT_TRUE(ring.Reload(store).ok());
  auto bare = ring.AuthenticateKey(plaintext);
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_EQ(bare->project_id, project);
  EXPECT_EQ(bare->key_prefix, ring.Authenticate("Bearer " + plaintext)->key_prefix);
  ASSERT_TRUE(store.RevokeApiKey(key_id, kActor).ok());
  ASSERT_TRUE(ring.Reload(store).ok());
  EXPECT_EQ(ring.AuthenticateKey(plaintext).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace switchyard::server

namespace switchyard::server {
namespace {

// Stored hashes must stay readable across versions: the hash is SHA-256 in lower-case hex, and
// both hashers give it (FIPS 180-2's vector for "abc", and the empty string's).
TEST(ApiKeyHashTest, HashesAreLowerCaseHexSha256) {
  EXPECT_EQ(HashApiKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ApiKeyHasher hasher;
  EXPECT_EQ(hasher.Hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hasher.Hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace switchyard::server
