#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/stats_commands.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

TEST(StatsCommandsTest, ParsesNamedNumbers) {
  Result<Json> fields = ParseNumberFields("sum=12.5,sum_squares=80,n=10", "--control");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(*fields, Json({{"sum", 12.5}, {"sum_squares", 80.0}, {"n", 10.0}}));
  for (const char* bad : {"sum=", "=3", "n=ten", "n", "n=1,", "n=inf"}) {
    Result<Json> r = ParseNumberFields(bad, "--control");
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "--control") << bad;
  }
}

TEST(StatsCommandsTest, ParsesNumberLists) {
  EXPECT_EQ(*ParseNumberList("1000,1200", "--counts"), Json({1000.0, 1200.0}));
  EXPECT_FALSE(ParseNumberList("1000,,1200", "--counts").ok());
  EXPECT_FALSE(ParseNumberList("0.5;0.5", "--weights").ok());
}

TEST(StatsCommandsTest, RendersRelativeDifferencesAsPercentages) {
  const Json answer = {{"method", "frequentist"},
                       {"difference", "relative"},
                       {"alpha", 0.1},
                       {"control", {{"mean", 0.5}, {"n", 28}}},
                       {"treatment", {{"mean", 0.53}, {"n", 30}}},
                       {"expected", 0.0666667},
                       {"ci", {-0.4, 0.6}},
                       {"p_value", 0.8},
                       {"chance_to_win", nullptr},
                       {"is_significant", false}};
  const std::string text = RenderComparison(answer);
  EXPECT_NE(text.find("+6.67 %"), std::string::npos) << text;
  EXPECT_NE(text.find("90 % interval   [-40.00 %, +60.00 %]"), std::string::npos) << text;
  EXPECT_NE(text.find("mean 0.5, n 28"), std::string::npos) << text;
  EXPECT_EQ(text.find("chance to win"), std::string::npos) << text;
}

}  // namespace
}  // namespace switchyard::cli
