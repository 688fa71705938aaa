// The gateway's read of a whole upstream answer: JSON object or not, usage, generated text.
#include "gateway/response_summary.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::gateway {
namespace {

TEST(ResponseSummaryTest, ChatAnswerGivesUsageAndText) {
  const ResponseSummary s = SummarizeResponse(
      R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"}}],
          "usage":{"prompt_tokens":120,"completion_tokens":30,
                   "prompt_tokens_details":{"cached_tokens":100},
                   "completion_tokens_details":{"reasoning_tokens":7}}})",
      1024);
  EXPECT_TRUE(s.json_object);
  ASSERT_TRUE(s.usage.has_value());
  EXPECT_EQ(s.usage->input, 120);
  EXPECT_EQ(s.usage->cached_input, 100);
  EXPECT_EQ(s.usage->output, 30);
  EXPECT_EQ(s.usage->reasoning, 7);
  EXPECT_EQ(s.text, "Hello there");
  EXPECT_EQ(s.text_bytes, 11u);
}

// The simdjson read of usage must give what ReadUsage (the streaming path's) gives.
TEST(ResponseSummaryTest, UsageAgreesWithReadUsage) {
  const char* usages[] = {
      R"({"prompt_tokens":10,"completion_tokens":5})",
      R"({"input_tokens":10,"output_tokens":5,"input_tokens_details":{"cached_tokens":4},
          "output_tokens_details":{"reasoning_tokens":2}})",
      R"({"prompt_tokens":-3,"completion_tokens":2.5})",
      R"({"prompt_tokens":"12","completion_tokens":null})",
      R"({"prompt_tokens":18446744073709551615,"completion_tokens":1})",
      R"({"prompt_tokens":5,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":50},
          "completion_tokens_details":{"reasoning_tokens":50}})",
      R"({"prompt_tokens_details":{"cached_tokens":4}})",
      R"({})",
      R"({"prompt_tokens":1,"input_tokens":2,"completion_tokens":3,"output_tokens":4,
          "prompt_tokens_details":"x","completion_tokens_details":[1]})",
  };
  for (const char* usage : usages) {
    SCOPED_TRACE(usage);
    const std::optional<TokenUsage> expected = ReadUsage(nlohmann::json::parse(usage));
    const std::optional<TokenUsage> got =
        SummarizeResponse(std::string(R"({"usage":)") + usage + "}", 10).usage;
    ASSERT_EQ(got.has_value(), expected.has_value());
    if (!expected) continue;
    EXPECT_EQ(got->input, expected->input);
    EXPECT_EQ(got->cached_input, expected->cached_input);
    EXPECT_EQ(got->output, expected->output);
    EXPECT_EQ(got->reasoning, expected->reasoning);
  }
}

TEST(ResponseSummaryTest, CompletionsAndResponsesTexts) {
  EXPECT_EQ(SummarizeResponse(R"({"choices":[{"text":"legacy"}]})", 100).text, "legacy");
  const ResponseSummary responses = SummarizeResponse(
      R"({"output_text":"from responses","usage":{"input_tokens":3,"output_tokens":4}})", 100);
  EXPECT_EQ(responses.text, "from responses");
  ASSERT_TRUE(responses.usage.has_value());
  EXPECT_EQ(responses.usage->input, 3);
  EXPECT_EQ(responses.usage->output, 4);
}

TEST(ResponseSummaryTest, TextIsBoundedButItsLengthIsNot) {
  const std::string body = R"({"choices":[{"message":{"content":")" + std::string(5000, 'a') + R"("}}]})";
  const ResponseSummary s = SummarizeResponse(body, 1000);
  EXPECT_EQ(s.text.size(), 1000u);
  EXPECT_EQ(s.text_bytes, 5000u);
}

TEST(ResponseSummaryTest, AnswersWithoutUsageOrTextAreStillObjects) {
  const ResponseSummary s = SummarizeResponse(R"({"data":[{"embedding":[0.1,0.2]}],"choices":"odd"})", 100);
  EXPECT_TRUE(s.json_object);
  EXPECT_FALSE(s.usage.has_value());
  EXPECT_EQ(s.text, "");
  EXPECT_EQ(s.text_bytes, 0u);
  // A content that is not a string (a tool call's null) is no text.
  EXPECT_EQ(SummarizeResponse(R"({"choices":[{"message":{"content":null}}]})", 100).text_bytes, 0u);
}

TEST(ResponseSummaryTest, NotAnObjectIsNotAnAnswer) {
  EXPECT_FALSE(SummarizeResponse("<html>bad gateway</html>", 100).json_object);
  EXPECT_FALSE(SummarizeResponse("[1,2,3]", 100).json_object);
  EXPECT_FALSE(SummarizeResponse("", 100).json_object);
  EXPECT_FALSE(SummarizeResponse(R"({"truncated":)", 100).json_object);
}

TEST(ResponseSummaryTest, DepthIsBounded) {
  std::string deep = R"({"a":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  EXPECT_FALSE(SummarizeResponse(deep, 100).json_object);
  std::string shallow = R"({"a":)";
  for (int i = 0; i < 10; ++i) shallow += "[";
  for (int i = 0; i < 10; ++i) shallow += "]";
  shallow += "}";
  EXPECT_TRUE(SummarizeResponse(shallow, 100).json_object);
}

}  // namespace
}  // namespace switchyard::gateway
