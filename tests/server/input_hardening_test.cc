// Hostile input through the router: bounded JSON, evaluate's cost limits, PATCH nulls, versions,
// names that shadow ids or paths. Every byte here is something a key holder could send.
#include <gtest/gtest.h>

#include <string>

#include "server/api_harness.h"
#include "server/evaluate_request.h"
#include "store/store_validation.h"

namespace switchyard::server {
namespace {

using testing::ApiHarness;
using testing::Json;
using testing::kAdminKey;
using testing::kProjectKey;

using testing::kFlags;
const std::string kCohorts = "/api/v1/projects/default/cohorts";
const std::string kEvaluate = "/api/v1/evaluate";

nlohmann::json SimpleFlag(const std::string& key) {
  return {
      {"key", key},
      {"name", "Flag " + key},
      {"filters", {{"groups", {{{"properties", nlohmann::json::array()}, {"rollout_percentage", 100}}}}}}};
}

void ExpectError(const Response& response, int status, const std::string& code, const std::string& field) {
  EXPECT_EQ(response.status, status) << response.body;
  auto body = Json(response);
  ASSERT_TRUE(body.contains("error")) << response.body;
  EXPECT_EQ(body["error"]["code"], code) << response.body;
  EXPECT_EQ(body["error"].value("field", ""), field) << response.body;
}

std::string Message(const Response& response) {
  return Json(response)["error"]["message"].get<std::string>();
}

std::string Nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

Response Evaluate(ApiHarness& api, const nlohmann::json& body) {
  return api.Call("POST", kEvaluate, body, kProjectKey);
}

// --- 1. bounded JSON on every body -------------------------------------------------------------

TEST(InputHardeningTest, DeepBodiesAre400NamingTheLimitOnEveryRoute) {
  ApiHarness api;
  // Deep enough to exhaust the stack if a DOM were built and then copied or destroyed.
  const std::string deep = "{\"distinct_id\":\"u\",\"properties\":{\"p\":" + Nested(200000) + "}}";
  auto response = api.Call("POST", kEvaluate, deep, kProjectKey);
  ExpectError(response, 400, "invalid_json", "body");
  EXPECT_NE(Message(response).find("64"), std::string::npos) << response.body;
  ExpectError(api.Call("POST", kFlags, "{\"key\":\"f\",\"x\":" + Nested(65) + "}"), 400, "invalid_json",
              "body");
  ExpectError(
      api.Call("PUT", "/api/v1/projects/default/persons/u", "{\"properties\":{\"a\":" + Nested(100) + "}}"),
      400, "invalid_json", "body");
}

TEST(InputHardeningTest, DuplicateKeysAre400NamingTheKey) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  // Last-wins would make this a silent disable behind a reviewer's back.
  auto response = api.Call("POST", kFlags + "/f/disable", std::string(R"({"version":1,"version":9})"));
  ExpectError(response, 400, "invalid_json", "body");
  EXPECT_NE(Message(response).find("\"version\""), std::string::npos) << response.body;
  ExpectError(Evaluate(api, std::string(R"({"distinct_id":"a","properties":{"plan":"x","plan":"y"}})")), 400,
              "invalid_json", "body");
  EXPECT_EQ(Json(api.Call("GET", kFlags + "/f"))["active"], true);
}

TEST(InputHardeningTest, NumbersThatOverflowADoubleAre400) {
  ApiHarness api;
  auto response = Evaluate(api, std::string(R"({"distinct_id":"a","properties":{"n":1e309}})"));
  ExpectError(response, 400, "invalid_json", "body");
  ExpectError(api.Call("POST", kFlags + "/f/rollout", std::string(R"({"percentage":-1e400})")), 400,
              "invalid_json", "body");
}

TEST(InputHardeningTest, DeepPayloadStringsStayStringsAndTheFlagStillServes) {
  ApiHarness api;
  auto flag = SimpleFlag("f");
  flag["filters"]["payloads"] = {{"true", Nested(100000)}};  // a JSON-encoded payload, PostHog's form
  auto created = api.Call("POST", kFlags, flag);
  ASSERT_EQ(created.status, 201) << created.body.substr(0, 300);
  EXPECT_TRUE(Json(created)["filters"]["payloads"]["true"].is_string());
  auto evaluated = Json(Evaluate(api, nlohmann::json{{"distinct_id", "u"}}));
  EXPECT_TRUE(evaluated["flags"]["f"]["payload"].is_string());
  // Shallow JSON strings are still decoded as before.
  flag["filters"]["payloads"] = {{"true", R"({"model":"m"})"}};
  flag["version"] = 1;
  EXPECT_EQ(Json(api.Call("PUT", kFlags + "/f", flag))["filters"]["payloads"]["true"]["model"], "m");
}

// --- 2. evaluate costs about what a normal request costs ---------------------------------------

TEST(InputHardeningTest, EvaluateBoundsPropertiesNamingTheField) {
  ApiHarness api;
  nlohmann::json body = {{"distinct_id", "u"}};
  body["properties"] = nlohmann::json::object();
  for (std::size_t i = 0; i <= kMaxPropertyValues; ++i) body["properties"]["p" + std::to_string(i)] = 1;
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "properties");
  body["properties"].erase("p0");
  EXPECT_EQ(Evaluate(api, body).status, 200);  // exactly the limit

