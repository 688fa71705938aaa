// Flag lifecycle end to end on the real binary: an archived flag evaluates off and leaves the
// default list, prerequisites block archiving, the stale report (with evaluation counts that
// survive a restart), and scheduled changes, one of which fires across a restart.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "store/timestamp.h"
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

json Everyone(const std::string& key, bool active = true) {
  return {{"key", key}, {"active", active}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}};
}

using Answer = testing::JsonAnswer;
using testing::SendJson;

json Evaluation(HttpClient& client, const std::string& flag) {
  Answer answer = SendJson(client, "POST", "/api/v1/evaluate", {{"distinct_id", "alice"}, {"flags", {flag}}},
                           kTestProjectKey);
  EXPECT_EQ(answer.status, 200) << answer.body;
  return answer.body["flags"][flag];
}

std::vector<std::string> ListedKeys(HttpClient& client, const std::string& query = "") {
  Answer answer = SendJson(client, "GET", std::string(kFlags) + query);
  EXPECT_EQ(answer.status, 200) << answer.body;
  std::vector<std::string> keys;
  for (const json& flag : answer.body["flags"]) keys.push_back(flag["key"]);
  return keys;
}

// The stale report's reasons for `key` ("" when it is not listed).
std::vector<std::string> StaleReasons(HttpClient& client, const std::string& key, const std::string& query) {
  Answer answer = SendJson(client, "GET", std::string(kFlags) + "/stale" + query);
  EXPECT_EQ(answer.status, 200) << answer.body;
  std::vector<std::string> reasons;
  for (const json& flag : answer.body["flags"]) {
    if (flag["key"] != key) continue;
    for (const json& reason : flag["reasons"]) reasons.push_back(reason["reason"]);
  }
  return reasons;
}

TEST(FlagLifecycleTest, ArchivedFlagEvaluatesOffAndLeavesTheDefaultList) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("legacy")).status, 201);
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("current")).status, 201);
  EXPECT_EQ(Evaluation(client, "legacy")["enabled"], true);

  Answer archived = SendJson(client, "POST", std::string(kFlags) + "/legacy/archive", {{"version", 1}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(archived.body["archived"], true);
  EXPECT_EQ(archived.body["changed"], true);
  EXPECT_EQ(archived.body["version"], 2);

  json evaluated = Evaluation(client, "legacy");
  EXPECT_EQ(evaluated["enabled"], false);
  EXPECT_EQ(evaluated["reason"], "disabled");
  Answer batch =
      SendJson(client, "POST", "/api/v1/evaluate/batch",
               {{"users", {{{"distinct_id", "bob"}}}}, {"flags", {"legacy", "current"}}}, kTestProjectKey);
  ASSERT_EQ(batch.status, 200);
  EXPECT_EQ(batch.body["flags"]["legacy"]["enabled"], false) << batch.body;
  EXPECT_EQ(batch.body["flags"]["current"]["enabled"], true) << batch.body;

  EXPECT_EQ(ListedKeys(client), std::vector<std::string>{"current"});
  EXPECT_EQ(ListedKeys(client, "?archived=true"), std::vector<std::string>{"legacy"});
  EXPECT_EQ(ListedKeys(client, "?archived=any"), (std::vector<std::string>{"current", "legacy"}));
  EXPECT_EQ(SendJson(client, "GET", std::string(kFlags) + "?archived=maybe").status, 400);
  Answer read = SendJson(client, "GET", std::string(kFlags) + "/legacy");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["archived"], true);
  EXPECT_TRUE(read.body["archived_at"].is_string());
  EXPECT_EQ(read.body["environments"]["production"]["active"], true);  // kept for unarchiving

  // Archiving twice writes nothing; a stale version is refused like any flag write.
  EXPECT_EQ(SendJson(client, "POST", std::string(kFlags) + "/legacy/archive").body["changed"], false);
  EXPECT_EQ(SendJson(client, "POST", std::string(kFlags) + "/legacy/unarchive", {{"version", 1}}).status,
            409);
  // Targeting may still be edited; it stays off while archived.
  Answer disabled = SendJson(client, "POST", std::string(kFlags) + "/legacy/disable");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  Answer enabled = SendJson(client, "POST", std::string(kFlags) + "/legacy/enable");
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(Evaluation(client, "legacy")["enabled"], false);

  Answer unarchived = SendJson(client, "POST", std::string(kFlags) + "/legacy/unarchive");
  ASSERT_EQ(unarchived.status, 200) << unarchived.body;
  EXPECT_EQ(unarchived.body["archived"], false);
  EXPECT_EQ(Evaluation(client, "legacy")["enabled"], true);
  EXPECT_EQ(ListedKeys(client), (std::vector<std::string>{"current", "legacy"}));

  Answer audit = SendJson(client, "GET", "/api/v1/projects/default/audit?entity_key=legacy");
  std::vector<std::string> actions;
  for (const json& entry : audit.body["entries"]) actions.push_back(entry["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"flag.unarchive", "flag.update", "flag.update", "flag.archive",
                                               "flag.create"}));
}

