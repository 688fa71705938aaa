// Environments end to end on the real binary: a change in staging leaves production's evaluation
// as it was, keys evaluate their own environment, promotion copies targeting with a diff, no-op
// writes write nothing, and a database from before environments migrates into all three.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "server/api_key.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_migrations.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using cli::HttpClient;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::ServerProcess;

constexpr char kFlags[] = "/api/v1/projects/default/flags";

// A flag that serves everyone when it is on.
json Everyone(const std::string& key, bool active) {
  return {{"key", key}, {"active", active}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}};
}

using Answer = testing::JsonAnswer;
using testing::SendJson;

bool EnabledFor(HttpClient& client, const std::string& key, const std::string& flag) {
  Answer answer = SendJson(client, "POST", "/api/v1/evaluate", {{"distinct_id", "alice"}}, key);
  EXPECT_EQ(answer.status, 200) << answer.body;
  return answer.body["flags"][flag]["enabled"].get<bool>();
}

std::string NewKey(HttpClient& client, const std::string& environment) {
  Answer created = SendJson(client, "POST", "/api/v1/projects/default/keys",
                            {{"label", environment}, {"environment", environment}});
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body["environment"], environment);
  return created.body["key"];
}

TEST(EnvironmentsTest, StagingChangesLeaveProductionEvaluationUnchanged) {
  ServerProcess server;
  HttpClient client(server.base_url());
  const std::string staging_key = NewKey(client, "staging");
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("checkout", false)).status, 201);
  EXPECT_FALSE(EnabledFor(client, kTestProjectKey, "checkout"));  // the first key is production's
  EXPECT_FALSE(EnabledFor(client, staging_key, "checkout"));

  Answer enabled =
      SendJson(client, "POST", std::string(kFlags) + "/checkout/enable?environment=staging", json());
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(enabled.body["environment"], "staging");
  EXPECT_EQ(enabled.body["active"], true);
  EXPECT_TRUE(EnabledFor(client, staging_key, "checkout"));
  EXPECT_FALSE(EnabledFor(client, kTestProjectKey, "checkout"));

  // Reads show each environment; the audit entry names the environment.
  Answer read = SendJson(client, "GET", std::string(kFlags) + "/checkout", json());
  EXPECT_EQ(read.body["active"], false);  // production's at the top level
  EXPECT_EQ(read.body["environments"]["staging"]["active"], true);
  EXPECT_EQ(read.body["environments"]["development"]["active"], false);
  Answer audit =
      SendJson(client, "GET", "/api/v1/projects/default/audit?entity_type=flag&entity_key=checkout", json());
  EXPECT_EQ(audit.body["entries"][0]["environment"], "staging");

  // A project key evaluates its own environment only.
  Answer other = SendJson(client, "POST", "/api/v1/evaluate",
                          {{"distinct_id", "a"}, {"environment", "production"}}, staging_key);
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(other.body["error"]["field"], "environment");
  EXPECT_EQ(SendJson(client, "GET", std::string(kFlags) + "?environment=nope", json()).status, 404);
}

TEST(EnvironmentsTest, PromoteShowsTheDiffThenCopiesTargeting) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, {{"key", "search"}, {"active", true}}).status, 201);
  ASSERT_EQ(SendJson(client, "POST", std::string(kFlags) + "/search/rollout?environment=staging",
                     {{"percentage", 30}})
                .status,
            200);
  const std::string promote = std::string(kFlags) + "/search/promote";
  Answer dry =
      SendJson(client, "POST", promote, {{"from", "staging"}, {"to", "production"}, {"dry_run", true}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.body["changed"].get<bool>());
  EXPECT_EQ(dry.body["after"]["filters"]["groups"][0]["rollout_percentage"], 30);
  EXPECT_EQ(dry.body["before"]["filters"]["groups"], json::array());
  Answer unchanged = SendJson(client, "GET", std::string(kFlags) + "/search?environment=production", json());
  EXPECT_EQ(unchanged.body["filters"]["groups"], json::array());
  EXPECT_EQ(unchanged.body["version"], 2);

  Answer done = SendJson(client, "POST", promote, {{"from", "staging"}, {"to", "production"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.body["version"], 3);
  Answer promoted = SendJson(client, "GET", std::string(kFlags) + "/search?environment=production", json());
  EXPECT_EQ(promoted.body["filters"]["groups"][0]["rollout_percentage"], 30);
  // Promoting again changes nothing and writes nothing.
  Answer again = SendJson(client, "POST", promote, {{"from", "staging"}, {"to", "production"}});
  EXPECT_FALSE(again.body["changed"].get<bool>());
  EXPECT_EQ(again.body["version"], 3);
}

TEST(EnvironmentsTest, NoOpWritesWriteNothing) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, {{"key", "quiet"}}).status, 201);
  Answer enable = SendJson(client, "POST", std::string(kFlags) + "/quiet/enable", json());
  EXPECT_FALSE(enable.body["changed"].get<bool>()) << enable.body;
  EXPECT_EQ(enable.body["version"], 1);
  Answer read = SendJson(client, "GET", std::string(kFlags) + "/quiet", json());
  json same = read.body;
  Answer put = SendJson(client, "PUT", std::string(kFlags) + "/quiet", same);
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_FALSE(put.body["changed"].get<bool>());
  Answer audit =
      SendJson(client, "GET", "/api/v1/projects/default/audit?entity_type=flag&entity_key=quiet", json());
  EXPECT_EQ(audit.body["entries"].size(), 1u);  // the create only
  Answer rollout = SendJson(client, "POST", std::string(kFlags) + "/quiet/rollout", {{"percentage", 40}});
  EXPECT_TRUE(rollout.body["changed"].get<bool>());
  rollout = SendJson(client, "POST", std::string(kFlags) + "/quiet/rollout", {{"percentage", 40}});
  EXPECT_FALSE(rollout.body["changed"].get<bool>());
  EXPECT_EQ(rollout.body["version"], 2);
}

