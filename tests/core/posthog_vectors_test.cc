// PostHog's published bucketing results (posthog-python's consistency tests, 1,000 users on two
// flags, in tests/data) and the hashes quoted in posthog-compat.md: users moving from PostHog
// must keep every assignment.
#include <fstream>

#include <gtest/gtest.h>

#include "switchyard/flag_json.h"
#include "switchyard/flag_set.h"

namespace switchyard {
namespace {

using nlohmann::json;

json LoadVectors() {
  std::ifstream in(std::string(SY_TEST_DATA_DIR) + "/posthog-consistency-1000.json");
  return json::parse(in);
}

std::shared_ptr<const FlagSet> BuildOne(const json& flag_json) {
  Result<Flag> flag = FlagFromJson(flag_json);
  EXPECT_TRUE(flag.ok()) << flag.status().ToString();
  Result<std::shared_ptr<const FlagSet>> set = FlagSet::Build({*flag});
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return *set;
}

FlagResult EvaluateFor(const FlagSet& set, const std::string& key, int user) {
  EvaluationContext context;
  context.distinct_id = "distinct_id_" + std::to_string(user);
  return set.Evaluate(key, context);
}

TEST(PostHogVectorsTest, KnownHashes) {
  const double expected[] = {0.783696, 0.339707, 0.372043, 0.907622, 0.039585};
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(BucketHash("simple-flag", "distinct_id_" + std::to_string(i)), expected[i], 5e-7) << i;
  }
  // The hash is in [0, 1] and depends on the salt.
  EXPECT_NE(BucketHash("simple-flag", "distinct_id_0", "variant"),
            BucketHash("simple-flag", "distinct_id_0"));
}

TEST(PostHogVectorsTest, SimpleFlagThousandUsers) {
  const json vectors = LoadVectors()["simple-flag"];
  const auto set = BuildOne(
      {{"key", "simple-flag"},
       {"filters",
        {{"groups",
          {{{"properties", json::array()}, {"rollout_percentage", vectors["rollout_percentage"]}}}}}}});
  const std::string results = vectors["results"];
  ASSERT_EQ(results.size(), 1000u);
  for (int user = 0; user < 1000; ++user) {
    const FlagResult result = EvaluateFor(*set, "simple-flag", user);
    EXPECT_EQ(result.enabled, results[user] == '1') << "distinct_id_" << user;
    EXPECT_EQ(result.reason, result.enabled ? Reason::kConditionMatch : Reason::kOutOfRollout);
  }
}

TEST(PostHogVectorsTest, KnownFiveUsers) {
  const auto simple =
      BuildOne({{"key", "simple-flag"}, {"filters", {{"groups", {{{"rollout_percentage", 45}}}}}}});
  const bool expected_simple[] = {false, true, true, false, true};
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(EvaluateFor(*simple, "simple-flag", i).enabled, expected_simple[i]) << i;
}

TEST(PostHogVectorsTest, MultivariateFlagThousandUsers) {
  const json vectors = LoadVectors()["multivariate-flag"];
  json variants = json::array();
  std::vector<std::string> names;
  for (const auto& v : vectors["variants"]) {
    variants.push_back({{"key", v[0]}, {"rollout_percentage", v[1]}});
    names.push_back(v[0]);
  }
  const auto set = BuildOne({{"key", "multivariate-flag"},
                             {"filters",
                              {{"groups", {{{"rollout_percentage", vectors["rollout_percentage"]}}}},
                               {"multivariate", {{"variants", variants}}}}}});
  const std::string results = vectors["results"];
  ASSERT_EQ(results.size(), 1000u);
  for (int user = 0; user < 1000; ++user) {
    const FlagResult result = EvaluateFor(*set, "multivariate-flag", user);
    if (results[user] == '0') {
      EXPECT_FALSE(result.enabled) << "distinct_id_" << user;
      EXPECT_FALSE(result.variant.has_value());
    } else {
      ASSERT_TRUE(result.variant.has_value()) << "distinct_id_" << user;
      EXPECT_EQ(*result.variant, names[results[user] - '1']) << "distinct_id_" << user;
    }
  }
  const char* expected[] = {"second-variant", "second-variant", "first-variant", nullptr, nullptr};
  for (int i = 0; i < 5; ++i) {
    const FlagResult result = EvaluateFor(*set, "multivariate-flag", i);
    EXPECT_EQ(result.value(), expected[i] ? json(expected[i]) : json(false)) << i;
  }
}

}  // namespace
}  // namespace switchyard
