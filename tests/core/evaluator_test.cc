// Paths of the evaluator that Build makes unreachable through the public API: a prerequisite
// that is gone at evaluation time, a cycle, a chain deeper than writes allow. The snapshot is
// compiled (without the depth limit where needed), then damaged on purpose.
#include "core/evaluator.h"

#include <gtest/gtest.h>

#include "core/flag_compiler.h"
#include "core/flag_test_util.h"

namespace switchyard {
namespace {

using nlohmann::json;

json Prerequisite(const std::string& key, json value = true) {
  return {{{"key", key}, {"type", "flag"}, {"value", std::move(value)}}};
}

// Points filter 0 of group 0 of flag `index` at `target` (kNoIndex: at nothing).
void Repoint(FlagSet::Impl& set, std::size_t index, std::size_t target) {
  auto damaged = std::make_shared<core::CompiledFlag>(*set.compiled[index]);
  damaged->groups[0].filters[0].ref = target;
  damaged->prerequisites.clear();
  if (target != core::kNoIndex) damaged->prerequisites.push_back({target, 0, 0});
  set.compiled[index] = std::move(damaged);
}

// flag-00000 requires flag-00001, which requires flag-00002, ... `depth` prerequisites deep.
std::vector<Flag> Chain(std::size_t depth) {
  std::vector<Flag> flags;
  auto key = [](std::size_t i) {
    std::string digits = std::to_string(i);
    return "flag-" + std::string(5 - digits.size(), '0') + digits;
  };
  for (std::size_t i = 0; i < depth; ++i) {
    flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag(key(i), Prerequisite(key(i + 1)))));
  }
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag(key(depth), json::array())));
  return flags;
}

TEST(EvaluatorTest, VanishedPrerequisiteIsAnErrorAndPropagates) {
  std::vector<Flag> flags;
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("a", json::array())));
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("b", Prerequisite("a"))));
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("c", Prerequisite("b", false))));
  Result<std::unique_ptr<FlagSet::Impl>> set = core::CompileFlagSet(std::move(flags), {});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Repoint(**set, 1, core::kNoIndex);  // "b" now names no flag

  const EvaluationContext context = testing_util::Context("u");
  const FlagResult b = core::Evaluator(**set, context).Evaluate(1);
  EXPECT_FALSE(b.enabled);
  EXPECT_EQ(b.reason, Reason::kError);
  EXPECT_NE(b.detail.find("\"a\" does not exist"), std::string::npos) << b.detail;

  // "c" requires b == false; b is an error, not false, so c is an error too.
  const FlagResult c = core::Evaluator(**set, context).Evaluate(2);
  EXPECT_EQ(c.reason, Reason::kError);
  EXPECT_NE(c.detail.find("\"b\" failed"), std::string::npos) << c.detail;

  const std::vector<FlagResult> all = core::Evaluator(**set, context).EvaluateAll();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[0].enabled);
  EXPECT_EQ(all[1].reason, Reason::kError);
  EXPECT_EQ(all[2].reason, Reason::kError);
}

TEST(EvaluatorTest, MissingPropertyBeatsErrorInTheReason) {
  std::vector<Flag> flags;
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("a", json::array())));
  flags.push_back(
      testing_util::ParseFlag({{"key", "b"},
                               {"filters",
                                {{"groups",
                                  {{{"properties", {{{"key", "a"}, {"type", "flag"}, {"value", true}}}}},
                                   {{"properties", {{{"key", "plan"}, {"value", "pro"}}}}}}}}}}));
  Result<std::unique_ptr<FlagSet::Impl>> set = core::CompileFlagSet(std::move(flags), {});
  ASSERT_TRUE(set.ok());
  Repoint(**set, 1, core::kNoIndex);
  const FlagResult b = core::Evaluator(**set, testing_util::Context("u")).Evaluate(1);
  EXPECT_EQ(b.reason, Reason::kMissingProperty);
  EXPECT_NE(b.detail.find("plan"), std::string::npos);
}

TEST(EvaluatorTest, CycleIsAnErrorNotALoop) {
  std::vector<Flag> flags;
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("a", Prerequisite("b"))));
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("b", Prerequisite("c"))));
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("c", json::array())));
  Result<std::unique_ptr<FlagSet::Impl>> set = core::CompileFlagSet(std::move(flags), {});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Repoint(**set, 1, 0);  // a -> b -> a

  const FlagResult a = core::Evaluator(**set, testing_util::Context("u")).Evaluate(0);
  EXPECT_EQ(a.reason, Reason::kError);
  const std::vector<FlagResult> all = core::Evaluator(**set, testing_util::Context("u")).EvaluateAll();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].reason, Reason::kError);
  EXPECT_EQ(all[1].reason, Reason::kError);
  EXPECT_NE(all[1].detail.find("cycle"), std::string::npos) << all[1].detail;
  EXPECT_TRUE(all[2].enabled);
}

// Regression: evaluation recursed once per prerequisite level and a chain thousands deep
// overflowed the stack. Writes refuse such chains now; evaluation must survive them anyway.
TEST(EvaluatorTest, TenThousandDeepChainEvaluates) {
  constexpr std::size_t kDepth = 10'000;
  Result<std::unique_ptr<FlagSet::Impl>> set = core::CompileFlagSet(Chain(kDepth), {}, kDepth);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const FlagResult top = core::Evaluator(**set, testing_util::Context("u")).Evaluate(0);
  EXPECT_TRUE(top.enabled);
  EXPECT_EQ(top.reason, Reason::kConditionMatch);

  const std::vector<FlagResult> all = core::Evaluator(**set, testing_util::Context("u")).EvaluateAll();
  ASSERT_EQ(all.size(), kDepth + 1);
  EXPECT_EQ(all[0].key, "flag-00000");
  for (const FlagResult& result : all) EXPECT_TRUE(result.enabled) << result.key;
}

TEST(EvaluatorTest, TenThousandDeepChainIsRefusedByBuildNamingTheField) {
  Status status = FlagSet::Build(Chain(10'000)).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "filters.groups[0].properties[0].key");
  EXPECT_NE(status.message().find("deeper than 32 levels"), std::string::npos)
      << status.message().substr(0, 300);
}

}  // namespace
}  // namespace switchyard