TEST(EnvironmentsTest, AnAddedEnvironmentCopiesTargetingAndSurvivesARestart) {
  ServerProcess first;
  const std::string data_dir = first.data_dir();
  {
    HttpClient client(first.base_url());
    ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("beta", false)).status, 201);
    ASSERT_EQ(
        SendJson(client, "POST", std::string(kFlags) + "/beta/enable?environment=staging", json()).status,
        200);
    Answer qa = SendJson(client, "POST", "/api/v1/projects/default/environments",
                         {{"key", "qa"}, {"name", "QA"}, {"copy_from", "staging"}});
    ASSERT_EQ(qa.status, 201) << qa.body;
    Answer bare = SendJson(client, "POST", "/api/v1/projects/default/environments", {{"key", "perf"}});
    ASSERT_EQ(bare.status, 201) << bare.body;
    EXPECT_EQ(SendJson(client, "POST", "/api/v1/projects/default/environments", {{"key", "qa"}}).status, 409);
  }
  first.Stop();
  testing::ServerOptions options;
  options.data_dir = data_dir;
  ServerProcess second(options);
  HttpClient client(second.base_url());
  EXPECT_TRUE(EnabledFor(client, NewKey(client, "qa"), "beta"));
  EXPECT_FALSE(EnabledFor(client, NewKey(client, "perf"), "beta"));  // a new environment serves it off
  Answer list = SendJson(client, "GET", "/api/v1/projects/default/environments", json());
  ASSERT_EQ(list.body["environments"].size(), 5u);
  EXPECT_EQ(list.body["environments"][3]["key"], "qa");
}

// A database written before environments existed (schema 1), as a previous release left it.
TEST(EnvironmentsTest, DataFromBeforeEnvironmentsMigratesIntoEveryEnvironment) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sy-migrate-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto connection = store::sqlite::Connection::Open((dir / "switchyard.db").string(), /*create=*/true);
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    auto& db = **connection;
    ASSERT_TRUE(db.Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        " applied_at TEXT NOT NULL)")
                    .ok());
    ASSERT_TRUE(db.Exec(std::string(store::sqlite::Migrations()[0].sql)).ok());
    ASSERT_TRUE(
        db.Exec("INSERT INTO schema_migrations VALUES (1, 'initial schema', '2026-01-01T00:00:00.000Z');"
                "INSERT INTO projects (slug, name, created_at) VALUES ('default', 'Default', 'x');")
            .ok());
    // The keys the test server uses, stored as release 1 stored them (hash only, no environment).
    for (const auto& [scope, key] :
         {std::pair<std::string, std::string>{"admin", kTestAdminKey}, {"project", kTestProjectKey}}) {
      const std::string project = scope == "admin" ? "NULL" : "1";
      ASSERT_TRUE(
          db.Exec("INSERT INTO api_keys (scope, project_id, label, prefix, hash_hex, created_at) VALUES ('" +
                  scope + "', " + project + ", 'old', '" + server::ApiKeyPrefix(key) + "', '" +
                  server::HashApiKey(key) + "', 'x')")
              .ok());
    }
    const json old_flag = {
        {"key", "legacy"},
        {"name", "Legacy"},
        {"description", ""},
        {"tags", json::array()},
        {"active", true},
        {"version", 4},
        {"filters", {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 100}}}}}}};
    ASSERT_TRUE(db.Exec("INSERT INTO flags VALUES (1, 'legacy', 4, 1, 'Legacy', '', '[]', '" +
                        old_flag.dump() + "', 'x', 'x', 'admin')")
                    .ok());
  }
  testing::ServerOptions options;
  options.data_dir = dir.string();
  ServerProcess server(options);
  HttpClient client(server.base_url());
  EXPECT_TRUE(EnabledFor(client, kTestProjectKey, "legacy"));  // the old key evaluates production
  Answer read = SendJson(client, "GET", std::string(kFlags) + "/legacy", json());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.body["version"], 4);
  for (const char* environment : {"development", "staging", "production"}) {
    EXPECT_EQ(read.body["environments"][environment]["active"], true) << environment;
    EXPECT_EQ(read.body["environments"][environment]["filters"]["groups"][0]["rollout_percentage"], 100);
  }
  Answer keys = SendJson(client, "GET", "/api/v1/projects/default/keys", json());
  EXPECT_EQ(keys.body["keys"][0]["environment"], "production");
  server.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace switchyard
