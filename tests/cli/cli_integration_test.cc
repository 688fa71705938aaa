// End-to-end tests of the `switchyard` client commands against the real server binary.
//
// Every test starts its own server (fresh data directory) and runs the CLI as a separate process,
// exactly as a user or script would, asserting on stdout, the one-line stderr and the exit code.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;
using testing::CommandResult;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::RunSwitchyard;

TEST_F(CliTest, FlagLifecycleFromCreateToDelete) {
  EXPECT_EQ(Ok({"flags", "create", "checkout", "--name", "New checkout", "--tag", "web", "--rollout", "50"}),
            "created flag checkout (version 1)\n");
  Ok({"flags", "create", "dark-mode", "--inactive", "--tag", "ui"});

  EXPECT_EQ(Ok({"flags", "list"}),
            "KEY        ACTIVE  TYPE     ROLLOUT  VERSION  TAGS  NAME\n"
            "checkout   yes     boolean  50%      1        web   New checkout\n"
            "dark-mode  no      boolean  100%     1        ui\n");
  EXPECT_EQ(Ok({"flags", "list", "--tag", "ui"}).find("checkout "), std::string::npos);
  EXPECT_EQ(OkJson({"flags", "list", "--inactive"})["flags"].size(), 1u);
  EXPECT_EQ(OkJson({"flags", "list", "--active"})["flags"][0]["key"], "checkout");
  EXPECT_EQ(OkJson({"flags", "list", "--search", "dark"})["flags"][0]["key"], "dark-mode");

  std::string details = Ok({"flags", "get", "checkout"});
  EXPECT_EQ(details.rfind("key:         checkout\nname:        New checkout\n", 0), 0u) << details;
  EXPECT_NE(details.find("rollout:     50%\n"), std::string::npos) << details;
  EXPECT_NE(details.find("filters:\n{\n"), std::string::npos) << details;

  EXPECT_EQ(Ok({"flags", "update", "checkout", "--rollout", "75", "--description", "Faster checkout"}),
            "updated flag checkout (version 2)\n");
  Json flag = OkJson({"flags", "get", "checkout"});
  EXPECT_EQ(flag["version"], 2);
  EXPECT_EQ(flag["description"], "Faster checkout");
  EXPECT_EQ(flag["name"], "New checkout");  // untouched fields survive the read-modify-write
  EXPECT_EQ(flag["filters"]["groups"][0]["rollout_percentage"], 75);

  EXPECT_EQ(Ok({"flags", "disable", "checkout"}), "disabled flag checkout (version 3)\n");
  EXPECT_EQ(OkJson({"flags", "get", "checkout"})["active"], false);
  EXPECT_EQ(Ok({"flags", "enable", "checkout"}), "enabled flag checkout (version 4)\n");
  EXPECT_EQ(Ok({"flags", "rollout", "checkout", "12.5"}), "flag checkout rolled out to 12.5% (version 5)\n");
  flag = OkJson({"flags", "get", "checkout"});
  EXPECT_EQ(flag["active"], true);
  EXPECT_EQ(flag["filters"]["groups"][0]["rollout_percentage"], 12.5);

  EXPECT_EQ(Ok({"flags", "delete", "checkout"}), "deleted flag checkout\n");
  ExpectOneLineError(Run({"flags", "get", "checkout"}), 1, "[HTTP 404]");
  EXPECT_EQ(OkJson({"flags", "list"})["flags"].size(), 1u);
}

