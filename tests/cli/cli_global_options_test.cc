// The CLI's global behaviour end to end: --version, global options anywhere on the command line,
// errors that name where a setting comes from, and --json on every command (output and errors).
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "cli/http_client.h"
#include "server/version.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;
using testing::CommandResult;
using testing::kTestAdminKey;
using testing::RunSwitchyard;

// The names listed under "Subcommands:" in a --help text.
std::vector<std::string> SubcommandsIn(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help);
  std::string line;
  bool in_section = false;
  while (std::getline(lines, line)) {
    if (line == "Subcommands:") {
      in_section = true;
    } else if (in_section && line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (in_section && line.empty()) {
      in_section = false;
    }
  }
  return names;
}

// Every runnable command, as "flags create", found by walking the --help texts.
void CollectLeafCommands(const std::vector<std::string>& path, std::set<std::string>* leaves) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  CommandResult help = RunSwitchyard(args);
  ASSERT_EQ(help.exit_code, 0) << help.err;
  std::vector<std::string> subcommands = SubcommandsIn(help.out);
  if (subcommands.empty()) {
    std::string name;
    for (const std::string& part : path) name += (name.empty() ? "" : " ") + part;
    leaves->insert(name);
    return;
  }
  for (const std::string& sub : subcommands) {
    std::vector<std::string> deeper = path;
    deeper.push_back(sub);
    CollectLeafCommands(deeper, leaves);
  }
}

TEST_F(CliTest, VersionAsAFlagAndAsACommand) {
  const std::string line = std::string("switchyard ") + server::kVersion + "\n";
  EXPECT_EQ(Ok({"--version"}), line);
  EXPECT_EQ(Ok({"version"}), line);
  EXPECT_EQ(OkJson({"version"}), Json({{"version", server::kVersion}}));
  EXPECT_EQ(Ok({"--json", "version"}), Ok({"version", "--json"}));
}

TEST_F(CliTest, GlobalOptionsWorkBeforeOrAfterTheCommand) {
  Ok({"flags", "create", "placed"});
  const std::string expected = Ok({"flags", "list", "--json"});
  ASSERT_EQ(Json::parse(expected)["flags"][0]["key"], "placed");
  EXPECT_EQ(Ok({"--json", "flags", "list"}), expected);
  EXPECT_EQ(Ok({"flags", "--json", "list"}), expected);

  // --url and --key before the command override a wrong environment, as after it.
  const std::map<std::string, std::string> wrong_env = {{"SWITCHYARD_URL", "http://127.0.0.1:1"},
                                                        {"SWITCHYARD_KEY", "wrong"}};
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--url", server_->base_url(), "--key", kTestAdminKey, "flags", "list"},
        std::vector<std::string>{"flags", "--url", server_->base_url(), "list", "--key", kTestAdminKey}}) {
    CommandResult result = RunSwitchyard(args, wrong_env);
    EXPECT_EQ(result.exit_code, 0) << Describe(args, result);
    EXPECT_NE(result.out.find("placed"), std::string::npos) << result.out;
  }

  Ok({"projects", "create", "shop"});
  Ok({"--project", "shop", "flags", "create", "in-shop"});
  EXPECT_EQ(OkJson({"flags", "list", "--project", "shop"})["flags"][0]["key"], "in-shop");
  EXPECT_EQ(OkJson({"--project", "shop", "flags", "get", "in-shop"})["key"], "in-shop");
  // `flags apply` still tells a --project given before the command from the default.
  std::string file = WriteFile("shop.yaml", "project: shop\nflags:\n  - key: in-shop\n");
  ExpectOneLineError(Run({"--project", "default", "flags", "apply", file}), 2, "project");

  // The server-side commands take none of the client's options.
  ExpectOneLineError(Run({"serve", "--json"}), 2, "--json");
  // The help of a client command says where the global options are.
  std::string help = Ok({"flags", "delete", "--help"});
  EXPECT_NE(help.find("--url URL [SWITCHYARD_URL]"), std::string::npos) << help;
  EXPECT_NE(help.find("--json"), std::string::npos) << help;
}

