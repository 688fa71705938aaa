#include "gateway/usage.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace switchyard::gateway {
namespace {

TEST(UsageTest, ReadsChatUsageWithCachedAndReasoningTokens) {
  auto usage =
      ReadUsage(nlohmann::json::parse(R"({"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,
      "prompt_tokens_details":{"cached_tokens":800},"completion_tokens_details":{"reasoning_tokens":150}})"));
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->input, 1000);
  EXPECT_EQ(usage->cached_input, 800);
  EXPECT_EQ(usage->output, 200);
  EXPECT_EQ(usage->reasoning, 150);
}

TEST(UsageTest, ReadsResponsesApiNames) {
  auto usage = ReadUsage(nlohmann::json::parse(
      R"({"input_tokens":10,"output_tokens":5,"input_tokens_details":{"cached_tokens":4},"output_tokens_details":{"reasoning_tokens":2}})"));
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->input, 10);
  EXPECT_EQ(usage->cached_input, 4);
  EXPECT_EQ(usage->output, 5);
  EXPECT_EQ(usage->reasoning, 2);
}

TEST(UsageTest, GarbageNeverGivesNegativeOrInflatedCounts) {
  EXPECT_FALSE(ReadUsage(nlohmann::json::parse(R"({"foo":1})")).has_value());
  EXPECT_FALSE(ReadUsage(nlohmann::json::parse(R"([1])")).has_value());
  auto usage = ReadUsage(nlohmann::json::parse(
      R"({"prompt_tokens":-5,"completion_tokens":"7","prompt_tokens_details":{"cached_tokens":99}})"));
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->input, 0);
  EXPECT_EQ(usage->output, 0);
  EXPECT_EQ(usage->cached_input, 0);  // never more than the input
}

TEST(UsageTest, CachedInputIsPricedAtTheCachedPrice) {
  const TokenUsage usage{1'000'000, 800'000, 100'000, 0};
  const Prices prices{2.50, 1.25, 10.00};
  // 200k uncached at 2.50/M + 800k cached at 1.25/M + 100k output at 10/M.
  EXPECT_DOUBLE_EQ(CostOf(usage, prices), 0.5 + 1.0 + 1.0);
}

}  // namespace
}  // namespace switchyard::gateway
