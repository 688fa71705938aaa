// The model gateway end to end: the real binary, a fake OpenAI-compatible upstream
// (tests/support/fake_upstream.h), models and routes registered through the REST API.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/fake_upstream.h"
#include "support/json_api.h"
#include "support/raw_socket.h"
#include "support/server_process.h"

namespace switchyard::testing {
namespace {

using nlohmann::json;

constexpr char kSecret[] = "sk-test-secret-value-0123456789";
const std::string kModels = "/api/v1/projects/default/models";
const std::string kRoutes = "/api/v1/projects/default/routes";

std::string HeaderOf(const cli::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    std::string lower = key;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) return value;
  }
  return "";
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.env["FAKE_UPSTREAM_KEY"] = kSecret;
    server_ = std::make_unique<ServerProcess>(options);
    client_ = std::make_unique<cli::HttpClient>(server_->base_url());
    Register("gpt", "1.0.0", "echo", 2.5, 1.25, 10);
    Register("cand", "1.0.0", "echo", 1.0, 0.5, 4);
    Register("broken", "1.0.0", "fail-500", 1, 1, 1);
    Register("garbled", "1.0.0", "garbage", 1, 1, 1);
    Register("breaking", "1.0.0", "stream-break", 1, 1, 1);
    JsonAnswer flag =
        SendJson(*client_, "POST", "/api/v1/projects/default/flags",
                 {{"key", "chat-model"},
                  {"filters",
                   {{"groups", json::array({{{"properties", json::array()}}})},
                    {"multivariate",
                     {{"variants", json::array({{{"key", "control"}, {"rollout_percentage", 50}},
                                                {{"key", "treatment"}, {"rollout_percentage", 50}}})}}}}}});
    ASSERT_EQ(flag.status, 201) << flag.body.dump();
    CreateRoute({{"key", "chat"},
                 {"flag", "chat-model"},
                 {"variants", {{"control", "gpt@1.0.0"}, {"treatment", "cand@1.0.0"}}},
                 {"default", "gpt@1.0.0"}});
  }

  void Register(const std::string& name, const std::string& version, const std::string& upstream_model,
                double input, double cached, double output, const std::string& kind = "openai_chat",
                const std::string& path = "/v1") {
    json body = {
        {"name", name},
        {"version", version},
        {"kind", kind},
        {"upstream",
         {{"base_url", upstream_.base_url() + path},
          {"model", upstream_model},
          {"credential_env", "FAKE_UPSTREAM_KEY"}}},
        {"prices", {{"input_per_1m", input}, {"cached_input_per_1m", cached}, {"output_per_1m", output}}}};
    JsonAnswer answer = SendJson(*client_, "POST", kModels, body);
    ASSERT_EQ(answer.status, 201) << answer.body.dump();
  }

  void CreateRoute(const json& route) {
    JsonAnswer answer = SendJson(*client_, "POST", kRoutes, route);
    ASSERT_EQ(answer.status, 201) << answer.body.dump();
  }

  cli::HttpResponse Chat(const json& body, const std::string& key = kTestProjectKey,
                         cli::HttpClient::Headers headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    return SendRequest(*client_, "POST", "/v1/chat/completions", body.dump(), key, headers);
  }

  static json ChatBody(const std::string& route, const std::string& user) {
    return {{"model", "route:" + route},
            {"user", user},
            {"temperature", 0.3},
            {"x_vendor_option", {{"nested", json::array({1, 2, 3})}}},
            {"messages", json::array({{{"role", "user"}, {"content", "hello"}}})}};
  }

  // The events of `name` the server stored, once there are at least `count` (the gateway hands
  // them to the pipeline every 200 ms).
  json WaitForEvents(const std::string& name, std::size_t count) {
    json events = json::array();
    for (int i = 0; i < 100; ++i) {
      JsonAnswer answer =
          SendJson(*client_, "GET", "/api/v1/projects/default/events?event=" + name + "&limit=100");
      if (answer.status == 200 && answer.body["events"].size() >= count) return answer.body["events"];
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return events;
  }

  // A chat request as raw bytes, for clients that leave or pipeline (what no HTTP library does).
  static std::string RawChat(const json& body) {
    std::string text = body.dump();
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
           std::string(kTestProjectKey) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(text.size()) +
           "\r\n\r\n" + text;
  }

  static bool WaitUntil(const std::function<bool()>& done) {
    for (int i = 0; i < 200 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return done();
  }

  FakeUpstream upstream_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<cli::HttpClient> client_;
};

TEST_F(GatewayTest, AssignsTheFlagsVariantRewritesTheModelAndPassesUnknownFieldsThrough) {
  for (int i = 0; i < 12; ++i) {
    const std::string user = "user-" + std::to_string(i);
    cli::HttpResponse response = Chat(ChatBody("chat", user));
    ASSERT_EQ(response.status, 200) << response.body;
    JsonAnswer evaluated = SendJson(*client_, "POST", "/api/v1/evaluate",
                                    {{"distinct_id", user}, {"flags", {"chat-model"}}}, kTestProjectKey);
    const std::string variant = evaluated.body["flags"]["chat-model"]["variant"].get<std::string>();
    EXPECT_EQ(HeaderOf(response, "x-switchyard-variant"), variant) << user;
    EXPECT_EQ(HeaderOf(response, "x-switchyard-model"), variant == "control" ? "gpt@1.0.0" : "cand@1.0.0");
    EXPECT_FALSE(HeaderOf(response, "x-switchyard-request-id").empty());
    // Sticky: the same user again gets the same model.
    EXPECT_EQ(HeaderOf(Chat(ChatBody("chat", user)), "x-switchyard-variant"), variant);
  }
  const ReceivedRequest last = upstream_.Received().back();
  EXPECT_EQ(last.target, "/v1/chat/completions");
  const json sent = json::parse(last.body);
  EXPECT_EQ(sent["model"], "echo");  // the upstream's id, not "route:chat"
  EXPECT_EQ(sent["temperature"], 0.3);
  EXPECT_EQ(sent["x_vendor_option"], json({{"nested", {1, 2, 3}}}));
  EXPECT_EQ(last.Header("authorization"), std::string("Bearer ") + kSecret);
  EXPECT_EQ(server_->output().find(kSecret), std::string::npos);  // never logged

  // The X-Switchyard-Route header and X-Switchyard-Distinct-Id work as the body's fields do.
  json plain = {{"model", "anything"}, {"messages", json::array()}};
  cli::HttpResponse by_header =
      Chat(plain, kTestProjectKey, {{"X-Switchyard-Route", "chat"}, {"X-Switchyard-Distinct-Id", "user-3"}});
  ASSERT_EQ(by_header.status, 200);
  EXPECT_EQ(HeaderOf(by_header, "x-switchyard-variant"),
            HeaderOf(Chat(ChatBody("chat", "user-3")), "x-switchyard-variant"));

  JsonAnswer models = SendJson(*client_, "GET", "/v1/models", json(), kTestProjectKey);
  ASSERT_EQ(models.status, 200);
  EXPECT_EQ(models.body["data"][0]["id"], "route:chat");
}

TEST_F(GatewayTest, StreamsChunksAndHidesTheUsageChunkItAskedFor) {
  json body = ChatBody("chat", "streamer");
  body["stream"] = true;
  cli::HttpResponse quiet = Chat(body);
  ASSERT_EQ(quiet.status, 200) << quiet.body;
  EXPECT_NE(HeaderOf(quiet, "content-type").find("text/event-stream"), std::string::npos);
  EXPECT_NE(quiet.body.find("chat.completion.chunk"), std::string::npos);
  EXPECT_NE(quiet.body.find("data: [DONE]"), std::string::npos);
  EXPECT_EQ(quiet.body.find("\"choices\":[]"), std::string::npos) << quiet.body;
  EXPECT_EQ(json::parse(upstream_.Received().back().body)["stream_options"]["include_usage"], true);

  body["stream_options"] = {{"include_usage", true}};
  cli::HttpResponse asking = Chat(body);
  ASSERT_EQ(asking.status, 200);
  EXPECT_NE(asking.body.find("\"usage\""), std::string::npos) << asking.body;

  // Usage was counted for both, with time to first token.
  json events = WaitForEvents("$ai_generation", 2);
  ASSERT_GE(events.size(), 2u);
  for (const json& event : events) {
    EXPECT_GT(event["properties"]["output_tokens"].get<int>(), 0) << event.dump();
    EXPECT_GE(event["properties"]["ttft_ms"].get<double>(), 0) << event.dump();
    EXPECT_GT(event["properties"]["$ai_total_cost_usd"].get<double>(), 0);
  }
}

TEST_F(GatewayTest, ABrokenStreamEndsWithAnErrorEventAndIsRecordedAsFailed) {
  CreateRoute({{"key", "breaks"}, {"flag", "chat-model"}, {"default", "breaking@1.0.0"}});
  json body = ChatBody("breaks", "u");
  body["stream"] = true;
  cli::HttpResponse response = Chat(body);
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("data: {\"error\""), std::string::npos) << response.body;
  json events = WaitForEvents("$ai_generation", 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["properties"]["$ai_is_error"], true);
  EXPECT_EQ(events[0]["properties"]["error_type"], "stream_broken");
  EXPECT_EQ(SendRequest(*client_, "GET", "/healthz", "", "").status, 200);
}

