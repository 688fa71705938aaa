#include "server/stats_request.h"

#include <cmath>
#include <string>

#include "core/json_fields.h"
#include "core/known_fields.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

Status RequiredNumber(const json& object, const char* name, const std::string& parent, double* out) {
  std::optional<double> value;
  if (Status s = core::ReadNumber(object, name, parent, &value); !s.ok()) return s;
  if (!value) return core::Invalid(core::FieldPath(parent, name), "is required");
  *out = *value;
  return Status::Ok();
}

enum class SampleKind { kMean, kProportion };

struct SampleVariant {
  SampleKind kind = SampleKind::kMean;
  stats::Moments moments;
};

Result<SampleVariant> ReadSampleVariant(const json& body, const char* name) {
  const json* object = core::Member(body, name);
  if (object == nullptr) return core::Invalid(name, "is required: {sum, sum_squares, n} or {successes, n}");
  if (Status s = core::ExpectObject(*object, name); !s.ok()) return s;
  if (Status s = core::CheckFields(*object, name, core::kStatsVariantFields); !s.ok()) return s;
  SampleVariant variant;
  Result<stats::Moments> moments = Status::Internal("unread");
  if (core::Member(*object, "successes") != nullptr) {
    for (const char* mean_field : {"sum", "sum_squares"}) {
      if (core::Member(*object, mean_field) != nullptr) {
        return core::Invalid(
            core::FieldPath(name, mean_field),
            "cannot go with successes: a variant is {sum, sum_squares, n} or {successes, n}");
      }
    }
    stats::ProportionCounts counts;
    if (Status s = RequiredNumber(*object, "successes", name, &counts.successes); !s.ok()) return s;
    if (Status s = RequiredNumber(*object, "n", name, &counts.n); !s.ok()) return s;
    variant.kind = SampleKind::kProportion;
    moments = stats::MomentsOf(counts, name);
  } else {
    stats::MeanSums sums;
    if (Status s = RequiredNumber(*object, "sum", name, &sums.sum); !s.ok()) return s;
    if (Status s = RequiredNumber(*object, "sum_squares", name, &sums.sum_squares); !s.ok()) return s;
    if (Status s = RequiredNumber(*object, "n", name, &sums.n); !s.ok()) return s;
    moments = stats::MomentsOf(sums, name);
  }
  if (!moments.ok()) return moments.status();
  variant.moments = *moments;
  return variant;
}

Status ReadMethod(const json& body, stats::CompareOptions* options) {
  std::optional<std::string> method;
  if (Status s = core::ReadString(body, "method", "", &method); !s.ok()) return s;
  if (!method || *method == "sequential") {
    options->method = stats::Method::kSequential;
  } else if (*method == "frequentist") {
    options->method = stats::Method::kFrequentist;
  } else if (*method == "bayesian") {
    options->method = stats::Method::kBayesian;
  } else {
    return core::Invalid("method", "must be \"sequential\" (the default), \"frequentist\" or \"bayesian\"");
  }
  std::optional<std::string> difference;
  if (Status s = core::ReadString(body, "difference", "", &difference); !s.ok()) return s;
  if (!difference || *difference == "relative") {
    options->difference = stats::Difference::kRelative;
  } else if (*difference == "absolute") {
    options->difference = stats::Difference::kAbsolute;
  } else {
    return core::Invalid("difference", "must be \"relative\" (the default) or \"absolute\"");
  }
  return Status::Ok();
}

Status ReadOptions(const json& body, stats::CompareOptions* options) {
  if (Status s = ReadMethod(body, options); !s.ok()) return s;
  std::optional<double> alpha;
  if (Status s = core::ReadNumber(body, "alpha", "", &alpha); !s.ok()) return s;
  if (alpha) options->alpha = *alpha;
  std::optional<double> tuning;
  if (Status s = core::ReadNumber(body, "tuning", "", &tuning); !s.ok()) return s;
  if (tuning) {
    if (options->method != stats::Method::kSequential) {
      return core::Invalid("tuning", "applies to the sequential method only");
    }
    options->tuning = *tuning;
  }
  if (const json* prior = core::Member(body, "prior")) {
    if (options->method != stats::Method::kBayesian)
      return core::Invalid("prior", "applies to the bayesian method only");
    if (Status s = core::ExpectObject(*prior, "prior"); !s.ok()) return s;
    if (Status s = core::CheckFields(*prior, "prior", core::kStatsPriorFields); !s.ok()) return s;
    stats::GaussianPrior gaussian;
    if (Status s = RequiredNumber(*prior, "mean", "prior", &gaussian.mean); !s.ok()) return s;
    if (Status s = RequiredNumber(*prior, "variance", "prior", &gaussian.variance); !s.ok()) return s;
    options->prior = gaussian;
  }
  return Status::Ok();
}

