// SqliteStore: experiments (their definition and state as one JSON document, experiment_json.h)
// and the project holdout.
#include <string>

#include "store/entity_json.h"
#include "store/experiment_records.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using experiments::Experiment;
using nlohmann::json;
using sqlite::Connection;
using sqlite::Statement;

constexpr char kExperimentColumns[] =
    "SELECT key, version, definition, created_at, updated_at, updated_by FROM experiments ";
constexpr char kInsertExperiment[] =
    "INSERT INTO experiments (project_id, key, version, status, flag_key, definition, created_at, updated_at,"
    " updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
// The same parameter layout as kInsertExperiment; ?7 (created_at) is bound but never changes.
constexpr char kUpdateExperiment[] =
    "UPDATE experiments SET version = ?3, status = ?4, flag_key = ?5, definition = ?6, updated_at = ?8,"
    " updated_by = ?9 WHERE project_id = ?1 AND key = ?2";
constexpr char kDeleteExperiment[] = "DELETE FROM experiments WHERE project_id = ?1 AND key = ?2";
constexpr char kProjectSlug[] = "SELECT slug FROM projects WHERE id = ?1";
constexpr char kSelectHoldout[] = "SELECT percent FROM experiment_holdouts WHERE project_id = ?1";
constexpr char kUpsertHoldout[] =
    "INSERT INTO experiment_holdouts (project_id, percent) VALUES (?1, ?2)"
    " ON CONFLICT (project_id) DO UPDATE SET percent = excluded.percent";

std::string ExperimentQuery(const char* where) {
  return std::string(kExperimentColumns) + where;
}

Result<ExperimentRecord> ReadExperimentRecord(const Statement& row, std::int64_t project_id) {
  const std::string what = "experiment '" + row.Text(0) + "' in project " + std::to_string(project_id);
  Result<json> definition = ParseStoredJson(row.TextView(2), what);
  if (!definition.ok()) return definition.status();
  Result<Experiment> experiment = ReadStoredExperiment(*definition, what);
  if (!experiment.ok()) return experiment.status();
  ExperimentRecord record{project_id, std::move(*experiment), row.Text(3), row.Text(4), row.Text(5)};
  record.experiment.version = row.Int64(1);
  return record;
}

Result<ExperimentRecord> LoadExperiment(Connection& connection, std::int64_t project_id,
                                        const std::string& key) {
  Result<Statement> query = connection.Prepare(ExperimentQuery("WHERE project_id = ?1 AND key = ?2"));
  if (!query.ok()) return query.status();
  return sqlite::SingleRow<ExperimentRecord>(
      query->Bind(project_id, key),
      [&](const Statement& row) { return ReadExperimentRecord(row, project_id); },
      [&] { return ExperimentNotFound(key); });
}

Status WriteExperimentRow(Connection& writer, const char* sql, const ExperimentRecord& record) {
  Result<Statement> statement = writer.Prepare(sql);
  if (!statement.ok()) return statement.status();
  const Experiment& e = record.experiment;
  return statement
      ->Bind(record.project_id, e.key, e.version, std::string(experiments::StatusName(e.status)), e.flag_key,
             DumpJson(ExperimentAuditJson(e)), record.created_at, record.updated_at, record.updated_by)
      .Run();
}

Result<std::string> ProjectSlug(Connection& connection, std::int64_t project_id) {
  Result<Statement> query = connection.Prepare(kProjectSlug);
  if (!query.ok()) return query.status();
  return sqlite::SingleRow<std::string>(
      query->Bind(project_id), [](const Statement& row) { return row.Text(0); },
      [&] { return ProjectNotFound(project_id); });
}

Result<double> LoadHoldout(Connection& connection, std::int64_t project_id) {
  Result<Statement> query = connection.Prepare(kSelectHoldout);
  if (!query.ok()) return query.status();
  Result<bool> row = query->Bind(project_id).Step();
  if (!row.ok()) return row.status();
  return *row ? query->Double(0) : 0.0;
}

}  // namespace

