// QuantileSketch: a mergeable summary of a distribution that answers quantiles (p50/p95/p99 of
// latency, tokens, cost) within a relative error, in bounded memory.
//
// It is DDSketch (Masson, Rim & Lee, "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with
// Relative-Error Guarantees", VLDB 2019): a value x > 0 is counted in bucket ceil(log_γ x) with
// γ = (1+α)/(1−α), and a quantile is answered with its bucket's midpoint 2γ^i/(γ+1), which is
// within α·x of the true order statistic. Negative values use a mirrored set of buckets, values
// near zero one zero bucket. Two sketches with the same α merge by adding bucket counts, exactly:
// merging per-node or per-hour sketches gives the sketch of all the data, which is what
// aggregation at ingest time needs (sum per variant, per hour).
//
// Why hand-written: Debian packages no quantile-sketch library for C++, and the algorithm is a
// few dozen lines over a vector of counts.
//
// Memory is bounded by max_buckets per sign: when a sketch would span more buckets, the buckets
// of the smallest magnitudes are folded into one (the paper's "collapsing lowest" store), which
// costs accuracy only in the lowest quantiles (under a millisecond when values are
// milliseconds), never in the upper tail that p95/p99 read.
//
// Pure: no I/O, no globals. Not thread-safe; callers own one per aggregate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/stats.h"
#include "switchyard/status.h"

namespace switchyard::stats {

class QuantileSketch {
 public:
  static constexpr double kDefaultRelativeAccuracy = 0.01;
  static constexpr std::size_t kDefaultMaxBuckets = 2048;  // with α = 1 %: 1e-9 .. 1e8 uncollapsed

  explicit QuantileSketch(double relative_accuracy = kDefaultRelativeAccuracy,
                          std::size_t max_buckets = kDefaultMaxBuckets);

  // Counts `value` `count` times. NaN and infinities are ignored (not counted).
  void Add(double value, std::uint64_t count = 1);

  // Adds every value `other` counted. InvalidArgument when the two use different accuracies.
  Status Merge(const QuantileSketch& other);

  // The q-quantile (0 <= q <= 1) within the relative accuracy, clamped to [min, max]; NaN when
  // the sketch is empty or q is outside [0, 1].
  double Quantile(double q) const;
  // The share of counted values <= `value` (an estimate of the CDF), in [0, 1]; 0 when empty.
  double RankOf(double value) const;

  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double min() const { return min_; }
  double max() const { return max_; }
  double relative_accuracy() const { return relative_accuracy_; }
  bool empty() const { return count_ == 0; }

  // A compact JSON form for storing aggregates: {"alpha","n","sum","min","max","zero",
  // "pos":[offset, counts...], "neg":[offset, counts...]}.
  nlohmann::json ToJson() const;
  // InvalidArgument (field named) for anything ToJson would not have written, including counts
  // that do not add up and bucket ranges past max_buckets: stored blobs are checked, not trusted.
  static Result<QuantileSketch> FromJson(const nlohmann::json& json,
                                         std::size_t max_buckets = kDefaultMaxBuckets);

  bool operator==(const QuantileSketch&) const = default;

 private:
  // Counts per bucket index over a contiguous range [offset, offset + counts.size()).
  struct Buckets {
    std::int32_t offset = 0;
    std::vector<std::uint64_t> counts;

    void Add(std::int32_t index, std::uint64_t count, std::size_t max_buckets);
    void AddAll(const Buckets& other, std::size_t max_buckets);
    std::uint64_t Total() const;
    bool operator==(const Buckets&) const = default;
  };

  std::int32_t IndexOf(double magnitude) const;
  double ValueOf(std::int32_t index) const;
  double ClampToRange(double value) const;

  double relative_accuracy_;
  double gamma_;
  double log_gamma_;
  double min_indexable_;  // magnitudes below this count as zero
  std::size_t max_buckets_;
  Buckets positive_;
  Buckets negative_;
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

// A sketch as the quantile intervals read it (EstimateQuantile). DDSketch bounds the value it
// answers (within α of the order statistic), not its rank, so the rank error is 0: the interval's
// ends carry the α relative error instead, which at α = 1 % is small next to the sampling
// uncertainty the interval describes.
class SketchQuantiles final : public QuantileSource {
 public:
  explicit SketchQuantiles(const QuantileSketch& sketch) : sketch_(sketch) {}
  double Count() const override { return static_cast<double>(sketch_.count()); }
  double Quantile(double fraction) const override { return sketch_.Quantile(fraction); }
  double RankError() const override { return 0; }

 private:
  const QuantileSketch& sketch_;
};

}  // namespace switchyard::stats
