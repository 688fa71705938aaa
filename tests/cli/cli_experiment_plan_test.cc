// `switchyard experiments plan` end to end against the real server (POST /api/v1/stats/sample-size),
// and RenderPlan on its own.
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"
#include "cli/experiment_analysis_commands.h"

namespace switchyard::cli {
namespace {

TEST_F(CliTest, PlanForARateWithDuration) {
  const std::string out =
      Ok({"experiments", "plan", "--baseline", "0.1", "--mde", "0.1", "--daily-traffic", "2000"});
  EXPECT_EQ(out,
            "metric               proportion, baseline 10.00 %\n"
            "minimum effect       +10.00 % relative (10.00 % -> 11.00 %)\n"
            "alpha                0.05\n"
            "power                80 %\n"
            "per variant          14,749\n"
            "total                29,498 (2 variants)\n"
            "duration             15 days at 2,000 users a day\n");
}

TEST_F(CliTest, PlanJsonForAMeanWithAProjectKey) {
  testing::CommandResult result = Run({"experiments", "plan", "--metric", "mean", "--baseline", "10", "--sd",
                                       "4", "--mde", "0.05", "--variants", "3", "--power", "0.9", "--json"},
                                      testing::kTestProjectKey);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json answer = nlohmann::json::parse(result.out);
  EXPECT_EQ(answer["per_variant"], 1589);
  EXPECT_EQ(answer["variants"], 3);
  EXPECT_TRUE(answer["days"].is_null());
}

TEST_F(CliTest, PlanMistakesAreUsageOrServerErrors) {
  testing::CommandResult result = Run({"experiments", "plan", "--baseline", "0.1"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--mde"), std::string::npos) << result.err;
  result = Run({"experiments", "plan", "--metric", "mean", "--baseline", "10", "--mde", "0.1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("standard_deviation"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[HTTP 422]"), std::string::npos) << result.err;
}

TEST(RenderPlanTest, ShortRunsAreToldToCoverAWeek) {
  nlohmann::json plan = {{"metric", "proportion"},  {"baseline", 0.2}, {"relative_mde", 0.2},
                         {"alpha", 0.05},           {"power", 0.8},    {"variants", 3},
                         {"per_variant", 1500},     {"total", 4500},   {"alpha_per_comparison", 0.025},
                         {"daily_traffic", 1500.0}, {"days", 3}};
  const std::string out = RenderPlan(plan);
  EXPECT_NE(out.find("alpha                0.05 (0.025 per comparison)\n"), std::string::npos) << out;
  EXPECT_NE(
      out.find("duration             3 days at 1,500 users a day (run at least 7 days to cover a weekly "
               "cycle)\n"),
      std::string::npos)
      << out;
}

}  // namespace
}  // namespace switchyard::cli
