// The REST API through the router: auth matrix, CRUD, versions, validation, error envelopes.
#include "server/router.h"

#include <gtest/gtest.h>

#include "server/api_harness.h"

namespace switchyard::server {
namespace {

using testing::ApiHarness;
using testing::Json;
using testing::kAdminKey;
using testing::kProjectKey;

const char kFlags[] = "/api/v1/projects/default/flags";

nlohmann::json SimpleFlag(const std::string& key, double rollout = 100) {
  return {{"key", key},
          {"name", "Flag " + key},
          {"tags", {"checkout"}},
          {"filters",
           {{"groups", {{{"properties", nlohmann::json::array()}, {"rollout_percentage", rollout}}}}}}};
}

void ExpectError(const Response& response, int status, const std::string& code,
                 const std::string& field = "") {
  EXPECT_EQ(response.status, status) << response.body;
  auto body = Json(response);
  ASSERT_TRUE(body.contains("error")) << response.body;
  EXPECT_EQ(body["error"]["code"], code) << response.body;
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  if (!field.empty()) {
    EXPECT_EQ(body["error"].value("field", ""), field) << response.body;
  }
}

TEST(RouterTest, HealthAndVersionNeedNoKey) {
  ApiHarness api;
  EXPECT_EQ(api.Call("GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(api.Call("GET", "/readyz", "", "").status, 200);
  auto version = api.Call("GET", "/api/v1/version", "", "");
  EXPECT_EQ(Json(version)["name"], "switchyard");
}

TEST(RouterTest, AuthMatrix) {
  ApiHarness api;
  ExpectError(api.Call("GET", kFlags, "", ""), 401, "unauthenticated");
  ExpectError(api.Call("GET", kFlags, "", "sy_admin_wrong_0123456789abcdefghijklmn"), 401, "unauthenticated");
  ExpectError(api.Call("GET", kFlags, "", kProjectKey), 403, "permission_denied");
  EXPECT_EQ(api.Call("GET", kFlags, "", kAdminKey).status, 200);
  // Project keys evaluate; admin keys evaluate when they name the project.
  nlohmann::json eval = {{"distinct_id", "u1"}};
  EXPECT_EQ(api.Call("POST", "/api/v1/evaluate", eval, kProjectKey).status, 200);
  ExpectError(api.Call("POST", "/api/v1/evaluate", eval, kAdminKey), 422, "invalid_argument", "project");
  eval["project"] = "default";
  EXPECT_EQ(api.Call("POST", "/api/v1/evaluate", eval, kAdminKey).status, 200);
  ExpectError(api.Call("POST", "/api/v1/evaluate", eval, ""), 401, "unauthenticated");
}

TEST(RouterTest, MalformedAuthorizationHeaderIsRejected) {
  ApiHarness api;
  Request request;
  request.method = "GET";
  request.path = kFlags;
  request.headers.emplace_back("authorization", std::string("Basic ") + kAdminKey);
  ExpectError(api.router().Handle(request), 401, "unauthenticated");
}

TEST(RouterTest, UnknownPathAndWrongMethod) {
  ApiHarness api;
  ExpectError(api.Call("GET", "/api/v1/nope"), 404, "not_found", "path");
  auto response = api.Call("DELETE", "/api/v1/evaluate", "", kProjectKey);
  ExpectError(response, 405, "method_not_allowed");
  ASSERT_FALSE(response.headers.empty());
  EXPECT_EQ(response.headers[0].first, "Allow");
}

TEST(RouterTest, FlagCrudRoundTrip) {
  ApiHarness api;
  auto created = api.Call("POST", kFlags, SimpleFlag("new-checkout", 50));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Json(created)["version"], 1);
  EXPECT_EQ(Json(created)["updated_by"], "admin:sy_admin_uni");

  auto got = api.Call("GET", std::string(kFlags) + "/new-checkout");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Json(got)["filters"]["groups"][0]["rollout_percentage"], 50);

  auto list = Json(api.Call("GET", std::string(kFlags) + "?tag=checkout&active=true&q=CHECK"));
  ASSERT_EQ(list["flags"].size(), 1u);
  EXPECT_EQ(Json(api.Call("GET", std::string(kFlags) + "?tag=other"))["flags"].size(), 0u);

  auto body = SimpleFlag("new-checkout", 75);
  body["version"] = 1;
  auto replaced = api.Call("PUT", std::string(kFlags) + "/new-checkout", body);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Json(replaced)["version"], 2);

