#include "gateway/sse_relay.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::gateway {
namespace {

using Clock = SseRelay::Clock;

std::string Chunk(const std::string& content) {
  return R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")" + content +
         R"("},"finish_reason":null}]})" + "\n\n";
}

const std::string kRoleChunk =
    R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"
    "\n\n";
const std::string kUsageChunk =
    R"(data: {"object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4}}})"
    "\n\n";
const std::string kDone = "data: [DONE]\n\n";

TEST(SseRelayTest, ForwardsEventsWholeWhateverTheSplit) {
  const std::string stream = kRoleChunk + Chunk("Hel") + Chunk("lo") + kUsageChunk + kDone;
  for (std::size_t step : {1u, 2u, 3u, 7u, 64u, 4096u}) {
    SseRelay relay(/*hide_usage_chunk=*/false);
    std::string out;
    const Clock::time_point t0 = Clock::now();
    for (std::size_t i = 0; i < stream.size(); i += step) {
      std::string piece = relay.Feed(std::string_view(stream).substr(i, step), t0);
      // Whatever is forwarded ends on an event boundary.
      if (!piece.empty()) {
        EXPECT_EQ(piece.substr(piece.size() - 2), "\n\n") << "step " << step;
      }
      out += piece;
    }
    out += relay.Finish();
    EXPECT_EQ(out, stream) << "step " << step;
    EXPECT_EQ(relay.content(), "Hello");
    EXPECT_TRUE(relay.done());
    ASSERT_TRUE(relay.usage().has_value());
    EXPECT_EQ(relay.usage()->input, 9);
    EXPECT_EQ(relay.usage()->cached_input, 4);
  }
}

TEST(SseRelayTest, HidesTheUsageChunkTheClientDidNotAskFor) {
  SseRelay relay(/*hide_usage_chunk=*/true);
  const std::string out = relay.Feed(Chunk("a") + kUsageChunk + kDone, Clock::now());
  EXPECT_EQ(out, Chunk("a") + kDone);
  ASSERT_TRUE(relay.usage().has_value());  // still counted
  EXPECT_EQ(relay.usage()->output, 3);
}

TEST(SseRelayTest, FirstTokenIsTheFirstChunkWithContentNotTheRoleChunk) {
  SseRelay relay(false);
  const Clock::time_point t0 = Clock::now();
  relay.Feed(kRoleChunk, t0);
  EXPECT_FALSE(relay.first_token_at().has_value());
  relay.Feed(Chunk("x"), t0 + std::chrono::milliseconds(40));
  relay.Feed(Chunk("y"), t0 + std::chrono::milliseconds(90));
  ASSERT_TRUE(relay.first_token_at().has_value());
  EXPECT_EQ(*relay.first_token_at() - t0, std::chrono::milliseconds(40));
}

TEST(SseRelayTest, CrLfEventsAndMidStreamErrors) {
  SseRelay relay(false);
  const std::string crlf = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"z\"}}]}\r\n\r\n";
  const std::string error = "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";
  EXPECT_EQ(relay.Feed(crlf + error, Clock::now()), crlf + error);
  EXPECT_EQ(relay.content(), "z");
  EXPECT_EQ(relay.error().value_or(""), "overloaded");
  EXPECT_FALSE(relay.done());
}

TEST(SseRelayTest, ABrokenStreamLeavesOnlyWholeEventsForwarded) {
  SseRelay relay(false);
  const std::string whole = Chunk("a");
  EXPECT_EQ(relay.Feed(whole + "data: {\"choi", Clock::now()), whole);
  EXPECT_EQ(relay.Finish(), "data: {\"choi");  // the caller decides what to do with the rest
}

TEST(SseRelayTest, AnEndlessEventSwitchesToPassThroughInsteadOfGrowing) {
  SseRelay relay(false);
  std::string forwarded;
  const std::string block(64 * 1024, 'x');
  for (int i = 0; i < 20; ++i) forwarded += relay.Feed(block, Clock::now());
  EXPECT_GT(forwarded.size(), 0u);
  EXPECT_EQ(forwarded.size() + relay.Finish().size(), 20 * block.size());
}

TEST(SseRelayTest, ResponsesApiDeltasAndUsage) {
  SseRelay relay(true);
  const std::string delta =
      "event: response.output_text.delta\ndata: "
      "{\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}\n\n";
  const std::string completed =
      "event: response.completed\ndata: "
      "{\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}}"
      "\n\n";
  EXPECT_EQ(relay.Feed(delta + completed, Clock::now()), delta + completed);  // not a usage-only chat chunk
  EXPECT_EQ(relay.content(), "hi");
  ASSERT_TRUE(relay.usage().has_value());
  EXPECT_EQ(relay.usage()->input, 5);
}

}  // namespace
}  // namespace switchyard::gateway
