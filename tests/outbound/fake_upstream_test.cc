// The fake upstream's scenarios, through the outbound client: what node tests and the gateway's
// tests rely on it to do.
#include "support/fake_upstream.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "outbound/io_runner.h"
#include "outbound/outbound_client.h"

namespace switchyard::outbound {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

class FakeUpstreamTest : public ::testing::Test {
 protected:
  Result<OutboundResponse> Post(const std::string& path, const Json& body, int max_attempts = 1) {
    OutboundRequest request;
    request.url = upstream_.base_url() + path;
    request.headers = {{"content-type", "application/json"}};
    request.body = body.dump();
    request.retry.max_attempts = max_attempts;
    request.retry.base_backoff = milliseconds(1);
    return runner_.Run([&] { return client_.Send(request); });
  }

  IoRunner runner_;
  testing::FakeUpstream upstream_;
  OutboundClient client_{runner_.io(), ClientOptions{}};
};

TEST_F(FakeUpstreamTest, ChatCompletionEchoesTheModelWithFullUsage) {
  auto response = Post("/v1/chat/completions", {{"model", "gpt-upstream-1"}, {"messages", Json::array()}});
  ASSERT_TRUE(response.ok());
  Json body = Json::parse(response->body);
  EXPECT_EQ(body["object"], "chat.completion");
  EXPECT_EQ(body["model"], "gpt-upstream-1");
  EXPECT_EQ(body["usage"]["prompt_tokens"], 12);
  EXPECT_EQ(body["usage"]["prompt_tokens_details"]["cached_tokens"], 4);
  EXPECT_EQ(body["usage"]["completion_tokens_details"]["reasoning_tokens"], 3);
  auto received = upstream_.Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(Json::parse(received[0].body)["model"], "gpt-upstream-1");
}

TEST_F(FakeUpstreamTest, StreamSendsTheUsageChunkOnlyWhenAskedFor) {
  Json request = {{"model", "echo"}, {"stream", true}};
  auto plain = Post("/v1/chat/completions", request);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->body.find("\"choices\":[]"), std::string::npos);
  EXPECT_NE(plain->body.find("chat.completion.chunk"), std::string::npos);
  EXPECT_TRUE(plain->body.ends_with("data: [DONE]\n\n"));
  request["stream_options"] = {{"include_usage", true}};
  auto with_usage = Post("/v1/chat/completions", request);
  ASSERT_TRUE(with_usage.ok());
  EXPECT_NE(with_usage->body.find("\"choices\":[]"), std::string::npos);
  EXPECT_NE(with_usage->body.find("\"cached_tokens\":4"), std::string::npos);
}

TEST_F(FakeUpstreamTest, OtherEndpointsAnswerMinimally) {
  auto completions = Post("/v1/completions", {{"model", "m"}, {"prompt", "x"}});
  ASSERT_TRUE(completions.ok());
  EXPECT_EQ(Json::parse(completions->body)["object"], "text_completion");
  auto embeddings = Post("/v1/embeddings", {{"model", "m"}, {"input", {"a", "b"}}});
  ASSERT_TRUE(embeddings.ok());
  EXPECT_EQ(Json::parse(embeddings->body)["data"].size(), 2u);
  auto responses = Post("/v1/responses", {{"model", "m"}, {"input", "x"}});
  ASSERT_TRUE(responses.ok());
  EXPECT_EQ(Json::parse(responses->body)["usage"]["output_tokens_details"]["reasoning_tokens"], 3);
  auto invoke = Post("/invoke", {{"user_id", "u1"}, {"params", {{"jobs", 4}}}});
  ASSERT_TRUE(invoke.ok());
  EXPECT_EQ(Json::parse(invoke->body)["makespan"], 12.5);
  EXPECT_EQ(Json::parse(invoke->body)["echo"]["jobs"], 4);
  auto missing = Post("/v1/nothing", Json::object());
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST_F(FakeUpstreamTest, FailThenOkCountsPerTestKey) {
  EXPECT_EQ(Post("/v1/chat/completions", {{"model", "fail-then-ok-1"}, {"user", "a"}})->status, 503);
  EXPECT_EQ(Post("/v1/chat/completions", {{"model", "fail-then-ok-1"}, {"user", "a"}})->status, 200);
  EXPECT_EQ(Post("/v1/chat/completions", {{"model", "fail-then-ok-1"}, {"user", "b"}})->status, 503);
}

TEST_F(FakeUpstreamTest, GarbageIsAnOkWithAMalformedBody) {
  auto response = Post("/v1/chat/completions", {{"model", "garbage"}});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(Json::parse(response->body, nullptr, false).is_discarded());
}

TEST_F(FakeUpstreamTest, RateLimitCarriesRetryAfter) {
  auto response = Post("/v1/chat/completions", {{"model", "fail-429"}});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  bool found = false;
  for (const auto& [name, value] : response->headers)
    found = found || (name == "retry-after" && value == "1");
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace switchyard::outbound