  auto patched = api.Call("PATCH", std::string(kFlags) + "/new-checkout",
                          nlohmann::json{{"name", "Renamed"}, {"version", 2}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched)["name"], "Renamed");
  EXPECT_EQ(Json(patched)["filters"]["groups"][0]["rollout_percentage"], 75);

  EXPECT_EQ(api.Call("POST", std::string(kFlags) + "/new-checkout/disable").status, 200);
  EXPECT_EQ(Json(api.Call("GET", std::string(kFlags) + "/new-checkout"))["active"], false);
  EXPECT_EQ(api.Call("POST", std::string(kFlags) + "/new-checkout/enable").status, 200);
  auto rolled =
      api.Call("POST", std::string(kFlags) + "/new-checkout/rollout", nlohmann::json{{"percentage", 12.5}});
  ASSERT_EQ(rolled.status, 200) << rolled.body;
  EXPECT_EQ(Json(rolled)["filters"]["groups"][0]["rollout_percentage"], 12.5);
  EXPECT_EQ(Json(rolled)["version"], 6);

  EXPECT_EQ(api.Call("DELETE", std::string(kFlags) + "/new-checkout?version=6").status, 204);
  ExpectError(api.Call("GET", std::string(kFlags) + "/new-checkout"), 404, "not_found");
}

TEST(RouterTest, StaleVersionIsAConflict) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  auto first = SimpleFlag("f", 10);
  first["version"] = 1;
  ASSERT_EQ(api.Call("PUT", std::string(kFlags) + "/f", first).status, 200);
  auto second = SimpleFlag("f", 20);  // the other editor also read version 1
  second["version"] = 1;
  ExpectError(api.Call("PUT", std::string(kFlags) + "/f", second), 409, "conflict", "version");
  EXPECT_EQ(Json(api.Call("GET", std::string(kFlags) + "/f"))["filters"]["groups"][0]["rollout_percentage"],
            10);
  ExpectError(api.Call("DELETE", std::string(kFlags) + "/f?version=1"), 409, "conflict");
  ExpectError(api.Call("POST", std::string(kFlags) + "/f/disable", nlohmann::json{{"version", 1}}), 409,
              "conflict");
}

TEST(RouterTest, UpdatesMustCarryAVersion) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  ExpectError(api.Call("PUT", std::string(kFlags) + "/f", SimpleFlag("f")), 422, "invalid_argument",
              "version");
  ExpectError(api.Call("PATCH", std::string(kFlags) + "/f", nlohmann::json{{"name", "x"}}), 422,
              "invalid_argument", "version");
}

TEST(RouterTest, IfMatchHeaderCarriesTheVersion) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  Request request;
  request.method = "PUT";
  request.path = std::string(kFlags) + "/f";
  request.headers = {{"authorization", std::string("Bearer ") + kAdminKey},
                     {"content-type", "application/json"},
                     {"if-match", "\"1\""}};
  request.body = SimpleFlag("f", 5).dump();
  EXPECT_EQ(api.router().Handle(request).status, 200);
}

TEST(RouterTest, DuplicateKeyIsAConflict) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  ExpectError(api.Call("POST", kFlags, SimpleFlag("f")), 409, "already_exists");
}

TEST(RouterTest, MalformedAndWrongTypedBodies) {
  ApiHarness api;
  ExpectError(api.Call("POST", kFlags, std::string("{\"key\": ")), 400, "invalid_json", "body");
  ExpectError(api.Call("POST", kFlags, std::string("[1,2]")), 400, "invalid_json", "body");
  ExpectError(api.Call("POST", kFlags, std::string("")), 400, "invalid_json", "body");
  ExpectError(api.Call("POST", kFlags, std::string("{\"key\":\"x\"}"), kAdminKey, "text/plain"), 415,
              "unsupported_media_type", "content-type");
  auto bad_rollout = SimpleFlag("f", 150);
  ExpectError(api.Call("POST", kFlags, bad_rollout), 422, "invalid_argument",
              "filters.groups[0].rollout_percentage");
  ExpectError(api.Call("POST", kFlags, nlohmann::json{{"key", 42}}), 422, "invalid_argument", "key");
}

