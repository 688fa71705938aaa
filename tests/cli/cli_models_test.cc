// `switchyard models` and `switchyard routes`: register, alias, roll back and look at the history,
// then create a route on those models and shadow it; the server's refusals as one error line.
#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

class CliModelsTest : public CliTest {
 protected:
  void Register(const std::string& version) {
    EXPECT_EQ(Ok({"models", "register", "--name", "chat", "--version", version, "--base-url",
                  "https://llm.example.com/v1", "--upstream-model", "gpt-x", "--credential-env", "CHAT_KEY",
                  "--input-price", "1.5", "--tag", "chat"}),
              "registered chat@" + version + "\n");
  }
};

TEST_F(CliModelsTest, RegistersAliasesRollsBackAndCreatesARoute) {
  Register("1.0.0");
  Register("1.1.0");
  nlohmann::json model = nlohmann::json::parse(Ok({"models", "get", "chat@1.1.0"}));
  EXPECT_EQ(model["prices"]["input_per_1m"], 1.5);
  EXPECT_EQ(model["upstream"]["credential_env"], "CHAT_KEY");
  const std::string listed = Ok({"models", "list", "--tag", "chat"});
  EXPECT_NE(listed.find("chat@1.0.0"), std::string::npos) << listed;
  EXPECT_NE(listed.find("registered"), std::string::npos) << listed;

  EXPECT_EQ(Ok({"models", "transition", "chat@1.1.0", "validated", "--reason", "evals"}),
            "chat@1.1.0 is now validated\n");
  EXPECT_EQ(Ok({"models", "alias", "chat", "stable", "1.0.0"}), "chat@stable -> 1.0.0\n");
  EXPECT_EQ(Ok({"models", "alias", "chat", "stable", "1.1.0", "--reason", "promote"}),
            "chat@stable -> 1.1.0 (was 1.0.0)\n");
  EXPECT_EQ(Ok({"models", "rollback", "chat", "stable", "--reason", "regression"}),
            "rolled back chat@stable -> 1.0.0 (was 1.1.0)\n");
  nlohmann::json history = nlohmann::json::parse(Ok({"models", "history", "chat", "stable", "--json"}));
  ASSERT_EQ(history["history"].size(), 3u);
  EXPECT_EQ(history["history"][2]["rollback"], true);
  EXPECT_EQ(history["history"][2]["reason"], "regression");
  const std::string table = Ok({"models", "history", "chat", "stable"});
  EXPECT_NE(table.find("regression"), std::string::npos) << table;

  Ok({"flags", "create", "chat-model"});  // a route's flag must exist
  EXPECT_EQ(Ok({"routes", "create", "--key", "chat-default", "--flag", "chat-model", "--variant",
                "true=chat@latest", "--variant", "false=chat@stable", "--default", "chat@stable"}),
            "created route chat-default (false=chat@stable, true=chat@latest; default chat@stable)\n");
  nlohmann::json route = nlohmann::json::parse(Ok({"routes", "get", "chat-default"}));
  EXPECT_EQ(route["variants"]["true"], "chat@latest");
  EXPECT_EQ(Ok({"routes", "shadow", "chat-default", "--model", "chat@1.1.0", "--percent", "5"}),
            "route chat-default shadows 5% of requests to chat@1.1.0\n");
  const std::string routes = Ok({"routes", "list"});
  EXPECT_NE(routes.find("chat@1.1.0 5%"), std::string::npos) << routes;
  EXPECT_NE(routes.find("flag chat-model"), std::string::npos) << routes;
}

TEST_F(CliModelsTest, RefusalsSurfaceAsOneErrorLine) {
  Register("1.0.0");
  testing::CommandResult refused = Run({"models", "transition", "chat@1.0.0", "deployed"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("from registered to deployed"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("409"), std::string::npos) << refused.err;
  testing::CommandResult missing =
      Run({"routes", "create", "--key", "r", "--flag", "f", "--default", "nope@stable"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("422"), std::string::npos) << missing.err;
  testing::CommandResult bad_ref = Run({"models", "get", "chat"});
  EXPECT_EQ(bad_ref.exit_code, 1);
  EXPECT_NE(bad_ref.err.find("NAME@VERSION"), std::string::npos) << bad_ref.err;
}

}  // namespace
}  // namespace switchyard::cli