Result<std::vector<double>> ReadNumbers(const json& body, const char* name) {
  const json* array = core::Member(body, name);
  if (array == nullptr) return core::Invalid(name, "is required: an array of numbers");
  if (Status s = core::ExpectArray(*array, name); !s.ok()) return s;
  // An experiment has a handful of variants; a longer list is a mistake or an attack on an inline
  // route, refused before any work.
  constexpr std::size_t kMaxVariants = 100;
  if (array->size() > kMaxVariants) {
    return core::Invalid(name, "has more than " + std::to_string(kMaxVariants) + " variants");
  }
  std::vector<double> numbers;
  numbers.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (!(*array)[i].is_number()) return core::Invalid(core::IndexPath(name, i), "must be a number");
    numbers.push_back((*array)[i].get<double>());
  }
  return numbers;
}

}  // namespace

Result<CompareRequest> ParseCompareRequest(const json& body) {
  if (Status s = core::CheckFields(body, "", core::kStatsCompareFields); !s.ok()) return s;
  CompareRequest request;
  if (Status s = ReadOptions(body, &request.options); !s.ok()) return s;
  Result<SampleVariant> control = ReadSampleVariant(body, "control");
  if (!control.ok()) return control.status();
  Result<SampleVariant> treatment = ReadSampleVariant(body, "treatment");
  if (!treatment.ok()) return treatment.status();
  if (control->kind != treatment->kind) {
    return core::Invalid("treatment",
                         "must be the same kind of metric as control (both means or both proportions)");
  }
  request.control = control->moments;
  request.treatment = treatment->moments;
  return request;
}

Result<SrmRequest> ParseSrmRequest(const json& body) {
  if (Status s = core::CheckFields(body, "", core::kStatsSrmFields); !s.ok()) return s;
  SrmRequest request;
  Result<std::vector<double>> counts = ReadNumbers(body, "counts");
  if (!counts.ok()) return counts.status();
  Result<std::vector<double>> weights = ReadNumbers(body, "weights");
  if (!weights.ok()) return weights.status();
  request.counts = std::move(*counts);
  request.weights = std::move(*weights);
  return request;
}

Result<SampleSizeRequest> ParseSampleSizeRequest(const json& body) {
  if (Status s = core::CheckFields(body, "", core::kStatsSampleSizeFields); !s.ok()) return s;
  SampleSizeRequest request;
  stats::PowerInputs& in = request.inputs;
  std::optional<std::string> metric;
  if (Status s = core::ReadString(body, "metric", "", &metric); !s.ok()) return s;
  if (!metric || *metric == "proportion") {
    in.metric = stats::PowerInputs::Metric::kProportion;
  } else if (*metric == "mean") {
    in.metric = stats::PowerInputs::Metric::kMean;
  } else {
    return core::Invalid("metric", "must be \"proportion\" (the default) or \"mean\"");
  }
  if (Status s = RequiredNumber(body, "baseline", "", &in.baseline); !s.ok()) return s;
  if (Status s = RequiredNumber(body, "relative_mde", "", &in.relative_mde); !s.ok()) return s;
  const bool has_sd = core::Member(body, "standard_deviation") != nullptr;
  if (in.metric == stats::PowerInputs::Metric::kMean) {
    if (Status s = RequiredNumber(body, "standard_deviation", "", &in.standard_deviation); !s.ok()) return s;
  } else if (has_sd) {
    return core::Invalid("standard_deviation", "applies to mean metrics only (a rate's follows from it)");
  }
  std::optional<double> number;
  if (Status s = core::ReadNumber(body, "alpha", "", &number); !s.ok()) return s;
  if (number) in.alpha = *number;
  number.reset();
  if (Status s = core::ReadNumber(body, "power", "", &number); !s.ok()) return s;
  if (number) in.power = *number;
  number.reset();
  if (Status s = core::ReadNumber(body, "variants", "", &number); !s.ok()) return s;
  if (number) {
    // The same bound as SRM's counts: an experiment has a handful of variants.
    if (!(*number >= 2 && *number <= 100) || *number != std::floor(*number)) {
      return core::Invalid("variants", "must be a whole number from 2 to 100 (control included)");
    }
    in.variants = static_cast<int>(*number);
  }
  number.reset();
  if (Status s = core::ReadNumber(body, "daily_traffic", "", &number); !s.ok()) return s;
  if (number) {
    if (!(*number > 0) || !std::isfinite(*number)) {
      return core::Invalid("daily_traffic", "must be a positive number of users per day");
    }
    request.daily_traffic = *number;
  }
  return request;
}

}  // namespace switchyard::server
