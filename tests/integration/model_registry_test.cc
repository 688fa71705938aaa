// The model registry and gateway routes end to end on the real binary: registration, strict
// input, lifecycle 409s, aliases with history and rollback, retention, routes whose models must
// exist, shadows, and that no credential value ever appears in an answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing::JsonAnswer;
using testing::SendJson;

const std::string kModels = "/api/v1/projects/default/models";
const std::string kRoutes = "/api/v1/projects/default/routes";

json Version(const std::string& version) {
  return {{"name", "chat"},
          {"version", version},
          {"upstream",
           {{"base_url", "https://llm.example.com/v1"}, {"model", "gpt-x"}, {"credential_env", "CHAT_KEY"}}},
          {"prices", {{"input_per_1m", 1}, {"cached_input_per_1m", 0.5}, {"output_per_1m", 4}}},
          {"tags", {"chat"}}};
}

constexpr char kSecretValue[] = "sk-test-never-shown-0123456789";

class ModelRegistryTest : public ::testing::Test {
 protected:
  // The server inherits the variable a model names, as a deployment would set it.
  static void SetUpTestSuite() { ::setenv("CHAT_KEY", kSecretValue, 1); }
  static void TearDownTestSuite() { ::unsetenv("CHAT_KEY"); }

  JsonAnswer Send(const std::string& method, const std::string& target, const json& body = json()) {
    return SendJson(client_, method, target, body);
  }
  json Ok(const std::string& method, const std::string& target, const json& body = json(), int status = 200) {
    JsonAnswer answer = Send(method, target, body);
    EXPECT_EQ(answer.status, status) << method << " " << target << ": " << answer.body.dump();
    return answer.body;
  }
  // The error envelope of a request that must fail with `status`.
  json Fails(const std::string& method, const std::string& target, const json& body, int status) {
    JsonAnswer answer = Send(method, target, body);
    EXPECT_EQ(answer.status, status) << method << " " << target << ": " << answer.body.dump();
    return answer.body["error"];
  }

  testing::ServerProcess server_;
  cli::HttpClient client_{server_.base_url()};
};

TEST_F(ModelRegistryTest, RegisterListAndGet) {
  json created = Ok("POST", kModels, Version("1.0.0"), 201);
  EXPECT_EQ(created["state"], "registered");
  EXPECT_EQ(created["upstream"]["credential_env"], "CHAT_KEY");
  EXPECT_THAT(created["created_by"].get<std::string>(), ::testing::StartsWith("admin:"));
  Ok("POST", kModels, Version("1.1.0"), 201);
  json other = Version("0.1.0");
  other["name"] = "ranker";
  other["kind"] = "http_json";
  other["tags"] = {"ranking"};
  Ok("POST", kModels, other, 201);

  EXPECT_EQ(Fails("POST", kModels, Version("1.0.0"), 409)["field"], "version");
  EXPECT_EQ(Ok("GET", kModels + "/chat/versions/1.1.0")["reference"], "chat@1.1.0");
  EXPECT_EQ(Fails("GET", kModels + "/chat/versions/9.0.0", json(), 404)["field"], "version");

  EXPECT_EQ(Ok("GET", kModels)["models"].size(), 3u);
  EXPECT_EQ(Ok("GET", kModels + "?name=chat")["models"].size(), 2u);
  EXPECT_EQ(Ok("GET", kModels + "?tag=ranking")["models"][0]["name"], "ranker");
  EXPECT_EQ(Ok("GET", kModels + "?state=deployed")["models"].size(), 0u);
  EXPECT_EQ(Fails("GET", kModels + "?state=live", json(), 400)["field"], "state");
  json page = Ok("GET", kModels + "?limit=2");
  ASSERT_EQ(page["models"].size(), 2u);
  json rest = Ok("GET", kModels + "?limit=2&cursor=" + page["next_cursor"].get<std::string>());
  ASSERT_EQ(rest["models"].size(), 1u);
  EXPECT_EQ(rest["models"][0]["reference"], "ranker@0.1.0");
  EXPECT_TRUE(rest["next_cursor"].is_null());
}