TEST_F(CliTest, MissingOrWrongSettingsNameTheirVariableAndOption) {
  CommandResult no_key = RunSwitchyard({"flags", "list"}, {{"SWITCHYARD_URL", server_->base_url()}});
  ExpectOneLineError(no_key, 2, "SWITCHYARD_KEY");
  EXPECT_NE(no_key.err.find("--key"), std::string::npos) << no_key.err;
  EXPECT_EQ(no_key.out, "");

  CommandResult wrong_key = Run({"flags", "list"}, "sy_admin_wrong_0123456789abcdef0123456789abcdef");
  ExpectOneLineError(wrong_key, 1, "[HTTP 401]");
  EXPECT_NE(wrong_key.err.find("SWITCHYARD_KEY"), std::string::npos) << wrong_key.err;
  EXPECT_NE(wrong_key.err.find("--key"), std::string::npos) << wrong_key.err;

  CommandResult no_server =
      RunSwitchyard({"flags", "list"}, {{"SWITCHYARD_URL", "http://127.0.0.1:1"}, {"SWITCHYARD_KEY", "k"}});
  ExpectOneLineError(no_server, 1, "SWITCHYARD_URL");
  EXPECT_NE(no_server.err.find("--url"), std::string::npos) << no_server.err;
  ExpectOneLineError(Run({"flags", "list", "--url", "ftp://host"}), 1, "--url");
}

