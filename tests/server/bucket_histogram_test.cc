// BucketHistogram: "less than or equal" buckets over its owner's bounds, +Inf equal to _count,
// and the Prometheus lines with the caller's labels.
#include "server/bucket_histogram.h"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>

#include "support/prometheus_sample.h"

namespace switchyard::server {
namespace {

using switchyard::testing::SampleValue;

constexpr std::array<double, 3> kBounds = {0.001, 0.5, 60};

TEST(BucketHistogramTest, CountsEachValueInTheFirstBoundAtOrAboveIt) {
  BucketHistogram histogram(kBounds);
  histogram.Observe(0.001);  // exactly on a bound: that bucket
  histogram.Observe(0.2);
  histogram.Observe(61);
  histogram.Observe(-1);  // a clock that went backwards: zero
  auto read = histogram.Read();
  EXPECT_EQ(read.cumulative[0], 2u);
  EXPECT_EQ(read.cumulative[1], 3u);
  EXPECT_EQ(read.cumulative[2], 3u);
  EXPECT_EQ(read.cumulative[3], 4u);
  EXPECT_EQ(read.count, 4u);
  EXPECT_DOUBLE_EQ(read.sum_seconds, 61.201);
}

TEST(BucketHistogramTest, WritesBucketsSumAndCountWithTheLabels) {
  BucketHistogram histogram(kBounds);
  histogram.Observe(0.3);
  PrometheusText text;
  text.Family("h", "histogram", "test");
  histogram.AppendTo(text, "h", {{"route", "r"}});
  EXPECT_EQ(SampleValue(text.text(), R"(h_bucket{route="r",le="0.001"})"), 0) << text.text();
  EXPECT_EQ(SampleValue(text.text(), R"(h_bucket{route="r",le="0.5"})"), 1);
  EXPECT_EQ(SampleValue(text.text(), R"(h_bucket{route="r",le="60"})"), 1);
  EXPECT_EQ(SampleValue(text.text(), R"(h_bucket{route="r",le="+Inf"})"), 1);
  EXPECT_EQ(SampleValue(text.text(), R"(h_sum{route="r"})"), 0.3);
  EXPECT_EQ(SampleValue(text.text(), R"(h_count{route="r"})"), 1);
}

TEST(BucketHistogramTest, RefusesUnsortedBounds) {
  static constexpr std::array<double, 2> kUnsorted = {1, 0.5};
  EXPECT_THROW(BucketHistogram{kUnsorted}, std::invalid_argument);
}

}  // namespace
}  // namespace switchyard::server