  body["properties"] = {{std::string(kMaxPropertyKeyBytes + 1, 'k'), 1}};
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "properties");
  body["properties"] = {{"plan", std::string(kMaxPropertyStringBytes + 1, 'x')}};
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "properties.plan");
  body["properties"] = {{"plan", std::string(kMaxPropertyStringBytes, 'x')}};
  EXPECT_EQ(Evaluate(api, body).status, 200);
  // Flat lists and objects of scalars are fine; one level more is not.
  body["properties"] = {{"tags", {"a", 1, true, nullptr}}, {"device", {{"os", "ios"}}}};
  EXPECT_EQ(Evaluate(api, body).status, 200);
  body["properties"] = {{"tags", {{"nested"}}}};
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "properties.tags");
  // A list's items count towards the request's budget of property values.
  body["properties"] = {{"tags", nlohmann::json::array()}};
  for (std::size_t i = 0; i < kMaxPropertyValues; ++i) body["properties"]["tags"].push_back(i);
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "properties.tags");
  body["properties"] = {{"plan", {{"os", std::string(kMaxPropertyStringBytes + 1, 'x')}}}};
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "properties.plan");
}

TEST(InputHardeningTest, EvaluateRefusesUnknownTopLevelFields) {
  ApiHarness api;
  ExpectError(Evaluate(api, nlohmann::json{{"distinct_id", "u"}, {"propertes", {{"plan", "pro"}}}}), 422,
              "invalid_argument", "propertes");
  ExpectError(Evaluate(api, nlohmann::json{{"distinct_id", std::string(kMaxDistinctIdBytes + 1, 'u')}}), 422,
              "invalid_argument", "distinct_id");
}

TEST(InputHardeningTest, EvaluateFlagNamesAreDistinctKeysAndTheAnswerStaysBounded) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  ExpectError(Evaluate(api, nlohmann::json{{"distinct_id", "u"}, {"flags", {"f", "g", "f"}}}), 422,
              "invalid_argument", "flags[2]");
  ExpectError(Evaluate(api, nlohmann::json{{"distinct_id", "u"}, {"flags", {"f", std::string(201, 'x')}}}),
              422, "invalid_argument", "flags[1]");
  ExpectError(Evaluate(api, nlohmann::json{{"distinct_id", "u"}, {"flags", {"has space"}}}), 422,
              "invalid_argument", "flags[0]");

  // The attack from the issue, at the largest names allowed: 1,000 unknown 200-byte names.
  nlohmann::json body = {{"distinct_id", "u"}, {"flags", nlohmann::json::array()}};
  for (int i = 0; i < 1000; ++i) {
    std::string name = std::to_string(i);
    body["flags"].push_back(name + std::string(200 - name.size(), 'x'));
  }
  ExpectError(Evaluate(api, body), 422, "invalid_argument", "flags");
  // Within every limit, the answer is bounded by the names' total (each echoed three times) plus a
  // fixed amount per flag.
  body["flags"] = nlohmann::json::array();
  std::size_t bytes = 0;
  for (int i = 0; bytes + 200 <= kMaxRequestedFlagBytes; ++i) {
    std::string name = std::to_string(i);
    body["flags"].push_back(name + std::string(200 - name.size(), 'x'));
    bytes += 200;
  }
  auto response = Evaluate(api, body);
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 300);
  EXPECT_EQ(Json(response)["flags"].size(), body["flags"].size());
  EXPECT_LE(response.body.size(), 3 * kMaxRequestedFlagBytes + kMaxRequestedFlags * 200);
}

