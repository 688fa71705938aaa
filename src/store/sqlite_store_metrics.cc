// SqliteStore: metric definitions (migration 4), stored as experiments::MetricToJson.
#include "experiments/metric_json.h"
#include "store/entity_json.h"
#include "store/metric_records.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr char kSelectMetric[] = "SELECT definition FROM metrics WHERE project_id = ?1 AND key = ?2";

Status RequireProject(Connection& connection, std::int64_t project_id) {
  Result<Statement> exists = connection.Prepare("SELECT 1 FROM projects WHERE id = ?1");
  if (!exists.ok()) return exists.status();
  Result<bool> found = exists->Bind(project_id).Step();
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : ProjectNotFound(project_id);
}

Result<experiments::MetricDefinition> LoadMetric(Connection& connection, std::int64_t project_id,
                                                 const std::string& key) {
  if (Status s = RequireProject(connection, project_id); !s.ok()) return s;
  Result<Statement> select = connection.Prepare(kSelectMetric);
  if (!select.ok()) return select.status();
  return sqlite::SingleRow<experiments::MetricDefinition>(
      select->Bind(project_id, key), [&](const Statement& row) { return StoredMetric(row.Text(0), key); },
      [&] { return MetricNotFound(key); });
}

}  // namespace

Result<experiments::MetricDefinition> SqliteStore::CreateMetric(std::int64_t project_id,
                                                                const experiments::MetricDefinition& metric,
                                                                const Actor& actor) {
  auto canonical = CanonicalMetric(metric);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<experiments::MetricDefinition> {
    const std::string now = NowTimestamp();
    const nlohmann::json stored = experiments::MetricToJson(*canonical);
    Result<Statement> insert = writer.Prepare(
        "INSERT INTO metrics (project_id, key, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
        "?4)");
    if (!insert.ok()) return insert.status();
    Status s = insert->Bind(project_id, canonical->key, DumpJson(stored), now).Run();
    if (s.code() == StatusCode::kAlreadyExists) return MetricExists(canonical->key);
    if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
    if (!s.ok()) return s;
    s = AppendAudit(writer, actor, {project_id, "metric.create", "metric", canonical->key, nullptr, stored});
    if (!s.ok()) return s;
    return *canonical;
  });
}

Result<experiments::MetricDefinition> SqliteStore::ReplaceMetric(std::int64_t project_id,
                                                                 const experiments::MetricDefinition& metric,
                                                                 const Actor& actor) {
  auto canonical = CanonicalMetric(metric);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<experiments::MetricDefinition> {
    auto before = LoadMetric(writer, project_id, canonical->key);
    if (!before.ok()) return before.status();
    const nlohmann::json stored = experiments::MetricToJson(*canonical);
    Result<Statement> update = writer.Prepare(
        "UPDATE metrics SET definition = ?3, updated_at = ?4 WHERE project_id = ?1 AND key = ?2");
    if (!update.ok()) return update.status();
    if (Status s = update->Bind(project_id, canonical->key, DumpJson(stored), NowTimestamp()).Run(); !s.ok())
      return s;
    Status s = AppendAudit(
        writer, actor,
        {project_id, "metric.update", "metric", canonical->key, experiments::MetricToJson(*before), stored});
    if (!s.ok()) return s;
    return *canonical;
  });
}

Status SqliteStore::DeleteMetric(std::int64_t project_id, const std::string& key, const Actor& actor) {
  return Write([&](Connection& writer) -> Status {
    auto before = LoadMetric(writer, project_id, key);
    if (!before.ok()) return before.status();
    Result<Statement> remove = writer.Prepare("DELETE FROM metrics WHERE project_id = ?1 AND key = ?2");
    if (!remove.ok()) return remove.status();
    if (Status s = remove->Bind(project_id, key).Run(); !s.ok()) return s;
    return AppendAudit(
        writer, actor,
        {project_id, "metric.delete", "metric", key, experiments::MetricToJson(*before), nullptr});
  });
}

Result<experiments::MetricDefinition> SqliteStore::GetMetric(std::int64_t project_id,
                                                             const std::string& key) {
  return Read([&](Connection& reader) { return LoadMetric(reader, project_id, key); });
}

Result<std::vector<experiments::MetricDefinition>> SqliteStore::ListMetrics(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<experiments::MetricDefinition>> {
    if (Status s = RequireProject(reader, project_id); !s.ok()) return s;
    Result<Statement> select =
        reader.Prepare("SELECT key, definition FROM metrics WHERE project_id = ?1 ORDER BY key");
    if (!select.ok()) return select.status();
    return sqlite::CollectRows<experiments::MetricDefinition>(
        select->Bind(project_id),
        [](const Statement& row) { return StoredMetric(row.Text(1), row.Text(0)); });
  });
}

}  // namespace switchyard::store
