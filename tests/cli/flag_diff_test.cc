#include "cli/flag_diff.h"

#include <gtest/gtest.h>

#include "cli/flags_file.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// A flag as the server returns it (canonical form, server-managed fields included).
Json ServerFlag(const std::string& key, double rollout, int version) {
  return Json{
      {"key", key},
      {"name", ""},
      {"description", ""},
      {"tags", Json::array()},
      {"active", true},
      {"version", version},
      {"created_at", "2024-01-01T00:00:00Z"},
      {"updated_at", "2024-01-02T00:00:00Z"},
      {"updated_by", "admin:sy_admin"},
      {"filters",
       {{"groups",
         Json::array(
             {{{"properties", Json::array()}, {"rollout_percentage", rollout}, {"variant", nullptr}}})},
        {"multivariate", nullptr},
        {"payloads", Json::object()}}}};
}

TEST(ComparableFlagTest, IgnoresServerFieldsAndDefaults) {
  Json minimal = Json::parse(R"({"key": "a", "filters": {"groups": [{"rollout_percentage": 50}]}})");
  EXPECT_EQ(ComparableFlag(ServerFlag("a", 50.0, 7)), ComparableFlag(minimal));
  EXPECT_EQ(
      ComparableFlag(minimal),
      Json::parse(R"({"key": "a", "active": true, "filters": {"groups": [{"rollout_percentage": 50}]}})"));
}

TEST(ComparableFlagTest, KeepsMeaningfulDifferences) {
  Json inactive = ServerFlag("a", 50, 1);
  inactive["active"] = false;
  EXPECT_NE(ComparableFlag(inactive), ComparableFlag(ServerFlag("a", 50, 1)));
  EXPECT_NE(ComparableFlag(ServerFlag("a", 50, 1)), ComparableFlag(ServerFlag("a", 51, 1)));
}

TEST(DiffFlagsTest, ReportsLeafPaths) {
  Json before = ComparableFlag(ServerFlag("a", 50, 1));
  Json after = ComparableFlag(ServerFlag("a", 75, 1));
  after["description"] = "new";
  std::vector<FieldChange> changes = DiffFlags(before, after);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].path, "description");
  EXPECT_FALSE(changes[0].before.has_value());
  EXPECT_EQ(*changes[0].after, Json("new"));
  EXPECT_EQ(changes[1].path, "filters.groups[0].rollout_percentage");
  EXPECT_EQ(*changes[1].before, Json(50));
  EXPECT_EQ(*changes[1].after, Json(75));
}

TEST(DiffFlagsTest, ArraysOfDifferentLengthChangeAsAWhole) {
  Json before = Json::parse(R"({"tags": ["a"]})");
  Json after = Json::parse(R"({"tags": ["a", "b"]})");
  std::vector<FieldChange> changes = DiffFlags(before, after);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "tags");
  EXPECT_EQ(*changes[0].after, Json::parse(R"(["a", "b"])"));
}

// A flag read across environments: production's targeting at the top level, every
// environment's under "environments".
Json ServerFlagEverywhere(const std::string& key, double production, double staging) {
  Json flag = ServerFlag(key, production, 1);
  Json development = ServerFlag(key, production, 1);
  Json stage = ServerFlag(key, staging, 1);
  flag["environments"] = {{"development", {{"active", true}, {"filters", development["filters"]}}},
                          {"staging", {{"active", true}, {"filters", stage["filters"]}}},
                          {"production", {{"active", true}, {"filters", flag["filters"]}}}};
  return flag;
}

TEST(PlanFromAnswerTest, ReadsTheServersPlanInOrder) {
  Json answer = {{"changes",
                  {{{"action", "create"}, {"key", "new"}, {"after", ServerFlag("new", 100, 1)}},
                   {{"action", "update"},
                    {"key", "changed"},
                    {"before", ServerFlag("changed", 10, 4)},
                    {"after", ServerFlag("changed", 20, 5)}},
                   {{"action", "delete"}, {"key", "extra"}, {"before", ServerFlag("extra", 10, 9)}}}},
                 {"unchanged", {"same"}}};
  Result<FlagPlan> plan = PlanFromAnswer(answer);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->changes.size(), 3u);
  EXPECT_EQ(plan->changes[0].kind, ChangeKind::kCreate);
  EXPECT_EQ(plan->changes[1].kind, ChangeKind::kUpdate);
  EXPECT_EQ(plan->changes[2].kind, ChangeKind::kDelete);
  EXPECT_EQ(plan->unchanged, 1);
  EXPECT_EQ(RenderPlan(*plan),
            "+ create new\n"
            "~ update changed\n"
            "  filters.groups[0].rollout_percentage: 10 -> 20\n"
            "- delete extra\n"
            "1 to create, 1 to update, 1 to delete, 1 unchanged\n");
}