TEST_F(ModelRegistryTest, StrictInputNamesTheField) {
  json typo = Version("1.0.0");
  typo["upstream"]["base_ur"] = "x";
  json error = Fails("POST", kModels, typo, 422);
  EXPECT_EQ(error["field"], "upstream.base_ur");
  EXPECT_THAT(error["message"].get<std::string>(), ::testing::HasSubstr("did you mean 'base_url'"));
  json secret = Version("1.0.0");
  secret["upstream"]["credential_env"] = "sk-live-0123456789";
  error = Fails("POST", kModels, secret, 422);
  EXPECT_EQ(error["field"], "upstream.credential_env");
  EXPECT_EQ(error.dump().find("sk-live"), std::string::npos);
  EXPECT_EQ(
      Fails("POST", kModels + "/chat/versions/1.0.0/transition", json{{"too", "validated"}}, 422)["field"],
      "too");
}

TEST_F(ModelRegistryTest, LifecycleRefusalsAre409NamingFromAndTo) {
  Ok("POST", kModels, Version("1.0.0"), 201);
  const std::string transition = kModels + "/chat/versions/1.0.0/transition";
  json error = Fails("POST", transition, json{{"to", "deployed"}}, 409);
  EXPECT_THAT(error["message"].get<std::string>(), ::testing::HasSubstr("from registered to deployed"));
  EXPECT_EQ(Ok("POST", transition, json{{"to", "validated"}, {"reason", "evals pass"}})["state"],
            "validated");
  EXPECT_EQ(Ok("POST", transition, json{{"to", "deployed"}})["state"], "deployed");
  Fails("POST", transition, json{{"to", "canary"}}, 409);
  EXPECT_EQ(Fails("POST", transition, json{{"to", "live"}}, 422)["field"], "to");

  json audit = Ok("GET", "/api/v1/projects/default/audit?entity_type=model");
  ASSERT_FALSE(audit["entries"].empty());
  EXPECT_EQ(audit["entries"][0]["action"], "model.transition");
  EXPECT_EQ(audit["entries"][0]["after"]["state"], "deployed");
}

TEST_F(ModelRegistryTest, AliasesKeepAHistoryAndRollBack) {
  for (const char* v : {"1.0.0", "1.1.0", "2.0.0"}) Ok("POST", kModels, Version(v), 201);
  const std::string stable = kModels + "/chat/aliases/stable";
  Ok("PUT", stable, json{{"version", "1.0.0"}, {"reason", "first release"}});
  json move = Ok("PUT", stable, json{{"version", "1.1.0"}, {"reason", "better evals"}});
  EXPECT_EQ(move["from"], "1.0.0");
  EXPECT_EQ(move["to"], "1.1.0");
  json back = Ok("POST", stable + "/rollback", json{{"reason", "latency regression"}});
  EXPECT_EQ(back["to"], "1.0.0");
  EXPECT_EQ(back["rollback"], true);

  json history = Ok("GET", stable + "/history")["history"];
  ASSERT_EQ(history.size(), 3u);
  EXPECT_TRUE(history[0]["from"].is_null());
  EXPECT_EQ(history[2]["reason"], "latency regression");
  EXPECT_THAT(history[2]["actor"].get<std::string>(), ::testing::StartsWith("admin:"));

  json aliases = Ok("GET", kModels + "/chat/aliases")["aliases"];
  ASSERT_EQ(aliases.size(), 2u);  // latest (automatic) and stable
  EXPECT_EQ(aliases[0]["alias"], "latest");
  EXPECT_EQ(aliases[0]["version"], "2.0.0");
  EXPECT_EQ(aliases[1]["version"], "1.0.0");

  EXPECT_EQ(Fails("PUT", kModels + "/chat/aliases/latest", json{{"version", "1.0.0"}}, 422)["field"],
            "alias");
  EXPECT_EQ(Fails("PUT", kModels + "/chat/aliases/Bad_Name", json{{"version", "1.0.0"}}, 422)["field"],
            "alias");
  EXPECT_EQ(Fails("PUT", stable, json{{"version", "3.0.0"}}, 404)["field"], "version");
  EXPECT_EQ(Fails("POST", kModels + "/chat/aliases/canary/rollback", json::object(), 404)["field"], "alias");

  // An alias target cannot be archived; an archived version cannot be a target.
  Fails("POST", kModels + "/chat/versions/1.0.0/transition", json{{"to", "archived"}}, 409);
  Ok("POST", kModels + "/chat/versions/1.1.0/transition", json{{"to", "archived"}});
  Fails("PUT", stable, json{{"version", "1.1.0"}}, 409);
}

