#include "server/flag_definitions.h"
#include "server/posthog_flag_id.h"

#include <gtest/gtest.h>

#include "core/flag_test_util.h"

namespace switchyard::server {
namespace {

using nlohmann::json;
using testing_util::BuildSet;

json Filter(const char* key, const char* type, const char* op, json value) {
  return json{{"key", key}, {"type", type}, {"operator", op}, {"value", std::move(value)}};
}

TEST(FlagDefinitionsTest, ShipsPostHogFlagObjectsGroupMappingAndCohorts) {
  auto set = BuildSet(
      {json{{"key", "base"}, {"filters", {{"groups", json::array({{{"rollout_percentage", 50}}})}}}},
       json{{"key", "company-beta"},
            {"filters",
             {{"aggregation_group_type_index", 0},
              {"groups", json::array({{{"properties",
                                        json::array({Filter("tier", "group", "exact", "enterprise")})}}})},
              {"payloads", {{"true", {{"seats", 10}}}}}}}},
       json{{"key", "dependent"},
            {"filters",
             {{"groups",
               json::array({{{"properties", json::array({Filter("base", "flag", "flag_evaluates_to", true),
                                                         Filter("id", "cohort", "in", "pros")})}}})}}}},
       json{{"key", "by-device"}, {"bucketing_identifier", "device_id"}},
       json{{"key", "by-session"}, {"bucketing_property", "session_id"}}},
      {json{{"id", "pros"},
            {"filters",
             {{"groups",
               json::array({{{"properties", json::array({Filter("plan", "person", "exact", "pro")})}}})}}}},
       json{{"id", "vips"}, {"is_static", true}, {"members", {"ada"}}}});
  json out = DefinitionsJson(*set, {{1, "company", 0}}, {"base"}, true);

  EXPECT_EQ(out["group_type_mapping"], (json{{"0", "company"}}));
  ASSERT_EQ(out["flags"].size(), 5u);
  std::map<std::string, json> flags;
  for (const json& flag : out["flags"]) flags[flag["key"]] = flag;

  EXPECT_EQ(flags["base"]["ensure_experience_continuity"], true);  // an experiment's flag: the server decides
  EXPECT_EQ(flags["base"]["id"], PostHogFlagId("base"));
  EXPECT_EQ(flags["base"]["filters"]["groups"][0]["rollout_percentage"], 50);

  const json& company = flags["company-beta"];
  EXPECT_EQ(company["ensure_experience_continuity"], false);
  EXPECT_EQ(company["filters"]["aggregation_group_type_index"], 0);
  EXPECT_EQ(company["filters"]["groups"][0]["properties"][0]["type"], "group");
  EXPECT_EQ(company["filters"]["groups"][0]["properties"][0]["group_type_index"], 0);
  EXPECT_EQ(company["filters"]["payloads"]["true"], "{\"seats\":10}");  // JSON text, as PostHog stores it

  const json& dependent = flags["dependent"]["filters"]["groups"][0]["properties"];
  EXPECT_EQ(dependent[0]["dependency_chain"], (json{"base"}));
  EXPECT_EQ(dependent[1]["type"], "cohort");
  EXPECT_EQ(dependent[1]["value"], "pros");  // the key of "cohorts"

  EXPECT_EQ(flags["by-device"]["bucketing_identifier"], "device_id");
  EXPECT_EQ(flags["by-device"]["ensure_experience_continuity"], false);
  EXPECT_EQ(flags["by-session"]["ensure_experience_continuity"], true);  // SDKs bucket on device_id only

  ASSERT_TRUE(out["cohorts"].contains("pros"));
  EXPECT_EQ(out["cohorts"]["pros"]["type"], "OR");
  EXPECT_EQ(out["cohorts"]["pros"]["values"][0]["type"], "AND");
  EXPECT_EQ(out["cohorts"]["pros"]["values"][0]["values"][0]["key"], "plan");
  EXPECT_FALSE(out["cohorts"].contains("vips"));  // static: the SDK asks the server

  EXPECT_TRUE(DefinitionsJson(*set, {}, {}, false)["cohorts"].empty());
}

}  // namespace
}  // namespace switchyard::server
