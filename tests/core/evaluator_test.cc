// Paths of the evaluator that Build makes unreachable through the public API: a prerequisite
// that is gone at evaluation time. The snapshot is compiled, then damaged on purpose.
#include "core/evaluator.h"

#include <gtest/gtest.h>

#include "core/flag_compiler.h"
#include "core/flag_test_util.h"

namespace switchyard {
namespace {

using nlohmann::json;

TEST(EvaluatorTest, VanishedPrerequisiteIsAnErrorAndPropagates) {
  std::vector<Flag> flags;
  flags.push_back(testing_util::ParseFlag(testing_util::OneGroupFlag("a", json::array())));
  flags.push_back(testing_util::ParseFlag(
      testing_util::OneGroupFlag("b", {{{"key", "a"}, {"type", "flag"}, {"value", true}}})));
  flags.push_back(testing_util::ParseFlag(
      testing_util::OneGroupFlag("c", {{{"key", "b"}, {"type", "flag"}, {"value", false}}})));
  Result<std::unique_ptr<FlagSet::Impl>> set = core::CompileFlagSet(std::move(flags), {});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  (*set)->compiled[1].groups[0].filters[0].ref = core::kNoIndex;  // "b" now names no flag

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
  (*set)->compiled[1].groups[0].filters[0].ref = core::kNoIndex;
  const FlagResult b = core::Evaluator(**set, testing_util::Context("u")).Evaluate(1);
  EXPECT_EQ(b.reason, Reason::kMissingProperty);
  EXPECT_NE(b.detail.find("plan"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
