// Persons, aliases, groups and the local-evaluation definitions on the real binary: identify and
// alias events (through /api/v1/events) merge persons that targeting then sees, $groupidentify
// feeds group flags, and secret keys read definitions (with ETag / 304) but never manage.
#include <gtest/gtest.h>

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

class PeopleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    client_ = std::make_unique<HttpClient>(server_->base_url());
  }
  void Events(const json& batch) {
    auto answer = SendJson(*client_, "POST", "/api/v1/events", json{{"batch", batch}}, kTestProjectKey);
    ASSERT_EQ(answer.status / 100, 2) << answer.body.dump();
  }
  json Evaluate(const json& body) {
    auto answer = SendJson(*client_, "POST", "/api/v1/evaluate", body, kTestProjectKey);
    EXPECT_EQ(answer.status, 200) << answer.body.dump();
    return answer.body["flags"];
  }
  void CreateFlag(const json& flag) {
    auto answer = SendJson(*client_, "POST", kFlags, flag, kTestAdminKey);
    ASSERT_EQ(answer.status, 201) << answer.body.dump();
  }
  std::string SecretKey() {
    auto answer =
        SendJson(*client_, "POST", "/api/v1/projects/default/keys", json{{"scope", "secret"}}, kTestAdminKey);
    EXPECT_EQ(answer.status, 201) << answer.body.dump();
    EXPECT_EQ(answer.body["scope"], "secret");
    return answer.body["key"].get<std::string>();
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

json ProFlag() {
  return json{
      {"key", "pro-feature"},
      {"filters",
       {{"groups",
         json::array({{{"properties",
                        json::array({{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}})}}})}}}};
}

TEST_F(PeopleTest, IdentifyMergesTheAnonymousUserAndTargetingSeesIt) {
  CreateFlag(ProFlag());
  // The anonymous visitor is evaluated (and cached) before anything is known of them.
  EXPECT_EQ(Evaluate({{"distinct_id", "anon-1"}})["pro-feature"]["enabled"], false);
  Events(json::array(
      {{{"event", "$pageview"}, {"distinct_id", "anon-1"}, {"properties", {{"$set", {{"plan", "pro"}}}}}}}));
  EXPECT_EQ(Evaluate({{"distinct_id", "anon-1"}})["pro-feature"]["enabled"], true);
  // Logging in: the identified id becomes the same person, with the anonymous properties.
  Events(json::array({{{"event", "$identify"},
                       {"distinct_id", "user-1"},
                       {"properties", {{"$anon_distinct_id", "anon-1"}, {"$set", {{"email", "a@x.io"}}}}}}}));
  EXPECT_EQ(Evaluate({{"distinct_id", "user-1"}})["pro-feature"]["enabled"], true);
  auto person = SendJson(*client_, "GET", "/api/v1/projects/default/persons/anon-1");
  ASSERT_EQ(person.status, 200);
  EXPECT_EQ(person.body["distinct_id"], "user-1");
  EXPECT_EQ(person.body["properties"], (json{{"plan", "pro"}, {"email", "a@x.io"}}));
}

TEST_F(PeopleTest, CreateAliasJoinsTwoIdsAndACachedIdSeesTheMerge) {
  CreateFlag(ProFlag());
  Events(json::array(
      {{{"event", "$set"}, {"distinct_id", "crm-7"}, {"properties", {{"$set", {{"plan", "pro"}}}}}}}));
  EXPECT_EQ(Evaluate({{"distinct_id", "web-7"}})["pro-feature"]["enabled"], false);  // cached: no person
  Events(json::array(
      {{{"event", "$create_alias"}, {"distinct_id", "crm-7"}, {"properties", {{"alias", "web-7"}}}}}));
  EXPECT_EQ(Evaluate({{"distinct_id", "web-7"}})["pro-feature"]["enabled"], true);
}

TEST_F(PeopleTest, GroupFlagsUseGroupsAndTheirStoredProperties) {
  Events(json::array(
      {{{"event", "$groupidentify"},
        {"distinct_id", "u1"},
        {"properties",
         {{"$group_type", "company"}, {"$group_key", "acme"}, {"$group_set", {{"tier", "enterprise"}}}}}}}));
  CreateFlag(json{{"key", "company-beta"},
                  {"filters",
                   {{"aggregation_group_type_index", 0},
                    {"groups", json::array({{{"properties", json::array({{{"key", "tier"},
                                                                          {"type", "group"},
                                                                          {"group_type_index", 0},
                                                                          {"operator", "exact"},
                                                                          {"value", "enterprise"}}})}}})}}}});
  EXPECT_EQ(Evaluate({{"distinct_id", "u1"}, {"groups", {{"company", "acme"}}}})["company-beta"]["enabled"],
            true);
  EXPECT_EQ(
      Evaluate({{"distinct_id", "u1"},
                {"groups", {{"company", "globex"}}},
                {"group_properties", {{"company", {{"tier", "enterprise"}}}}}})["company-beta"]["enabled"],
      true);
  json without = Evaluate({{"distinct_id", "u1"}})["company-beta"];
  EXPECT_EQ(without["enabled"], false);
  EXPECT_EQ(without["reason"], "missing_property");
  auto bad = SendJson(*client_, "POST", "/api/v1/evaluate",
                      json{{"distinct_id", "u1"}, {"groups", {{"company", json::array()}}}}, kTestProjectKey);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["error"]["field"], "groups.company");
}

