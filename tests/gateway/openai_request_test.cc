#include "gateway/openai_request.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "gateway/openai_error.h"

namespace switchyard::gateway {
namespace {

TEST(OpenAiRequestTest, ReadsRouteUserAndStreaming) {
  auto request = ParseGatewayRequest(
      R"({"model":"route:chat-default","user":"u1","stream":true,"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request.value().model, "route:chat-default");
  EXPECT_EQ(RouteInModel(request.value().model).value_or(""), "chat-default");
  EXPECT_EQ(request.value().user.value_or(""), "u1");
  EXPECT_TRUE(request.value().stream);
  EXPECT_FALSE(request.value().client_wants_usage);
  EXPECT_FALSE(RouteInModel("gpt-4o").has_value());
}

TEST(OpenAiRequestTest, UpstreamBodyRewritesModelAndKeepsUnknownFields) {
  auto request = ParseGatewayRequest(
      R"({"model":"route:r","temperature":0.2,"x_vendor":{"deep":[1,2,{"a":null}]},"messages":[]})");
  ASSERT_TRUE(request.ok());
  const nlohmann::json upstream = nlohmann::json::parse(UpstreamBody(request.value(), "gpt-4o-mini"));
  EXPECT_EQ(upstream["model"], "gpt-4o-mini");
  EXPECT_EQ(upstream["temperature"], 0.2);
  EXPECT_EQ(upstream["x_vendor"], nlohmann::json::parse(R"({"deep":[1,2,{"a":null}]})"));
  EXPECT_FALSE(upstream.contains("stream_options"));  // not streaming: nothing added
}

TEST(OpenAiRequestTest, StreamingAsksForUsageUpstreamAndRemembersWhetherTheClientDid) {
  auto quiet = ParseGatewayRequest(R"({"model":"m","stream":true})");
  ASSERT_TRUE(quiet.ok());
  EXPECT_FALSE(quiet.value().client_wants_usage);
  EXPECT_EQ(nlohmann::json::parse(UpstreamBody(quiet.value(), "up"))["stream_options"]["include_usage"],
            true);

  auto asking =
      ParseGatewayRequest(R"({"model":"m","stream":true,"stream_options":{"include_usage":true,"x":1}})");
  ASSERT_TRUE(asking.ok());
  EXPECT_TRUE(asking.value().client_wants_usage);
  const nlohmann::json upstream = nlohmann::json::parse(UpstreamBody(asking.value(), "up"));
  EXPECT_EQ(upstream["stream_options"]["x"], 1);
}

TEST(OpenAiRequestTest, UpstreamBodyIsTheClientsTextWithOnlyTheModelReplaced) {
  // Key order, spacing and number spellings are the client's: only `model`'s value changes.
  auto request =
      ParseGatewayRequest(R"( {"z":1, "model" : "route:r" , "t":0.20,"n":[1e2,-0.0],"a":"\u00e9"} )");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(UpstreamBody(request.value(), "gpt-4o-mini"),
            R"( {"z":1, "model" : "gpt-4o-mini" , "t":0.20,"n":[1e2,-0.0],"a":"\u00e9"} )");
  EXPECT_EQ(UpstreamBody(request.value(), "a\"b"),
            R"( {"z":1, "model" : "a\"b" , "t":0.20,"n":[1e2,-0.0],"a":"\u00e9"} )");
}

TEST(OpenAiRequestTest, UpstreamBodyAddsAModelTheBodyLacks) {
  auto empty = ParseGatewayRequest("{ }");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(UpstreamBody(empty.value(), "up"), R"({"model":"up" })");
  auto other = ParseGatewayRequest(R"({"messages":[]})");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(UpstreamBody(other.value(), "up"), R"({"model":"up","messages":[]})");
}

TEST(OpenAiRequestTest, AnEscapedModelKeyIsStillTheModel) {
  // "mo\u0064el" is "model": were it passed through, the upstream would call the model the client
  // named instead of the route's.
  auto request = ParseGatewayRequest(R"({"mo\u0064el":"route:r","x":1})");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request.value().model, "route:r");
  EXPECT_EQ(UpstreamBody(request.value(), "up"), R"({"mo\u0064el":"up","x":1})");
  // Two spellings of one key are a repeat, refused as any repeated key is.
  auto twice = ParseGatewayRequest(R"({"model":"route:r","mo\u0064el":"gpt-4o"})");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().field(), "body");
}