TEST_F(CliTest, EveryCommandAcceptsJsonAndPrintsOneDocument) {
  std::set<std::string> covered;
  auto json = [&](const std::string& command, std::vector<std::string> args) {
    covered.insert(command);
    args.push_back("--json");
    CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << Describe(args, result);
    EXPECT_EQ(result.err, "") << Describe(args, result);
    // parse() refuses anything after the document, so this is exactly one JSON document.
    Json parsed = Json::parse(result.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << Describe(args, result);
    return parsed;
  };
  EXPECT_EQ(json("flags create", {"flags", "create", "j", "--variant", "a=50", "--variant", "b=50"})["key"],
            "j");
  EXPECT_EQ(json("flags update", {"flags", "update", "j", "--name", "J"})["name"], "J");
  EXPECT_EQ(json("flags get", {"flags", "get", "j"})["version"], 2);
  EXPECT_EQ(json("flags list", {"flags", "list"})["flags"].size(), 1u);
  EXPECT_EQ(json("flags disable", {"flags", "disable", "j"})["active"], false);
  EXPECT_EQ(json("flags enable", {"flags", "enable", "j"})["active"], true);
  EXPECT_EQ(
      json("flags rollout", {"flags", "rollout", "j", "40"})["filters"]["groups"][0]["rollout_percentage"],
      40);
  Json promoted = json("flags promote", {"flags", "promote", "j", "--from", "staging", "--to", "production"});
  EXPECT_EQ(promoted["changed"], false);
  EXPECT_EQ(promoted["to"], "production");
  EXPECT_EQ(json("envs create", {"envs", "create", "qa"})["key"], "qa");
  EXPECT_EQ(json("envs list", {"envs", "list"})["environments"].size(), 4u);
  const std::string exported = dir_ + "/flags.json";
  EXPECT_EQ(json("flags export", {"flags", "export", exported}), Json({{"exported", 1}, {"file", exported}}));
  EXPECT_EQ(json("flags apply", {"flags", "apply", exported})["summary"]["unchanged"], 1);
  EXPECT_TRUE(json("evaluate", {"evaluate", "--user", "u"})["flags"].contains("j"));
  EXPECT_FALSE(json("audit", {"audit"})["entries"].empty());
  EXPECT_EQ(json("projects create", {"projects", "create", "second"})["slug"], "second");
  EXPECT_EQ(json("projects list", {"projects", "list"})["projects"].size(), 2u);
  const std::string key_id = CellId(json("keys create", {"keys", "create", "--label", "ci"})["id"]);
  EXPECT_EQ(json("keys list", {"keys", "list"})["keys"].size(), 2u);
  EXPECT_EQ(json("keys revoke", {"keys", "revoke", key_id}), Json({{"revoked", key_id}}));
  EXPECT_EQ(json("flags schedule", {"flags", "schedule", "j", "--at", "+1h", "--enable"})["status"],
            "pending");
  EXPECT_EQ(json("flags schedules", {"flags", "schedules", "j"})["schedules"].size(), 1u);
  EXPECT_EQ(json("flags unschedule", {"flags", "unschedule", "j", "1"})["status"], "cancelled");
  EXPECT_EQ(json("flags stale", {"flags", "stale"})["flags"], Json::array());
  EXPECT_EQ(json("flags archive", {"flags", "archive", "j"})["archived"], true);
  EXPECT_EQ(json("flags unarchive", {"flags", "unarchive", "j"})["archived"], false);
  EXPECT_EQ(json("flags delete", {"flags", "delete", "j"}), Json({{"deleted", "j"}}));
  EXPECT_EQ(json("version", {"version"})["version"], server::kVersion);
  // Events: one sent with the project key, then listed, and tailed (NDJSON; --count 1: one line).
  auto sent = HttpClient(server_->base_url())
                  .Request("POST", "/api/v1/events", R"({"event":"e","distinct_id":"u"})",
                           {{"Authorization", std::string("Bearer ") + testing::kTestProjectKey}});
  ASSERT_TRUE(sent.ok() && sent->status == 200);
  EXPECT_EQ(json("events list", {"events", "list"})["events"].size(), 1u);
  EXPECT_EQ(json("events tail", {"events", "tail", "--last", "1", "--count", "1"})["event"], "e");
  EXPECT_EQ(json("stats compare", {"stats", "compare", "--control", "successes=10,n=100", "--treatment",
                                   "successes=12,n=100"})["method"],
            "sequential");
  EXPECT_EQ(json("stats srm", {"stats", "srm", "--counts", "10,12", "--weights", "1,1"})["mismatch"], false);
  EXPECT_EQ(json("experiments create", {"experiments", "create", "x", "--variants", "a:50,b:50",
                                        "--primary-metric", "m", "--env", "production"})["status"],
            "draft");
  EXPECT_EQ(json("experiments list", {"experiments", "list"})["experiments"].size(), 1u);
  EXPECT_EQ(json("experiments get", {"experiments", "get", "x"})["key"], "x");
  EXPECT_EQ(json("experiments start", {"experiments", "start", "x"})["status"], "running");
  EXPECT_EQ(json("experiments pause", {"experiments", "pause", "x"})["status"], "paused");
  EXPECT_EQ(json("experiments stop", {"experiments", "stop", "x"})["status"], "stopped");
  EXPECT_EQ(json("experiments ship", {"experiments", "ship", "x", "b"})["shipped_variant"], "b");
  EXPECT_EQ(
      json("experiments plan", {"experiments", "plan", "--baseline", "0.1", "--mde", "0.1"})["per_variant"],
      14749);
  // No experiment here: results and report answer --json with one JSON error object (404).
  for (const char* command : {"results", "report"}) {
    std::vector<std::string> args{"experiments", command, "nope", "--json"};
    if (std::string(command) == "report") args.insert(args.end(), {"--out", dir_ + "/report.html"});
    covered.insert(std::string("experiments ") + command);
    CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 1) << Describe(args, result);
    Json parsed = Json::parse(result.err, nullptr, /*allow_exceptions=*/false);
    EXPECT_EQ(parsed.value("error", Json::object()).value("http_status", 0), 404) << Describe(args, result);
  }
  const std::string metric_file = WriteFile("m.json", R"({"key":"m","kind":"sum","value":{"event":"e"}})");
  EXPECT_EQ(json("metrics create", {"metrics", "create", "--file", metric_file})["key"], "m");
  EXPECT_EQ(json("metrics get", {"metrics", "get", "m"})["kind"], "sum");
  EXPECT_FALSE(json("metrics list", {"metrics", "list"})["metrics"].empty());
  EXPECT_EQ(json("metrics delete", {"metrics", "delete", "m"}), Json({{"deleted", "m"}}));
  const std::vector<std::string> model{"--base-url", "http://127.0.0.1:9/v1", "--upstream-model", "m"};
  std::vector<std::string> reg{"models", "register", "--name", "chat", "--version", "1.0.0"};
  reg.insert(reg.end(), model.begin(), model.end());
  EXPECT_EQ(json("models register", reg)["reference"], "chat@1.0.0");
  reg[5] = "1.1.0";
  Ok(reg);
  EXPECT_EQ(json("models list", {"models", "list"})["models"].size(), 2u);
  EXPECT_EQ(json("models get", {"models", "get", "chat@1.0.0"})["state"], "registered");
  EXPECT_EQ(json("models transition", {"models", "transition", "chat@1.0.0", "validated"})["state"],
            "validated");
  EXPECT_EQ(json("models alias", {"models", "alias", "chat", "stable", "1.0.0"})["to"], "1.0.0");
  Ok({"models", "alias", "chat", "stable", "1.1.0"});
  EXPECT_EQ(json("models rollback", {"models", "rollback", "chat", "stable"})["to"], "1.0.0");
  EXPECT_EQ(json("models history", {"models", "history", "chat", "stable"})["history"].size(), 3u);
  Ok({"flags", "create", "f"});  // a route's flag must exist
  EXPECT_EQ(json("routes create",
                 {"routes", "create", "--key", "r", "--flag", "f", "--default", "chat@stable"})["version"],
            1);
  EXPECT_EQ(json("routes list", {"routes", "list"})["routes"].size(), 1u);
  EXPECT_EQ(json("routes get", {"routes", "get", "r"})["default"], "chat@stable");
  EXPECT_EQ(json("routes shadow",
                 {"routes", "shadow", "r", "--model", "chat", "--percent", "5"})["shadow"]["model"],
            "chat");

  const std::string posthog_export =
      WriteFile("posthog.json", R"([{"id":1,"key":"from-posthog","name":"","active":true,"deleted":false,)"
                                R"("filters":{"groups":[{"properties":[],"rollout_percentage":50}]}}])");
  Json imported = json("import posthog", {"import", "posthog", posthog_export});
  EXPECT_EQ(imported["summary"]["create"], 1);
  EXPECT_EQ(imported["skipped"], Json::array());

  // No gateway calls on this server: the snapshot has no series yet.
  EXPECT_EQ(json("top", {"top", "--once"})["series"], Json::array());

  // Every client command the binary has is covered above (a new one must be added here).
  std::set<std::string> commands;
  CollectLeafCommands({}, &commands);
  EXPECT_EQ(commands.erase("serve"), 1u);
  EXPECT_EQ(commands.erase("admin reset-key"), 1u);
  EXPECT_EQ(covered, commands);
}

