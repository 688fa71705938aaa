#include "server/latency_histogram.h"

#include <algorithm>

namespace switchyard::server {

void LatencyHistogram::Observe(std::chrono::nanoseconds elapsed) {
  std::int64_t nanos = std::max<std::int64_t>(0, elapsed.count());
  // Prometheus buckets are "less than or equal": lower_bound finds the first bound >= nanos.
  auto bucket = static_cast<std::size_t>(std::lower_bound(kBoundsNanos.begin(), kBoundsNanos.end(), nanos) -
                                         kBoundsNanos.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<std::uint64_t>(nanos), std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::Read() const {
  Snapshot out;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative[i] = running;
  }
  out.count = running;
  out.sum_seconds = static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9;
  return out;
}

}  // namespace switchyard::server