TEST(PlanFromAnswerTest, SaysAChangeMadeInEveryEnvironmentOnceAndNamesThePartialOnes) {
  Json answer = {{"changes",
                  {{{"action", "update"},
                    {"key", "f"},
                    {"before", ServerFlagEverywhere("f", 10, 10)},
                    {"after", ServerFlagEverywhere("f", 20, 20)}},
                   {{"action", "update"},
                    {"key", "g"},
                    {"before", ServerFlagEverywhere("g", 10, 10)},
                    {"after", ServerFlagEverywhere("g", 10, 50)}}}}};
  Result<FlagPlan> plan = PlanFromAnswer(answer);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(RenderPlan(*plan),
            "~ update f\n"
            "  filters.groups[0].rollout_percentage: 10 -> 20\n"
            "~ update g\n"
            "  filters.groups[0].rollout_percentage: 10 -> 50 (in staging)\n"
            "0 to create, 2 to update, 0 to delete, 0 unchanged\n");
}

TEST(PlanFromAnswerTest, RefusesAnAnswerWithoutAPlan) {
  EXPECT_FALSE(PlanFromAnswer(Json::object()).ok());
  EXPECT_FALSE(PlanFromAnswer(Json{{"changes", {{{"action", "rename"}, {"key", "x"}}}}}).ok());
  Result<FlagPlan> empty = PlanFromAnswer(Json{{"changes", Json::array()}});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(RenderPlan(*empty), "0 to create, 0 to update, 0 to delete, 0 unchanged\n");
}

TEST(FlagsFileTest, AnExportAcrossEnvironmentsWritesEnvironmentsInsteadOfTheTopLevel) {
  std::string text = RenderFlagsFile("default", Json::array({ServerFlagEverywhere("a", 10, 50)}));
  EXPECT_NE(text.find("environments:"), std::string::npos) << text;
  EXPECT_EQ(text.find("\n    active:"), std::string::npos) << text;
  Result<FlagsFile> file = ParseFlagsFile(text, "export.yaml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->flags[0]["environments"]["staging"]["filters"]["groups"][0]["rollout_percentage"], 50);
  EXPECT_FALSE(file->flags[0].contains("filters"));
}

TEST(FlagsFileTest, WritesDefinitionFieldsInOrderWithoutServerFields) {
  std::string text = RenderFlagsFile("default", Json::array({ServerFlag("a", 50, 3)}));
  EXPECT_EQ(text.rfind("# switchyard flags-as-code\nproject: default\nflags:\n  - key: a\n", 0), 0u) << text;
  EXPECT_EQ(text.find("version"), std::string::npos) << text;
  EXPECT_EQ(text.find("updated_at"), std::string::npos) << text;
  EXPECT_LT(text.find("name:"), text.find("active:"));
  EXPECT_LT(text.find("active:"), text.find("filters:"));
}

TEST(FlagsFileTest, RequiresAFlagsList) {
  EXPECT_FALSE(ParseFlagsFile("project: default\n", "f.yaml").ok());
  EXPECT_FALSE(ParseFlagsFile("project: default\nflags: {}\n", "f.yaml").ok());
  EXPECT_FALSE(ParseFlagsFile("- 1\n", "f.yaml").ok());
  Result<FlagsFile> empty = ParseFlagsFile("flags: []\n", "f.yaml");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->project.empty());
  Result<FlagsFile> broken = ParseFlagsFile("flags: [\n", "f.yaml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message().rfind("f.yaml: ", 0), 0u) << broken.status().message();
}

}  // namespace
}  // namespace switchyard::cli
