// The parsers the gateway keeps between calls: reuse must never change an answer, and what the
// pool keeps stays bounded.
#include "gateway/json_parser_pool.h"

#include <gtest/gtest.h>

#include <string>

#include "gateway/json_parsers.h"
#include "gateway/openai_request.h"
#include "gateway/response_summary.h"

namespace switchyard::gateway {
namespace {

std::string ChatBody(const std::string& model, std::size_t padding) {
  return R"({"model":")" + model + R"(","user":"u-1","stream":false,"messages":[{"role":"user","content":")" +
         std::string(padding, 'x') + R"("}]})";
}

std::string Answer(const std::string& text, int input_tokens) {
  return R"({"choices":[{"index":0,"message":{"role":"assistant","content":")" + text +
         R"("}}],"usage":{"prompt_tokens":)" + std::to_string(input_tokens) + R"(,"completion_tokens":3}})";
}

TEST(JsonParserPoolTest, ALeaseGivesItsParsersBackForTheNextParse) {
  JsonParserPool pool(4);
  JsonParsers* first = nullptr;
  {
    JsonParserPool::Lease lease = pool.Take();
    first = &lease.parsers();
    EXPECT_EQ(pool.idle(), 0u);
  }
  EXPECT_EQ(pool.idle(), 1u);
  JsonParserPool::Lease again = pool.Take();
  EXPECT_EQ(&again.parsers(), first);
  EXPECT_EQ(pool.idle(), 0u);
}

TEST(JsonParserPoolTest, KeepsAtMostMaxIdleSets) {
  JsonParserPool pool(2);
  {
    JsonParserPool::Lease a = pool.Take();
    JsonParserPool::Lease b = pool.Take();
    JsonParserPool::Lease c = pool.Take();
    EXPECT_NE(&a.parsers(), &b.parsers());
    EXPECT_NE(&b.parsers(), &c.parsers());
  }
  EXPECT_EQ(pool.idle(), 2u);
}

TEST(JsonParserPoolTest, ASetGrownByALargeBodyIsFreedNotKept) {
  JsonParserPool pool(4);
  auto small = ParseGatewayRequest(ChatBody("route:a", 10), pool);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(pool.idle(), 1u);
  auto large = ParseGatewayRequest(ChatBody("route:b", JsonParserPool::kMaxKeptCapacity), pool);
  ASSERT_TRUE(large.ok()) << large.status().message();
  EXPECT_EQ(large->model, "route:b");
  EXPECT_EQ(pool.idle(), 0u);
  // The same for an upstream's answer.
  ASSERT_TRUE(SummarizeResponse(R"({"a":1})", 100, pool).json_object);
  EXPECT_EQ(pool.idle(), 1u);
  const ResponseSummary big =
      SummarizeResponse(Answer(std::string(JsonParserPool::kMaxKeptCapacity, 'z'), 7), 100, pool);
  EXPECT_TRUE(big.json_object);
  EXPECT_EQ(big.text_bytes, JsonParserPool::kMaxKeptCapacity);
  EXPECT_EQ(pool.idle(), 0u);
}

// One set reads requests and answers of different sizes in turn, as the server's calls do; each
// result must be what fresh parsers give.
TEST(JsonParserPoolTest, ReusedParsersGiveWhatFreshOnesGive) {
  JsonParserPool pool(1);
  const std::size_t paddings[] = {5000, 10, 20000, 0, 300};
  int round = 0;
  for (std::size_t padding : paddings) {
    const std::string model = "route:m" + std::to_string(round);
    const std::string body = ChatBody(model, padding);
    auto pooled = ParseGatewayRequest(body, pool);
    auto fresh = ParseGatewayRequest(body);
    ASSERT_TRUE(pooled.ok());
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(pooled->model, model);
    EXPECT_EQ(pooled->text.substr(0, body.size()), fresh->text.substr(0, body.size()));
    ASSERT_TRUE(pooled->model_value.has_value());
    EXPECT_EQ(pooled->model_value->offset, fresh->model_value->offset);
    EXPECT_EQ(UpstreamBody(*pooled, "gpt-x"), UpstreamBody(*fresh, "gpt-x"));

    const std::string answer = Answer(std::string(padding / 2, 'y'), round + 1);
    const ResponseSummary summary = SummarizeResponse(answer, 1 << 20, pool);
    EXPECT_TRUE(summary.json_object);
    ASSERT_TRUE(summary.usage.has_value());
    EXPECT_EQ(summary.usage->input, round + 1);
    EXPECT_EQ(summary.text_bytes, padding / 2);
    ++round;
  }
  // A malformed body after good ones is refused as before, and the set stays usable.
  auto bad = ParseGatewayRequest(R"({"model":"route:x",)", pool);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "body");
  auto good = ParseGatewayRequest(ChatBody("route:after", 1), pool);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->model, "route:after");
  EXPECT_EQ(pool.idle(), 1u);
}

TEST(JsonParserPoolTest, CapacityOnlyGrowsAndComesInPowersOfTwo) {
  EXPECT_EQ(CapacityFor(0, 10), 4096u);
  EXPECT_EQ(CapacityFor(0, 4097), 8192u);
  EXPECT_EQ(CapacityFor(8192, 100), 8192u);  // never shrinks: simdjson would reallocate
  EXPECT_EQ(CapacityFor(8192, 8192), 8192u);
  EXPECT_EQ(CapacityFor(8192, 8193), 16384u);
  // Past what the pool keeps, no rounding: the set is freed after its parse.
  EXPECT_EQ(CapacityFor(8192, JsonParserPool::kMaxKeptCapacity + 1), JsonParserPool::kMaxKeptCapacity + 1);
}

}  // namespace
}  // namespace switchyard::gateway