// The upstream never answers; the client gives up and closes. Without cancellation the upstream
// call would run to the gateway's 30 s first-byte timeout, then be retried.
TEST_F(GatewayTest, AClientThatLeavesCancelsItsUpstreamCall) {
  Register("hanging", "1.0.0", "hang", 1, 1, 1);
  CreateRoute({{"key", "hangs"}, {"flag", "chat-model"}, {"default", "hanging@1.0.0"}});
  {
    RawSocket client(server_->port());
    ASSERT_TRUE(client.Send(RawChat(ChatBody("hangs", "leaver"))));
    ASSERT_TRUE(WaitUntil([&] { return upstream_.requests() == 1 && upstream_.connections_open() == 1; }));
  }  // closed: the server reads EOF
  EXPECT_TRUE(WaitUntil([&] { return upstream_.connections_open() == 0; }));
  EXPECT_EQ(upstream_.requests(), 1u);  // abandoned, neither retried nor sent to a fallback
  json events = WaitForEvents("$ai_generation", 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["properties"]["error_type"], "client_disconnected");
  EXPECT_EQ(events[0]["properties"]["$ai_http_status"], 499);
  EXPECT_EQ(Chat(ChatBody("chat", "u")).status, 200);  // the server goes on serving
}

TEST_F(GatewayTest, AClientThatLeavesAStalledStreamCancelsItsUpstreamCall) {
  Register("stalling", "1.0.0", "stall", 1, 1, 1);
  CreateRoute({{"key", "stalls"}, {"flag", "chat-model"}, {"default", "stalling@1.0.0"}});
  json body = ChatBody("stalls", "leaver");
  body["stream"] = true;
  {
    RawSocket client(server_->port());
    ASSERT_TRUE(client.Send(RawChat(body)));
    std::string head = client.ReadUntil("data: ", std::chrono::milliseconds(10000));
    ASSERT_NE(head.find("200 OK"), std::string::npos) << head;
    ASSERT_EQ(upstream_.connections_open(), 1u);
  }
  EXPECT_TRUE(WaitUntil([&] { return upstream_.connections_open() == 0; }));
  json events = WaitForEvents("$ai_generation", 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["properties"]["error_type"], "client_disconnected");
}

