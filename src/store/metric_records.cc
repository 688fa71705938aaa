#include "store/metric_records.h"

#include "experiments/metric_json.h"

namespace switchyard::store {

Result<experiments::MetricDefinition> CanonicalMetric(const experiments::MetricDefinition& metric) {
  if (Status s = experiments::ValidateMetric(metric); !s.ok()) return s;
  experiments::MetricDefinition canonical = metric;
  canonical.builtin = false;
  if (canonical.name.empty()) canonical.name = canonical.key;
  return canonical;
}

Status MetricNotFound(const std::string& key) {
  return Status::NotFound("metric '" + key + "' not found", "key");
}

Status MetricExists(const std::string& key) {
  return Status::AlreadyExists("metric '" + key + "' exists", "key");
}

Result<experiments::MetricDefinition> StoredMetric(const std::string& text, const std::string& key) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto metric = experiments::MetricFromJson(parsed);
  if (!metric.ok()) return Status::Corruption("stored metric '" + key + "': " + metric.status().message());
  metric->builtin = false;
  return metric;
}

}  // namespace switchyard::store
