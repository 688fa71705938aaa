#include "experiments/aggregate_json.h"

#include <array>

namespace switchyard::experiments {
namespace {

using nlohmann::json;

struct Field {
  const char* name;
  double MetricSums::*member;
};

constexpr std::array kFields{
    Field{"n", &MetricSums::n},
    Field{"sum", &MetricSums::sum},
    Field{"sum_squares", &MetricSums::sum_squares},
    Field{"denominator_sum", &MetricSums::denominator_sum},
    Field{"denominator_sum_squares", &MetricSums::denominator_sum_squares},
    Field{"cross_sum", &MetricSums::cross_sum},
    Field{"covariate_sum", &MetricSums::covariate_sum},
    Field{"covariate_sum_squares", &MetricSums::covariate_sum_squares},
    Field{"covariate_cross_sum", &MetricSums::covariate_cross_sum},
};

json MetricsMapToJson(const std::map<std::string, MetricSums>& metrics) {
  json out = json::object();
  for (const auto& [key, sums] : metrics) out[key] = MetricSumsToJson(sums);
  return out;
}

}  // namespace

json MetricSumsToJson(const MetricSums& sums) {
  json out = json::object();
  for (const Field& field : kFields) out[field.name] = sums.*field.member;
  if (sums.sketch) out["sketch"] = sums.sketch->ToJson();
  return out;
}

Result<MetricSums> MetricSumsFromJson(const json& in) {
  if (!in.is_object()) return Status::Corruption("stored metric sums are not a JSON object");
  MetricSums sums;
  for (const Field& field : kFields) {
    auto it = in.find(field.name);
    if (it == in.end() || !it->is_number())
      return Status::Corruption(std::string("stored metric sums lack a numeric ") + field.name);
    sums.*field.member = it->get<double>();
  }
  if (auto it = in.find("sketch"); it != in.end()) {
    auto sketch = stats::QuantileSketch::FromJson(*it);
    if (!sketch.ok()) return Status::Corruption("stored sketch: " + sketch.status().message());
    sums.sketch = std::move(*sketch);
  }
  return sums;
}

json ExperimentAggregateToJson(const ExperimentAggregate& aggregate) {
  json variants = json::array();
  for (const VariantAggregate& variant : aggregate.variants) {
    json hourly = json::array();
    for (const HourlyPoint& point : variant.hourly) {
      hourly.push_back({{"hour_start_ms", point.hour_start_ms},
                        {"exposures", point.exposures},
                        {"metrics", MetricsMapToJson(point.metrics)}});
    }
    variants.push_back({{"variant", variant.variant},
                        {"exposures", variant.exposures},
                        {"metrics", MetricsMapToJson(variant.metrics)},
                        {"hourly", std::move(hourly)}});
  }
  return {{"experiment_key", aggregate.experiment_key},
          {"multiple_exposure_users", aggregate.multiple_exposure_users},
          {"users_over_limit", aggregate.users_over_limit},
          {"first_exposure_ms", aggregate.first_exposure_ms},
          {"last_event_ms", aggregate.last_event_ms},
          {"variants", std::move(variants)}};
}

}  // namespace switchyard::experiments
