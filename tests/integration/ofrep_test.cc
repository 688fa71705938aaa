// OFREP on the real binary: single and bulk evaluation with a project key (Bearer or X-API-Key),
// stored person properties under the context's attributes, the spec's errors, the bulk ETag, and
// agreement with POST /api/v1/evaluate for the same users.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using cli::HttpClient;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::SendJson;
using testing::SendRequest;
using testing::ServerProcess;

const std::string kFlags = "/api/v1/projects/default/flags";
const std::string kOne = "/ofrep/v1/evaluate/flags/";
const std::string kBulk = "/ofrep/v1/evaluate/flags";

struct Answer {
  int status = 0;
  json body;
  std::string etag;
};

class OfrepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    client_ = std::make_unique<HttpClient>(server_->base_url());
    Create({{"key", "always"}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}});
    Create(
        {{"key", "pro-only"},
         {"filters",
          {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}, {"operator", "exact"}}}}}}}}}});
    Create({{"key", "split"},
            {"filters",
             {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 70}}}},
              {"multivariate",
               {{"variants",
                 {{{"key", "control"}, {"rollout_percentage", 50}},
                  {{"key", "test"}, {"rollout_percentage", 50}}}}}},
              {"payloads", {{"test", "{\"model\":\"x\"}"}}}}}});
  }

  void Create(const json& flag) {
    ASSERT_EQ(SendRequest(*client_, "POST", kFlags, flag.dump(), kTestAdminKey).status, 201) << flag.dump();
  }

  Answer Post(const std::string& target, const std::string& body, cli::HttpClient::Headers headers) {
    headers.emplace_back("Content-Type", "application/json");
    auto response = SendRequest(*client_, "POST", target, body, "", headers);
    Answer answer{response.status, json(), ""};
    if (!response.body.empty()) answer.body = json::parse(response.body, nullptr, false);
    for (const auto& [name, value] : response.headers) {
      if (name == "etag" || name == "ETag") answer.etag = value;
    }
    return answer;
  }

  Answer Evaluate(const std::string& key, const json& context) {
    return Post(kOne + key, json{{"context", context}}.dump(),
                {{"Authorization", "Bearer " + std::string(kTestProjectKey)}});
  }

  Answer Bulk(const json& context, const std::string& if_none_match = "") {
    cli::HttpClient::Headers headers = {{"Authorization", "Bearer " + std::string(kTestProjectKey)}};
    if (!if_none_match.empty()) headers.emplace_back("If-None-Match", if_none_match);
    return Post(kBulk, json{{"context", context}}.dump(), headers);
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(OfrepTest, EvaluatesOneFlagWithBearerOrXApiKey) {
  Answer bearer = Evaluate("always", {{"targetingKey", "user-1"}});
  ASSERT_EQ(bearer.status, 200) << bearer.body.dump();
  EXPECT_EQ(bearer.body["key"], "always");
  EXPECT_EQ(bearer.body["value"], true);
  EXPECT_EQ(bearer.body["reason"], "STATIC");
  EXPECT_EQ(bearer.body["metadata"]["flagVersion"], 1);

  Answer api_key =
      Post(kOne + "always", R"({"context":{"targetingKey":"user-1"}})", {{"X-API-Key", kTestProjectKey}});
  ASSERT_EQ(api_key.status, 200) << api_key.body.dump();
  EXPECT_EQ(api_key.body, bearer.body);

  Answer none = Post(kOne + "always", R"({"context":{"targetingKey":"user-1"}})", {});
  EXPECT_EQ(none.status, 401);
  Answer wrong =
      Post(kOne + "always", R"({"context":{"targetingKey":"user-1"}})", {{"X-API-Key", "sy_proj_nope"}});
  EXPECT_EQ(wrong.status, 401);
}

TEST_F(OfrepTest, AnAdminKeyNamesTheProjectInTheQuery) {
  cli::HttpClient::Headers admin = {{"Authorization", "Bearer " + std::string(kTestAdminKey)}};
  Answer named = Post(kOne + "always?project=default&environment=production",
                      R"({"context":{"targetingKey":"u"}})", admin);
  ASSERT_EQ(named.status, 200) << named.body.dump();
  EXPECT_EQ(named.body["value"], true);

  Answer unnamed = Post(kOne + "always", R"({"context":{"targetingKey":"u"}})", admin);
  EXPECT_EQ(unnamed.status, 400) << unnamed.body.dump();
  EXPECT_EQ(unnamed.body["errorCode"], "GENERAL");
  EXPECT_EQ(unnamed.body["error"]["field"], "project");

  Answer unknown = Post(kOne + "always?project=nope", R"({"context":{"targetingKey":"u"}})", admin);
  EXPECT_EQ(unknown.status, 404) << unknown.body.dump();
  EXPECT_EQ(unknown.body["error"]["field"], "project");
}

TEST_F(OfrepTest, StoredPersonPropertiesTargetAndContextAttributesWin) {
  ASSERT_EQ(SendRequest(*client_, "PUT", "/api/v1/projects/default/persons/user-pro",
                        json{{"properties", {{"plan", "pro"}}}}.dump(), kTestAdminKey)
                .status,
            200);
  Answer stored = Evaluate("pro-only", {{"targetingKey", "user-pro"}});
  ASSERT_EQ(stored.status, 200);
  EXPECT_EQ(stored.body["value"], true);
  EXPECT_EQ(stored.body["reason"], "TARGETING_MATCH");

  Answer overridden = Evaluate("pro-only", {{"targetingKey", "user-pro"}, {"plan", "free"}});
  EXPECT_EQ(overridden.body["value"], false);
  EXPECT_EQ(overridden.body["reason"], "DEFAULT");

  Answer attribute = Evaluate("pro-only", {{"targetingKey", "someone-else"}, {"plan", "pro"}});
  EXPECT_EQ(attribute.body["value"], true);
}

TEST_F(OfrepTest, ErrorsCarryTheSpecsCodesAndStatuses) {
  Answer missing = Evaluate("no-such-flag", {{"targetingKey", "u"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["key"], "no-such-flag");
  EXPECT_EQ(missing.body["errorCode"], "FLAG_NOT_FOUND");

  Answer no_key = Evaluate("always", {{"plan", "pro"}});
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(no_key.body["errorCode"], "TARGETING_KEY_MISSING");
  EXPECT_EQ(no_key.body["error"]["field"], "context.targetingKey");

  Answer bad_context = Evaluate("always", "just-a-string");
  EXPECT_EQ(bad_context.status, 400);
  EXPECT_EQ(bad_context.body["errorCode"], "INVALID_CONTEXT");

  Answer not_json =
      Post(kOne + "always", "{not json", {{"Authorization", "Bearer " + std::string(kTestProjectKey)}});
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.body["errorCode"], "PARSE_ERROR");
  EXPECT_EQ(not_json.body["key"], "always");

  Answer bulk_no_key = Bulk(json::object());
  EXPECT_EQ(bulk_no_key.status, 400);
  EXPECT_EQ(bulk_no_key.body["errorCode"], "TARGETING_KEY_MISSING");
}

TEST_F(OfrepTest, AgreesWithEvaluateForEveryUser) {
  for (int i = 0; i < 200; ++i) {
    std::string user = "user-" + std::to_string(i);
    auto ours = SendJson(*client_, "POST", "/api/v1/evaluate", {{"distinct_id", user}, {"flags", {"split"}}},
                         kTestProjectKey);
    ASSERT_EQ(ours.status, 200);
    const json& flag = ours.body["flags"]["split"];
    Answer ofrep = Evaluate("split", {{"targetingKey", user}});
    ASSERT_EQ(ofrep.status, 200);
    if (!flag["enabled"].get<bool>()) {
      EXPECT_EQ(ofrep.body["value"], false) << user;
      EXPECT_EQ(ofrep.body["reason"], "SPLIT") << user;
    } else if (flag["variant"] == "test") {
      EXPECT_EQ(ofrep.body["value"], (json{{"model", "x"}})) << user;  // the variant's payload
      EXPECT_EQ(ofrep.body["variant"], "test");
    } else {
      EXPECT_EQ(ofrep.body["value"], "control") << user;
      EXPECT_EQ(ofrep.body["variant"], "control");
    }
  }
}

TEST_F(OfrepTest, BulkEvaluatesEveryFlagWithAnETagThatChangesWithTheAnswer) {
  json context = {{"targetingKey", "user-1"}, {"plan", "pro"}};
  Answer first = Bulk(context);
  ASSERT_EQ(first.status, 200) << first.body.dump();
  ASSERT_EQ(first.body["flags"].size(), 3u);
  for (const json& flag : first.body["flags"]) {
    EXPECT_TRUE(flag.contains("value")) << flag.dump();
    EXPECT_TRUE(flag.contains("reason")) << flag.dump();
  }
  ASSERT_FALSE(first.etag.empty());

  Answer unchanged = Bulk(context, first.etag);
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_EQ(unchanged.etag, first.etag);

  // Another context is another answer: no 304 for it.
  Answer other = Bulk({{"targetingKey", "user-1"}, {"plan", "free"}}, first.etag);
  EXPECT_EQ(other.status, 200);
  EXPECT_NE(other.etag, first.etag);

  // A change to a flag changes the answer, so the old ETag no longer matches.
  ASSERT_EQ(
      SendRequest(*client_, "PATCH", kFlags + "/always", R"({"active":false,"version":1})", kTestAdminKey)
          .status,
      200);
  Answer changed = Bulk(context, first.etag);
  ASSERT_EQ(changed.status, 200);
  EXPECT_NE(changed.etag, first.etag);
  for (const json& flag : changed.body["flags"]) {
    if (flag["key"] == "always") {
      EXPECT_EQ(flag["reason"], "DISABLED");
    }
  }
}

}  // namespace
}  // namespace switchyard