TEST(RouterTest, PathKeyMustMatchBodyKey) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  auto body = SimpleFlag("other");
  body["version"] = 1;
  ExpectError(api.Call("PUT", std::string(kFlags) + "/f", body), 422, "invalid_argument", "key");
}

TEST(RouterTest, PrerequisiteCyclesAndDanglingReferencesAreRefused) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("a")).status, 201);
  auto b = SimpleFlag("b");
  b["filters"]["groups"][0]["properties"] = {
      {{"key", "a"}, {"type", "flag"}, {"operator", "flag_evaluates_to"}, {"value", true}}};
  ASSERT_EQ(api.Call("POST", kFlags, b).status, 201);
  auto a = SimpleFlag("a");
  a["version"] = 1;
  a["filters"]["groups"][0]["properties"] = {
      {{"key", "b"}, {"type", "flag"}, {"operator", "flag_evaluates_to"}, {"value", true}}};
  ExpectError(api.Call("PUT", std::string(kFlags) + "/a", a), 422, "invalid_argument");
  // "a" is a prerequisite of "b", so it cannot be deleted.
  ExpectError(api.Call("DELETE", std::string(kFlags) + "/a"), 422, "invalid_argument");
}

TEST(RouterTest, EvaluateMergesStoredPersonPropertiesUnderTheRequest) {
  ApiHarness api;
  auto flag = SimpleFlag("pro-only");
  flag["filters"]["groups"][0]["properties"] = {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}};
  ASSERT_EQ(api.Call("POST", kFlags, flag).status, 201);
  ASSERT_EQ(
      api.Call("PATCH", "/api/v1/projects/default/persons/u1", nlohmann::json{{"$set", {{"plan", "pro"}}}})
          .status,
      200);
  auto stored =
      Json(api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"distinct_id", "u1"}}, kProjectKey));
  EXPECT_EQ(stored["flags"]["pro-only"]["enabled"], true);
  EXPECT_EQ(stored["flags"]["pro-only"]["reason"], "condition_match");
  auto overridden =
      Json(api.Call("POST", "/api/v1/evaluate",
                    nlohmann::json{{"distinct_id", "u1"}, {"properties", {{"plan", "free"}}}}, kProjectKey));
  EXPECT_EQ(overridden["flags"]["pro-only"]["enabled"], false);
  EXPECT_EQ(overridden["flags"]["pro-only"]["reason"], "no_condition_match");
  auto missing =
      Json(api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"distinct_id", "u2"}}, kProjectKey));
  EXPECT_EQ(missing["flags"]["pro-only"]["reason"], "missing_property");
}

TEST(RouterTest, EvaluateNamedFlagsAndValidation) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("a")).status, 201);
  auto named = Json(api.Call("POST", "/api/v1/evaluate",
                             nlohmann::json{{"distinct_id", "u"}, {"flags", {"a", "zzz"}}}, kProjectKey));
  EXPECT_EQ(named["flags"]["a"]["value"], true);
  EXPECT_EQ(named["flags"]["zzz"]["reason"], "flag_not_found");
  ExpectError(api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"properties", {}}}, kProjectKey), 422,
              "invalid_argument", "distinct_id");
  ExpectError(api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"distinct_id", "u"}, {"properties", 3}},
                       kProjectKey),
              422, "invalid_argument", "properties");
  ExpectError(
      api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"distinct_id", "u"}, {"flags", "a"}}, kProjectKey),
      422, "invalid_argument", "flags");
}

TEST(RouterTest, AuditRecordsWhoChangedWhat) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags, SimpleFlag("f")).status, 201);
  ASSERT_EQ(api.Call("POST", std::string(kFlags) + "/f/disable").status, 200);
  auto audit = Json(api.Call("GET", "/api/v1/projects/default/audit?entity_type=flag&entity_key=f"));
  ASSERT_EQ(audit["entries"].size(), 2u);
  EXPECT_EQ(audit["entries"][0]["action"], "flag.update");
  EXPECT_EQ(audit["entries"][0]["before"]["environments"]["staging"]["active"], true);
  EXPECT_EQ(audit["entries"][0]["after"]["environments"]["staging"]["active"], false);
  EXPECT_TRUE(audit["entries"][0]["environment"].is_null());
  EXPECT_EQ(audit["entries"][0]["actor"], "admin:sy_admin_uni");
  EXPECT_EQ(audit["entries"][1]["action"], "flag.create");
  ExpectError(api.Call("GET", "/api/v1/projects/default/audit?limit=0"), 400, "invalid_query", "limit");
}

