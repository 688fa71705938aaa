#include "server/bucket_histogram.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace switchyard::server {

BucketHistogram::BucketHistogram(std::span<const double> bounds_seconds) : bounds_(bounds_seconds) {
  if (bounds_.size() > kMaxBounds || !std::is_sorted(bounds_.begin(), bounds_.end()))
    throw std::invalid_argument("BucketHistogram: at most 24 ascending bounds");
}

void BucketHistogram::Observe(double seconds) {
  if (!(seconds > 0)) seconds = 0;  // also NaN
  // "Less than or equal": lower_bound finds the first bound >= seconds; none: +Inf.
  auto bucket =
      static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  if (std::isfinite(seconds)) sum_seconds_.fetch_add(seconds, std::memory_order_relaxed);
}

BucketHistogram::Snapshot BucketHistogram::Read() const {
  Snapshot out;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative[i] = running;
  }
  out.count = running;
  out.sum_seconds = sum_seconds_.load(std::memory_order_relaxed);
  return out;
}

void BucketHistogram::AppendTo(PrometheusText& out, std::string_view name,
                               const PrometheusText::Labels& labels) const {
  const Snapshot snapshot = Read();
  std::string bucket_name(name);
  bucket_name += "_bucket";
  PrometheusText::Labels with_le = labels;
  with_le.emplace_back("le", "");
  char bound[32];
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    if (i == bounds_.size()) {
      with_le.back().second = "+Inf";
    } else {
      // Fixed notation, as LatencyHistogram writes its bounds: "0.0001", never "1e-04".
      auto [end, ec] = std::to_chars(bound, bound + sizeof bound, bounds_[i], std::chars_format::fixed);
      with_le.back().second = std::string_view(bound, ec == std::errc() ? end - bound : 0);
    }
    out.Sample(bucket_name, with_le, snapshot.cumulative[i]);
  }
  out.Sample(std::string(name) + "_sum", labels, snapshot.sum_seconds);
  out.Sample(std::string(name) + "_count", labels, snapshot.count);
}

}  // namespace switchyard::server