TEST_F(ModelRegistryTest, RetentionArchivesOldVersionsButNeverAliasTargets) {
  for (const char* v : {"1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"}) Ok("POST", kModels, Version(v), 201);
  Ok("PUT", kModels + "/chat/aliases/stable", json{{"version", "1.0.0"}});
  const std::string retention = kModels + "/chat/retention";
  json preview = Ok("POST", retention, json{{"keep", 2}, {"dry_run", true}});
  EXPECT_EQ(preview["to_archive"], (json{"1.2.0", "1.1.0"}));
  EXPECT_TRUE(preview["archived"].empty());
  EXPECT_EQ(Ok("GET", kModels + "/chat/versions/1.1.0")["state"], "registered");

  json applied = Ok("POST", retention, json{{"keep", 2}});
  EXPECT_EQ(applied["archived"], (json{"1.2.0", "1.1.0"}));
  EXPECT_EQ(applied["spared"][0]["version"], "1.0.0");
  EXPECT_EQ(Ok("GET", kModels + "/chat/versions/1.1.0")["state"], "archived");
  EXPECT_EQ(Ok("GET", kModels + "?state=archived")["models"].size(), 2u);
  EXPECT_EQ(Fails("POST", retention, json{{"keep", 0}}, 422)["field"], "keep");
}

TEST_F(ModelRegistryTest, RoutesNeedModelsThatExistAndAreVersioned) {
  Ok("POST", kModels, Version("1.0.0"), 201);
  Ok("POST", kModels, Version("2.0.0"), 201);
  Ok("PUT", kModels + "/chat/aliases/stable", json{{"version", "1.0.0"}});
  Ok("POST", "/api/v1/projects/default/flags", json{{"key", "chat-model"}}, 201);
  json route{{"key", "chat-default"},
             {"flag", "chat-model"},
             {"variants", {{"true", "chat@latest"}, {"false", "chat@stable"}}},
             {"default", "chat@stable"}};

  json missing = route;
  missing["variants"]["true"] = "chat@canary";
  json error = Fails("POST", kRoutes, missing, 422);
  EXPECT_EQ(error["field"], "variants.true");
  EXPECT_THAT(error["message"].get<std::string>(), ::testing::HasSubstr("chat@canary"));
  json both = route;
  both["experiment"] = "exp";
  EXPECT_EQ(Fails("POST", kRoutes, both, 422)["field"], "experiment");

  json created = Ok("POST", kRoutes, route, 201);
  EXPECT_EQ(created["version"], 1);
  Fails("POST", kRoutes, route, 409);
  EXPECT_EQ(Ok("GET", kRoutes + "/chat-default")["default"], "chat@stable");
  EXPECT_EQ(Ok("GET", kRoutes)["routes"].size(), 1u);

  json change = route;
  change["default"] = "chat@2.0.0";
  EXPECT_EQ(Fails("PUT", kRoutes + "/chat-default", change, 422)["field"], "version");  // no version given
  change["version"] = 1;
  EXPECT_EQ(Ok("PUT", kRoutes + "/chat-default", change)["version"], 2);
  Fails("PUT", kRoutes + "/chat-default", change, 409);  // stale

  json shadowed =
      Ok("PUT", kRoutes + "/chat-default/shadow", json{{"model", "chat@2.0.0"}, {"sample_percent", 10}});
  EXPECT_EQ(shadowed["shadow"]["sample_percent"], 10);
  EXPECT_EQ(shadowed["version"], 3);
  EXPECT_EQ(Fails("PUT", kRoutes + "/chat-default/shadow",
                  json{{"model", "chat@9.9.9"}, {"sample_percent", 10}}, 422)["field"],
            "shadow.model");
  EXPECT_EQ(Fails("PUT", kRoutes + "/chat-default/shadow", json{{"model", "chat"}, {"sample_percent", 150}},
                  422)["field"],
            "sample_percent");
  EXPECT_TRUE(Ok("DELETE", kRoutes + "/chat-default/shadow")["shadow"].is_null());

  Fails("DELETE", kRoutes + "/chat-default?version=1", json(), 409);
  Ok("DELETE", kRoutes + "/chat-default", json(), 204);
  Fails("GET", kRoutes + "/chat-default", json(), 404);
}