// --- 3. silent changes -------------------------------------------------------------------------

TEST(InputHardeningTest, PatchRefusesNullForFieldsThatAreNotNullable) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  ASSERT_EQ(api.Call("POST", kFlags + "/f/disable").status, 200);
  for (const char* field : {"active", "filters", "name", "description", "tags"}) {
    ExpectError(api.Call("PATCH", kFlags + "/f", nlohmann::json{{field, nullptr}, {"version", 2}}), 422,
                "invalid_argument", field);
  }
  auto flag = Json(api.Call("GET", kFlags + "/f"));
  EXPECT_EQ(flag["active"], false);
  EXPECT_EQ(flag["version"], 2);
  EXPECT_EQ(flag["filters"]["groups"].size(), 1u);
  EXPECT_EQ(flag["name"], "Flag f");
}

TEST(InputHardeningTest, PatchBucketingNullsStillMeanDistinctId) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  auto patched =
      api.Call("PATCH", kFlags + "/f", nlohmann::json{{"bucketing_property", "org"}, {"version", 1}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["bucketing_property"], "org");
  patched =
      api.Call("PATCH", kFlags + "/f", nlohmann::json{{"bucketing_identifier", "device_id"}, {"version", 2}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["bucketing_property"], "$device_id");
  patched =
      api.Call("PATCH", kFlags + "/f", nlohmann::json{{"bucketing_identifier", nullptr}, {"version", 3}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_FALSE(Json(patched).contains("bucketing_property")) << patched.body;
}

TEST(InputHardeningTest, CohortPutWithNullFiltersIsRefusedAndChangesNothing) {
  ApiHarness api;
  nlohmann::json cohort = {
      {"id", "pros"},
      {"filters",
       {{"groups", {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}}}}}}}}};
  ASSERT_EQ(api.Call("POST", kCohorts, cohort).status, 201);
  ExpectError(api.Call("PUT", kCohorts + "/pros", nlohmann::json{{"filters", nullptr}, {"version", 1}}), 422,
              "invalid_argument", "filters");
  EXPECT_EQ(Json(api.Call("GET", kCohorts + "/pros"))["version"], 1);
}

Response WithIfMatch(ApiHarness& api, const std::string& method, const std::string& path,
                     const nlohmann::json& body, const std::string& if_match) {
  Request request;
  request.method = method;
  request.path = path;
  request.headers = {{"authorization", std::string("Bearer ") + kAdminKey},
                     {"content-type", "application/json"},
                     {"if-match", if_match}};
  request.body = body.dump();
  return api.router().Handle(request);
}

TEST(InputHardeningTest, BodyVersionThatContradictsIfMatchIsRefused) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  ASSERT_EQ(api.Call("PATCH", kFlags + "/f", nlohmann::json{{"name", "two"}, {"version", 1}}).status, 200);
  // The body says 2 (current), If-Match says 1 (stale): the body used to win silently.
  ExpectError(WithIfMatch(api, "PATCH", kFlags + "/f", {{"name", "three"}, {"version", 2}}, "\"1\""), 422,
              "invalid_argument", "version");
  ExpectError(WithIfMatch(api, "POST", kFlags + "/f/disable", {{"version", 2}}, "1"), 422, "invalid_argument",
              "version");
  EXPECT_EQ(Json(api.Call("GET", kFlags + "/f"))["version"], 2);
  // Agreeing is fine.
  EXPECT_EQ(WithIfMatch(api, "PATCH", kFlags + "/f", {{"name", "three"}, {"version", 2}}, "\"2\"").status,
            200);
  nlohmann::json cohort = {{"id", "c"}, {"filters", {{"groups", nlohmann::json::array()}}}};
  ASSERT_EQ(api.Call("POST", kCohorts, cohort).status, 201);
  cohort["version"] = 1;
  ExpectError(WithIfMatch(api, "PUT", kCohorts + "/c", cohort, "\"7\""), 422, "invalid_argument", "version");
}

