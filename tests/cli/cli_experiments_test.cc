// `switchyard experiments ...` end to end against the real server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, ExperimentsCreateFromOptionsAndWalkTheLifecycle) {
  const std::string created =
      Ok({"experiments", "create", "prompt-v2", "--variants", "control:70,treatment:30", "--primary-metric",
          "conversion", "--env", "production", "--traffic", "50", "--secondary-metrics", "latency,cost"});
  EXPECT_THAT(created, HasSubstr("created experiment prompt-v2 (draft, version 1)"));
  nlohmann::json got = OkJson({"experiments", "get", "prompt-v2"});
  EXPECT_EQ(got["variants"][1], nlohmann::json({{"key", "treatment"}, {"split", 30}}));
  EXPECT_EQ(got["traffic_percent"], 50);
  EXPECT_EQ(got["secondary_metrics"], nlohmann::json({"latency", "cost"}));
  EXPECT_THAT(Ok({"experiments", "start", "prompt-v2"}), HasSubstr("started experiment prompt-v2 (running"));
  const std::string listed = Ok({"experiments", "list"});
  EXPECT_THAT(listed, HasSubstr("prompt-v2"));
  EXPECT_THAT(listed, HasSubstr("control:70 treatment:30"));
  EXPECT_THAT(Ok({"experiments", "get", "prompt-v2"}), HasSubstr("running"));
  EXPECT_THAT(Ok({"experiments", "pause", "prompt-v2"}), HasSubstr("(paused"));
  EXPECT_THAT(Ok({"experiments", "ship", "prompt-v2", "treatment"}), HasSubstr("shipped treatment of"));
  EXPECT_THAT(Ok({"experiments", "get", "prompt-v2"}), HasSubstr("stopped (shipped treatment)"));
  EXPECT_EQ(OkJson({"experiments", "list", "--status", "running"})["experiments"].size(), 0U);
}

TEST_F(CliTest, ExperimentsCreateFromAYamlFileWithOverrides) {
  const std::string file = WriteFile("exp.yaml",
                                     "key: from-file\n"
                                     "environment: staging\n"
                                     "primary_metric: conversion\n"
                                     "variants:\n"
                                     "  - {key: a, split: 50}\n"
                                     "  - {key: b, split: 50}\n"
                                     "conditions:\n"
                                     "  - {key: plan, operator: exact, value: pro}\n");
  nlohmann::json created = OkJson({"experiments", "create", "--file", file, "--name", "Named here"});
  EXPECT_EQ(created["environment"], "staging");
  EXPECT_EQ(created["name"], "Named here");
  EXPECT_EQ(created["conditions"][0]["key"], "plan");
}

TEST_F(CliTest, ExperimentsErrorsAreClear) {
  testing::CommandResult bad = Run({"experiments", "create", "x", "--variants", "control=50"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("KEY:SPLIT"));
  testing::CommandResult refused = Run({"experiments", "create", "x", "--variants", "a:60,b:60",
                                        "--primary-metric", "m", "--env", "production"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("splits must sum to 100"));
  EXPECT_THAT(refused.err, HasSubstr("[HTTP 422]"));
}

}  // namespace
}  // namespace switchyard::cli