// Generic invoke abandons its call the same way, and records it under its own event.
TEST_F(GatewayTest, AClientThatLeavesAnInvokeCancelsItsUpstreamCall) {
  Register("policy", "1.0.0", "", 0, 0, 0, "http_json", "/invoke");
  CreateRoute({{"key", "scheduler"}, {"flag", "chat-model"}, {"default", "policy@1.0.0"}});
  const std::string text = json{{"user_id", "leaver"}, {"params", {{"model", "hang"}}}}.dump();
  {
    RawSocket client(server_->port());
    ASSERT_TRUE(
        client.Send("POST /api/v1/routes/scheduler/invoke HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    std::string(kTestProjectKey) + "\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(text.size()) + "\r\n\r\n" + text));
    ASSERT_TRUE(WaitUntil([&] { return upstream_.requests() == 1 && upstream_.connections_open() == 1; }));
  }
  EXPECT_TRUE(WaitUntil([&] { return upstream_.connections_open() == 0; }));
  EXPECT_EQ(upstream_.requests(), 1u);
  json events = WaitForEvents("$model_invocation", 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["properties"]["error_type"], "client_disconnected");
  EXPECT_EQ(events[0]["properties"]["$ai_http_status"], 499);
}

// Bytes that arrive while a call runs are the next request of a pipelining client, not a leave.
TEST_F(GatewayTest, APipelinedRequestDuringACallIsAnsweredAfterIt) {
  Register("slow", "1.0.0", "slow-300", 1, 1, 1);
  CreateRoute({{"key", "slowly"}, {"flag", "chat-model"}, {"default", "slow@1.0.0"}});
  RawSocket client(server_->port());
  ASSERT_TRUE(client.Send(RawChat(ChatBody("slowly", "a"))));
  ASSERT_TRUE(WaitUntil([&] { return upstream_.requests() == 1; }));
  ASSERT_TRUE(client.Send(RawChat(ChatBody("slowly", "b"))));
  // Both answered in order, and the first was not taken for a leave (no 499).
  std::string answers;
  auto count = [&answers] {
    std::size_t n = 0;
    for (auto at = answers.find("HTTP/1.1 "); at != std::string::npos; at = answers.find("HTTP/1.1 ", at + 1))
      ++n;
    return n;
  };
  for (int i = 0; i < 100 && count() < 2; ++i)
    answers += client.ReadUntil("HTTP/1.1 ", std::chrono::milliseconds(100));
  ASSERT_EQ(count(), 2u) << answers;
  EXPECT_EQ(answers.rfind("HTTP/1.1 200 OK", 0), 0u) << answers;
  EXPECT_NE(answers.find("HTTP/1.1 200 OK", 1), std::string::npos) << answers;
  EXPECT_TRUE(WaitUntil([&] { return upstream_.requests() == 2; }));
}

