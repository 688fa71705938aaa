// POST .../flags/apply on the real binary: the answer's shape, a dry run answering exactly what
// the real apply does (422 included), plan-wide checks (cycles, a prune that would strand a
// dependant), bad request bodies, and the applied flags evaluating at once and after a restart.
#include <gtest/gtest.h>

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
using testing::ServerOptions;
using testing::ServerProcess;

constexpr char kApply[] = "/api/v1/projects/default/flags/apply";
constexpr char kFlags[] = "/api/v1/projects/default/flags";

using Answer = testing::JsonAnswer;
using testing::SendJson;

json Requires(const std::string& key, const std::string& prerequisite) {
  return {{"key", key},
          {"filters",
           {{"groups",
             {{{"properties",
                {{{"key", prerequisite},
                  {"type", "flag"},
                  {"value", true},
                  {"operator", "flag_evaluates_to"}}}}}}}}}};
}

TEST(FlagsApplyTest, AppliesAPlanThatEvaluatesAtOnceAndAfterARestart) {
  ServerOptions options;
  ServerProcess server(options);
  HttpClient client(server.base_url());
  const json everyone = {{"groups", {{{"properties", json::array()}}}}};
  json file = {{"flags",
                {Requires("checkout", "gate"),
                 {{"key", "gate"}, {"filters", everyone}},
                 {{"key", "off"}, {"active", false}}}}};

  Answer dry = SendJson(client, "POST", kApply, {{"flags", file["flags"]}, {"dry_run", true}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.body["applied"], false);
  EXPECT_EQ(dry.body["summary"], json({{"create", 3}, {"update", 0}, {"delete", 0}, {"unchanged", 0}}));
  EXPECT_EQ(SendJson(client, "GET", kFlags, json()).body["flags"].size(), 0u);  // nothing written

  Answer applied = SendJson(client, "POST", kApply, file);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.body["applied"], true);
  std::vector<std::string> order;
  for (const json& change : applied.body["changes"]) order.push_back(change["key"]);
  EXPECT_EQ(order, (std::vector<std::string>{"gate", "checkout", "off"}));  // prerequisite first
  EXPECT_EQ(applied.body["changes"][0]["environments"], json({"development", "staging", "production"}));
  EXPECT_EQ(applied.body["changes"][0]["after"]["version"], 1);

  auto evaluate = [&](HttpClient& c) {
    return SendJson(c, "POST", "/api/v1/evaluate", {{"distinct_id", "alice"}}, kTestProjectKey).body["flags"];
  };
  json flags = evaluate(client);
  EXPECT_EQ(flags["checkout"]["enabled"], true);
  EXPECT_EQ(flags["off"]["enabled"], false);

  // Update one environment, prune another flag away.
  json staging_only = {{"flags", {{{"key", "gate"}, {"active", false}, {"filters", everyone}}}}};
  Answer scoped = SendJson(client, "POST", std::string(kApply) + "?environment=staging", staging_only);
  ASSERT_EQ(scoped.status, 200) << scoped.body;
  EXPECT_EQ(scoped.body["environment"], "staging");
  EXPECT_EQ(scoped.body["changes"][0]["environments"], json({"staging"}));
  EXPECT_EQ(scoped.body["summary"]["unchanged"], 0);  // a scoped file says nothing of other flags

  server.Stop();
  ServerOptions again;
  again.data_dir = server.data_dir();
  ServerProcess restarted(again);
  HttpClient after(restarted.base_url());
  flags = evaluate(after);
  EXPECT_EQ(flags["checkout"]["enabled"], true);  // production kept its gate on
  Answer gate = SendJson(after, "GET", std::string(kFlags) + "/gate", json());
  EXPECT_EQ(gate.body["environments"]["staging"]["active"], false);
  EXPECT_EQ(gate.body["environments"]["production"]["active"], true);
}