TEST_F(CliTest, CreatesMultivariateFlagsPayloadsAndFromFiles) {
  Ok({"flags", "create", "color", "--variant", "red=50", "--variant", "blue=50"});
  Json color = OkJson({"flags", "get", "color"});
  ASSERT_EQ(color["filters"]["multivariate"]["variants"].size(), 2u);
  EXPECT_EQ(color["filters"]["multivariate"]["variants"][1]["key"], "blue");
  EXPECT_NE(Ok({"flags", "list"}).find("multivariate"), std::string::npos);

  Ok({"flags", "create", "banner", "--payload", R"({"text":"hi"})"});
  EXPECT_EQ(OkJson({"flags", "get", "banner"})["filters"]["payloads"]["true"]["text"], "hi");

  std::string file = WriteFile("pro.yaml", R"(
name: Pro only
tags: [billing]
filters:
  groups:
    - properties:
        - {key: plan, type: person, operator: exact, value: pro}
      rollout_percentage: 100
)");
  Ok({"flags", "create", "pro-only", "--file", file});
  Json pro = OkJson({"flags", "get", "pro-only"});
  EXPECT_EQ(pro["name"], "Pro only");
  EXPECT_EQ(pro["filters"]["groups"][0]["properties"][0]["value"], "pro");

  std::string other = WriteFile("other.json", R"({"key": "other-key"})");
  ExpectOneLineError(Run({"flags", "create", "pro-only", "--file", other}), 2, "other-key");

  std::string updated =
      WriteFile("pro2.yaml", "name: Pro plan only\nfilters: {groups: [{rollout_percentage: 10}]}\n");
  EXPECT_EQ(Ok({"flags", "update", "pro-only", "--file", updated, "--tag", "x"}),
            "updated flag pro-only (version 2)\n");
  pro = OkJson({"flags", "get", "pro-only"});
  EXPECT_EQ(pro["name"], "Pro plan only");
  EXPECT_EQ(pro["tags"], Json::parse(R"(["x"])"));
}

TEST_F(CliTest, EvaluatesWithTypedPropertiesAndEitherKey) {
  std::string file = WriteFile("adults.yaml", R"(
filters:
  groups:
    - properties: [{key: age, type: person, operator: gte, value: 18}]
  payloads: {"true": {"tier": "adult"}}
)");
  Ok({"flags", "create", "adults", "--file", file});
  Ok({"flags", "create", "off", "--inactive"});

  EXPECT_EQ(Ok({"evaluate", "--user", "u1", "--prop", "age=30"}),
            "KEY     VALUE  REASON           GROUP  PAYLOAD\n"
            "adults  true   condition_match  0      {\"tier\":\"adult\"}\n"
            "off     false  disabled\n");

  Json minor = OkJson({"evaluate", "--user", "u1", "--prop", "age=12", "--flag", "adults"});
  EXPECT_EQ(minor["flags"].size(), 1u);
  EXPECT_EQ(minor["flags"]["adults"]["enabled"], false);
  EXPECT_EQ(minor["flags"]["adults"]["reason"], "no_condition_match");

  // A project key evaluates in its own project.
  CommandResult with_project_key =
      Run({"evaluate", "--user", "u2", "--prop", "age=40", "--json"}, kTestProjectKey);
  ASSERT_EQ(with_project_key.exit_code, 0) << with_project_key.err;
  EXPECT_EQ(Json::parse(with_project_key.out)["flags"]["adults"]["value"], true);
  // ...but cannot manage flags.
  ExpectOneLineError(Run({"flags", "create", "nope"}, kTestProjectKey), 1, "[HTTP 403]");
}

TEST_F(CliTest, AuditShowsChangesNewestFirst) {
  Ok({"flags", "create", "audited"});
  Ok({"flags", "rollout", "audited", "30"});
  Ok({"flags", "create", "unrelated"});
  std::string table = Ok({"audit", "--flag", "audited"});
  EXPECT_EQ(table.rfind("AT ", 0), 0u) << table;
  EXPECT_NE(table.find("ACTOR"), std::string::npos);
  EXPECT_EQ(table.find("unrelated"), std::string::npos) << table;
  Json entries = OkJson({"audit", "--flag", "audited"})["entries"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["after"]["version"], 2);
  EXPECT_EQ(entries[1]["after"]["version"], 1);
  EXPECT_EQ(OkJson({"audit", "--limit", "1"})["entries"].size(), 1u);
  std::istringstream lines(table);
  std::string header, newest;
  std::getline(lines, header);
  std::getline(lines, newest);
  EXPECT_NE(newest.find("flag audited  2"), std::string::npos) << table;
}

