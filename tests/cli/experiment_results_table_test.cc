#include "cli/experiment_results_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/results_fixture.h"

namespace switchyard::cli {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ExperimentResultsTableTest, HeaderVerdictAndVariants) {
  nlohmann::json results = testing::SampleResults();
  ASSERT_FALSE(results.empty());
  const std::string text = RenderResultsTable(results);
  std::vector<std::string> lines = Lines(text);
  ASSERT_GT(lines.size(), 10u) << text;
  EXPECT_EQ(lines[0],
            "experiment checkout (running): frequentist, relative lift, 95 % intervals, holm correction");
  EXPECT_EQ(lines[1], "verdict: SHIP treatment") << text;
  EXPECT_EQ(lines[2].rfind("  - treatment raises conversion by 40.0 % (95 % interval +18.2 % to +61.8 %)", 0),
            0u)
      << text;
  EXPECT_NE(text.find("VARIANT    SPLIT    EXPOSURES  MINIMUM SAMPLE\n"
                      "control    33.33 %  2400       reached\n"),
            std::string::npos)
      << text;
}

TEST(ExperimentResultsTableTest, MetricRowsAreAlignedUnderTheirHeaders) {
  const std::string text = RenderResultsTable(testing::SampleResults());
  std::vector<std::string> lines = Lines(text);
  std::size_t header = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("METRIC", 0) == 0) header = i;
  }
  ASSERT_GT(header, 0u) << text;
  const std::string& h = lines[header];
  const std::size_t lift_col = h.find("LIFT ");
  const std::size_t value_col = h.find("VALUE");
  ASSERT_NE(lift_col, std::string::npos);
  // The treatment's row of the primary metric: value and lift start under their headers.
  const std::string& treatment = lines[header + 2];
  EXPECT_EQ(treatment.find("treatment"), h.find("VARIANT")) << text;
  EXPECT_EQ(treatment.substr(value_col, 7), "14.00 %") << text;
  EXPECT_EQ(treatment.substr(lift_col, 8), "+40.00 %") << text;
  EXPECT_EQ(treatment.substr(h.find("SIGNIFICANT")), "yes, better") << text;
  // b is below alpha alone (p = 0.043) but not after Holm (0.087).
  const std::string& b = lines[header + 3];
  EXPECT_EQ(b.substr(h.find("P-VALUE"), 6), "0.0434") << text;
  EXPECT_EQ(b.substr(h.find("ADJ. P"), 6), "0.0868") << text;
  EXPECT_EQ(b.substr(h.find("SIGNIFICANT")), "no") << text;
  // Control has no comparison cells: its row ends with its interval.
  const std::string& control = lines[header + 1];
  EXPECT_EQ(control.rfind("conversion ", 0), 0u) << text;
  EXPECT_EQ(control.substr(h.find("VARIANT")), "control    10.00 %  [8.80 %, 11.20 %]") << text;
  // The percentile metric is labelled with its percentile, lower latency is better.
  EXPECT_NE(text.find("latency (p95) "), std::string::npos) << text;
  EXPECT_NE(text.find("errors"), std::string::npos);
  for (const std::string& line : lines) {
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing space: '" << line << "'";
  }
}

TEST(ExperimentResultsTableTest, HealthLines) {
  const std::string text = RenderResultsTable(testing::SampleResults());
  EXPECT_NE(text.find("\nhealth\n  sample ratio        ok (p = 1, invalid below 0.001)\n"
                      "  multiple exposures  0 users, 0.00 % (invalid over 1 %)\n"
                      "  minimum sample      100 per variant: reached\n"
                      "  duration            day 3.0 of 14\n"),
            std::string::npos)
      << text;
}

TEST(ExperimentResultsTableTest, ToleratesAnEmptyOrPartialAnswer) {
  EXPECT_NO_THROW(RenderResultsTable(nlohmann::json::object()));
  EXPECT_NO_THROW(RenderResultsTable(nlohmann::json::array()));
  nlohmann::json partial = {{"metrics", {{{"key", "x"}, {"defined", false}, {"role", "secondary"}}}}};
  EXPECT_NE(RenderResultsTable(partial).find("x       secondary  -        no definition for this metric"),
            std::string::npos)
      << RenderResultsTable(partial);
}

}  // namespace
}  // namespace switchyard::cli
