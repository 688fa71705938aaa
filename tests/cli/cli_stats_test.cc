// `switchyard stats compare|srm` end to end against the real server.
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

TEST_F(CliTest, StatsCompareDefaultsToSequential) {
  const std::string out = Ok({"stats", "compare", "--control", "sum=1396.87,sum_squares=52377.9767,n=3407",
                              "--treatment", "sum=2422.7,sum_squares=134698.29,n=3461"});
  EXPECT_NE(out.find("sequential (N* 5000)"), std::string::npos) << out;
  EXPECT_NE(out.find("[-44.44 %, +185.91 %]"), std::string::npos) << out;
  EXPECT_NE(out.find("significant     no"), std::string::npos) << out;
}

TEST_F(CliTest, StatsCompareJsonWithAProjectKey) {
  testing::CommandResult result = Run({"stats", "compare", "--control", "successes=14,n=28", "--treatment",
                                       "successes=16,n=30", "--method", "frequentist", "--json"},
                                      testing::kTestProjectKey);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json answer = nlohmann::json::parse(result.out);
  EXPECT_NEAR(answer["p_value"].get<double>(), 0.80707, 0.5e-5);
  EXPECT_NEAR(answer["ci"][0].get<double>(), -0.47767, 0.5e-5);
}

TEST_F(CliTest, StatsCompareBayesianWithAPrior) {
  nlohmann::json answer =
      OkJson({"stats", "compare", "--control", "successes=49,n=100", "--treatment", "successes=51,n=100",
              "--method", "bayesian", "--prior", "mean=0,variance=1"});
  EXPECT_EQ(answer["method"], "bayesian");
  EXPECT_NEAR(answer["chance_to_win"].get<double>(), 0.6, 0.02);
  EXPECT_DOUBLE_EQ(answer["prior"]["variance"].get<double>(), 1);
}

TEST_F(CliTest, StatsSrm) {
  const std::string out = Ok({"stats", "srm", "--counts", "1000,1200", "--weights", "0.5,0.5"});
  EXPECT_NE(out.find("p-value    2.008e-05"), std::string::npos) << out;
  EXPECT_NE(out.find("mismatch   yes"), std::string::npos) << out;
  nlohmann::json answer = OkJson({"stats", "srm", "--counts", "135,115", "--weights", "0.5,0.5"});
  EXPECT_EQ(answer["mismatch"], false);
}

TEST_F(CliTest, StatsMistakesAreUsageOrServerErrors) {
  testing::CommandResult result = Run({"stats", "compare", "--control", "sum=1,n=x", "--treatment", "n=2"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--control takes NAME=NUMBER"), std::string::npos) << result.err;
  result = Run({"stats", "compare", "--control", "sums=1,n=3", "--treatment", "successes=1,n=2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("did you mean 'sum'?"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[HTTP 422]"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace switchyard::cli
