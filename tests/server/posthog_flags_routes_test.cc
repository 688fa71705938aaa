// /flags, /decide and the remote configuration through the real router (no socket): every answer
// shape agrees with POST /api/v1/evaluate for the same user and flags; the token may come in the
// body or the query; a bad one is a 401; browsers get CORS.
#include <gtest/gtest.h>

#include "events/uuid.h"
#include "server/api_harness.h"
#include "server/posthog_flag_id.h"
#include "support/gzip.h"

namespace switchyard::server {
namespace {

using nlohmann::json;
using testing::ApiHarness;
using testing::Json;
using testing::kProjectKey;

using testing::kFlags;

json Checkout() {
  return {
      {"key", "checkout"},
      {"filters",
       {{"groups",
         {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}}},
           {"rollout_percentage", 80}},
          {{"properties", json::array()}, {"rollout_percentage", 30}, {"variant", "green"}}}},
        {"multivariate",
         {{"variants",
           {{{"key", "blue"}, {"rollout_percentage", 50}}, {{"key", "green"}, {"rollout_percentage", 50}}}}}},
        {"payloads", {{"blue", {{"color", "#00f"}}}, {"green", "plain text"}}}}}};
}

json Beta() {
  return {{"key", "beta"},
          {"filters",
           {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 50}}}},
            {"payloads", {{"true", {{"limit", 10}}}}}}}};
}

class PostHogFlagsRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(api_.Call("POST", kFlags, Checkout()).status, 201);
    ASSERT_EQ(api_.Call("POST", kFlags, Beta()).status, 201);
    ASSERT_EQ(api_.Call("POST", kFlags, json{{"key", "off"}, {"active", false}}).status, 201);
  }
  json Evaluate(const std::string& id, const json& properties) {
    auto response = api_.Call("POST", "/api/v1/evaluate",
                              json{{"distinct_id", id}, {"properties", properties}}, kProjectKey);
    EXPECT_EQ(response.status, 200) << response.body;
    return Json(response)["flags"];
  }
  // As posthog-node sends it: the token in the body, no Authorization header.
  Response PostHog(const std::string& target, const json& body) {
    return api_.Call("POST", target, body.dump(), "", "application/json");
  }
  ApiHarness api_;
};

json Body(const std::string& id, const json& properties) {
  return {{"token", kProjectKey},
          {"distinct_id", id},
          {"groups", json::object()},
          {"person_properties", properties},
          {"group_properties", json::object()}};
}

TEST_F(PostHogFlagsRoutesTest, EveryShapeAgreesWithEvaluate) {
  int variants = 0;
  int payloads = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "user-" + std::to_string(i);
    const json properties = {{"plan", i % 2 == 0 ? "pro" : "free"}};
    const json ours = Evaluate(id, properties);
    SCOPED_TRACE(id);
    for (const char* target : {"/flags", "/flags/?v=1", "/decide/?v=2", "/decide/?v=3"}) {
      auto response = PostHog(target, Body(id, properties));
      ASSERT_EQ(response.status, 200) << target << response.body;
      json v1 = Json(response);
      ASSERT_EQ(v1["featureFlags"].size(), ours.size()) << target;
      for (const auto& [key, flag] : ours.items()) {
        EXPECT_EQ(v1["featureFlags"][key], flag["value"]) << target << " " << key;
        if (flag["enabled"] == true && !flag["payload"].is_null()) {
          EXPECT_EQ(json::parse(v1["featureFlagPayloads"][key].get<std::string>()), flag["payload"]);
        } else {
          EXPECT_FALSE(v1["featureFlagPayloads"].contains(key));
        }
      }
      EXPECT_EQ(v1.contains("supportedCompression"), std::string(target).starts_with("/decide")) << target;
    }
    for (const char* target : {"/flags/?v=2", "/flags?v=3", "/flags/?v=4&config=true", "/decide/?v=4"}) {
      auto response = PostHog(target, Body(id, properties));
      ASSERT_EQ(response.status, 200) << target << response.body;
      json v2 = Json(response);
      ASSERT_EQ(v2["flags"].size(), ours.size()) << target;
      EXPECT_EQ(v2["errorsWhileComputingFlags"], false);
      ASSERT_TRUE(v2["requestId"].is_string());
      EXPECT_EQ(events::CanonicalUuid(v2["requestId"].get<std::string>()), v2["requestId"]);
      for (const auto& [key, flag] : ours.items()) {
        const json& theirs = v2["flags"][key];
        EXPECT_EQ(theirs["enabled"], flag["enabled"]) << key;
        EXPECT_EQ(theirs["variant"], flag["variant"]) << key;
        EXPECT_EQ(theirs["reason"]["condition_index"], flag["condition_index"]) << key;
        EXPECT_EQ(theirs["metadata"]["version"], flag["version"]) << key;
        EXPECT_EQ(theirs["metadata"]["id"], PostHogFlagId(key)) << key;
        if (flag["enabled"] == true && !flag["payload"].is_null()) {
          EXPECT_EQ(json::parse(theirs["metadata"]["payload"].get<std::string>()), flag["payload"]);
        }
        std::string code = flag["reason"];
        if (code == "out_of_rollout") code = "out_of_rollout_bound";
        EXPECT_EQ(theirs["reason"]["code"], code) << key;
      }
      EXPECT_EQ(v2.contains("supportedCompression"),
                std::string(target) != "/flags/?v=2" && std::string(target) != "/flags?v=3")
          << target;
    }
    if (ours["checkout"]["variant"].is_string()) ++variants;
    if (!ours["beta"]["payload"].is_null()) ++payloads;
  }
  EXPECT_GT(variants, 5);  // the users exercise variants and payloads, not only "off"
  EXPECT_GT(payloads, 5);
}

