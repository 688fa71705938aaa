// Environments from the command line, end to end: --env on the flag commands, keys bound to an
// environment, `flags promote`, `envs list|create`, and "no change" for writes the server skipped.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;
using testing::CommandResult;
using testing::kTestProjectKey;
using testing::RunSwitchyard;

class CliEnvironmentsTest : public CliTest {
 protected:
  // Evaluates `flag` for `user` with a project key (which evaluates its own environment).
  Json EvaluateWith(const std::string& key, const std::string& flag, const std::string& user = "alice") {
    CommandResult result = Run({"evaluate", "--user", user, "--flag", flag, "--json"}, key);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    Json parsed = Json::parse(result.out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << result.out;
    return parsed.is_discarded() ? Json() : parsed["flags"][flag];
  }

  std::string StagingKey() {
    Json key = OkJson({"keys", "create", "--env", "staging", "--label", "staging-ci"});
    EXPECT_EQ(key["environment"], "staging") << key;
    return key.value("key", "");
  }
};

TEST_F(CliEnvironmentsTest, AStagingChangeLeavesProductionEvaluationUnchanged) {
  Ok({"flags", "create", "checkout", "--rollout", "100"});
  std::string staging_key = StagingKey();

  EXPECT_EQ(Ok({"flags", "disable", "checkout", "--env", "staging"}),
            "disabled flag checkout in staging (version 2)\n");
  EXPECT_EQ(EvaluateWith(staging_key, "checkout")["reason"], "disabled");
  Json production = EvaluateWith(kTestProjectKey, "checkout");
  EXPECT_EQ(production["enabled"], true) << production;

  // The same through SWITCHYARD_ENV, and for a rollout: production keeps 100 %.
  CommandResult rolled =
      RunSwitchyard({"flags", "rollout", "checkout", "0"}, {{"SWITCHYARD_URL", server_->base_url()},
                                                            {"SWITCHYARD_KEY", testing::kTestAdminKey},
                                                            {"SWITCHYARD_ENV", "staging"}});
  EXPECT_EQ(rolled.out, "flag checkout rolled out to 0% in staging (version 3)\n") << rolled.err;
  EXPECT_EQ(
      OkJson({"flags", "get", "checkout", "--env", "staging"})["filters"]["groups"][0]["rollout_percentage"],
      0);
  EXPECT_EQ(OkJson({"flags", "get", "checkout", "--env",
                    "production"})["filters"]["groups"][0]["rollout_percentage"],
            100);
  EXPECT_EQ(EvaluateWith(kTestProjectKey, "checkout")["enabled"], true);

  // Reads say whose targeting they show.
  std::string list = Ok({"flags", "list", "--env", "staging"});
  EXPECT_EQ(list.rfind("environment: staging\nKEY ", 0), 0u) << list;
  EXPECT_NE(list.find("checkout  no "), std::string::npos) << list;
  std::string one = Ok({"flags", "get", "checkout", "--env", "staging"});
  EXPECT_NE(one.find("environment: staging\n"), std::string::npos) << one;
  EXPECT_NE(one.find("active:      no\n"), std::string::npos) << one;
  std::string all = Ok({"flags", "get", "checkout"});
  EXPECT_NE(all.find("environments:\n"), std::string::npos) << all;
  EXPECT_NE(all.find("  staging      no      0%\n"), std::string::npos) << all;
  EXPECT_NE(all.find("  production   yes     100%\n"), std::string::npos) << all;

  // A flag is deleted from every environment at once: the server refuses --env, and says so.
  CommandResult refused = Run({"flags", "delete", "checkout", "--env", "staging"});
  ExpectOneLineError(refused, 1, "environment");
  EXPECT_EQ(OkJson({"flags", "get", "checkout"})["key"], "checkout");
}

TEST_F(CliEnvironmentsTest, KeysAreListedWithTheirEnvironment) {
  Json production = OkJson({"keys", "create", "--label", "web"});
  EXPECT_EQ(production["environment"], "production");
  std::string created = Ok({"keys", "create", "--env", "development", "--label", "dev"});
  EXPECT_NE(created.find("environment: development\n"), std::string::npos) << created;
  std::string listed = Ok({"keys", "list"});
  EXPECT_EQ(listed.rfind("ID  LABEL", 0), 0u) << listed;
  EXPECT_NE(listed.find("ENVIRONMENT"), std::string::npos) << listed;
  EXPECT_NE(listed.find("\n4   dev      development  "), std::string::npos) << listed;
  ExpectOneLineError(Run({"keys", "create", "--env", "nowhere"}), 1, "environment");
}

TEST_F(CliEnvironmentsTest, PromoteDryRunShowsTheDiffAndPromoteAppliesIt) {
  Ok({"flags", "create", "checkout", "--rollout", "100"});
  std::string staging_key = StagingKey();
  Ok({"flags", "rollout", "checkout", "25", "--env", "staging"});

  std::string dry =
      Ok({"flags", "promote", "checkout", "--from", "staging", "--to", "production", "--dry-run"});
  EXPECT_NE(dry.find("flag checkout in production: rollout 100 → 25 %\n"), std::string::npos) << dry;
  EXPECT_NE(dry.find("--- production (before)\n+++ production (after, from staging)\n"), std::string::npos)
      << dry;
  EXPECT_NE(dry.find("\n-        \"rollout_percentage\": 100"), std::string::npos) << dry;
  EXPECT_NE(dry.find("\n+        \"rollout_percentage\": 25"), std::string::npos) << dry;
  EXPECT_NE(dry.find("dry run: nothing promoted\n"), std::string::npos) << dry;
  Json production = OkJson({"flags", "get", "checkout", "--env", "production"});
  EXPECT_EQ(production["filters"]["groups"][0]["rollout_percentage"], 100);
  EXPECT_EQ(production["version"], 2);  // the dry run wrote nothing

  std::string promoted = Ok({"flags", "promote", "checkout", "--from", "staging", "--to", "production"});
  EXPECT_NE(promoted.find("promoted flag checkout from staging to production (version 3)\n"),
            std::string::npos)
      << promoted;
  EXPECT_EQ(OkJson({"flags", "get", "checkout", "--env",
                    "production"})["filters"]["groups"][0]["rollout_percentage"],
            25);

  // Once promoted there is nothing left to promote; --json prints the server's answer.
  EXPECT_EQ(Ok({"flags", "promote", "checkout", "--from", "staging", "--to", "production"}),
            "no change: production already has staging's targeting of flag checkout\n");
  Json answer =
      OkJson({"flags", "promote", "checkout", "--from", "staging", "--to", "production", "--dry-run"});
  EXPECT_EQ(answer["changed"], false);
  EXPECT_EQ(answer["before"], answer["after"]);
  ExpectOneLineError(Run({"flags", "promote", "checkout", "--from", "staging", "--to", "prod"}), 1,
                     "field to");
}

TEST_F(CliEnvironmentsTest, EnvsListAndCreateWithCopyFrom) {
  std::string listed = Ok({"envs", "list"});
  EXPECT_EQ(listed.rfind("KEY          NAME", 0), 0u) << listed;
  for (const char* key : {"development", "staging", "production"}) {
    EXPECT_NE(listed.find(std::string("\n") + key + " "), std::string::npos) << listed;
  }

  Ok({"flags", "create", "checkout"});
  Ok({"flags", "rollout", "checkout", "30", "--env", "staging"});
  std::string created = Ok({"envs", "create", "qa", "--name", "QA", "--copy-from", "staging"});
  EXPECT_EQ(created.rfind("created environment qa in project default\n", 0), 0u) << created;
  Json qa = OkJson({"flags", "get", "checkout", "--env", "qa"});
  EXPECT_EQ(qa["environment"], "qa");
  EXPECT_EQ(qa["filters"]["groups"][0]["rollout_percentage"], 30);
  EXPECT_EQ(qa["active"], true);

  // Without --copy-from every flag starts off there.
  Ok({"envs", "create", "sandbox"});
  EXPECT_EQ(OkJson({"flags", "get", "checkout", "--env", "sandbox"})["active"], false);
  Json all = OkJson({"envs", "list"})["environments"];
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[3]["key"], "qa");
  EXPECT_EQ(all[3]["name"], "QA");
  ExpectOneLineError(Run({"envs", "create", "qa"}), 1, "[HTTP 409]");
}

TEST_F(CliEnvironmentsTest, WritesThatChangeNothingSaySo) {
  Ok({"flags", "create", "checkout", "--rollout", "40"});
  EXPECT_EQ(Ok({"flags", "enable", "checkout"}), "no change to flag checkout (version 1)\n");
  EXPECT_EQ(Ok({"flags", "rollout", "checkout", "40"}), "no change to flag checkout (version 1)\n");
  EXPECT_EQ(Ok({"flags", "enable", "checkout", "--env", "staging"}),
            "no change to flag checkout in staging (version 1)\n");
  EXPECT_EQ(Ok({"flags", "update", "checkout", "--rollout", "40"}),
            "no change to flag checkout (version 1)\n");
  EXPECT_EQ(OkJson({"flags", "enable", "checkout"})["changed"], false);
  EXPECT_EQ(Ok({"flags", "disable", "checkout"}), "disabled flag checkout (version 2)\n");
}

}  // namespace
}  // namespace switchyard::cli
