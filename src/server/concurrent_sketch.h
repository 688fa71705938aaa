// ConcurrentSketch: the gateway's percentiles (P50/P95/P99 of latency and time to first token)
// recorded from many threads without a lock.
//
// stats::QuantileSketch (DDSketch) answers quantiles within a relative error, but grows a vector
// and is not thread-safe. This keeps the same bucket layout over a fixed range of milliseconds
// (10 µs .. 1 h, relative accuracy 2 %) as an array of atomics, so Add is a logarithm and one
// relaxed atomic increment, and never allocates. AddTo feeds its counts into a QuantileSketch of
// the same accuracy (each bucket's midpoint maps back to the same bucket), which merges slots and
// answers the quantiles: the algorithm is written once, in src/stats.
//
// Values below the range count in its first bucket, above it in its last (a 1-hour call is
// reported as "about an hour"). Reset (zeroing) may race with Add: a value added meanwhile may be
// lost, which a rolling window of a dashboard tolerates.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "stats/quantile_sketch.h"

namespace switchyard::server {

class ConcurrentSketch {
 public:
  static constexpr double kRelativeAccuracy = 0.02;
  static constexpr double kMinMs = 0.01;
  static constexpr double kMaxMs = 3'600'000;
  // ceil(log_γ(kMinMs)) .. ceil(log_γ(kMaxMs)) with γ = 1.02 / 0.98.
  static constexpr std::int32_t kMinIndex = -115;
  static constexpr std::int32_t kMaxIndex = 378;
  static constexpr std::size_t kBuckets = kMaxIndex - kMinIndex + 1;

  // NaN is ignored.
  void Add(double ms);
  // Adds every counted value (as its bucket's midpoint) to `sketch`, which must have been made
  // with kRelativeAccuracy.
  void AddTo(stats::QuantileSketch& sketch) const;
  void Reset();

  // A sketch this can be added to.
  static stats::QuantileSketch EmptySketch() { return stats::QuantileSketch(kRelativeAccuracy); }

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
};

}  // namespace switchyard::server