TEST_F(CliTest, ExportApplyRoundTripIsIdempotent) {
  Ok({"flags", "create", "alpha", "--name", "Alpha", "--tag", "a", "--rollout", "20"});
  Ok({"flags", "create", "beta", "--variant", "x=30", "--variant", "y=70", "--inactive"});
  std::string exported = dir_ + "/flags.yaml";
  EXPECT_EQ(Ok({"flags", "export", exported}), "exported 2 flags to " + exported + "\n");
  std::string text = ReadFile(exported);
  EXPECT_EQ(text.rfind("# switchyard flags-as-code\nproject: default\nflags:\n", 0), 0u) << text;
  EXPECT_EQ(text.find("version"), std::string::npos) << text;
  EXPECT_EQ(Ok({"flags", "export", "-"}), text);

  EXPECT_EQ(Ok({"flags", "apply", exported}), "0 to create, 0 to update, 0 to delete, 2 unchanged\n");

  // Edit the file: change alpha, add gamma, drop beta.
  std::string edited = WriteFile("edited.yaml", R"(# switchyard flags-as-code
project: default
flags:
  - key: alpha
    name: Alpha
    tags: [a]
    filters:
      groups:
        - rollout_percentage: 40
  - key: gamma
    description: new one
    active: false
)");
  std::string plan =
      "+ create gamma\n"
      "~ update alpha\n"
      "  filters.groups[0].rollout_percentage: 20 -> 40\n"
      "- delete beta\n"
      "1 to create, 1 to update, 1 to delete, 0 unchanged\n";
  EXPECT_EQ(Ok({"flags", "apply", edited, "--prune", "--dry-run"}), plan + "dry run: nothing applied\n");
  EXPECT_EQ(OkJson({"flags", "get", "alpha"})["version"], 1);  // the dry run changed nothing
  EXPECT_EQ(OkJson({"flags", "list"})["flags"].size(), 2u);

  EXPECT_EQ(Ok({"flags", "apply", edited, "--prune"}), plan + "applied 3 changes\n");
  Json flags = OkJson({"flags", "list"})["flags"];
  ASSERT_EQ(flags.size(), 2u);
  EXPECT_EQ(flags[0]["key"], "alpha");
  EXPECT_EQ(flags[0]["filters"]["groups"][0]["rollout_percentage"], 40);
  EXPECT_EQ(flags[1]["key"], "gamma");
  EXPECT_EQ(flags[1]["active"], false);

  EXPECT_EQ(Ok({"flags", "apply", edited, "--prune"}),
            "0 to create, 0 to update, 0 to delete, 2 unchanged\n");
  Json answer = OkJson({"flags", "apply", edited});
  EXPECT_EQ(answer["summary"]["unchanged"], 2);
  EXPECT_EQ(answer["unchanged"], Json::array({"alpha", "gamma"}));
  EXPECT_EQ(answer["applied"], false);
}

TEST_F(CliTest, ApplyWithoutPruneKeepsOtherFlagsAndRejectsAMismatchedProject) {
  Ok({"flags", "create", "keep-me"});
  std::string file = WriteFile("one.yaml", "project: default\nflags:\n  - key: added\n");
  EXPECT_EQ(Ok({"flags", "apply", file}),
            "+ create added\n1 to create, 0 to update, 0 to delete, 0 unchanged\napplied 1 change\n");
  EXPECT_EQ(OkJson({"flags", "list"})["flags"].size(), 2u);

  ExpectOneLineError(Run({"flags", "apply", file, "--project", "other"}), 2, "project");
  std::string broken = WriteFile("broken.yaml", "flags: [\n");
  ExpectOneLineError(Run({"flags", "apply", broken}), 1, "broken.yaml");
  std::string invalid =
      WriteFile("invalid.yaml", "flags:\n  - key: bad\n    filters: {groups: [{rollout_percentage: 150}]}\n");
  ExpectOneLineError(Run({"flags", "apply", invalid}), 1, "rollout_percentage");
}

