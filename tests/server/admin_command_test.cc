// `switchyard admin reset-key`'s store side: a new admin key, nothing else changed.
#include "server/admin_command.h"

#include <gtest/gtest.h>

#include "server/api_key.h"
#include "server/key_ring.h"
#include "store/memory_store.h"

namespace switchyard::server {
namespace {

store::ApiKey StoredKey(const std::string& plaintext, std::optional<std::int64_t> project_id) {
  store::ApiKey key;
  key.scope = project_id ? store::KeyScope::kProject : store::KeyScope::kAdmin;
  key.project_id = project_id;
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  return key;
}

TEST(AdminResetKeyTest, IssuesAWorkingAdminKeyAndChangesNoOtherKey) {
  store::MemoryStore store;
  const store::Actor actor{"admin:test"};
  const std::int64_t project = store.CreateProject("default", "Default", actor)->id;
  const std::string lost_admin = GenerateApiKey(store::KeyScope::kAdmin);
  const std::string revoked_admin = GenerateApiKey(store::KeyScope::kAdmin);
  const std::string project_key = GenerateApiKey(store::KeyScope::kProject);
  ASSERT_TRUE(store.CreateApiKey(StoredKey(lost_admin, std::nullopt), actor).ok());
  auto revoked = store.CreateApiKey(StoredKey(revoked_admin, std::nullopt), actor);
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(store.RevokeApiKey(revoked->id, actor).ok());
  ASSERT_TRUE(store.CreateApiKey(StoredKey(project_key, project), actor).ok());
  const auto before = *store.ListApiKeys();

  auto issued = IssueRecoveryAdminKey(store);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();

  KeyRing ring;
  ASSERT_TRUE(ring.Reload(store).ok());
  auto principal = ring.Authenticate("Bearer " + *issued);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_TRUE(principal->is_admin());
  EXPECT_TRUE(ring.Authenticate("Bearer " + lost_admin).ok());
  EXPECT_TRUE(ring.Authenticate("Bearer " + project_key).ok());
  EXPECT_FALSE(ring.Authenticate("Bearer " + revoked_admin).ok());

  const auto after = *store.ListApiKeys();
  ASSERT_EQ(after.size(), before.size() + 1);
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].prefix, before[i].prefix);
    EXPECT_EQ(after[i].revoked, before[i].revoked);
  }
  EXPECT_EQ(after.back().hash_hex, HashApiKey(*issued));  // the hash, never the key

  auto audit = store.ListAudit({});
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->front().actor, "system:reset-key");
  EXPECT_EQ(audit->front().action, "api_key.create");
  EXPECT_EQ(audit->front().entity_key, ApiKeyPrefix(*issued));
}

TEST(AdminResetKeyTest, EachCallIssuesADifferentKey) {
  store::MemoryStore store;
  auto first = IssueRecoveryAdminKey(store);
  auto second = IssueRecoveryAdminKey(store);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*first, *second);
  EXPECT_EQ(store.ListApiKeys()->size(), 2u);
}

}  // namespace
}  // namespace switchyard::server
