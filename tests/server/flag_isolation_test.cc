// Isolation of a project whose flags cannot be published: the server starts and serves the other
// projects, /readyz names it, a write that is stored but not published answers 500 (not 200), and
// the next write converges. Failures are injected with FaultyStore.
#include <gtest/gtest.h>

#include "server/api_harness.h"
#include "server/faulty_store.h"
#include "store/memory_store.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;
using testing::ApiHarness;
using testing::FaultyStore;
using testing::Json;
using testing::kProjectKey;

json Always(const std::string& key) {
  return {{"key", key}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}};
}

json DependsOn(const std::string& key, const std::string& prerequisite) {
  return {{"key", key},
          {"filters",
           {{"groups", {{{"properties", {{{"key", prerequisite}, {"type", "flag"}, {"value", true}}}}}}}}}};
}

// A project whose stored definitions do not compile ("dangling" names a flag that is not there),
// written behind the API's back as an older binary or a damaged database could leave it.
std::int64_t AddBrokenProject(store::Store& store) {
  auto project = store.CreateProject("broken", "Broken", {"test"});
  EXPECT_TRUE(project.ok());
  auto flag = FlagFromJson(DependsOn("dangling", "missing"));
  EXPECT_TRUE(flag.ok());
  EXPECT_TRUE(store.CreateFlag(project->id, store::Everywhere(*flag), {"test"}).ok());
  return project->id;
}

json EvaluateIn(ApiHarness& api, const std::string& project) {
  return Json(api.Call("POST", "/api/v1/evaluate", json{{"distinct_id", "u"}, {"project", project}}));
}

TEST(FlagIsolationTest, BrokenProjectDoesNotStopTheOthers) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", "/api/v1/projects/default/flags", Always("good")).status, 201);
  const std::int64_t broken = AddBrokenProject(api.store());

  // What serve does at start.
  ASSERT_TRUE(api.snapshots().ReloadAll(api.store()).ok());
  auto ready = api.Call("GET", "/readyz", "", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Json(ready), (json{{"status", "degraded"}, {"projects_not_ready", {broken}}}));
  auto served = Json(api.Call("POST", "/api/v1/evaluate", json{{"distinct_id", "u"}}, kProjectKey));
  EXPECT_EQ(served["flags"]["good"]["enabled"], true);

  // A write that repairs the project is validated against the store and publishes it.
  ASSERT_EQ(api.Call("POST", "/api/v1/projects/broken/flags", Always("missing")).status, 201);
  EXPECT_EQ(Json(api.Call("GET", "/readyz", "", "")), (json{{"status", "ready"}}));
  EXPECT_EQ(EvaluateIn(api, "broken")["flags"]["dangling"]["enabled"], true);
}

TEST(FlagIsolationTest, BrokenWriteIsStillRefused) {
  ApiHarness api;
  const std::int64_t broken = AddBrokenProject(api.store());
  ASSERT_TRUE(api.snapshots().ReloadAll(api.store()).ok());
  auto refused = api.Call("POST", "/api/v1/projects/broken/flags", Always("unrelated"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Json(refused)["error"]["field"], "filters.groups[0].properties[0].key");
  EXPECT_FALSE(api.store().GetFlag(broken, "unrelated").ok());
}

TEST(FlagIsolationTest, StoredButUnpublishedWriteIsAnErrorAndTheNextWriteConverges) {
  auto owned = std::make_unique<FaultyStore>(store::NewMemoryStore());
  FaultyStore& faulty = *owned;
  ApiHarness api(std::move(owned));
  const std::int64_t broken = AddBrokenProject(api.store());
  ASSERT_TRUE(api.snapshots().ReloadAll(api.store()).ok());

  // Stored, then the rebuild that would publish it cannot read the definitions back.
  faulty.fail_reads_after_next_write = true;
  auto saved = api.Call("POST", "/api/v1/projects/broken/flags", Always("missing"));
  EXPECT_EQ(saved.status, 500) << saved.body;
  EXPECT_EQ(Json(saved)["error"]["code"], "internal");
  EXPECT_NE(Json(saved)["error"]["message"].get<std::string>().find("saved"), std::string::npos);
  EXPECT_TRUE(api.store().GetFlag(broken, "missing").ok());  // durable
  EXPECT_EQ(Json(api.Call("GET", "/readyz", "", ""))["projects_not_ready"], json::array({broken}));
  faulty.fail_definition_reads = false;
  EXPECT_EQ(EvaluateIn(api, "broken")["flags"].size(), 0u);  // still the old (empty) snapshot

  // The next write to the project rebuilds it from the store first.
  ASSERT_EQ(api.Call("POST", "/api/v1/projects/broken/flags", Always("second")).status, 201);
  EXPECT_EQ(Json(api.Call("GET", "/readyz", "", "")), (json{{"status", "ready"}}));
  auto flags = EvaluateIn(api, "broken")["flags"];
  EXPECT_EQ(flags["missing"]["enabled"], true);
  EXPECT_EQ(flags["dangling"]["enabled"], true);
  EXPECT_EQ(flags["second"]["enabled"], true);
}

TEST(FlagIsolationTest, ListingFailureAtStartIsReportedPerProject) {
  auto owned = std::make_unique<FaultyStore>(store::NewMemoryStore());
  FaultyStore& faulty = *owned;
  ApiHarness api(std::move(owned));
  faulty.fail_definition_reads = true;
  EXPECT_TRUE(api.snapshots().ReloadAll(api.store()).ok());
  EXPECT_FALSE(api.snapshots().NotReady().empty());
  faulty.fail_definition_reads = false;
  EXPECT_TRUE(api.snapshots().ReloadAll(api.store()).ok());
  EXPECT_TRUE(api.snapshots().NotReady().empty());
}

}  // namespace
}  // namespace switchyard::server
