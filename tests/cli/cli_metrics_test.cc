// `switchyard metrics`: create from a YAML file, list (built-in ones first), get, delete, and the
// server's refusals surfacing as one error line.
#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

class CliMetricsTest : public CliTest {};

TEST_F(CliMetricsTest, CreatesFromYamlListsGetsAndDeletes) {
  const std::string file = WriteFile("revenue.yaml",
                                     "key: revenue\n"
                                     "kind: sum\n"
                                     "value:\n"
                                     "  event: purchase\n"
                                     "  property: amount\n"
                                     "capping:\n"
                                     "  upper: 500\n");
  EXPECT_EQ(Ok({"metrics", "create", "--file", file}), "created metric revenue (amount of purchase)\n");
  const std::string listed = Ok({"metrics", "list"});
  EXPECT_NE(listed.find("ai_latency_p95"), std::string::npos) << listed;
  EXPECT_NE(listed.find("p95 $ai_latency of $ai_generation"), std::string::npos) << listed;
  EXPECT_LT(listed.find("ai_success_rate"), listed.find("revenue")) << listed;
  nlohmann::json metric = nlohmann::json::parse(Ok({"metrics", "get", "revenue"}));
  EXPECT_EQ(metric["capping"]["upper"], 500);
  EXPECT_EQ(Ok({"metrics", "delete", "revenue"}), "deleted metric revenue\n");
  testing::CommandResult gone = Run({"metrics", "get", "revenue"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("404"), std::string::npos) << gone.err;
}

TEST_F(CliMetricsTest, ABuiltinMetricCannotBeDeleted) {
  testing::CommandResult refused = Run({"metrics", "delete", "ai_cost_per_request"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("built in"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("409"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace switchyard::cli
