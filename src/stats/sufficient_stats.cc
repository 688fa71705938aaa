// From the sums an aggregator keeps to one variant's Moments (mean, per-unit variance, n).
#include <algorithm>
#include <cmath>

#include "stats/checks.h"
#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

// Beyond 2^53 a double no longer holds every whole number: a count that large is not a count.
constexpr double kMaxCount = 9007199254740992.0;

Status CheckCount(double n, double minimum, const char* prefix) {
  const std::string field = Field(prefix, "n");
  if (Status s = CheckFinite(n, field); !s.ok()) return s;
  if (n < minimum || n > kMaxCount || n != std::floor(n)) {
    return Status::InvalidArgument(
        field + " must be a whole number from " + std::to_string(static_cast<int>(minimum)) + " to 2^53",
        field);
  }
  return Status::Ok();
}

// (Σv² − (Σv)²/n) / (n − 1), never below 0: cancellation can leave a tiny negative.
double SampleVariance(double sum, double sum_squares, double n) {
  return std::max(0.0, (sum_squares - sum * sum / n) / (n - 1));
}

double SampleCovariance(double sum_a, double sum_b, double sum_ab, double n) {
  return (sum_ab - sum_a * sum_b / n) / (n - 1);
}

}  // namespace

double Capped(double value, const Capping& capping) {
  if (capping.lower && value < *capping.lower) return *capping.lower;
  if (capping.upper && value > *capping.upper) return *capping.upper;
  return value;
}

Result<Moments> MomentsOf(const MeanSums& sums, const char* field) {
  if (Status s = CheckCount(sums.n, 2, field); !s.ok()) return s;
  if (Status s = CheckFinite(sums.sum, Field(field, "sum")); !s.ok()) return s;
  if (Status s = CheckFinite(sums.sum_squares, Field(field, "sum_squares")); !s.ok()) return s;
  // Σx² >= (Σx)²/n always holds for real data (Cauchy–Schwarz); allow rounding, refuse the rest.
  if (sums.sum_squares < 0 || sums.sum_squares * sums.n < sums.sum * sums.sum * (1 - 1e-9)) {
    const std::string f = Field(field, "sum_squares");
    return Status::InvalidArgument(f + " is less than sum²/n: no data has these sums", f);
  }
  return Moments{sums.sum / sums.n, SampleVariance(sums.sum, sums.sum_squares, sums.n), sums.n};
}

Result<Moments> MomentsOf(const ProportionCounts& counts, const char* field) {
  if (Status s = CheckCount(counts.n, 1, field); !s.ok()) return s;
  const std::string f = Field(field, "successes");
  if (Status s = CheckFinite(counts.successes, f); !s.ok()) return s;
  if (counts.successes < 0 || counts.successes > counts.n ||
      counts.successes != std::floor(counts.successes)) {
    return Status::InvalidArgument(f + " must be a whole number from 0 to n", f);
  }
  const double p = counts.successes / counts.n;
  return Moments{p, p * (1 - p), counts.n};
}

Result<Moments> MomentsOf(const RatioSums& sums, const char* field) {
  if (Status s = CheckCount(sums.n, 2, field); !s.ok()) return s;
  for (auto [value, name] :
       {std::pair{sums.sum_a, "sum_a"}, std::pair{sums.sum_b, "sum_b"},
        std::pair{sums.sum_a_squares, "sum_a_squares"}, std::pair{sums.sum_b_squares, "sum_b_squares"},
        std::pair{sums.sum_ab, "sum_ab"}}) {
    if (Status s = CheckFinite(value, Field(field, name)); !s.ok()) return s;
  }
  if (sums.sum_b == 0) {
    const std::string f = Field(field, "sum_b");
    return Status::InvalidArgument(f + " is 0: the ratio is undefined", f);
  }
  const double n = sums.n;
  const double mean_a = sums.sum_a / n;
  const double mean_b = sums.sum_b / n;
  const double var_a = SampleVariance(sums.sum_a, sums.sum_a_squares, n);
  const double var_b = SampleVariance(sums.sum_b, sums.sum_b_squares, n);
  const double cov_ab = SampleCovariance(sums.sum_a, sums.sum_b, sums.sum_ab, n);
  const double ratio = mean_a / mean_b;
  // The delta method on f(ā, b̄) = ā/b̄: gradient (1/b̄, −ā/b̄²) around the covariance matrix.
  const double per_unit = var_a / (mean_b * mean_b) - 2 * ratio * cov_ab / (mean_b * mean_b) +
                          ratio * ratio * var_b / (mean_b * mean_b);
  return Moments{ratio, std::max(0.0, per_unit), n};
}

}  // namespace switchyard::stats
