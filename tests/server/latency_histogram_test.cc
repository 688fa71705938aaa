// Bucket boundaries are inclusive upper bounds, negative durations count as zero, and the
// count always equals the +Inf bucket.
#include "server/latency_histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace switchyard::server {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(LatencyHistogramTest, ABoundaryValueFallsIntoThatBucket) {
  LatencyHistogram histogram;
  histogram.Observe(microseconds(100));  // exactly 0.0001
  histogram.Observe(microseconds(101));  // just above: the 0.00025 bucket
  auto read = histogram.Read();
  EXPECT_EQ(read.cumulative[0], 1u);
  EXPECT_EQ(read.cumulative[1], 2u);
  EXPECT_EQ(read.count, 2u);
  EXPECT_DOUBLE_EQ(read.sum_seconds, 0.000201);
}

TEST(LatencyHistogramTest, NegativeDurationsCountAsZero) {
  LatencyHistogram histogram;
  histogram.Observe(nanoseconds(-5));
  auto read = histogram.Read();
  EXPECT_EQ(read.cumulative[0], 1u);
  EXPECT_EQ(read.sum_seconds, 0);
}

TEST(LatencyHistogramTest, ConcurrentObservationsAreAllCounted) {
  LatencyHistogram histogram;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&histogram] {
      for (int i = 0; i < 10000; ++i) histogram.Observe(milliseconds(1));
    });
  }
  for (auto& thread : threads) thread.join();
  auto read = histogram.Read();
  EXPECT_EQ(read.count, 40000u);
  EXPECT_EQ(read.cumulative[LatencyHistogram::kBuckets - 1], 40000u);
  EXPECT_EQ(read.cumulative[2], 0u);      // 0.0005
  EXPECT_EQ(read.cumulative[3], 40000u);  // 0.001
  EXPECT_DOUBLE_EQ(read.sum_seconds, 40.0);
}

}  // namespace
}  // namespace switchyard::server
