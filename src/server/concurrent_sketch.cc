#include "server/concurrent_sketch.h"

#include <algorithm>
#include <cmath>

namespace switchyard::server {
namespace {

// Exactly QuantileSketch's mapping: index ceil(log_γ x), midpoint 2γ^i / (γ + 1).
const double kGamma = (1 + ConcurrentSketch::kRelativeAccuracy) / (1 - ConcurrentSketch::kRelativeAccuracy);
const double kLogGamma = std::log(kGamma);

}  // namespace

void ConcurrentSketch::Add(double ms) {
  if (std::isnan(ms)) return;
  std::int32_t index = kMinIndex;
  if (ms >= kMaxMs) {
    index = kMaxIndex;
  } else if (ms > kMinMs) {
    index = std::clamp(static_cast<std::int32_t>(std::ceil(std::log(ms) / kLogGamma)), kMinIndex, kMaxIndex);
  }
  counts_[static_cast<std::size_t>(index - kMinIndex)].fetch_add(1, std::memory_order_relaxed);
}

void ConcurrentSketch::AddTo(stats::QuantileSketch& sketch) const {
  for (std::size_t i = 0; i < kBuckets; ++i) {
    std::uint64_t count = counts_[i].load(std::memory_order_relaxed);
    if (count == 0) continue;
    const auto index = static_cast<std::int32_t>(i) + kMinIndex;
    sketch.Add(2 * std::exp(index * kLogGamma) / (kGamma + 1), count);
  }
}

void ConcurrentSketch::Reset() {
  for (auto& count : counts_) count.store(0, std::memory_order_relaxed);
}

}  // namespace switchyard::server
