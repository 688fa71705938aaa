// ConcurrentSketch answers what stats::QuantileSketch answers for the same values (its buckets
// are the same), clamps out-of-range values to its ends, and empties on Reset.
#include "server/concurrent_sketch.h"

#include <gtest/gtest.h>

#include <cmath>

namespace switchyard::server {
namespace {

stats::QuantileSketch Read(const ConcurrentSketch& sketch) {
  stats::QuantileSketch out = ConcurrentSketch::EmptySketch();
  sketch.AddTo(out);
  return out;
}

TEST(ConcurrentSketchTest, MatchesAQuantileSketchOfTheSameValues) {
  ConcurrentSketch sketch;
  stats::QuantileSketch reference(ConcurrentSketch::kRelativeAccuracy);
  for (int i = 1; i <= 5000; ++i) {
    const double ms = 0.05 * i * std::sqrt(i);  // 0.05 ms .. ~17.7 s
    sketch.Add(ms);
    reference.Add(ms);
  }
  const stats::QuantileSketch read = Read(sketch);
  EXPECT_EQ(read.count(), 5000u);
  for (double q : {0.01, 0.5, 0.9, 0.95, 0.99}) {
    // The reference clamps to the exact min/max; only the ends can differ, by the accuracy.
    EXPECT_NEAR(read.Quantile(q), reference.Quantile(q), reference.Quantile(q) * 0.021) << q;
  }
}

TEST(ConcurrentSketchTest, ValuesOutsideTheRangeCountAtItsEnds) {
  ConcurrentSketch sketch;
  sketch.Add(0);
  sketch.Add(-5);
  sketch.Add(1e9);  // ~11 days
  sketch.Add(std::nan(""));
  const stats::QuantileSketch read = Read(sketch);
  EXPECT_EQ(read.count(), 3u);
  EXPECT_NEAR(read.Quantile(0), ConcurrentSketch::kMinMs, ConcurrentSketch::kMinMs * 0.03);
  EXPECT_NEAR(read.Quantile(1), ConcurrentSketch::kMaxMs, ConcurrentSketch::kMaxMs * 0.03);
}

TEST(ConcurrentSketchTest, ResetEmptiesIt) {
  ConcurrentSketch sketch;
  sketch.Add(12);
  sketch.Reset();
  EXPECT_TRUE(Read(sketch).empty());
}

}  // namespace
}  // namespace switchyard::server
