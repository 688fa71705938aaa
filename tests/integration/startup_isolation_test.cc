// The real binary over a database where one project's stored flags do not compile: the server
// starts anyway, serves the other projects, logs the broken one and lists it in /readyz.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "store/sqlite_store.h"
#include "support/json_api.h"
#include "support/server_process.h"
#include "switchyard/flag_json.h"

namespace switchyard {
namespace {

using testing::SendRequest;

using cli::HttpClient;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::ServerProcess;

// Written behind the API's back, as a damaged database or an older binary could leave it.
std::int64_t AddBrokenProject(const std::string& data_dir) {
  auto store = store::OpenSqliteStore((std::filesystem::path(data_dir) / "switchyard.db").string());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  auto project = (*store)->CreateProject("broken", "Broken", {"test"});
  EXPECT_TRUE(project.ok());
  auto flag = FlagFromJson(
      {{"key", "dangling"},
       {"filters",
        {{"groups", {{{"properties", {{{"key", "missing"}, {"type", "flag"}, {"value", true}}}}}}}}}});
  EXPECT_TRUE(flag.ok());
  EXPECT_TRUE((*store)->CreateFlag(project->id, store::Everywhere(*flag), {"test"}).ok());
  return project->id;
}

TEST(StartupIsolationTest, ABrokenProjectDoesNotStopTheServer) {
  ServerProcess first;
  const std::string data_dir = first.data_dir();
  {
    HttpClient client(first.base_url());
    const nlohmann::json good = {{"key", "good"},
                                 {"filters", {{"groups", {{{"properties", nlohmann::json::array()}}}}}}};
    ASSERT_EQ(
        SendRequest(client, "POST", "/api/v1/projects/default/flags", good.dump(), kTestAdminKey).status,
        201);
  }
  first.Stop();
  const std::int64_t broken = AddBrokenProject(data_dir);

  testing::ServerOptions options;
  options.data_dir = data_dir;
  ServerProcess second(options);  // waits until it listens: starting at all is the first check
  HttpClient client(second.base_url());
  auto ready = SendRequest(client, "GET", "/readyz", "", kTestAdminKey);
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ready.body),
            (nlohmann::json{{"status", "degraded"}, {"projects_not_ready", {broken}}}));
  auto served = SendRequest(client, "POST", "/api/v1/evaluate", R"({"distinct_id":"u"})", kTestProjectKey);
  ASSERT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(nlohmann::json::parse(served.body)["flags"]["good"]["enabled"], true);
  EXPECT_NE(second.output().find("broken"), std::string::npos) << "the broken project is logged";
}

}  // namespace
}  // namespace switchyard