// A misspelt flag, experiment or variant would send every user to the default without a word.
TEST_F(ModelRegistryTest, RoutesNeedTheirFlagOrExperimentAndItsVariants) {
  Ok("POST", kModels, Version("1.0.0"), 201);
  json route{{"key", "r"}, {"flag", "chat-model"}, {"default", "chat@1.0.0"}};
  json error = Fails("POST", kRoutes, route, 422);
  EXPECT_EQ(error["field"], "flag");
  EXPECT_THAT(error["message"].get<std::string>(), ::testing::HasSubstr("chat-model"));

  Ok("POST", "/api/v1/projects/default/flags",
     json{{"key", "chat-model"},
          {"filters",
           {{"groups", json::array({{{"properties", json::array()}}})},
            {"multivariate",
             {{"variants", json::array({{{"key", "control"}, {"rollout_percentage", 50}},
                                        {{"key", "treatment"}, {"rollout_percentage", 50}}})}}}}}},
     201);
  route["variants"] = {{"control", "chat@1.0.0"}, {"treatmnet", "chat@1.0.0"}};
  error = Fails("POST", kRoutes, route, 422);
  EXPECT_EQ(error["field"], "variants.treatmnet");
  EXPECT_THAT(error["message"].get<std::string>(), ::testing::HasSubstr("control, false, treatment, true"));
  // The variants of the flag, and what any flag answers a user it gives no variant.
  route["variants"] = {{"control", "chat@1.0.0"}, {"treatment", "chat@1.0.0"}, {"false", "chat@1.0.0"}};
  json created = Ok("POST", kRoutes, route, 201);
  route["version"] = created["version"];
  route["variants"]["holdout"] = "chat@1.0.0";
  EXPECT_EQ(Fails("PUT", kRoutes + "/r", route, 422)["field"], "variants.holdout");

  json bound{{"key", "by-experiment"}, {"experiment", "exp"}, {"default", "chat@1.0.0"}};
  EXPECT_EQ(Fails("POST", kRoutes, bound, 422)["field"], "experiment");
  Ok("POST", "/api/v1/projects/default/experiments",
     json{{"key", "exp"},
          {"environment", "production"},
          {"variants", json::array({{{"key", "a"}, {"split", 50}}, {{"key", "b"}, {"split", 50}}})},
          {"primary_metric", "ai_success_rate"}},
     201);
  bound["variants"] = {{"a", "chat@1.0.0"}, {"b", "chat@1.0.0"}};
  Ok("POST", kRoutes, bound, 201);
  bound["key"] = "by-experiment-too";
  bound["variants"]["c"] = "chat@1.0.0";
  EXPECT_EQ(Fails("POST", kRoutes, bound, 422)["field"], "variants.c");
}

TEST_F(ModelRegistryTest, NoAnswerCarriesACredentialValue) {
  const std::string registered = Ok("POST", kModels, Version("1.0.0"), 201).dump();
  Ok("POST", "/api/v1/projects/default/flags", json{{"key", "f"}}, 201);
  Ok("POST", kRoutes, json{{"key", "r"}, {"flag", "f"}, {"default", "chat"}}, 201);
  for (const std::string& body :
       {registered, Ok("GET", kModels).dump(), Ok("GET", kModels + "/chat/versions/1.0.0").dump(),
        Ok("GET", kRoutes).dump(), Ok("GET", "/api/v1/projects/default/audit").dump()}) {
    EXPECT_EQ(body.find(kSecretValue), std::string::npos) << body;
  }
  EXPECT_NE(registered.find("CHAT_KEY"), std::string::npos);  // the reference is what is kept
}

}  // namespace
}  // namespace switchyard