TEST_F(PostHogFlagsRoutesTest, RequestedKeysOnlyAndUnknownOnesLeftOut) {
  json body = Body("u1", json::object());
  body["flag_keys_to_evaluate"] = {"beta", "nope"};
  body["some_future_field"] = {{"x", 1}};
  auto response = Json(PostHog("/flags/?v=2", body));
  ASSERT_EQ(response["flags"].size(), 1u) << response.dump();
  EXPECT_TRUE(response["flags"].contains("beta"));
  body["disable_flags"] = true;
  EXPECT_EQ(Json(PostHog("/flags/?v=2", body))["flags"], json::object());
}

TEST_F(PostHogFlagsRoutesTest, TokenInBodyOrQueryOrHeaderAndBadOnes) {
  json body = Body("u1", json::object());
  EXPECT_EQ(PostHog("/flags/?v=2", body).status, 200);
  body.erase("token");
  EXPECT_EQ(PostHog("/flags/?v=2&token=" + std::string(kProjectKey), body).status, 200);
  EXPECT_EQ(api_.Call("POST", "/flags/?v=2", body.dump(), kProjectKey).status, 200);
  auto missing = PostHog("/flags/?v=2", body);
  EXPECT_EQ(missing.status, 401);
  body["api_key"] = "sy_proj_wrong_0123456789abcdefghijklmnop";
  auto wrong = PostHog("/flags/?v=2", body);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(Json(wrong)["error"]["message"].is_string());
}

TEST_F(PostHogFlagsRoutesTest, CompressedBodiesAndBadInput) {
  const std::string text = Body("u1", json::object()).dump();
  Request gzip_js;
  gzip_js.method = "POST";
  gzip_js.target = "/flags/?v=2&compression=gzip-js";
  ParseTarget(gzip_js.target, &gzip_js.path, &gzip_js.query);
  gzip_js.headers = {{"content-type", "text/plain"}};
  gzip_js.body = switchyard::testing::Gzip(text);
  EXPECT_EQ(api_.router().Handle(gzip_js).status, 200);

  auto no_id = PostHog("/flags/?v=2", json{{"token", kProjectKey}});
  EXPECT_EQ(no_id.status, 400);
  EXPECT_EQ(Json(no_id)["error"]["field"], "distinct_id");
  auto bad_properties =
      PostHog("/flags/?v=2", json{{"token", kProjectKey}, {"distinct_id", "u"}, {"person_properties", 1}});
  EXPECT_EQ(bad_properties.status, 400);
  EXPECT_EQ(Json(bad_properties)["error"]["field"], "person_properties");
  EXPECT_EQ(api_.Call("POST", "/flags/?v=2", "{not json", kProjectKey).status, 400);
}

TEST_F(PostHogFlagsRoutesTest, PreflightAndCorsHeaders) {
  Request preflight;
  preflight.method = "OPTIONS";
  preflight.target = preflight.path = "/flags/";
  preflight.headers = {{"origin", "https://app.example.com"}, {"access-control-request-method", "POST"}};
  auto answer = api_.router().Handle(preflight);
  EXPECT_EQ(answer.status, 204);
  bool allowed = false;
  for (const auto& [name, value] : answer.headers)
    allowed = allowed || (name == "Access-Control-Allow-Origin" && value == "*");
  EXPECT_TRUE(allowed);

  Request post;
  post.method = "POST";
  post.target = post.path = "/flags";
  post.headers = {{"origin", "https://app.example.com"}, {"content-type", "application/json"}};
  post.body = Body("u1", json::object()).dump();
  auto response = api_.router().Handle(post);
  EXPECT_EQ(response.status, 200);
  allowed = false;
  for (const auto& [name, value] : response.headers)
    allowed = allowed || name == "Access-Control-Allow-Origin";
  EXPECT_TRUE(allowed);
}

TEST_F(PostHogFlagsRoutesTest, RemoteConfigForAKnownTokenOnly) {
  auto config = api_.Call("GET", "/array/" + std::string(kProjectKey) + "/config", "", "");
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(Json(config)["token"], kProjectKey);
  EXPECT_EQ(Json(config)["sessionRecording"], false);
  auto script = api_.Call("GET", "/array/" + std::string(kProjectKey) + "/config.js", "", "");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "application/javascript");
  EXPECT_NE(script.body.find("_POSTHOG_REMOTE_CONFIG[\"" + std::string(kProjectKey) + "\"]"),
            std::string::npos);
  EXPECT_EQ(api_.Call("GET", "/array/sy_proj_nope/config", "", "").status, 401);
}

}  // namespace
}  // namespace switchyard::server
