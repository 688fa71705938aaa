// The statistics calculator's request bodies, read strictly: unknown fields, wrong types and
// inputs the engine cannot use are InvalidArgument naming the field (a 422).
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/stats.h"

namespace switchyard::server {

struct CompareRequest {
  stats::Moments control;
  stats::Moments treatment;
  stats::CompareOptions options;
};

// {"control": V, "treatment": V, "method"?, "difference"?, "alpha"?, "tuning"?, "prior"?} where V
// is {sum, sum_squares, n} or {successes, n}, the same kind for both. `tuning` only with the
// sequential method, `prior` ({mean, variance}) only with the Bayesian one.
Result<CompareRequest> ParseCompareRequest(const nlohmann::json& body);

struct SrmRequest {
  std::vector<double> counts;
  std::vector<double> weights;
};

// {"counts": [n...], "weights": [w...]}, the same length.
Result<SrmRequest> ParseSrmRequest(const nlohmann::json& body);

struct SampleSizeRequest {
  stats::PowerInputs inputs;
  std::optional<double> daily_traffic;  // users entering the experiment per day, all variants
};

// {"baseline", "relative_mde", "metric"?: "proportion" (default) | "mean", "standard_deviation"
// (mean only, required there), "alpha"?, "power"?, "variants"? (2-100), "daily_traffic"? (> 0)}.
Result<SampleSizeRequest> ParseSampleSizeRequest(const nlohmann::json& body);

}  // namespace switchyard::server
