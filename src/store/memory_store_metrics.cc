// MemoryStore: metric definitions.
#include "experiments/metric_json.h"
#include "store/memory_store.h"
#include "store/metric_records.h"
#include "store/store_validation.h"

namespace switchyard::store {

Result<experiments::MetricDefinition> MemoryStore::CreateMetric(std::int64_t project_id,
                                                                const experiments::MetricDefinition& metric,
                                                                const Actor& actor) {
  auto canonical = CanonicalMetric(metric);
  if (!canonical.ok()) return canonical.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  if (state->metrics.contains(metric.key)) return MetricExists(metric.key);
  state->metrics[metric.key] = *canonical;
  AppendAudit(project_id, actor, "metric.create", "metric", metric.key, nullptr,
              experiments::MetricToJson(*canonical));
  return canonical;
}

Result<experiments::MetricDefinition> MemoryStore::ReplaceMetric(std::int64_t project_id,
                                                                 const experiments::MetricDefinition& metric,
                                                                 const Actor& actor) {
  auto canonical = CanonicalMetric(metric);
  if (!canonical.ok()) return canonical.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->metrics.find(metric.key);
  if (it == state->metrics.end()) return MetricNotFound(metric.key);
  nlohmann::json before = experiments::MetricToJson(it->second);
  it->second = *canonical;
  AppendAudit(project_id, actor, "metric.update", "metric", metric.key, std::move(before),
              experiments::MetricToJson(*canonical));
  return canonical;
}

Status MemoryStore::DeleteMetric(std::int64_t project_id, const std::string& key, const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->metrics.find(key);
  if (it == state->metrics.end()) return MetricNotFound(key);
  nlohmann::json before = experiments::MetricToJson(it->second);
  state->metrics.erase(it);
  AppendAudit(project_id, actor, "metric.delete", "metric", key, std::move(before), nullptr);
  return Status::Ok();
}

Result<experiments::MetricDefinition> MemoryStore::GetMetric(std::int64_t project_id,
                                                             const std::string& key) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->metrics.find(key);
  if (it == state->metrics.end()) return MetricNotFound(key);
  return it->second;
}

Result<std::vector<experiments::MetricDefinition>> MemoryStore::ListMetrics(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  std::vector<experiments::MetricDefinition> out;
  for (const auto& [key, metric] : state->metrics) out.push_back(metric);
  return out;
}

}  // namespace switchyard::store
