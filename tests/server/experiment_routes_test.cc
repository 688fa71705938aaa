// The experiment routes over the API harness: bodies (strict, 422 naming the field), the
// lifecycle and what it does to the flag in the experiment's environment, versions, layers, the
// holdout, and what evaluation then serves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api_harness.h"

namespace switchyard::server {
namespace {

using nlohmann::json;
using testing::ApiHarness;
using ::testing::HasSubstr;
using testing::Json;

const std::string kBase = "/api/v1/projects/default/experiments";

json Body(const std::string& key) {
  return json{
      {"key", key},
      {"name", "Prompt v2"},
      {"hypothesis", "shorter prompts convert better"},
      {"environment", "production"},
      {"variants", json::array({{{"key", "control"}, {"split", 70}}, {{"key", "treatment"}, {"split", 30}}})},
      {"traffic_percent", 40},
      {"conditions", json::array({{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}})},
      {"primary_metric", "conversion"}};
}

class ExperimentRoutesTest : public ::testing::Test {
 protected:
  Response Create(const json& body) { return api_.Call("POST", kBase, body); }
  json Must(const Response& response, int status = 200) {
    EXPECT_EQ(response.status, status) << response.body;
    return Json(response);
  }
  json Flag(const std::string& key, const std::string& env = "production") {
    return Must(api_.Call("GET", "/api/v1/projects/default/flags/" + key + "?environment=" + env));
  }
  json Move(const std::string& key, const std::string& move, const json& body = json::object(),
            int status = 200) {
    return Must(api_.Call("POST", kBase + "/" + key + "/" + move, body), status);
  }
  json Evaluate(const std::string& user, const json& properties = json{{"plan", "pro"}}) {
    return Must(api_.Call("POST", "/api/v1/evaluate", json{{"distinct_id", user}, {"properties", properties}},
                          testing::kProjectKey));
  }
  void ExpectError(const Response& response, int status, const std::string& field) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(Json(response)["error"]["field"], field) << response.body;
  }

