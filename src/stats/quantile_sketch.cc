#include "stats/quantile_sketch.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace switchyard::stats {
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

json BucketsJson(std::int32_t offset, const std::vector<std::uint64_t>& counts) {
  json out = json::array({offset});
  for (std::uint64_t count : counts) out.push_back(count);
  return out;
}

Status Invalid(const std::string& field, const std::string& problem) {
  return Status::InvalidArgument("quantile sketch: " + field + " " + problem, field);
}

}  // namespace

QuantileSketch::QuantileSketch(double relative_accuracy, std::size_t max_buckets)
    : relative_accuracy_(std::clamp(relative_accuracy, 1e-6, 0.5)),
      gamma_((1 + relative_accuracy_) / (1 - relative_accuracy_)),
      log_gamma_(std::log(gamma_)),
      // The smallest magnitude whose index still fits comfortably in 32 bits.
      min_indexable_(std::max(std::numeric_limits<double>::min(),
                              std::exp((std::numeric_limits<std::int32_t>::min() / 2.0) * log_gamma_))),
      max_buckets_(std::max<std::size_t>(max_buckets, 1)) {}

std::int32_t QuantileSketch::IndexOf(double magnitude) const {
  return static_cast<std::int32_t>(std::ceil(std::log(magnitude) / log_gamma_));
}

double QuantileSketch::ValueOf(std::int32_t index) const {
  return 2 * std::exp(index * log_gamma_) / (gamma_ + 1);
}

double QuantileSketch::ClampToRange(double value) const {
  return std::clamp(value, min_, max_);
}

void QuantileSketch::Buckets::Add(std::int32_t index, std::uint64_t count, std::size_t max_buckets) {
  if (counts.empty()) {
    offset = index;
    counts.assign(1, count);
    return;
  }
  const std::int64_t first = offset;
  const std::int64_t last = first + static_cast<std::int64_t>(counts.size()) - 1;
  const std::int64_t low = std::min<std::int64_t>(first, index);
  const std::int64_t high = std::max<std::int64_t>(last, index);
  // Past max_buckets, the smallest magnitudes fold into the lowest bucket kept.
  const std::int64_t lowest_kept = std::max(low, high - static_cast<std::int64_t>(max_buckets) + 1);
  if (lowest_kept != first || high != last) {
    std::vector<std::uint64_t> next(static_cast<std::size_t>(high - lowest_kept + 1), 0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const std::int64_t target = std::max(first + static_cast<std::int64_t>(i), lowest_kept);
      next[static_cast<std::size_t>(target - lowest_kept)] += counts[i];
    }
    offset = static_cast<std::int32_t>(lowest_kept);
    counts = std::move(next);
  }
  const std::int64_t target = std::max<std::int64_t>(index, offset);
  counts[static_cast<std::size_t>(target - offset)] += count;
}

void QuantileSketch::Buckets::AddAll(const Buckets& other, std::size_t max_buckets) {
  for (std::size_t i = 0; i < other.counts.size(); ++i) {
    if (other.counts[i] != 0) Add(other.offset + static_cast<std::int32_t>(i), other.counts[i], max_buckets);
  }
}

std::uint64_t QuantileSketch::Buckets::Total() const {
  std::uint64_t total = 0;
  for (std::uint64_t count : counts) total += count;
  return total;
}

void QuantileSketch::Add(double value, std::uint64_t count) {
  if (!std::isfinite(value) || count == 0) return;
  const double magnitude = std::abs(value);
  if (magnitude < min_indexable_) {
    zero_count_ += count;
  } else if (value > 0) {
    positive_.Add(IndexOf(magnitude), count, max_buckets_);
  } else {
    negative_.Add(IndexOf(magnitude), count, max_buckets_);
  }
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  count_ += count;
  sum_ += value * static_cast<double>(count);
}

Status QuantileSketch::Merge(const QuantileSketch& other) {
  if (other.relative_accuracy_ != relative_accuracy_) {
    return Status::InvalidArgument("cannot merge quantile sketches of different accuracy (" +
                                       std::to_string(relative_accuracy_) + " and " +
                                       std::to_string(other.relative_accuracy_) + ")",
                                   "alpha");
  }
  if (other.count_ == 0) return Status::Ok();
  positive_.AddAll(other.positive_, max_buckets_);
  negative_.AddAll(other.negative_, max_buckets_);
  zero_count_ += other.zero_count_;
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
  return Status::Ok();
}

double QuantileSketch::Quantile(double q) const {
  if (count_ == 0 || !(q >= 0 && q <= 1)) return kNaN;
  // The order statistic at rank q·(n−1), counting from the most negative value up.
  const double rank = q * static_cast<double>(count_ - 1);
  // The extremes are known exactly; the buckets' midpoints would only approximate them.
  if (q == 0) return min_;
  if (q == 1) return max_;
  double seen = 0;
  for (std::size_t i = negative_.counts.size(); i-- > 0;) {
    seen += static_cast<double>(negative_.counts[i]);
    if (seen > rank) return ClampToRange(-ValueOf(negative_.offset + static_cast<std::int32_t>(i)));
  }
  seen += static_cast<double>(zero_count_);
  if (seen > rank) return ClampToRange(0);
  for (std::size_t i = 0; i < positive_.counts.size(); ++i) {
    seen += static_cast<double>(positive_.counts[i]);
    if (seen > rank) return ClampToRange(ValueOf(positive_.offset + static_cast<std::int32_t>(i)));
  }
  return max_;
}