TEST_F(PeopleTest, GroupTypesDeclaredAheadShipInDefinitionsAndEventsKeepTheirIndex) {
  const std::string types = "/api/v1/projects/default/group-types";
  const std::string secret = SecretKey();
  const std::string target = std::string("/flags/definitions?token=") + kTestProjectKey;
  auto before = SendRequest(*client_, "GET", target, "", secret);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(json::parse(before.body)["group_type_mapping"], json::object());

  auto created = SendJson(*client_, "POST", types, json{{"name", "company"}}, kTestAdminKey);
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body, (json{{"name", "company"}, {"index", 0}}));
  // The cached definitions are rebuilt with the new mapping.
  auto after = SendRequest(*client_, "GET", target, "", secret);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(json::parse(after.body)["group_type_mapping"], (json{{"0", "company"}}));

  EXPECT_EQ(SendJson(*client_, "POST", types, json{{"name", "company"}}, kTestAdminKey).status, 409);
  auto unknown =
      SendJson(*client_, "POST", types, json{{"name", "team"}, {"plural", "teams"}}, kTestAdminKey);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.body["error"]["field"], "plural");
  EXPECT_EQ(SendJson(*client_, "POST", types, json{{"name", "team"}}, kTestProjectKey).status, 403);
  EXPECT_EQ(SendJson(*client_, "POST", types, json{{"name", "team"}}, secret).status, 403);

  // A $groupidentify for a new type takes the next index; the declared one keeps index 0.
  Events(json::array(
      {{{"event", "$groupidentify"},
        {"distinct_id", "u1"},
        {"properties", {{"$group_type", "team"}, {"$group_key", "core"}, {"$group_set", {{"size", 4}}}}}},
       {{"event", "$groupidentify"},
        {"distinct_id", "u1"},
        {"properties",
         {{"$group_type", "company"}, {"$group_key", "acme"}, {"$group_set", {{"tier", "gold"}}}}}}}));
  auto listed = SendJson(*client_, "GET", types, json(), kTestAdminKey);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body["group_types"],
            json::array({{{"name", "company"}, {"index", 0}}, {{"name", "team"}, {"index", 1}}}));
  auto acme =
      SendJson(*client_, "GET", "/api/v1/projects/default/groups/company/acme", json(), kTestAdminKey);
  ASSERT_EQ(acme.status, 200) << acme.body.dump();
  EXPECT_EQ(acme.body["properties"], (json{{"tier", "gold"}}));
  EXPECT_EQ(SendJson(*client_, "GET", "/api/v1/projects/default/groups/company/globex", json(), kTestAdminKey)
                .status,
            404);
}

TEST_F(PeopleTest, ThePersonsListShowsEveryMergedId) {
  Events(json::array({{{"event", "$identify"},
                       {"distinct_id", "user-3"},
                       {"properties", {{"$anon_distinct_id", "anon-3"}, {"$set", {{"plan", "pro"}}}}}}}));
  auto listed = SendJson(*client_, "GET", "/api/v1/projects/default/persons", json(), kTestAdminKey);
  ASSERT_EQ(listed.status, 200) << listed.body.dump();
  ASSERT_EQ(listed.body["persons"].size(), 1u);
  EXPECT_EQ(listed.body["persons"][0]["distinct_ids"], json::array({"user-3", "anon-3"}));
}

TEST_F(PeopleTest, SecretKeysReadDefinitionsButNeverManage) {
  CreateFlag(ProFlag());
  const std::string secret = SecretKey();
  const std::string target = std::string("/flags/definitions?token=") + kTestProjectKey + "&send_cohorts";
  auto first = SendRequest(*client_, "GET", target, "", secret);
  ASSERT_EQ(first.status, 200) << first.body;
  json body = json::parse(first.body);
  ASSERT_EQ(body["flags"].size(), 1u);
  EXPECT_EQ(body["flags"][0]["key"], "pro-feature");
  EXPECT_EQ(body["flags"][0]["active"], true);
  EXPECT_TRUE(body["flags"][0]["id"].is_number_integer());
  EXPECT_EQ(body["flags"][0]["filters"]["groups"][0]["properties"][0]["key"], "plan");
  EXPECT_TRUE(body["group_type_mapping"].is_object());
  EXPECT_TRUE(body["cohorts"].is_object());
  std::string etag;
  for (const auto& [name, value] : first.headers) {
    if (name == "etag") etag = value;
  }
  ASSERT_EQ(etag.rfind("W/\"", 0), 0u) << etag;
  // Unchanged: 304; the older path answers the same body.
  auto again = SendRequest(*client_, "GET", target, "", secret, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  auto older = SendRequest(
      *client_, "GET",
      std::string("/api/feature_flag/local_evaluation?token=") + kTestProjectKey + "&send_cohorts", "",
      secret);
  EXPECT_EQ(json::parse(older.body), body);
  // A change makes a new body.
  ASSERT_EQ(SendJson(*client_, "POST", kFlags + "/pro-feature/disable", json{{"version", 1}}).status, 200);
  auto changed = SendRequest(*client_, "GET", target, "", secret, {{"If-None-Match", etag}});
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(json::parse(changed.body)["flags"][0]["active"], false);

  // A secret key evaluates like a project key...
  EXPECT_EQ(SendJson(*client_, "POST", "/api/v1/evaluate", json{{"distinct_id", "u"}}, secret).status, 200);
  // ...and never manages.
  EXPECT_EQ(SendJson(*client_, "GET", kFlags, json(), secret).status, 403);
  EXPECT_EQ(SendJson(*client_, "POST", kFlags, json{{"key", "nope"}}, secret).status, 403);
  // A project key (it ships in apps) may not read definitions; an admin key may.
  EXPECT_EQ(SendRequest(*client_, "GET", target, "", kTestProjectKey).status, 403);
  EXPECT_EQ(SendRequest(*client_, "GET", target, "", kTestAdminKey).status, 200);
  EXPECT_EQ(SendRequest(*client_, "GET", target, "", "sy_secret_not_a_real_key_at_all_0000").status, 401);
}

}  // namespace
}  // namespace switchyard
