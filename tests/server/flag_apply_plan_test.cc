#include "server/flag_apply_plan.h"

#include <gtest/gtest.h>

#include "store/store.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

FlagScope Scope(std::optional<std::string> environment = std::nullopt) {
  FlagScope scope;
  scope.project.id = 1;
  scope.project.slug = "default";
  std::int64_t id = 1;
  for (const std::string& key : store::DefaultEnvironmentKeys()) {
    scope.environments.push_back({id++, 1, key, key, ""});
    if (environment == key) scope.environment = scope.environments.back();
  }
  return scope;
}

json Requires(const std::string& key, const std::string& prerequisite) {
  return {{"key", key},
          {"filters",
           {{"groups",
             {{{"properties",
                {{{"key", prerequisite},
                  {"type", "flag"},
                  {"value", true},
                  {"operator", "flag_evaluates_to"}}}}}}}}}};
}

std::vector<std::string> Keys(const ApplyPlan& plan) {
  std::vector<std::string> keys;
  for (const auto& change : plan.changes)
    keys.push_back(change.after ? change.after->flag.key : change.write.key);
  return keys;
}

store::FlagRecord Stored(const json& definition, std::int64_t version) {
  store::FlagRecord record = store::Everywhere(*FlagFromJson(definition));
  record.flag.version = version;
  return record;
}

TEST(FlagApplyPlanTest, CreatesAChainAfterItsPrerequisites) {
  ApplyRequest request{
      json::array({Requires("c", "b"), Requires("a", "x"), Requires("b", "a"), {{"key", "x"}}}), false};
  ApplyPlan plan = PlanFlagApply(request, Scope(), {}, {});
  ASSERT_TRUE(plan.ok()) << plan.problems[0].status.ToString();
  EXPECT_EQ(Keys(plan), (std::vector<std::string>{"x", "a", "b", "c"}));
}

TEST(FlagApplyPlanTest, DefaultsAreFilledInBeforeComparing) {
  // As stored: every default spelled out. As written by hand: left out.
  json full = {
      {"key", "f"},
      {"name", ""},
      {"active", true},
      {"filters",
       {{"groups",
         {{{"properties", {{{"key", "plan"}, {"type", "person"}, {"operator", "exact"}, {"value", "pro"}}}},
           {"rollout_percentage", nullptr}}}},
        {"multivariate", {{"variants", {{{"key", "a"}, {"name", ""}, {"rollout_percentage", 100}}}}}}}}};
  json hand = {{"key", "f"},
               {"filters",
                {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}}}}}}},
                 {"multivariate", {{"variants", {{{"key", "a"}, {"rollout_percentage", 100}}}}}}}}};
  std::vector<store::FlagRecord> current = {Stored(full, 3)};
  ApplyPlan plan = PlanFlagApply({json::array({hand}), false}, Scope(), current, {});
  ASSERT_TRUE(plan.ok()) << plan.problems[0].status.ToString();
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_EQ(plan.unchanged, std::vector<std::string>{"f"});
}

TEST(FlagApplyPlanTest, AScopedFileKeepsTheOtherEnvironments) {
  std::vector<store::FlagRecord> current = {Stored({{"key", "f"}, {"active", true}}, 2)};
  ApplyPlan plan =
      PlanFlagApply({json::array({{{"key", "f"}, {"active", false}}}), false}, Scope("staging"), current, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.changes.size(), 1u);
  const auto& after = *plan.changes[0].after;
  EXPECT_FALSE(after.In("staging").active);
  EXPECT_TRUE(after.In("production").active);
  EXPECT_EQ(plan.changes[0].write.expected_version, 2);
  EXPECT_EQ(plan.changes[0].write.environment, "staging");
}

TEST(FlagApplyPlanTest, CollectsEveryProblem) {
  std::vector<store::FlagRecord> current = {Stored({{"key", "kept"}}, 1)};
  json flags =
      json::array({{{"key", "a"}, {"activ", false}}, Requires("b", "nowhere"), "not a flag", {{"key", "a"}}});
  ApplyPlan plan = PlanFlagApply({flags, false}, Scope(), current, {});
  ASSERT_EQ(plan.problems.size(), 3u);
  EXPECT_EQ(plan.problems[0].status.field(), "flags[0].activ");
  EXPECT_EQ(plan.problems[1].status.field(), "flags[1].filters.groups[0].properties[0].key");
  EXPECT_EQ(plan.problems[2].status.field(), "flags[2]");
  EXPECT_EQ(plan.problems[2].index, 2u);
  // flags[3] repeats "a", whose first definition could not be read: that one is the definition.
  // The plan still shows what the readable flags would do.
  EXPECT_EQ(Keys(plan), (std::vector<std::string>{"a", "b"}));
}

TEST(FlagApplyPlanTest, RefusesToCreateAFlagNamedLikeARoute) {
  // GET /flags/stale is the stale report: a flag called "stale" could never be read back.
  ApplyPlan plan =
      PlanFlagApply({json::array({{{"key", "stale"}}, {{"key", "fine"}}}), false}, Scope(), {}, {});
  ASSERT_EQ(plan.problems.size(), 1u);
  EXPECT_EQ(plan.problems[0].status.field(), "flags[0].key");
  EXPECT_NE(plan.problems[0].status.message().find("reserved"), std::string::npos);
}

TEST(FlagApplyPlanTest, PrunesOnlyWhenAsked) {
  std::vector<store::FlagRecord> current = {Stored({{"key", "old"}}, 4)};
  EXPECT_TRUE(PlanFlagApply({json::array(), false}, Scope(), current, {}).changes.empty());
  ApplyPlan plan = PlanFlagApply({json::array(), true}, Scope(), current, {});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].write.kind, store::FlagWrite::Kind::kDelete);
  EXPECT_EQ(plan.changes[0].write.expected_version, 4);
}

}  // namespace
}  // namespace switchyard::server
