// The `top` table and its health rules, from stats shaped as GET /api/v1/gateway/stats answers.
#include "cli/gateway_top.h"

#include <gtest/gtest.h>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

Json Window(int requests, double success_rate, double p95, double p99 = 0, Json ttft_p95 = nullptr) {
  return Json{{"requests", requests},
              {"successes", static_cast<int>(requests * success_rate)},
              {"success_rate", requests == 0 ? Json() : Json(success_rate)},
              {"latency_ms", {{"p50", p95 / 2}, {"p95", p95}, {"p99", p99 == 0 ? p95 : p99}}},
              {"ttft_ms", {{"p50", nullptr}, {"p95", ttft_p95}}},
              {"cost", 1.5}};
}

Json Stats(std::vector<Json> rows) {
  Json series = Json::array();
  for (auto& recent : rows) {
    series.push_back(Json{{"project_id", 1},
                          {"route", "chat"},
                          {"variant", "v" + std::to_string(series.size())},
                          {"model", "m@1.0.0"},
                          {"shadow", false},
                          {"total", recent},
                          {"recent", recent}});
  }
  return Json{{"window_seconds", 60}, {"series", series}};
}

TEST(GatewayTopTest, HealthIsOkWarnOrBadAgainstTheThresholds) {
  TopThresholds t;  // 5 % errors, p95 10 s, warn at 80 %
  EXPECT_EQ(HealthOf(Window(100, 1.0, 500), t).status, "ok");
  RowHealth warn = HealthOf(Window(100, 0.96, 500), t);  // 4 % errors: past 80 % of 5 %
  EXPECT_EQ(warn.status, "warn");
  ASSERT_EQ(warn.reasons.size(), 1u);
  EXPECT_EQ(warn.reasons[0], "error rate 4.0% near 5.0%");
  RowHealth bad = HealthOf(Window(100, 0.96, 12000), t);
  EXPECT_EQ(bad.status, "bad");
  ASSERT_EQ(bad.reasons.size(), 2u);
  EXPECT_EQ(bad.reasons[1], "p95 12000 ms > 10000 ms");
  EXPECT_EQ(HealthOf(Window(0, 0, 0), t).status, "idle");
}

TEST(GatewayTopTest, OptionalThresholdsAreCheckedOnlyWhenSet) {
  TopThresholds t;
  const Json slow_tail = Window(100, 1.0, 500, 30000, 4000);
  EXPECT_EQ(HealthOf(slow_tail, t).status, "ok");
  t.max_p99_ms = 20000;
  EXPECT_EQ(HealthOf(slow_tail, t).status, "bad");
  t.max_p99_ms = 0;
  t.max_ttft_p95_ms = 3000;
  EXPECT_EQ(HealthOf(slow_tail, t).reasons, std::vector<std::string>{"ttft p95 4000 ms > 3000 ms"});
  t.max_error_rate = 0;  // off
  EXPECT_EQ(HealthOf(Window(100, 0.5, 500), TopThresholds{.max_error_rate = 0}).status, "ok");
}

TEST(GatewayTopTest, RendersOneRowPerSeriesWithItsStatus) {
  const std::string table = RenderTop(Stats({Window(120, 1.0, 250.4), Window(60, 0.5, 90)}), {}, false);
  EXPECT_NE(table.find("ROUTE"), std::string::npos) << table;
  EXPECT_NE(table.find("STATUS"), std::string::npos) << table;
  EXPECT_NE(table.find("100.0%"), std::string::npos) << table;
  EXPECT_NE(table.find("250"), std::string::npos) << table;   // p95, whole milliseconds past 100
  EXPECT_NE(table.find("45.0"), std::string::npos) << table;  // p50 of the second, one decimal
  EXPECT_NE(table.find("2.0"), std::string::npos) << table;   // 120 calls in 60 s
  EXPECT_NE(table.find("bad: error rate 50.0% > 5.0%"), std::string::npos) << table;
  EXPECT_EQ(table.find("\x1b["), std::string::npos) << "no colour unless asked";
  EXPECT_NE(RenderTop(Stats({Window(1, 1.0, 5)}), {}, true).find("\x1b[32mok\x1b[0m"), std::string::npos);
}

TEST(GatewayTopTest, SaysSoWhenNothingWasRecorded) {
  EXPECT_EQ(RenderTop(Stats({}), {}, false), "no gateway calls recorded yet\n");
}

TEST(GatewayTopTest, JsonOutputCarriesEachRowsHealth) {
  const Json stats = WithHealth(Stats({Window(10, 1.0, 5), Window(10, 0.0, 5)}), {});
  EXPECT_EQ(stats["series"][0]["health"], "ok");
  EXPECT_EQ(stats["series"][1]["health"], "bad");
  EXPECT_EQ(stats["series"][1]["reasons"][0], "error rate 100.0% > 5.0%");
}

}  // namespace
}  // namespace switchyard::cli
