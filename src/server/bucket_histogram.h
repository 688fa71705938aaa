// BucketHistogram: a Prometheus histogram over bounds chosen by its owner, lock-free on the hot
// path. LatencyHistogram's bounds (100 µs .. 10 s) fit the server's own requests; the gateway
// needs others: upstream calls take up to minutes, and its own overhead is measured in
// microseconds. Observe() is a bucket search and two relaxed atomic additions; Read() may run
// concurrently and derives the count from the buckets, so +Inf always equals _count.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/prometheus_text.h"

namespace switchyard::server {

class BucketHistogram {
 public:
  static constexpr std::size_t kMaxBounds = 24;

  // `bounds_seconds`: ascending upper bounds (at most kMaxBounds), which must outlive the
  // histogram (a static constexpr array).
  explicit BucketHistogram(std::span<const double> bounds_seconds);

  // A negative or NaN value counts as zero.
  void Observe(double seconds);

  struct Snapshot {
    std::array<std::uint64_t, kMaxBounds + 1> cumulative{};  // <= each bound, then +Inf (= count)
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  Snapshot Read() const;

  // name_bucket{labels...,le="…"} for every bound and +Inf, then name_sum and name_count.
  void AppendTo(PrometheusText& out, std::string_view name, const PrometheusText::Labels& labels) const;

 private:
  std::span<const double> bounds_;
  std::array<std::atomic<std::uint64_t>, kMaxBounds + 1> buckets_{};
  std::atomic<double> sum_seconds_{0};
};

}  // namespace switchyard::server