TEST(RouterTest, ProjectsAndKeys) {
  ApiHarness api;
  auto created = api.Call("POST", "/api/v1/projects", nlohmann::json{{"slug", "mobile"}, {"name", "Mobile"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = Json(created)["api_key"];
  EXPECT_EQ(key.rfind("sy_proj_", 0), 0u);
  // The new key evaluates in its own project only.
  auto eval = Json(api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"distinct_id", "u"}}, key));
  EXPECT_TRUE(eval["flags"].empty());
  // One key per environment; "api_key" is production's.
  EXPECT_EQ(Json(created)["api_keys"]["production"], key);
  EXPECT_EQ(Json(created)["api_keys"].size(), 3u);
  auto keys = Json(api.Call("GET", "/api/v1/projects/mobile/keys"));
  ASSERT_EQ(keys["keys"].size(), 3u);
  EXPECT_EQ(keys["keys"][2]["environment"], "production");
  EXPECT_FALSE(keys["keys"][0].contains("key"));
  EXPECT_FALSE(keys["keys"][0].contains("hash_hex"));
  std::string id = std::to_string(keys["keys"][2]["id"].get<int>());
  EXPECT_EQ(api.Call("DELETE", "/api/v1/projects/mobile/keys/" + id).status, 204);
  ExpectError(api.Call("POST", "/api/v1/evaluate", nlohmann::json{{"distinct_id", "u"}}, key), 401,
              "unauthenticated");
  ExpectError(api.Call("POST", "/api/v1/projects", nlohmann::json{{"slug", "mobile"}}), 409,
              "already_exists");
  ExpectError(api.Call("GET", "/api/v1/projects/nope/flags"), 404, "not_found", "project");
}

TEST(RouterTest, PersonsMergeAndValidate) {
  ApiHarness api;
  const std::string person = "/api/v1/projects/default/persons/u%201";
  ASSERT_EQ(api.Call("PUT", person, nlohmann::json{{"properties", {{"a", 1}, {"b", 2}}}}).status, 200);
  auto merged = Json(api.Call(
      "PATCH", person,
      nlohmann::json{{"$set", {{"a", 10}}}, {"$set_once", {{"b", 20}, {"c", 30}}}, {"$unset", {"x"}}}));
  EXPECT_EQ(merged["distinct_id"], "u 1");
  EXPECT_EQ(merged["properties"], (nlohmann::json{{"a", 10}, {"b", 2}, {"c", 30}}));
  ExpectError(api.Call("PATCH", person, nlohmann::json{{"set", {}}}), 422, "invalid_argument", "set");
  ExpectError(api.Call("PUT", person, nlohmann::json{{"properties", 1}}), 422, "invalid_argument",
              "properties");
  EXPECT_EQ(api.Call("DELETE", person).status, 204);
  ExpectError(api.Call("GET", person), 404, "not_found");
}

TEST(RouterTest, CohortsAreTargetableAndProtectedWhileInUse) {
  ApiHarness api;
  nlohmann::json cohort = {
      {"id", "pros"},
      {"name", "Pro users"},
      {"filters", {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}}}}}}}}}};
  auto created = api.Call("POST", "/api/v1/projects/default/cohorts", cohort);
  ASSERT_EQ(created.status, 201) << created.body;
  auto flag = SimpleFlag("for-pros");
  flag["filters"]["groups"][0]["properties"] = {
      {{"key", "pros"}, {"type", "cohort"}, {"operator", "in"}, {"value", true}}};
  ASSERT_EQ(api.Call("POST", kFlags, flag).status, 201);
  auto eval =
      Json(api.Call("POST", "/api/v1/evaluate",
                    nlohmann::json{{"distinct_id", "u"}, {"properties", {{"plan", "pro"}}}}, kProjectKey));
  EXPECT_EQ(eval["flags"]["for-pros"]["enabled"], true);
  ExpectError(api.Call("DELETE", "/api/v1/projects/default/cohorts/pros"), 422, "invalid_argument");
}

}  // namespace
}  // namespace switchyard::server