TEST(FlagLifecycleTest, AFlagOthersDependOnCannotBeArchived) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("base")).status, 201);
  json dependant = Everyone("child");
  dependant["filters"]["groups"][0]["properties"] = {
      {{"key", "base"}, {"type", "flag"}, {"operator", "flag_evaluates_to"}, {"value", true}}};
  ASSERT_EQ(SendJson(client, "POST", kFlags, dependant).status, 201);

  Answer refused = SendJson(client, "POST", std::string(kFlags) + "/base/archive");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("'child'"), std::string::npos)
      << refused.body;
  EXPECT_EQ(Evaluation(client, "base")["enabled"], true);  // nothing changed

  ASSERT_EQ(SendJson(client, "POST", std::string(kFlags) + "/child/archive").status, 200);
  EXPECT_EQ(SendJson(client, "POST", std::string(kFlags) + "/base/archive").status, 200);
}

TEST(FlagLifecycleTest, StaleReportNamesReasonsAndEvaluationCountsSurviveARestart) {
  ServerProcess first;
  HttpClient client(first.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("everyone")).status, 201);
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("switched-off", false)).status, 201);
  json half = Everyone("half");
  half["filters"]["groups"][0]["rollout_percentage"] = 50;
  ASSERT_EQ(SendJson(client, "POST", kFlags, half).status, 201);
  Evaluation(client, "half");

  // days=0: everything unchanged "for 0 days" counts, so the reasons show without waiting.
  EXPECT_EQ(StaleReasons(client, "everyone", "?days=0"),
            (std::vector<std::string>{"fully_rolled_out", "never_evaluated"}));
  EXPECT_EQ(StaleReasons(client, "switched-off", "?days=0"),
            (std::vector<std::string>{"fully_off", "never_evaluated"}));
  EXPECT_EQ(StaleReasons(client, "half", "?days=0"), std::vector<std::string>{"not_evaluated"});
  Answer paged = SendJson(client, "GET", std::string(kFlags) + "/stale?days=0&limit=1");
  EXPECT_EQ(paged.body["flags"].size(), 1u);
  EXPECT_TRUE(paged.body["next_cursor"].is_string()) << paged.body;
  // Nothing is 30 days old here.
  EXPECT_TRUE(SendJson(client, "GET", std::string(kFlags) + "/stale").body["flags"].empty());
  // The counts are per environment: staging never evaluated "half".
  EXPECT_EQ(StaleReasons(client, "half", "?days=0&environment=staging"),
            std::vector<std::string>{"never_evaluated"});
  EXPECT_EQ(SendJson(client, "GET", std::string(kFlags) + "/stale?days=-1").status, 400);
  EXPECT_EQ(SendJson(client, "GET", std::string(kFlags) + "/stale?environment=nope").status, 404);

  // A clean stop writes the counts; the next start still knows "half" was evaluated.
  ASSERT_EQ(first.Stop(), 0);
  testing::ServerOptions options;
  options.data_dir = first.data_dir();
  ServerProcess second(options);
  HttpClient again(second.base_url());
  EXPECT_EQ(StaleReasons(again, "half", "?days=0"), std::vector<std::string>{"not_evaluated"});
}