TEST_F(GatewayTest, FallsBackToTheDefaultWhenTheModelFailsAndTellsTheClientNotToRetry) {
  CreateRoute({{"key", "flaky"},
               {"flag", "chat-model"},
               {"variants", {{"control", "broken@1.0.0"}, {"treatment", "broken@1.0.0"}}},
               {"default", "gpt@1.0.0"}});
  const std::size_t before = upstream_.requests();
  cli::HttpResponse response = Chat(ChatBody("flaky", "u1"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(HeaderOf(response, "x-switchyard-model"), "gpt@1.0.0");
  EXPECT_EQ(HeaderOf(response, "x-should-retry"), "false");
  EXPECT_EQ(upstream_.requests() - before, 4u);  // 3 attempts on the broken model, then the default

  // Garbage (200 with a body that is not JSON) falls back too; with nothing to fall back to it is
  // an OpenAI-style 502.
  CreateRoute({{"key", "garbage"}, {"flag", "chat-model"}, {"default", "garbled@1.0.0"}});
  cli::HttpResponse garbage = Chat(ChatBody("garbage", "u1"));
  EXPECT_EQ(garbage.status, 502);
  json error = json::parse(garbage.body);
  EXPECT_EQ(error["error"]["type"], "api_error");
  EXPECT_EQ(SendRequest(*client_, "GET", "/healthz", "", "").status, 200);
}

TEST_F(GatewayTest, BadInputGetsOpenAiStyleErrors) {
  cli::HttpResponse unknown = Chat(ChatBody("nope", "u"));
  EXPECT_EQ(unknown.status, 404);
  json error = json::parse(unknown.body);
  EXPECT_EQ(error["error"]["type"], "not_found_error");
  EXPECT_EQ(error["error"]["param"], "model");
  EXPECT_EQ(error["error"]["code"], "model_not_found");

  cli::HttpResponse no_route = Chat({{"model", "gpt-4o"}, {"messages", json::array()}});
  EXPECT_EQ(no_route.status, 404);

  cli::HttpResponse malformed =
      SendRequest(*client_, "POST", "/v1/chat/completions", "{\"model\": ", kTestProjectKey,
                  {{"Content-Type", "application/json"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_TRUE(json::parse(malformed.body)["error"].contains("message"));

  cli::HttpResponse wrong_type = Chat({{"model", 5}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(json::parse(wrong_type.body)["error"]["param"], "model");

  cli::HttpResponse huge_user = Chat(ChatBody("chat", std::string(401, 'u')));
  EXPECT_EQ(huge_user.status, 400);
  EXPECT_EQ(json::parse(huge_user.body)["error"]["param"], "user");

  cli::HttpResponse admin = Chat(ChatBody("chat", "u"), kTestAdminKey);
  EXPECT_EQ(admin.status, 403);
  cli::HttpResponse no_key = Chat(ChatBody("chat", "u"), "");
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(SendRequest(*client_, "GET", "/healthz", "", "").status, 200);
}

TEST_F(GatewayTest, ShadowIsRecordedAndPairedWithoutReachingTheCaller) {
  CreateRoute({{"key", "shadowed"},
               {"flag", "chat-model"},
               {"variants", {{"control", "gpt@1.0.0"}, {"treatment", "gpt@1.0.0"}}},
               {"default", "gpt@1.0.0"},
               {"shadow", {{"model", "cand@1.0.0"}, {"sample_percent", 100}}}});
  for (int i = 0; i < 6; ++i) {
    cli::HttpResponse response = Chat(ChatBody("shadowed", "u" + std::to_string(i)));
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(HeaderOf(response, "x-switchyard-model"), "gpt@1.0.0");
  }
  json report;
  for (int i = 0; i < 100; ++i) {
    report = SendJson(*client_, "GET", kRoutes + "/shadowed/shadow/comparison").body;
    if (report["pairs"] == 6) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(report["pairs"], 6) << report.dump();
  EXPECT_EQ(report["identical"], 6);  // the fake answers every model with the same text
  EXPECT_EQ(report["shadow_model"], "cand@1.0.0");
  // Same tokens, cand is cheaper: the paired cost difference is negative and exact.
  EXPECT_LT(report["cost"]["difference"]["mean"].get<double>(), 0);
  json shadows = WaitForEvents("$ai_shadow_generation", 6);
  ASSERT_EQ(shadows.size(), 6u);
  json baselines = WaitForEvents("$ai_generation", 6);
  ASSERT_EQ(baselines.size(), 6u);
  // Paired by request id.
  std::set<std::string> ids;
  for (const json& event : baselines) ids.insert(event["properties"]["request_id"].get<std::string>());
  for (const json& event : shadows)
    EXPECT_TRUE(ids.contains(event["properties"]["request_id"].get<std::string>()));

  // A failing shadow never reaches the caller.
  CreateRoute({{"key", "bad-shadow"},
               {"flag", "chat-model"},
               {"default", "gpt@1.0.0"},
               {"shadow", {{"model", "broken@1.0.0"}, {"sample_percent", 100}}}});
  EXPECT_EQ(Chat(ChatBody("bad-shadow", "u1")).status, 200);
}

TEST_F(GatewayTest, GenericInvokeReturnsTheModelsJsonAndRecordsItsNumbers) {
  Register("policy", "1.0.0", "", 0, 0, 0, "http_json", "/invoke");
  CreateRoute({{"key", "scheduler"}, {"flag", "chat-model"}, {"default", "policy@1.0.0"}});
  JsonAnswer answer = SendJson(*client_, "POST", "/api/v1/routes/scheduler/invoke",
                               {{"user_id", "plant-7"}, {"params", {{"jobs", {3, 1, 2}}}}}, kTestProjectKey);
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_EQ(answer.body["result"]["makespan"], 12.5);
  EXPECT_EQ(answer.body["assignment"]["model"], "policy@1.0.0");
  EXPECT_EQ(answer.body["assignment"]["user_id"], "plant-7");
  EXPECT_EQ(json::parse(upstream_.Received().back().body), json({{"jobs", {3, 1, 2}}}));
  json events = WaitForEvents("$model_invocation", 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["properties"]["makespan"], 12.5);
  EXPECT_EQ(events[0]["distinct_id"], "plant-7");

  JsonAnswer unknown = SendJson(*client_, "POST", "/api/v1/routes/scheduler/invoke",
                                {{"user_id", "x"}, {"parms", json::object()}}, kTestProjectKey);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.body["error"]["field"], "parms");
}

}  // namespace
}  // namespace switchyard::testing
