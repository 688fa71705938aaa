// Flag lifecycle from the command line, end to end: archive / unarchive and the lists,
// `flags stale`, and scheduled changes (schedule, list, cancel, and one that fires).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;
using testing::CommandResult;

std::vector<std::string> Keys(const Json& list) {
  std::vector<std::string> keys;
  for (const Json& flag : list["flags"]) keys.push_back(flag["key"]);
  return keys;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST_F(CliTest, ArchiveHidesAFlagFromTheListAndUnarchiveBringsItBack) {
  Ok({"flags", "create", "old-banner", "--rollout", "100"});
  Ok({"flags", "create", "new-banner", "--rollout", "100"});
  EXPECT_EQ(Ok({"flags", "archive", "old-banner"}), "archived flag old-banner (version 2)\n");
  EXPECT_EQ(Ok({"flags", "archive", "old-banner"}), "no change: flag old-banner is already archived\n");
  EXPECT_EQ(Keys(OkJson({"flags", "list"})), std::vector<std::string>{"new-banner"});
  EXPECT_EQ(Keys(OkJson({"flags", "list", "--archived"})), std::vector<std::string>{"old-banner"});
  EXPECT_EQ(Keys(OkJson({"flags", "list", "--include-archived"})),
            (std::vector<std::string>{"new-banner", "old-banner"}));
  EXPECT_FALSE(Contains(Ok({"flags", "list"}), "old-banner"));
  Json evaluated = OkJson({"evaluate", "--user", "alice", "--flag", "old-banner"});
  EXPECT_EQ(evaluated["flags"]["old-banner"]["enabled"], false) << evaluated;

  Json unarchived = OkJson({"flags", "unarchive", "old-banner"});
  EXPECT_EQ(unarchived["archived"], false);
  EXPECT_EQ(unarchived["version"], 3);
  EXPECT_EQ(OkJson({"evaluate", "--user", "alice", "--flag", "old-banner"})["flags"]["old-banner"]["enabled"],
            true);
  ExpectOneLineError(Run({"flags", "archive", "nope"}), 1, "nope");
}

TEST_F(CliTest, StaleListsReasonsAsATableAndAsJson) {
  Ok({"flags", "create", "everyone", "--rollout", "100"});
  Ok({"flags", "create", "half", "--rollout", "50"});
  Ok({"evaluate", "--user", "alice", "--flag", "half"});

  const std::string table = Ok({"flags", "stale", "--days", "0"});
  EXPECT_TRUE(Contains(table, "environment: production, 0 days\n")) << table;
  EXPECT_TRUE(Contains(table, "KEY")) << table;
  EXPECT_TRUE(Contains(table, "fully rolled out")) << table;
  EXPECT_TRUE(Contains(table, "never evaluated")) << table;
  EXPECT_TRUE(Contains(table, "not evaluated")) << table;

  Json report = OkJson({"flags", "stale", "--days", "0"});
  ASSERT_EQ(report["flags"].size(), 2u) << report;
  EXPECT_EQ(report["flags"][0]["key"], "everyone");
  EXPECT_EQ(report["flags"][0]["reasons"][0]["reason"], "fully_rolled_out");
  EXPECT_EQ(report["flags"][1]["key"], "half");
  EXPECT_EQ(report["flags"][1]["reasons"].size(), 1u);
  EXPECT_EQ(report["flags"][1]["reasons"][0]["reason"], "not_evaluated");
  EXPECT_EQ(Ok({"flags", "stale"}), "environment: production, 30 days\nno stale flags\n");
}

TEST_F(CliTest, ScheduleListAndCancelChanges) {
  Ok({"flags", "create", "launch", "--inactive"});
  const std::string scheduled =
      Ok({"flags", "schedule", "launch", "--at", "+1h", "--rollout", "50", "--env", "staging"});
  EXPECT_EQ(scheduled.rfind("scheduled change 1: rollout 50", 0), 0u) << scheduled;
  EXPECT_TRUE(Contains(scheduled, "flag launch in staging at ")) << scheduled;

  const std::string listed = Ok({"flags", "schedules", "launch"});
  EXPECT_TRUE(Contains(listed, "ID")) << listed;
  EXPECT_TRUE(Contains(listed, "staging")) << listed;
  EXPECT_TRUE(Contains(listed, "pending")) << listed;

  EXPECT_EQ(Ok({"flags", "unschedule", "launch", "1"}), "cancelled scheduled change 1 of flag launch\n");
  EXPECT_EQ(OkJson({"flags", "schedules", "launch"})["schedules"][0]["status"], "cancelled");
  ExpectOneLineError(Run({"flags", "unschedule", "launch", "1"}), 1, "cancelled");
  ExpectOneLineError(Run({"flags", "schedule", "launch", "--at", "2020-01-01T00:00:00Z", "--enable"}), 1,
                     "past");
  ExpectOneLineError(Run({"flags", "schedule", "launch", "--at", "+1h"}), 1,
                     "--enable, --disable or --rollout");
  ExpectOneLineError(Run({"flags", "schedule", "launch", "--at", "soon", "--enable"}), 1, "RFC 3339");
  EXPECT_NE(Run({"flags", "schedule", "launch", "--at", "+1h", "--enable", "--disable"}).exit_code, 0);
}

TEST_F(CliTest, AScheduledEnableFiresAndShowsAsDone) {
  Ok({"flags", "create", "soon", "--inactive"});
  Ok({"flags", "schedule", "soon", "--at", "+1s", "--enable"});
  Json last;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    last = OkJson({"flags", "schedules", "soon"})["schedules"][0];
    if (last["status"] != "pending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(last["status"], "done") << last;
  EXPECT_EQ(OkJson({"flags", "get", "soon"})["active"], true);
  EXPECT_TRUE(Contains(Ok({"flags", "schedules", "soon"}), "done")) << Ok({"flags", "schedules", "soon"});
}

}  // namespace
}  // namespace switchyard::cli