TEST(FlagsApplyTest, ADryRunAnswersWhatTheRealApplyWouldIncludingEveryProblem) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendJson(client, "POST", kFlags, Requires("dependant", "base")).status, 422);  // base is missing
  ASSERT_EQ(SendJson(client, "POST", kFlags, {{"key", "base"}}).status, 201);
  ASSERT_EQ(SendJson(client, "POST", kFlags, Requires("dependant", "base")).status, 201);

  // A cycle inside the file, and a prune that would delete a flag another one (kept) uses.
  json cycle = {
      {"flags", {Requires("a", "b"), Requires("b", "a"), {{"key", "dependant"}, {"active", false}}}},
      {"prune", true}};
  Answer real = SendJson(client, "POST", kApply, cycle);
  cycle["dry_run"] = true;
  Answer dry = SendJson(client, "POST", kApply, cycle);
  ASSERT_EQ(real.status, 422) << real.body;
  ASSERT_EQ(dry.status, 422) << dry.body;
  real.body.erase("dry_run");
  dry.body.erase("dry_run");
  EXPECT_EQ(real.body, dry.body);
  EXPECT_EQ(real.body["applied"], false);
  EXPECT_EQ(real.body["error"]["code"], "invalid_argument");
  ASSERT_FALSE(real.body["errors"].empty());
  const std::string all = real.body["errors"].dump();
  EXPECT_NE(all.find("cycle"), std::string::npos) << all;
  EXPECT_EQ(SendJson(client, "GET", kFlags, json()).body["flags"].size(), 2u);  // nothing written

  // Without the cycle, the prune alone: `dependant` is redefined without its prerequisite, so
  // deleting `base` is fine; keeping `dependant` as it is would not be.
  json prune_ok = {{"flags", {{{"key", "dependant"}}}}, {"prune", true}};
  Answer pruned = SendJson(client, "POST", kApply, prune_ok);
  ASSERT_EQ(pruned.status, 200) << pruned.body;
  EXPECT_EQ(pruned.body["summary"]["delete"], 1);
  ASSERT_EQ(SendJson(client, "POST", kFlags, {{"key", "base"}}).status, 201);
  ASSERT_EQ(SendJson(client, "PUT", std::string(kFlags) + "/dependant",
                     [] {
                       json body = Requires("dependant", "base");
                       body["version"] = 2;
                       return body;
                     }())
                .status,
            200);
  Answer stranded =
      SendJson(client, "POST", kApply, {{"flags", json::array()}, {"prune", true}, {"dry_run", true}});
  // Pruning both is fine (nothing is left that uses base).
  EXPECT_EQ(stranded.status, 200) << stranded.body;
  Answer keeps_dependant =
      SendJson(client, "POST", kApply,
               {{"flags", {Requires("dependant", "base")}}, {"prune", true}, {"dry_run", true}});
  ASSERT_EQ(keeps_dependant.status, 422) << keeps_dependant.body;
  EXPECT_EQ(keeps_dependant.body["errors"][0]["field"], "flags[0].filters.groups[0].properties[0].key");
  EXPECT_NE(keeps_dependant.body["errors"][0]["message"].get<std::string>().find("prune would delete"),
            std::string::npos);
}

TEST(FlagsApplyTest, RefusesBadBodies) {
  ServerProcess server;
  HttpClient client(server.base_url());
  struct Case {
    std::string target;
    json body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {kApply, {{"flagz", json::array()}}, 422, "flagz"},
      {kApply, json::object(), 422, "flags"},
      {kApply, {{"flags", json::object()}}, 422, "flags"},
      {kApply, {{"flags", json::array()}, {"prune", "yes"}}, 422, "prune"},
      {kApply, {{"flags", json::array()}, {"project", "other"}}, 422, "project"},
      {std::string(kApply) + "?environment=staging",
       {{"flags", json::array()}, {"prune", true}},
       422,
       "prune"},
      {std::string(kApply) + "?environment=nope", {{"flags", json::array()}}, 404, "environment"},
      {std::string(kApply) + "?envronment=staging", {{"flags", json::array()}}, 400, "envronment"},
      {kApply, {{"flags", {42}}}, 422, "flags[0]"},
  };
  for (const Case& c : cases) {
    Answer answer = SendJson(client, "POST", c.target, c.body);
    EXPECT_EQ(answer.status, c.status) << c.target << " " << c.body << " -> " << answer.body;
    EXPECT_EQ(answer.body["error"]["field"], c.field) << c.body << " -> " << answer.body;
  }
  EXPECT_EQ(SendJson(client, "POST", kApply, {{"flags", json::array()}}, kTestProjectKey).status, 403);
}

}  // namespace
}  // namespace switchyard
