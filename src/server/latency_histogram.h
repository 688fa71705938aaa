// LatencyHistogram: a Prometheus histogram of durations, lock-free on the hot path.
//
// Observe() is a bucket search over a short fixed array and two relaxed atomic additions, so any
// number of threads may record into one histogram without a lock (prometheus-cpp's Histogram
// takes a mutex per observation; see server_metrics.h). Read() may run concurrently with
// Observe(); it derives the count from the buckets, so a scrape always shows the +Inf bucket
// equal to _count, as the format requires (the sum may lag a concurrent observation).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace switchyard::server {

class LatencyHistogram {
 public:
  // Upper bounds in seconds, from 100 µs (an evaluate) to 10 s (a request timeout).
  static constexpr std::array<std::string_view, 16> kBoundLabels = {
      "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
      "0.05",   "0.1",     "0.25",   "0.5",   "1",      "2.5",   "5",    "10"};
  static constexpr std::array<std::int64_t, 16> kBoundsNanos = {
      100'000,       250'000,       500'000,       1'000'000,     2'500'000,   5'000'000,
      10'000'000,    25'000'000,    50'000'000,    100'000'000,   250'000'000, 500'000'000,
      1'000'000'000, 2'500'000'000, 5'000'000'000, 10'000'000'000};
  static constexpr std::size_t kBuckets = kBoundsNanos.size() + 1;  // the last is +Inf

  struct Snapshot {
    std::array<std::uint64_t, kBuckets> cumulative{};  // observations <= each bound; last = count
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };

  // A negative duration (a clock that went backwards) counts as zero.
  void Observe(std::chrono::nanoseconds elapsed);
  Snapshot Read() const;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> sum_nanos_{0};
};

}  // namespace switchyard::server