  ApiHarness api_;
};

TEST_F(ExperimentRoutesTest, CreateMakesADraftAndItsFlagOffEverywhere) {
  json created = Must(Create(Body("prompt-v2")), 201);
  EXPECT_EQ(created["status"], "draft");
  EXPECT_EQ(created["version"], 1);
  EXPECT_EQ(created["flag_key"], "prompt-v2");
  EXPECT_EQ(created["started_at"], "");
  EXPECT_EQ(created["analysis"]["method"], "sequential");
  for (const char* env : {"development", "staging", "production"}) {
    json flag = Flag("prompt-v2", env);
    EXPECT_EQ(flag["active"], false) << env;
    EXPECT_EQ(flag["filters"]["multivariate"]["variants"].size(), 2U) << env;
  }
  EXPECT_EQ(Must(api_.Call("GET", kBase + "/prompt-v2"))["name"], "Prompt v2");
  EXPECT_EQ(Must(api_.Call("GET", kBase))["experiments"].size(), 1U);
  ExpectError(Create(Body("prompt-v2")), 409, "key");
}

TEST_F(ExperimentRoutesTest, ListIsPagedByKeyAndFiltersByStatus) {
  for (const char* key : {"c", "a", "b"}) Must(Create(Body(key)), 201);
  Move("b", "start");
  json first = Must(api_.Call("GET", kBase + "?limit=2"));
  ASSERT_EQ(first["experiments"].size(), 2U);
  EXPECT_EQ(first["experiments"][0]["key"], "a");
  EXPECT_EQ(first["experiments"][1]["key"], "b");
  json second = Must(api_.Call("GET", kBase + "?limit=2&cursor=" + first["next_cursor"].get<std::string>()));
  ASSERT_EQ(second["experiments"].size(), 1U);
  EXPECT_EQ(second["experiments"][0]["key"], "c");
  EXPECT_TRUE(second["next_cursor"].is_null());
  json running = Must(api_.Call("GET", kBase + "?status=running"));
  ASSERT_EQ(running["experiments"].size(), 1U);
  EXPECT_EQ(running["experiments"][0]["key"], "b");
  ExpectError(api_.Call("GET", kBase + "?status=live"), 400, "status");
}

TEST_F(ExperimentRoutesTest, BadBodiesAre422NamingTheField) {
  json unknown = Body("a");
  unknown["trafic_percent"] = 10;
  ExpectError(Create(unknown), 422, "trafic_percent");
  json sum = Body("a");
  sum["variants"][1]["split"] = 20;
  ExpectError(Create(sum), 422, "variants");
  json one = Body("a");
  one["variants"].erase(1);
  ExpectError(Create(one), 422, "variants");
  json same = Body("a");
  same["variants"][1]["key"] = "control";
  ExpectError(Create(same), 422, "variants[1].key");
  json traffic = Body("a");
  traffic["traffic_percent"] = 0;
  ExpectError(Create(traffic), 422, "traffic_percent");
  json env = Body("a");
  env["environment"] = "qa";
  ExpectError(Create(env), 422, "environment");
  json metric = Body("a");
  metric.erase("primary_metric");
  ExpectError(Create(metric), 422, "primary_metric");
  json alpha = Body("a");
  alpha["analysis"] = {{"alpha", 0.5}};
  ExpectError(Create(alpha), 422, "analysis.alpha");
  json method = Body("a");
  method["analysis"] = {{"method", "magic"}};
  ExpectError(Create(method), 422, "analysis.method");
  json condition = Body("a");
  condition["conditions"][0]["operator"] = "regex";
  condition["conditions"][0]["value"] = "(";
  Response bad_regex = Create(condition);
  EXPECT_EQ(bad_regex.status, 422) << bad_regex.body;
  EXPECT_THAT(Json(bad_regex)["error"]["field"].get<std::string>(), ::testing::StartsWith("conditions[0]"));
  // Nothing of the refused bodies was kept.
  EXPECT_EQ(Must(api_.Call("GET", kBase))["experiments"].size(), 0U);
  EXPECT_EQ(api_.Call("GET", "/api/v1/projects/default/flags/a").status, 404);
}

TEST_F(ExperimentRoutesTest, AnAttachedFlagMustExistAndBelongToNoOtherLiveExperiment) {
  json missing = Body("a");
  missing["flag_key"] = "nope";
  ExpectError(Create(missing), 422, "flag_key");
  Must(Create(Body("first")), 201);
  json shared = Body("second");
  shared["flag_key"] = "first";
  ExpectError(Create(shared), 409, "flag_key");
  Move("first", "start");
  Move("first", "stop");
  EXPECT_EQ(Must(Create(shared), 201)["flag_key"], "first");
  // Without flag_key, a flag named like the experiment must not exist yet.
  ExpectError(Create(Body("first")), 409, "key");
  json taken = Body("second-flag");
  Must(api_.Call("POST", "/api/v1/projects/default/flags", json{{"key", "second-flag"}}), 201);
  ExpectError(Create(taken), 409, "flag_key");
}

TEST_F(ExperimentRoutesTest, StartWritesTheFlagInTheExperimentsEnvironmentOnly) {
  Must(Create(Body("e")), 201);
  json started = Move("e", "start");
  EXPECT_EQ(started["status"], "running");
  EXPECT_EQ(started["version"], 2);
  EXPECT_NE(started["started_at"], "");
  json flag = Flag("e");
  EXPECT_EQ(flag["active"], true);
  const json& variants = flag["filters"]["multivariate"]["variants"];
  ASSERT_EQ(variants.size(), 2U);
  EXPECT_EQ(variants[0]["key"], "control");
  EXPECT_EQ(variants[0]["rollout_percentage"], 70);
  EXPECT_EQ(variants[1]["rollout_percentage"], 30);
  ASSERT_EQ(flag["filters"]["groups"].size(), 1U);
  EXPECT_EQ(flag["filters"]["groups"][0]["rollout_percentage"], 40);
  EXPECT_EQ(flag["filters"]["groups"][0]["properties"][0]["key"], "plan");
  EXPECT_EQ(Flag("e", "staging")["active"], false);
  Move("e", "start", json::object(), 409);
}

TEST_F(ExperimentRoutesTest, PauseAndStopTurnTheFlagOffAndResumeKeepsTheStart) {
  Must(Create(Body("e")), 201);
  const std::string started_at = Move("e", "start")["started_at"];
  EXPECT_EQ(Move("e", "pause")["status"], "paused");
  EXPECT_EQ(Flag("e")["active"], false);
  Move("e", "pause", json::object(), 409);
  json resumed = Move("e", "start");
  EXPECT_EQ(resumed["started_at"], started_at);
  EXPECT_EQ(Flag("e")["active"], true);
  json stopped = Move("e", "stop");
  EXPECT_EQ(stopped["status"], "stopped");
  EXPECT_NE(stopped["stopped_at"], "");
  EXPECT_EQ(Flag("e")["active"], false);
  Move("e", "start", json::object(), 409);
}

TEST_F(ExperimentRoutesTest, ShipServesTheVariantToEveryoneAndStops) {
  Must(Create(Body("e")), 201);
  Move("e", "ship", json{{"variant", "treatment"}}, 409);  // a draft has nothing to ship
  Move("e", "start");
  Response unknown = api_.Call("POST", kBase + "/e/ship", json{{"variant", "nope"}});
  ExpectError(unknown, 422, "variant");
  ExpectError(api_.Call("POST", kBase + "/e/ship", json{{"variant", "treatment"}, {"extra", 1}}), 422,
              "extra");
  json shipped = Move("e", "ship", json{{"variant", "treatment"}});
  EXPECT_EQ(shipped["status"], "stopped");
  EXPECT_EQ(shipped["shipped_variant"], "treatment");
  json flag = Flag("e");
  EXPECT_EQ(flag["active"], true);
  EXPECT_EQ(flag["filters"]["groups"][0]["rollout_percentage"], 100);
  EXPECT_TRUE(flag["filters"]["groups"][0]["properties"].empty());
  for (const std::string user : {"u1", "u2", "u3", "u4", "u5"})
    EXPECT_EQ(Evaluate(user, json::object())["flags"]["e"]["value"], "treatment") << user;
}

TEST_F(ExperimentRoutesTest, ChangingTheSplitOfARunningExperimentNeedsForce) {
  Must(Create(Body("e")), 201);
  Move("e", "start");
  json body = Body("e");
  body["variants"][0]["split"] = 50;
  body["variants"][1]["split"] = 50;
  body["version"] = 2;
  Response refused = api_.Call("PUT", kBase + "/e", body);
  ExpectError(refused, 409, "variants");
  EXPECT_THAT(Json(refused)["error"]["message"].get<std::string>(), HasSubstr("reshuffles users"));
  EXPECT_EQ(Flag("e")["filters"]["multivariate"]["variants"][0]["rollout_percentage"], 70);
  json forced = Must(api_.Call("PUT", kBase + "/e?force=true", body));
  EXPECT_EQ(forced["version"], 3);
  EXPECT_EQ(forced["status"], "running");
  EXPECT_EQ(Flag("e")["filters"]["multivariate"]["variants"][0]["rollout_percentage"], 50);
  // Other fields change without force; a stale version is a conflict.
  body["name"] = "Renamed";
  ExpectError(api_.Call("PUT", kBase + "/e", body), 409, "version");
  body["version"] = 3;
  EXPECT_EQ(Must(api_.Call("PUT", kBase + "/e", body))["name"], "Renamed");
  body["version"] = 4;
  body["environment"] = "staging";
  ExpectError(api_.Call("PUT", kBase + "/e", body), 409, "environment");
}

TEST_F(ExperimentRoutesTest, OnlyDraftOrStoppedExperimentsAreDeleted) {
  Must(Create(Body("e")), 201);
  Move("e", "start");
  ExpectError(api_.Call("DELETE", kBase + "/e"), 409, "status");
  Move("e", "stop");
  ExpectError(api_.Call("DELETE", kBase + "/e?version=1"), 409, "version");
  EXPECT_EQ(api_.Call("DELETE", kBase + "/e").status, 204);
  EXPECT_EQ(api_.Call("GET", kBase + "/e").status, 404);
  EXPECT_EQ(api_.Call("GET", "/api/v1/projects/default/flags/e").status, 200);  // the flag stays
}

TEST_F(ExperimentRoutesTest, ChangesAreAuditedAsExperimentEntries) {
  Must(Create(Body("e")), 201);
  Move("e", "start");
  Move("e", "pause");
  json audit = Must(api_.Call("GET", "/api/v1/audit?entity_type=experiment&entity_key=e"));
  std::vector<std::string> actions;
  for (const json& entry : audit["entries"]) actions.push_back(entry["action"]);
  EXPECT_THAT(actions, ::testing::ElementsAre("experiment.pause", "experiment.start", "experiment.create"));
  EXPECT_EQ(audit["entries"][0]["before"]["status"], "running");
  EXPECT_EQ(audit["entries"][0]["after"]["status"], "paused");
}

TEST_F(ExperimentRoutesTest, LayerSlicesAreDisjointAndRefusedWhenFull) {
  json a = Body("a");
  a["layer"] = "checkout";
  a["traffic_percent"] = 60;
  json b = Body("b");
  b["layer"] = "checkout";
  b["traffic_percent"] = 40;
  json c = Body("c");
  c["layer"] = "checkout";
  c["traffic_percent"] = 10;
  Must(Create(a), 201);
  Must(Create(b), 201);
  Must(Create(c), 201);
  json started_a = Move("a", "start");
  EXPECT_EQ(started_a["layer_from"], 0);
  EXPECT_EQ(started_a["layer_to"], 60);
  // In a layer, the slice is the traffic allocation: the flag itself serves everyone eligible.
  EXPECT_EQ(Flag("a")["filters"]["groups"][0]["rollout_percentage"], 100);
  json started_b = Move("b", "start");
  EXPECT_EQ(started_b["layer_from"], 60);
  EXPECT_EQ(started_b["layer_to"], 100);
  Response full = api_.Call("POST", kBase + "/c/start");
  ExpectError(full, 409, "traffic_percent");
  Move("a", "stop");
  json started_c = Move("c", "start");
  EXPECT_EQ(started_c["layer_from"], 0);
  EXPECT_EQ(started_c["layer_to"], 10);
}

TEST_F(ExperimentRoutesTest, UsersInOneLayerAreInAtMostOneExperiment) {
  for (const char* key : {"a", "b"}) {
    json body = Body(key);
    body["layer"] = "l";
    body["traffic_percent"] = 50;
    body["conditions"] = json::array();
    Must(Create(body), 201);
    Move(key, "start");
  }
  int in_a = 0;
  int in_b = 0;
  for (int i = 0; i < 200; ++i) {
    json flags = Evaluate("user-" + std::to_string(i))["flags"];
    const bool a = flags["a"]["value"].is_string();
    const bool b = flags["b"]["value"].is_string();
    EXPECT_FALSE(a && b) << i;
    EXPECT_TRUE(a || b) << i;  // the two slices cover the layer
    in_a += a;
    in_b += b;
    if (!a) {
      EXPECT_THAT(flags["a"]["detail"].get<std::string>(), HasSubstr("slice of layer l"));
    }
  }
  EXPECT_GT(in_a, 0);
  EXPECT_GT(in_b, 0);
}

TEST_F(ExperimentRoutesTest, HoldoutIsStoredCheckedAndServesFalse) {
  EXPECT_EQ(Must(api_.Call("GET", "/api/v1/projects/default/holdout"))["percent"], 0);
  ExpectError(api_.Call("PUT", "/api/v1/projects/default/holdout", json{{"percent", 51}}), 422, "percent");
  ExpectError(api_.Call("PUT", "/api/v1/projects/default/holdout", json{{"percent", 5}, {"x", 1}}), 422, "x");
  EXPECT_EQ(Must(api_.Call("PUT", "/api/v1/projects/default/holdout", json{{"percent", 50}}))["percent"], 50);
  json body = Body("e");
  body["traffic_percent"] = 100;
  body["conditions"] = json::array();
  Must(Create(body), 201);
  Move("e", "start");
  int held_out = 0;
  for (int i = 0; i < 200; ++i) {
    json flag = Evaluate("user-" + std::to_string(i))["flags"]["e"];
    if (flag["value"] == false) {
      ++held_out;
      EXPECT_EQ(flag["reason"], "out_of_rollout");
      EXPECT_THAT(flag["detail"].get<std::string>(), HasSubstr("holdout"));
    }
  }
  EXPECT_GT(held_out, 50);
  EXPECT_LT(held_out, 150);
  // Evaluated users outside the holdout were exposed once each, however often they evaluate.
  Evaluate("user-1");
  std::size_t exposures = 0;
  api_.exposures().Flush([&](std::vector<events::Event> batch) {
    exposures += batch.size();
    return true;
  });
  EXPECT_EQ(exposures, static_cast<std::size_t>(200 - held_out));
}

}  // namespace
}  // namespace switchyard::server