double QuantileSketch::RankOf(double value) const {
  if (count_ == 0 || std::isnan(value)) return 0;
  if (value >= max_) return 1;
  if (value < min_) return 0;
  double at_most = 0;
  const double magnitude = std::abs(value);
  if (value < 0 && magnitude >= min_indexable_) {
    // Negative buckets whose magnitude is at least |value|: indexes >= IndexOf(|value|).
    const std::int32_t index = IndexOf(magnitude);
    for (std::size_t i = 0; i < negative_.counts.size(); ++i) {
      if (negative_.offset + static_cast<std::int32_t>(i) >= index)
        at_most += static_cast<double>(negative_.counts[i]);
    }
    return at_most / static_cast<double>(count_);
  }
  at_most = static_cast<double>(negative_.Total() + zero_count_);
  if (magnitude >= min_indexable_) {
    const std::int32_t index = IndexOf(magnitude);
    for (std::size_t i = 0; i < positive_.counts.size(); ++i) {
      if (positive_.offset + static_cast<std::int32_t>(i) <= index)
        at_most += static_cast<double>(positive_.counts[i]);
    }
  }
  return at_most / static_cast<double>(count_);
}

json QuantileSketch::ToJson() const {
  return json{{"alpha", relative_accuracy_},
              {"n", count_},
              {"sum", sum_},
              {"min", min_},
              {"max", max_},
              {"zero", zero_count_},
              {"pos", BucketsJson(positive_.offset, positive_.counts)},
              {"neg", BucketsJson(negative_.offset, negative_.counts)}};
}

Result<QuantileSketch> QuantileSketch::FromJson(const json& in, std::size_t max_buckets) {
  if (!in.is_object()) return Invalid("sketch", "must be an object");
  for (const auto& item : in.items()) {
    const std::string field = item.key();  // clang 14 cannot capture a structured binding
    static const char* kFields[] = {"alpha", "n", "sum", "min", "max", "zero", "pos", "neg"};
    if (std::find_if(std::begin(kFields), std::end(kFields), [&](const char* f) { return field == f; }) ==
        std::end(kFields)) {
      return Invalid(field, "is not a sketch field");
    }
  }
  auto number = [&](const char* field) -> Result<double> {
    auto it = in.find(field);
    if (it == in.end() || !it->is_number() || !std::isfinite(it->get<double>())) {
      return Invalid(field, "must be a finite number");
    }
    return it->get<double>();
  };
  auto counter = [&](const json& value, const std::string& field) -> Result<std::uint64_t> {
    if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
      return Invalid(field, "must be a non-negative integer");
    }
    return value.get<std::uint64_t>();
  };
  auto alpha = number("alpha");
  if (!alpha.ok()) return alpha.status();
  if (!(*alpha > 0 && *alpha < 1)) return Invalid("alpha", "must be between 0 and 1");
  QuantileSketch sketch(*alpha, max_buckets);
  if (sketch.relative_accuracy_ != *alpha) return Invalid("alpha", "is outside the supported range");
  for (auto [field, target] :
       {std::pair{"sum", &sketch.sum_}, std::pair{"min", &sketch.min_}, std::pair{"max", &sketch.max_}}) {
    auto value = number(field);
    if (!value.ok()) return value.status();
    *target = *value;
  }
  if (!in.contains("n")) return Invalid("n", "is required");
  auto n = counter(in["n"], "n");
  if (!n.ok()) return n.status();
  if (!in.contains("zero")) return Invalid("zero", "is required");
  auto zero = counter(in["zero"], "zero");
  if (!zero.ok()) return zero.status();
  sketch.zero_count_ = *zero;
  std::uint64_t total = *zero;
  for (auto [field, target] : {std::pair{"pos", &sketch.positive_}, std::pair{"neg", &sketch.negative_}}) {
    auto it = in.find(field);
    if (it == in.end() || !it->is_array() || it->empty())
      return Invalid(field, "must be [offset, counts...]");
    if (it->size() - 1 > max_buckets) return Invalid(field, "has more buckets than the sketch keeps");
    const json& offset = (*it)[0];
    const std::int64_t limit = std::numeric_limits<std::int32_t>::max() / 2;
    if (!offset.is_number_integer() || std::abs(offset.get<std::int64_t>()) > limit) {
      return Invalid(field, "offset must be an integer index");
    }
    target->offset = static_cast<std::int32_t>(offset.get<std::int64_t>());
    for (std::size_t i = 1; i < it->size(); ++i) {
      auto count = counter((*it)[i], field);
      if (!count.ok()) return count.status();
      if (*count > std::numeric_limits<std::uint64_t>::max() - total)
        return Invalid(field, "counts overflow");
      total += *count;
      target->counts.push_back(*count);
    }
  }
  if (total != *n) return Invalid("n", "does not equal the sum of the bucket counts");
  if (*n > 0 && sketch.min_ > sketch.max_) return Invalid("min", "is greater than max");
  sketch.count_ = *n;
  return sketch;
}

}  // namespace switchyard::stats