TEST_F(CliTest, ATypoInAFlagsFileIsRefusedWithTheSuggestionAndNothingIsApplied) {
  Ok({"flags", "create", "checkout", "--rollout", "10"});
  std::string file = WriteFile("typo.yaml", R"(project: default
flags:
  - key: added
  - key: checkout
    filters:
      groups:
        - rolout_percentage: 30
)");
  CommandResult result = Run({"flags", "apply", file});
  ExpectOneLineError(result, 1,
                     file +
                         ": flag 'checkout': unknown field 'rolout_percentage' in filters.groups[0]; "
                         "did you mean 'rollout_percentage'?");
  EXPECT_NE(result.err.find("(field flags[1].filters.groups[0].rolout_percentage)"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "");  // refused before a plan was made
  Json flags = OkJson({"flags", "list"})["flags"];
  ASSERT_EQ(flags.size(), 1u);  // "added" was not created either
  EXPECT_EQ(flags[0]["filters"]["groups"][0]["rollout_percentage"], 10);
  EXPECT_EQ(flags[0]["version"], 1);

  std::string top = WriteFile("top.yaml", "project: default\nflag:\n  - key: added\n");
  ExpectOneLineError(Run({"flags", "apply", top}), 1, "unknown field 'flag'; did you mean 'flags'?");

  std::string single = WriteFile("single.yaml", "activ: false\n");
  ExpectOneLineError(Run({"flags", "create", "dark-mode", "--file", single}), 1,
                     "flag 'dark-mode': unknown field 'activ'; did you mean 'active'?");
  ExpectOneLineError(Run({"flags", "get", "dark-mode"}), 1, "[HTTP 404]");
}

TEST_F(CliTest, MistypedCommandsAndOptionsGetASuggestion) {
  ExpectOneLineError(Run({"flgs", "list"}), 2, "unknown command 'flgs'; did you mean 'flags'?");
  ExpectOneLineError(Run({"flags", "lst"}), 2, "unknown command 'lst'; did you mean 'list'?");
  ExpectOneLineError(Run({"flags", "list", "--jsn"}), 2, "--jsn; did you mean '--json'?");
  ExpectOneLineError(Run({"flags", "create", "x", "--rolout", "50"}), 2, "did you mean '--rollout'?");
  ExpectOneLineError(Run({"flags", "get", "x"}), 1, "[HTTP 404]");  // nothing was created
}

TEST_F(CliTest, StaleVersionUpdateIsAConflict) {
  Ok({"flags", "create", "contended"});
  Ok({"flags", "update", "contended", "--name", "first"});  // version 2
  CommandResult stale = Run({"flags", "update", "contended", "--name", "second", "--if-version", "1"});
  ExpectOneLineError(stale, 1, "[HTTP 409]");
  EXPECT_NE(stale.err.find("(field version)"), std::string::npos) << stale.err;
  EXPECT_EQ(OkJson({"flags", "get", "contended"})["name"], "first");
  ExpectOneLineError(Run({"flags", "disable", "contended", "--if-version", "1"}), 1, "[HTTP 409]");
  ExpectOneLineError(Run({"flags", "delete", "contended", "--if-version", "1"}), 1, "[HTTP 409]");
  EXPECT_EQ(Ok({"flags", "update", "contended", "--name", "third", "--if-version", "2"}),
            "updated flag contended (version 3)\n");
}

TEST_F(CliTest, BadKeyIsAOneLineErrorThatDoesNotEchoTheKey) {
  const std::string wrong = "sy_admin_wrong_0123456789abcdef0123456789abcdef";
  CommandResult result = Run({"flags", "list"}, wrong);
  ExpectOneLineError(result, 1, "[HTTP 401]");
  EXPECT_EQ(result.err.find(wrong), std::string::npos);
  EXPECT_EQ(result.out, "");
  ExpectOneLineError(Run({"flags", "list"}, ""), 2, "SWITCHYARD_KEY");
}

TEST_F(CliTest, ServerDownIsAOneLineErrorNamingTheUrl) {
  std::string url = server_->base_url();
  server_->Stop();
  CommandResult result = Run({"flags", "list"});
  ExpectOneLineError(result, 1, url);
  EXPECT_EQ(result.err.find("[HTTP"), std::string::npos) << result.err;
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  ExpectOneLineError(Run({"flags", "get"}), 2, "KEY");
  ExpectOneLineError(Run({"flags", "create", "x", "--variant", "a=lots"}), 2, "a=lots");
  ExpectOneLineError(Run({"flags", "create", "x", "--rollout", "101"}), 2, "percentage");
  ExpectOneLineError(Run({"flags", "create", "x", "--payload", "{nope"}), 2, "JSON");
  ExpectOneLineError(Run({"flags", "list", "--active", "--inactive"}), 2, "--inactive");
  ExpectOneLineError(Run({"flags", "update", "x"}), 2, "nothing to update");
  ExpectOneLineError(Run({"evaluate", "--user", "u", "--prop", "novalue"}), 2, "novalue");
  ExpectOneLineError(Run({"frobnicate"}), 2, "subcommand");
  ExpectOneLineError(Run({"flags", "list", "extra"}), 2, "extra");
  CommandResult help = Run({"flags", "create", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--rollout"), std::string::npos);
  EXPECT_EQ(help.out.find(kTestAdminKey), std::string::npos);  // the key from the environment is not shown
}

TEST_F(CliTest, GlobalOptionsOnTheCommandLineOverrideTheEnvironment) {
  CommandResult result =
      RunSwitchyard({"flags", "list", "--url", server_->base_url(), "--key", kTestAdminKey},
                    {{"SWITCHYARD_URL", "http://127.0.0.1:1"}, {"SWITCHYARD_KEY", "wrong"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ExpectOneLineError(Run({"flags", "list", "--project", "no-such-project"}), 1, "[HTTP 404]");
}

TEST_F(CliTest, ProjectsAndKeys) {
  std::string created = Ok({"projects", "create", "shop", "--name", "Shop"});
  EXPECT_EQ(created.rfind("created project shop\nproject key: ", 0), 0u) << created;
  Json projects = OkJson({"projects", "list"})["projects"];
  EXPECT_EQ(projects.size(), 2u);
  EXPECT_NE(Ok({"projects", "list"}).find("shop"), std::string::npos);

  Json key = OkJson({"keys", "create", "--project", "shop", "--label", "ci"});
  ASSERT_TRUE(key["key"].is_string());
  Ok({"flags", "create", "shop-flag", "--project", "shop"});
  CommandResult eval = Run({"evaluate", "--user", "u", "--json"}, key["key"].get<std::string>());
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  Json flags = Json::parse(eval.out)["flags"];
  EXPECT_TRUE(flags.contains("shop-flag"));
  EXPECT_EQ(flags.size(), 1u);

  std::string keys = Ok({"keys", "list", "--project", "shop"});
  EXPECT_NE(keys.find("ci"), std::string::npos);
  EXPECT_EQ(keys.find(key["key"].get<std::string>()), std::string::npos);  // prefixes only
  Ok({"keys", "revoke", "--project", "shop", CellId(key["id"])});
  ExpectOneLineError(Run({"evaluate", "--user", "u"}, key["key"].get<std::string>()), 1, "[HTTP 401]");
}

}  // namespace
}  // namespace switchyard::cli
