// Strict input against the real server: a body with a member its object does not know is a 422
// naming the member and the closest known name, and changes nothing; what a GET returns can be
// sent back.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using Json = nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;

const std::string kFlags = "/api/v1/projects/default/flags";

struct Answer {
  int status = 0;
  Json body;
};

class StrictInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::ServerProcess>();
    client_ = std::make_unique<cli::HttpClient>(server_->base_url());
  }

  Answer Send(const std::string& method, const std::string& target, const Json& body = nullptr,
              const std::string& key = kTestAdminKey) {
    const std::string text = body.is_null() ? std::string() : body.dump();
    auto response = client_->Request(method, target, text, {{"Authorization", "Bearer " + key}});
    if (!response.ok()) throw std::runtime_error(response.status().ToString());
    return Answer{response->status, Json::parse(response->body, nullptr, false)};
  }

  // A 422 whose error names `field` and whose message holds `needle`.
  static void ExpectUnknownField(const Answer& answer, const std::string& field, const std::string& needle) {
    EXPECT_EQ(answer.status, 422) << answer.body;
    EXPECT_EQ(answer.body["error"]["code"], "invalid_argument") << answer.body;
    EXPECT_EQ(answer.body["error"]["field"], field) << answer.body;
    const std::string message = answer.body["error"].value("message", "");
    EXPECT_NE(message.find(needle), std::string::npos) << message;
  }

  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<cli::HttpClient> client_;
};

TEST_F(StrictInputTest, MistypedActiveCreatesNothing) {
  ExpectUnknownField(Send("POST", kFlags, Json{{"key", "checkout"}, {"activ", false}}), "activ",
                     "unknown field 'activ'; did you mean 'active'?");
  EXPECT_EQ(Send("GET", kFlags + "/checkout").status, 404);
}

TEST_F(StrictInputTest, MistypedGroupRolloutIsRefusedAndTheFlagKeepsItsRollout) {
  Json flag = Json::parse(R"({"key": "checkout", "filters": {"groups": [{"rollout_percentage": 10}]}})");
  ASSERT_EQ(Send("POST", kFlags, flag).status, 201);

  Json edited = Json::parse(R"({"version": 1, "filters": {"groups": [{"rolout_percentage": 30}]}})");
  Answer answer = Send("PATCH", kFlags + "/checkout", edited);
  ExpectUnknownField(
      answer, "filters.groups[0].rolout_percentage",
      "unknown field 'rolout_percentage' in filters.groups[0]; did you mean 'rollout_percentage'?");
  edited["key"] = "checkout";
  ExpectUnknownField(Send("PUT", kFlags + "/checkout", edited), "filters.groups[0].rolout_percentage",
                     "did you mean 'rollout_percentage'?");

  Answer stored = Send("GET", kFlags + "/checkout");
  EXPECT_EQ(stored.body["version"], 1);
  EXPECT_EQ(stored.body["filters"]["groups"][0]["rollout_percentage"], 10);
}

TEST_F(StrictInputTest, WhatAGetReturnsCanBeEditedAndSentBack) {
  ASSERT_EQ(Send("POST", kFlags, Json{{"key", "checkout"}}).status, 201);
  Json flag = Send("GET", kFlags + "/checkout").body;
  ASSERT_TRUE(flag.contains("updated_at")) << flag;
  flag["name"] = "Checkout";
  Answer replaced = Send("PUT", kFlags + "/checkout", flag);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.body["name"], "Checkout");

  flag = replaced.body;
  flag["description"] = "patched whole";
  Answer patched = Send("PATCH", kFlags + "/checkout", flag);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.body["description"], "patched whole");
  EXPECT_EQ(patched.body["version"], 3);

  // The read-only key must still be this flag's.
  flag = patched.body;
  flag["key"] = "other";
  EXPECT_EQ(Send("PATCH", kFlags + "/checkout", flag).body["error"]["field"], "key");
  EXPECT_EQ(Send("PUT", kFlags + "/checkout", flag).body["error"]["field"], "key");
}

TEST_F(StrictInputTest, EveryOtherBodyIsCheckedToo) {
  ASSERT_EQ(Send("POST", kFlags, Json{{"key", "checkout"}}).status, 201);
  ExpectUnknownField(Send("POST", kFlags + "/checkout/rollout", Json{{"percentag", 30}}), "percentag",
                     "did you mean 'percentage'?");
  ExpectUnknownField(Send("POST", kFlags + "/checkout/disable", Json{{"versoin", 1}}), "versoin",
                     "did you mean 'version'?");
  EXPECT_EQ(Send("GET", kFlags + "/checkout").body["version"], 1);

  ExpectUnknownField(Send("POST", "/api/v1/projects/default/cohorts",
                          Json::parse(R"({"id": "pros", "filters": {"groups": [{"properties":
                                         [{"key": "plan", "operater": "exact", "value": "pro"}]}]}})")),
                     "filters.groups[0].properties[0].operater", "did you mean 'operator'?");
  ExpectUnknownField(Send("POST", "/api/v1/projects", Json{{"slug", "mobile"}, {"nmae", "Mobile"}}), "nmae",
                     "did you mean 'name'?");
  ExpectUnknownField(Send("POST", "/api/v1/projects/default/keys", Json{{"lable", "web"}}), "lable",
                     "did you mean 'label'?");
  ExpectUnknownField(Send("PATCH", "/api/v1/projects/default/persons/alice", Json{{"$sett", {{"a", 1}}}}),
                     "$sett", "did you mean '$set'?");
  ExpectUnknownField(Send("POST", "/api/v1/evaluate", Json{{"distinct_id", "alice"}, {"flag", {"checkout"}}},
                          kTestProjectKey),
                     "flag", "did you mean 'flags'?");
}

TEST_F(StrictInputTest, APersonCanBeSentBackAsRead) {
  const std::string alice = "/api/v1/projects/default/persons/alice";
  ASSERT_EQ(Send("PUT", alice, Json{{"properties", {{"plan", "pro"}}}}).status, 200);
  Json person = Send("GET", alice).body;
  person["properties"]["plan"] = "enterprise";
  Answer replaced = Send("PUT", alice, person);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.body["properties"]["plan"], "enterprise");
  EXPECT_EQ(Send("PUT", "/api/v1/projects/default/persons/bob", person).body["error"]["field"],
            "distinct_id");
}

}  // namespace
}  // namespace switchyard
