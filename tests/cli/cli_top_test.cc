// `switchyard top` against a real server: one table (--once), --json, the live mode without a
// terminal (each refresh appended), bad thresholds as usage errors. The server has no gateway
// calls yet, so the rows themselves are tested in gateway_top_test.cc and the route's unit test.
#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

class CliTopTest : public CliTest {};

TEST_F(CliTopTest, OncePrintsOneTableAndExits) {
  EXPECT_EQ(Ok({"top", "--once"}), "no gateway calls recorded yet\n");
}

TEST_F(CliTopTest, OnceWithJsonPrintsTheStats) {
  nlohmann::json stats = OkJson({"top", "--once"});
  EXPECT_EQ(stats["window_seconds"], 60);
  EXPECT_EQ(stats["series"], nlohmann::json::array());
  EXPECT_EQ(stats["series_dropped"], 0);
}

TEST_F(CliTopTest, WithoutATerminalEachRefreshIsAppended) {
  const std::string out = Ok({"top", "--count", "2", "--interval", "0.05"});
  EXPECT_EQ(out.find("\x1b["), std::string::npos) << out;
  const auto first = out.find("switchyard top  " + server_->base_url());
  ASSERT_NE(first, std::string::npos) << out;
  EXPECT_NE(out.find("switchyard top  ", first + 1), std::string::npos) << out;
  EXPECT_NE(out.find("no gateway calls recorded yet"), std::string::npos) << out;

  const std::string lines = Ok({"top", "--count", "2", "--interval", "0.05", "--json"});
  ASSERT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2) << lines;
  EXPECT_EQ(nlohmann::json::parse(lines.substr(0, lines.find('\n')))["series"], nlohmann::json::array());
}

TEST_F(CliTopTest, NeedsAnAdminKey) {
  ExpectOneLineError(Run({"top", "--once"}, testing::kTestProjectKey), 1, "HTTP 403");
}

TEST_F(CliTopTest, AThresholdOutOfRangeIsAUsageError) {
  testing::CommandResult result = Run({"top", "--once", "--max-error-rate", "5"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--max-error-rate"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace switchyard::cli