TEST_F(CliTest, WithJsonAnErrorIsOneJsonObjectOnStderr) {
  auto error_of = [&](const std::vector<std::string>& args, int exit_code) {
    CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, exit_code) << Describe(args, result);
    EXPECT_EQ(result.out, "") << Describe(args, result);
    EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << Describe(args, result);
    Json parsed = Json::parse(result.err, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(parsed.is_object() && parsed["error"].is_object()) << Describe(args, result);
    return parsed.is_object() ? parsed.value("error", Json::object()) : Json::object();
  };
  Json missing = error_of({"flags", "get", "nope", "--json"}, 1);
  EXPECT_EQ(missing["code"], "not_found");
  EXPECT_EQ(missing["http_status"], 404);
  EXPECT_NE(missing["message"].get<std::string>().find("nope"), std::string::npos) << missing;

  Ok({"flags", "create", "guarded"});
  Json stale = error_of({"flags", "delete", "guarded", "--if-version", "7", "--json"}, 1);
  EXPECT_EQ(stale["code"], "conflict");
  EXPECT_EQ(stale["http_status"], 409);
  EXPECT_EQ(stale["field"], "version");

  Json usage = error_of({"flags", "create", "x", "--rollout", "101", "--json"}, 2);
  EXPECT_EQ(usage["code"], "usage");
  EXPECT_NE(usage["message"].get<std::string>().find("percentage"), std::string::npos) << usage;
  EXPECT_EQ(error_of({"--json", "flags", "get"}, 2)["code"], "usage");
  Json no_key = error_of({"flags", "list", "--json", "--key", ""}, 2);
  EXPECT_NE(no_key["message"].get<std::string>().find("SWITCHYARD_KEY"), std::string::npos) << no_key;
}

}  // namespace
}  // namespace switchyard::cli