TEST(OpenAiRequestTest, StreamingRewritesOnlyStreamOptions) {
  auto absent = ParseGatewayRequest(R"({"model":"m","stream":true})");
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(UpstreamBody(absent.value(), "up"),
            R"({"stream_options":{"include_usage":true},"model":"up","stream":true})");
  auto null_options = ParseGatewayRequest(R"({"stream":true,"stream_options":null,"model":"m"})");
  ASSERT_TRUE(null_options.ok());
  EXPECT_EQ(UpstreamBody(null_options.value(), "up"),
            R"({"stream":true,"stream_options":{"include_usage":true},"model":"up"})");
  auto off = ParseGatewayRequest(R"({"stream":true,"stream_options":{"x":1,"include_usage":false}})");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(UpstreamBody(off.value(), "up"),
            R"({"model":"up","stream":true,"stream_options":{"include_usage":true,"x":1}})");
}

TEST(OpenAiRequestTest, AnIntegerPast64BitsIsReadByTheBoundedParser) {
  auto request = ParseGatewayRequest(R"({"model":"route:r","seed":123456789012345678901234567890})");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request.value().model, "route:r");
  const nlohmann::json upstream = nlohmann::json::parse(UpstreamBody(request.value(), "up"));
  EXPECT_EQ(upstream["model"], "up");
  EXPECT_DOUBLE_EQ(upstream["seed"].get<double>(), 1.2345678901234568e29);
}

TEST(OpenAiRequestTest, ShadowBodyNeverStreams) {
  auto request = ParseGatewayRequest(
      R"({"model":"route:r","stream":true,"stream_options":{"include_usage":true},"x":[1]})");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(nlohmann::json::parse(ShadowBody(request.value(), "shadow")),
            nlohmann::json::parse(R"({"model":"shadow","x":[1]})"));
}

TEST(OpenAiRequestTest, RefusesMalformedBodiesNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (const Case& c :
       {Case{"{", "body"}, Case{"[1]", "body"}, Case{R"({"model":5})", "model"},
        Case{R"({"user":{}})", "user"}, Case{R"({"stream":"yes"})", "stream"},
        Case{R"({"stream_options":[]})", "stream_options"},
        Case{R"({"stream_options":{"include_usage":1}})", "stream_options.include_usage"},
        Case{R"({"model":"a","model":"b"})", "body"}, Case{R"({"m":{"k":1,"k":2}})", "body"}}) {
    auto request = ParseGatewayRequest(c.body);
    ASSERT_FALSE(request.ok()) << c.body;
    EXPECT_EQ(request.status().field(), c.field) << c.body;
  }
  // Nesting past the bound is refused before a DOM that deep exists.
  EXPECT_FALSE(
      ParseGatewayRequest(R"({"messages":)" + std::string(5000, '[') + std::string(5000, ']') + "}").ok());
}

TEST(OpenAiErrorTest, HasOpenAiShape) {
  const nlohmann::json body =
      nlohmann::json::parse(OpenAiErrorBody("no such route", "not_found_error", "model"));
  EXPECT_EQ(body["error"]["message"], "no such route");
  EXPECT_EQ(body["error"]["type"], "not_found_error");
  EXPECT_EQ(body["error"]["param"], "model");
  EXPECT_TRUE(body["error"]["code"].is_null());
  EXPECT_EQ(OpenAiErrorType(429), "rate_limit_error");
  EXPECT_EQ(OpenAiErrorType(502), "api_error");
}

}  // namespace
}  // namespace switchyard::gateway