// --- 4. versions out of range ------------------------------------------------------------------

TEST(InputHardeningTest, OutOfRangeVersionsAre422NamingTheField) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  const std::string too_big = std::to_string(store::kMaxVersion + 1);
  for (const std::string& version :
       {too_big, std::string("9223372036854775807"), std::string("18446744073709551615")}) {
    ExpectError(api.Call("PATCH", kFlags + "/f", "{\"name\":\"x\",\"version\":" + version + "}"), 422,
                "invalid_argument", "version");
    ExpectError(WithIfMatch(api, "PATCH", kFlags + "/f", {{"name", "x"}}, version), 422, "invalid_argument",
                "if-match");
  }
  ExpectError(api.Call("DELETE", kFlags + "/f?version=" + too_big), 400, "invalid_query", "version");
  EXPECT_EQ(Json(api.Call("GET", kFlags + "/f"))["version"], 1);
}

// --- 5. small ones -----------------------------------------------------------------------------

TEST(InputHardeningTest, SlugsThatLookLikeIdsAreRefused) {
  ApiHarness api;
  ExpectError(api.Call("POST", "/api/v1/projects", nlohmann::json{{"slug", "1"}}), 422, "invalid_argument",
              "slug");
  ExpectError(api.Call("POST", "/api/v1/projects", nlohmann::json{{"slug", "007"}}), 422, "invalid_argument",
              "slug");
  EXPECT_EQ(api.Call("POST", "/api/v1/projects", nlohmann::json{{"slug", "1a"}}).status, 201);
  // Project 1 is still reachable by its id.
  EXPECT_EQ(Json(api.Call("GET", "/api/v1/projects/1"))["slug"], "default");
}

TEST(InputHardeningTest, DotKeysAreRefused) {
  ApiHarness api;
  for (const char* key : {".", ".."}) {
    ExpectError(api.Call("POST", kFlags, SimpleFlag(key)), 422, "invalid_argument", "key");
    ExpectError(api.Call("POST", kCohorts,
                         nlohmann::json{{"id", key}, {"filters", {{"groups", nlohmann::json::array()}}}}),
                422, "invalid_argument", "id");
  }
  EXPECT_EQ(api.Call("POST", kFlags, SimpleFlag("a.b")).status, 201);
}

TEST(InputHardeningTest, AVariantOverrideNamingNoVariantIsAcceptedWithAWarning) {
  ApiHarness api;
  auto flag = SimpleFlag("f");
  flag["filters"]["multivariate"] = {
      {"variants",
       {{{"key", "control"}, {"rollout_percentage", 50}}, {{"key", "test"}, {"rollout_percentage", 50}}}}};
  flag["filters"]["groups"][0]["variant"] = "tset";
  auto created = api.Call("POST", kFlags, flag);
  ASSERT_EQ(created.status, 201) << created.body;
  auto warnings = Json(created)["warnings"];
  ASSERT_EQ(warnings.size(), 1u) << created.body;
  EXPECT_EQ(warnings[0]["field"], "filters.groups[0].variant");
  EXPECT_FALSE(warnings[0]["message"].get<std::string>().empty());
  // Fixing it makes the warning go away; a read never carries warnings.
  flag["filters"]["groups"][0]["variant"] = "test";
  flag["version"] = 1;
  auto fixed = api.Call("PUT", kFlags + "/f", flag);
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_FALSE(Json(fixed).contains("warnings")) << fixed.body;
  EXPECT_FALSE(Json(api.Call("GET", kFlags + "/f")).contains("warnings"));
}

}  // namespace
}  // namespace switchyard::server