// Polls `done` until it holds or `deadline` passes (a wait for an event, not a timing assert).
template <typename Done>
bool WaitFor(Done done, std::chrono::seconds deadline = std::chrono::seconds(30)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

TEST(FlagLifecycleTest, AScheduledChangeFiresAcrossARestart) {
  ServerProcess first;
  HttpClient client(first.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("launch", false)).status, 201);
  const auto at = std::chrono::system_clock::now() + std::chrono::seconds(3);
  Answer scheduled = SendJson(
      client, "POST", std::string(kFlags) + "/launch/schedules",
      {{"at", store::FormatTimestamp(at)}, {"environment", "production"}, {"change", {{"active", true}}}});
  ASSERT_EQ(scheduled.status, 201) << scheduled.body;
  const std::int64_t id = scheduled.body["id"];
  EXPECT_EQ(scheduled.body["status"], "pending");
  ASSERT_EQ(first.Stop(), 0);

  // Down past the time: the change is due while no server runs.
  while (std::chrono::system_clock::now() < at + std::chrono::seconds(1))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  testing::ServerOptions options;
  options.data_dir = first.data_dir();
  ServerProcess second(options);
  HttpClient again(second.base_url());
  EXPECT_TRUE(WaitFor([&] { return Evaluation(again, "launch")["enabled"] == true; }));

  Answer listed = SendJson(again, "GET", std::string(kFlags) + "/launch/schedules");
  ASSERT_EQ(listed.body["schedules"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.body["schedules"][0]["status"], "done");
  EXPECT_TRUE(listed.body["schedules"][0]["fired_at"].is_string());
  Answer audit = SendJson(again, "GET", "/api/v1/projects/default/audit?entity_key=launch");
  const json& fired = audit.body["entries"][0];
  EXPECT_EQ(fired["action"], "flag.update");
  EXPECT_EQ(fired["environment"], "production");
  EXPECT_EQ(fired["actor"].get<std::string>().rfind("schedule:" + std::to_string(id) + " (by admin:", 0), 0u)
      << fired;
  EXPECT_EQ(fired["after"]["environments"]["production"]["active"], true);
  EXPECT_EQ(fired["after"]["environments"]["staging"]["active"], false);
}

TEST(FlagLifecycleTest, SchedulesAreCheckedCancelledAndFailWhenTheFlagIsGone) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, Everyone("promo", false)).status, 201);
  const std::string schedules = std::string(kFlags) + "/promo/schedules";
  const std::string later = store::FormatTimestamp(std::chrono::system_clock::now() + std::chrono::hours(24));

  Answer past =
      SendJson(client, "POST", schedules, {{"at", "2020-01-01T00:00:00Z"}, {"change", {{"active", true}}}});
  EXPECT_EQ(past.status, 422);
  EXPECT_EQ(past.body["error"]["field"], "at");
  Answer bad =
      SendJson(client, "POST", schedules, {{"at", later}, {"change", {{"rollout_percentage", 120}}}});
  EXPECT_EQ(bad.body["error"]["field"], "change.rollout_percentage");
  Answer typo = SendJson(client, "POST", schedules, {{"at", later}, {"change", {{"activ", true}}}});
  EXPECT_EQ(typo.body["error"]["field"], "change.activ");
  Answer unknown_env = SendJson(client, "POST", schedules,
                                {{"at", later}, {"environment", "qa"}, {"change", {{"active", true}}}});
  EXPECT_EQ(unknown_env.body["error"]["field"], "environment");
  EXPECT_EQ(SendJson(client, "POST", std::string(kFlags) + "/nope/schedules",
                     {{"at", later}, {"change", {{"active", true}}}})
                .status,
            404);

  Answer pending =
      SendJson(client, "POST", schedules, {{"at", later}, {"change", {{"rollout_percentage", 25}}}});
  ASSERT_EQ(pending.status, 201) << pending.body;
  const std::string one = schedules + "/" + std::to_string(pending.body["id"].get<std::int64_t>());
  Answer cancelled = SendJson(client, "DELETE", one);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  EXPECT_EQ(SendJson(client, "DELETE", one).status, 409);
  EXPECT_EQ(SendJson(client, "DELETE", schedules + "/999").status, 404);

  // Due now (within the grace), but the flag is deleted first: the change fails and says why.
  Answer doomed =
      SendJson(client, "POST", schedules,
               {{"at", store::FormatTimestamp(std::chrono::system_clock::now() + std::chrono::seconds(2))},
                {"change", {{"active", true}}}});
  ASSERT_EQ(doomed.status, 201) << doomed.body;
  ASSERT_EQ(SendJson(client, "DELETE", std::string(kFlags) + "/promo").status, 204);
  json last;
  EXPECT_TRUE(WaitFor([&] {
    last = SendJson(client, "GET", schedules).body["schedules"].back();
    return last["status"] != "pending";
  }));
  EXPECT_EQ(last["status"], "failed") << last;
  EXPECT_NE(last["result"].get<std::string>().find("promo"), std::string::npos) << last;
}

}  // namespace
}  // namespace switchyard