Result<ExperimentRecord> SqliteStore::CreateExperiment(std::int64_t project_id, const Experiment& input,
                                                       const Actor& actor) {
  Result<Experiment> canonical = CanonicalExperiment(input, 1);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<ExperimentRecord> {
    ExperimentRecord record{project_id, *canonical, NowTimestamp(), "", actor.name};
    record.updated_at = record.created_at;
    Status s = WriteExperimentRow(writer, kInsertExperiment, record);
    if (s.code() == StatusCode::kAlreadyExists) return ExperimentExists(input.key);
    if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
    if (!s.ok()) return s;
    s = AppendAudit(writer, actor,
                    {project_id, "experiment.create", "experiment", input.key, nullptr,
                     ExperimentAuditJson(record.experiment)});
    if (!s.ok()) return s;
    return record;
  });
}

Result<ExperimentRecord> SqliteStore::UpdateExperiment(std::int64_t project_id, const Experiment& input,
                                                       std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  Result<Experiment> canonical = CanonicalExperiment(input, expected_version + 1);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<ExperimentRecord> {
    Result<ExperimentRecord> current = LoadExperiment(writer, project_id, input.key);
    if (!current.ok()) return current.status();
    if (current->experiment.version != expected_version)
      return VersionConflict("experiment", input.key, current->experiment.version, expected_version);
    ExperimentRecord record{project_id, *canonical, current->created_at, NowTimestamp(), actor.name};
    if (Status s = WriteExperimentRow(writer, kUpdateExperiment, record); !s.ok()) return s;
    Status s = AppendAudit(
        writer, actor,
        {project_id, ExperimentUpdateAction(current->experiment, record.experiment), "experiment", input.key,
         ExperimentAuditJson(current->experiment), ExperimentAuditJson(record.experiment)});
    if (!s.ok()) return s;
    return record;
  });
}

Status SqliteStore::DeleteExperiment(std::int64_t project_id, const std::string& key,
                                     std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  return Write([&](Connection& writer) -> Status {
    Result<ExperimentRecord> current = LoadExperiment(writer, project_id, key);
    if (!current.ok()) return current.status();
    if (current->experiment.version != expected_version)
      return VersionConflict("experiment", key, current->experiment.version, expected_version);
    Result<Statement> remove = writer.Prepare(kDeleteExperiment);
    if (!remove.ok()) return remove.status();
    if (Status s = remove->Bind(project_id, key).Run(); !s.ok()) return s;
    return AppendAudit(writer, actor,
                       {project_id, "experiment.delete", "experiment", key,
                        ExperimentAuditJson(current->experiment), nullptr});
  });
}

Result<ExperimentRecord> SqliteStore::GetExperiment(std::int64_t project_id, const std::string& key) {
  return Read([&](Connection& reader) { return LoadExperiment(reader, project_id, key); });
}

Result<std::vector<ExperimentRecord>> SqliteStore::ListExperiments(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<ExperimentRecord>> {
    Result<Statement> query = reader.Prepare(ExperimentQuery("WHERE project_id = ?1 ORDER BY key"));
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<ExperimentRecord>(
        query->Bind(project_id), [&](const Statement& row) { return ReadExperimentRecord(row, project_id); });
  });
}

Result<double> SqliteStore::GetExperimentHoldout(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<double> {
    Result<std::string> slug = ProjectSlug(reader, project_id);
    if (!slug.ok()) return slug.status();
    return LoadHoldout(reader, project_id);
  });
}

Status SqliteStore::SetExperimentHoldout(std::int64_t project_id, double percent, const Actor& actor) {
  if (Status s = ValidateHoldoutPercent(percent); !s.ok()) return s;
  return Write([&](Connection& writer) -> Status {
    Result<std::string> slug = ProjectSlug(writer, project_id);
    if (!slug.ok()) return slug.status();
    Result<double> before = LoadHoldout(writer, project_id);
    if (!before.ok()) return before.status();
    Result<Statement> upsert = writer.Prepare(kUpsertHoldout);
    if (!upsert.ok()) return upsert.status();
    if (Status s = upsert->Bind(project_id, percent).Run(); !s.ok()) return s;
    return AppendAudit(writer, actor,
                       {project_id, "project.holdout", "project", *slug, HoldoutAuditJson(*before),
                        HoldoutAuditJson(percent)});
  });
}

}  // namespace switchyard::store
