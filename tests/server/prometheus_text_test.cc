// The exposition writer: headers, label escaping, number formats and histogram series.
#include "server/prometheus_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace switchyard::server {
namespace {

TEST(PrometheusTextTest, FamilyHeaderThenSamples) {
  PrometheusText text;
  text.Family("sy_things_total", "counter", "Things.");
  text.Sample("sy_things_total", {{"kind", "a"}, {"size", "big"}}, std::uint64_t{3});
  text.Sample("sy_things_total", {}, std::uint64_t{0});
  EXPECT_EQ(text.text(),
            "# HELP sy_things_total Things.\n"
            "# TYPE sy_things_total counter\n"
            "sy_things_total{kind=\"a\",size=\"big\"} 3\n"
            "sy_things_total 0\n");
}

TEST(PrometheusTextTest, EscapesLabelValuesAndHelp) {
  PrometheusText text;
  text.Family("sy_g", "gauge", "back\\slash and\nnewline \"quoted\"");
  text.Sample("sy_g", {{"v", "a\"b\\c\nd"}}, std::int64_t{-2});
  EXPECT_EQ(text.text(),
            "# HELP sy_g back\\\\slash and\\nnewline \"quoted\"\n"
            "# TYPE sy_g gauge\n"
            "sy_g{v=\"a\\\"b\\\\c\\nd\"} -2\n");
}

TEST(PrometheusTextTest, FloatsInTheirShortestFormAndSpecialValues) {
  PrometheusText text;
  text.Sample("a", {}, 0.25);
  text.Sample("b", {}, 1e-9);
  text.Sample("c", {}, std::numeric_limits<double>::infinity());
  text.Sample("d", {}, -std::numeric_limits<double>::infinity());
  text.Sample("e", {}, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(text.text(), "a 0.25\nb 1e-09\nc +Inf\nd -Inf\ne NaN\n");
}

TEST(PrometheusTextTest, HistogramWritesCumulativeBucketsSumAndCount) {
  LatencyHistogram histogram;
  histogram.Observe(std::chrono::microseconds(50));  // <= 0.0001
  histogram.Observe(std::chrono::milliseconds(3));   // <= 0.005
  histogram.Observe(std::chrono::seconds(60));       // +Inf only
  PrometheusText text;
  text.Histogram("sy_h_seconds", {{"route", "/x"}}, histogram.Read());
  const std::string& out = text.text();
  EXPECT_NE(out.find("sy_h_seconds_bucket{route=\"/x\",le=\"0.0001\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("sy_h_seconds_bucket{route=\"/x\",le=\"0.0025\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("sy_h_seconds_bucket{route=\"/x\",le=\"0.005\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("sy_h_seconds_bucket{route=\"/x\",le=\"10\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("sy_h_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("sy_h_seconds_sum{route=\"/x\"} 60.00305\n"), std::string::npos) << out;
  EXPECT_NE(out.find("sy_h_seconds_count{route=\"/x\"} 3\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace switchyard::server
