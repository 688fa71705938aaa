// SqliteStore: flags and cohorts, the versioned definitions. Each is stored as its flag_json.h
// JSON (`definition`); flags also keep the columns that ListFlags filters on.
#include <string>

#include "store/entity_json.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"
#include "switchyard/flag_json.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using sqlite::Connection;
using sqlite::Statement;

constexpr char kSelectFlag[] =
    "SELECT key, version, definition, created_at, updated_at, updated_by FROM flags"
    " WHERE project_id = ?1 AND key = ?2";
// ?2 tag (exact membership), ?3 active in the environment whose targeting path is ?5 (absent
// targeting is off, and so is an archived flag), ?4 text, ?6 archived; a NULL parameter disables its filter.
// lower() and instr() fold ASCII only, exactly like the memory backend.
constexpr char kListFlags[] =
    "SELECT key, version, definition, created_at, updated_at, updated_by FROM flags WHERE project_id = ?1"
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(flags.tags) WHERE json_each.value = ?2))"
    " AND (?3 IS NULL OR (coalesce(json_extract(definition, ?5), 0)"
    "                     AND NOT coalesce(json_extract(definition, '$.archived'), 0)) = ?3)"
    " AND (?4 IS NULL OR instr(lower(key), lower(?4)) > 0 OR instr(lower(name), lower(?4)) > 0"
    "      OR instr(lower(description), lower(?4)) > 0)"
    " AND (?6 IS NULL OR coalesce(json_extract(definition, '$.archived'), 0) = ?6)"
    " ORDER BY key";
constexpr char kInsertFlag[] =
    "INSERT INTO flags (project_id, key, version, name, description, tags, definition, created_at,"
    " updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
// The same parameter layout as kInsertFlag; ?8 (created_at) is bound but never changes.
constexpr char kUpdateFlag[] =
    "UPDATE flags SET version = ?3, name = ?4, description = ?5, tags = ?6, definition = ?7,"
    " updated_at = ?9, updated_by = ?10 WHERE project_id = ?1 AND key = ?2";
constexpr char kFlagForChange[] =
    "SELECT version, definition, created_at FROM flags WHERE project_id = ?1 AND key = ?2";
constexpr char kDeleteFlag[] = "DELETE FROM flags WHERE project_id = ?1 AND key = ?2";
// A flag created later under the same key starts with no evaluation history (the stale report
// would otherwise count the old flag's evaluations for it).
constexpr char kDeleteFlagEvaluations[] =
    "DELETE FROM flag_evaluations WHERE flag_key = ?2"
    " AND environment_id IN (SELECT id FROM environments WHERE project_id = ?1)";

constexpr char kSelectCohort[] =
    "SELECT id, version, definition, created_at, updated_at FROM cohorts WHERE project_id = ?1 AND id = ?2";
constexpr char kListCohorts[] =
    "SELECT id, version, definition, created_at, updated_at FROM cohorts WHERE project_id = ?1 ORDER BY id";
constexpr char kInsertCohort[] =
    "INSERT INTO cohorts (project_id, id, version, definition, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kUpdateCohort[] =
    "UPDATE cohorts SET version = ?3, definition = ?4, updated_at = ?5 WHERE project_id = ?1 AND id = ?2";
constexpr char kCohortForChange[] =
    "SELECT version, definition, created_at FROM cohorts WHERE project_id = ?1 AND id = ?2";
constexpr char kDeleteCohort[] = "DELETE FROM cohorts WHERE project_id = ?1 AND id = ?2";

Result<FlagRecord> ReadFlagRecord(const Statement& row, std::int64_t project_id) {
  const std::string key = row.Text(0);
  const std::string what = "flag '" + key + "' in project " + std::to_string(project_id);
  Result<json> definition = ParseStoredJson(row.TextView(2), what);
  if (!definition.ok()) return definition.status();
  FlagRecord record;
  record.project_id = project_id;
  if (Status s = ReadStoredFlag(*definition, what, &record); !s.ok()) return s;
  record.flag.version = row.Int64(1);
  record.created_at = row.Text(3);
  record.updated_at = row.Text(4);
  record.updated_by = row.Text(5);
  return record;
}

Result<CohortRecord> ReadCohortRecord(const Statement& row, std::int64_t project_id) {
  const std::string id = row.Text(0);
  Result<json> definition = ParseStoredJson(row.TextView(2), "cohort '" + id + "'");
  if (!definition.ok()) return definition.status();
  Result<Cohort> cohort = CohortFromJson(*definition);
  if (!cohort.ok()) {
    return Status::Corruption("stored cohort '" + id + "' in project " + std::to_string(project_id) +
                              " cannot be read: " + cohort.status().ToString());
  }
  return CohortRecord{project_id, std::move(*cohort), row.Int64(1), row.Text(3), row.Text(4)};
}

// The current state of a definition about to change, read inside the write transaction.
struct CurrentRow {
  std::int64_t version = 0;
  std::string definition;
  std::string created_at;
};

template <typename Missing>
Result<CurrentRow> LoadForChange(Connection& writer, const char* sql, std::int64_t project_id,
                                 const std::string& key, Missing missing) {
  Result<Statement> query = writer.Prepare(sql);
  if (!query.ok()) return query.status();
  return sqlite::SingleRow<CurrentRow>(
      query->Bind(project_id, key),
      [](const Statement& row) {
        return CurrentRow{row.Int64(0), row.Text(1), row.Text(2)};
      },
      missing);
}

// Runs kInsertFlag or kUpdateFlag with every column of `record` bound.
Status WriteFlagRow(Connection& writer, const char* sql, const FlagRecord& record) {
  Result<Statement> statement = writer.Prepare(sql);
  if (!statement.ok()) return statement.status();
  const Flag& flag = record.flag;
  return statement
      ->Bind(record.project_id, flag.key, flag.version, flag.name, flag.description,
             DumpJson(json(flag.tags)), DumpJson(FlagAuditJson(record)), record.created_at, record.updated_at,
             record.updated_by)
      .Run();
}

}  // namespace

// --- Flags -----------------------------------------------------------------------------------

Result<FlagRecord> SqliteStore::InsertFlag(Connection& writer, std::int64_t project_id,
                                           const FlagRecord& input, const Actor& actor) {
  const Flag& flag = input.flag;
  Result<std::vector<std::string>> environments = EnvironmentKeys(writer, project_id);
  if (!environments.ok()) return environments.status();
  if (environments->empty()) return ProjectNotFound(project_id);  // every project has environments
  Result<FlagRecord> canonical = CanonicalFlagRecord(input, 1, *environments);
  if (!canonical.ok()) return canonical.status();
  FlagRecord record = std::move(*canonical);
  record.project_id = project_id;
  record.created_at = record.updated_at = NowTimestamp();
  record.updated_by = actor.name;
  Status s = WriteFlagRow(writer, kInsertFlag, record);
  if (s.code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists("flag '" + flag.key + "' exists", "key");
  if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
  if (!s.ok()) return s;
  s = AppendAudit(writer, actor,
                  {project_id, "flag.create", "flag", flag.key, nullptr, FlagAuditJson(record)});
  if (!s.ok()) return s;
  return record;
}

Result<FlagRecord> SqliteStore::ReplaceFlag(Connection& writer, std::int64_t project_id,
                                            const FlagRecord& input, std::int64_t expected_version,
                                            const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  const Flag& flag = input.flag;
  Result<std::vector<std::string>> environments = EnvironmentKeys(writer, project_id);
  if (!environments.ok()) return environments.status();
  Result<FlagRecord> canonical = CanonicalFlagRecord(input, expected_version + 1, *environments);
  if (!canonical.ok()) return canonical.status();
  Result<CurrentRow> current =
      LoadForChange(writer, kFlagForChange, project_id, flag.key, [&] { return FlagNotFound(flag.key); });
  if (!current.ok()) return current.status();
  if (current->version != expected_version) {
    return VersionConflict("flag", flag.key, current->version, expected_version);
  }
  Result<json> before = ParseStoredJson(current->definition, "flag '" + flag.key + "'");
  if (!before.ok()) return before.status();
  FlagRecord record = std::move(*canonical);
  record.project_id = project_id;
  record.created_at = current->created_at;
  record.updated_at = NowTimestamp();
  record.updated_by = actor.name;
  if (Status s = WriteFlagRow(writer, kUpdateFlag, record); !s.ok()) return s;
  const bool was_archived = before->is_object() && before->value("archived", json()) == json(true);
  const std::string action = FlagUpdateAction(was_archived, record.archived);
  Status s = AppendAudit(writer, actor,
                         {project_id, action, "flag", flag.key, std::move(*before), FlagAuditJson(record)});
  if (!s.ok()) return s;
  return record;
}

Result<FlagRecord> SqliteStore::RemoveFlag(Connection& writer, std::int64_t project_id,
                                           const std::string& key, std::int64_t expected_version,
                                           const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  Result<CurrentRow> current =
      LoadForChange(writer, kFlagForChange, project_id, key, [&] { return FlagNotFound(key); });
  if (!current.ok()) return current.status();
  if (current->version != expected_version)
    return VersionConflict("flag", key, current->version, expected_version);
  Result<json> before = ParseStoredJson(current->definition, "flag '" + key + "'");
  if (!before.ok()) return before.status();
  FlagRecord deleted;
  deleted.project_id = project_id;
  if (Status s = ReadStoredFlag(*before, "flag '" + key + "'", &deleted); !s.ok()) return s;
  deleted.flag.version = current->version;
  Result<Statement> remove = writer.Prepare(kDeleteFlag);
  if (!remove.ok()) return remove.status();
  if (Status s = remove->Bind(project_id, key).Run(); !s.ok()) return s;
  Result<Statement> forget = writer.Prepare(kDeleteFlagEvaluations);
  if (!forget.ok()) return forget.status();
  if (Status s = forget->Bind(project_id, key).Run(); !s.ok()) return s;
  Status s =
      AppendAudit(writer, actor, {project_id, "flag.delete", "flag", key, std::move(*before), nullptr});
  if (!s.ok()) return s;
  return deleted;
}

Result<FlagRecord> SqliteStore::CreateFlag(std::int64_t project_id, const FlagRecord& input,
                                           const Actor& actor) {
  return Write([&](Connection& writer) { return InsertFlag(writer, project_id, input, actor); });
}

Result<FlagRecord> SqliteStore::UpdateFlag(std::int64_t project_id, const FlagRecord& input,
                                           std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  return Write(
      [&](Connection& writer) { return ReplaceFlag(writer, project_id, input, expected_version, actor); });
}

Status SqliteStore::DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                               const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  return Write([&](Connection& writer) -> Status {
    return RemoveFlag(writer, project_id, key, expected_version, actor).status();
  });
}

Result<std::vector<FlagRecord>> SqliteStore::ApplyFlags(std::int64_t project_id,
                                                        const std::vector<FlagWrite>& writes,
                                                        const Actor& actor) {
  // Write() commits only when every step succeeded: the first failure rolls all of them back.
  return Write([&](Connection& writer) -> Result<std::vector<FlagRecord>> {
    std::vector<FlagRecord> out;
    for (const FlagWrite& write : writes) {
      const Actor step_actor(actor.name, write.environment);
      Result<FlagRecord> result =
          write.kind == FlagWrite::Kind::kCreate ? InsertFlag(writer, project_id, write.record, step_actor)
          : write.kind == FlagWrite::Kind::kUpdate
              ? ReplaceFlag(writer, project_id, write.record, write.expected_version, step_actor)
              : RemoveFlag(writer, project_id, write.key, write.expected_version, step_actor);
      if (!result.ok()) return result.status();
      out.push_back(std::move(*result));
    }
    return out;
  });
}

Result<FlagRecord> SqliteStore::GetFlag(std::int64_t project_id, const std::string& key) {
  return Read([&](Connection& reader) -> Result<FlagRecord> {
    Result<Statement> query = reader.Prepare(kSelectFlag);
    if (!query.ok()) return query.status();
    return sqlite::SingleRow<FlagRecord>(
        query->Bind(project_id, key), [&](const Statement& row) { return ReadFlagRecord(row, project_id); },
        [&] { return FlagNotFound(key); });
  });
}

Result<std::vector<FlagRecord>> SqliteStore::ListFlags(std::int64_t project_id, const FlagQuery& query) {
  return Read([&](Connection& reader) -> Result<std::vector<FlagRecord>> {
    Result<Statement> select = reader.Prepare(kListFlags);
    if (!select.ok()) return select.status();
    select->Bind(project_id, query.tag, query.active, query.text,
                 "$.environments.\"" + query.environment + "\".active", query.archived);
    return sqlite::CollectRows<FlagRecord>(
        *select, [&](const Statement& row) { return ReadFlagRecord(row, project_id); });
  });
}

// --- Cohorts ---------------------------------------------------------------------------------

Result<CohortRecord> SqliteStore::CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                               const Actor& actor) {
  Result<Cohort> canonical = CanonicalCohort(cohort);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<CohortRecord> {
    const std::string now = NowTimestamp();
    CohortRecord record{project_id, std::move(*canonical), 1, now, now};
    Result<Statement> insert = writer.Prepare(kInsertCohort);
    if (!insert.ok()) return insert.status();
    Status s =
        insert->Bind(project_id, cohort.id, record.version, DumpJson(CohortToJson(record.cohort)), now, now)
            .Run();
    if (s.code() == StatusCode::kAlreadyExists)
      return Status::AlreadyExists("cohort '" + cohort.id + "' exists", "id");
    if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
    if (!s.ok()) return s;
    s = AppendAudit(
        writer, actor,
        {project_id, "cohort.create", "cohort", cohort.id, nullptr, CohortAuditJson(record.cohort, 1)});
    if (!s.ok()) return s;
    return record;
  });
}

Result<CohortRecord> SqliteStore::UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                               std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  Result<Cohort> canonical = CanonicalCohort(cohort);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<CohortRecord> {
    Result<CurrentRow> current = LoadForChange(writer, kCohortForChange, project_id, cohort.id,
                                               [&] { return CohortNotFound(cohort.id); });
    if (!current.ok()) return current.status();
    if (current->version != expected_version) {
      return VersionConflict("cohort", cohort.id, current->version, expected_version);
    }
    Result<json> before = ParseStoredJson(current->definition, "cohort '" + cohort.id + "'");
    if (!before.ok()) return before.status();
    (*before)["version"] = current->version;
    CohortRecord record{project_id, std::move(*canonical), current->version + 1, current->created_at,
                        NowTimestamp()};
    Result<Statement> update = writer.Prepare(kUpdateCohort);
    if (!update.ok()) return update.status();
    const std::string definition = DumpJson(CohortToJson(record.cohort));
    if (Status s = update->Bind(project_id, cohort.id, record.version, definition, record.updated_at).Run();
        !s.ok()) {
      return s;
    }
    Status s = AppendAudit(writer, actor,
                           {project_id, "cohort.update", "cohort", cohort.id, std::move(*before),
                            CohortAuditJson(record.cohort, record.version)});
    if (!s.ok()) return s;
    return record;
  });
}

Status SqliteStore::DeleteCohort(std::int64_t project_id, const std::string& id,
                                 std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  return Write([&](Connection& writer) -> Status {
    Result<CurrentRow> current =
        LoadForChange(writer, kCohortForChange, project_id, id, [&] { return CohortNotFound(id); });
    if (!current.ok()) return current.status();
    if (current->version != expected_version)
      return VersionConflict("cohort", id, current->version, expected_version);
    Result<json> before = ParseStoredJson(current->definition, "cohort '" + id + "'");
    if (!before.ok()) return before.status();
    (*before)["version"] = current->version;
    Result<Statement> remove = writer.Prepare(kDeleteCohort);
    if (!remove.ok()) return remove.status();
    if (Status s = remove->Bind(project_id, id).Run(); !s.ok()) return s;
    return AppendAudit(writer, actor,
                       {project_id, "cohort.delete", "cohort", id, std::move(*before), nullptr});
  });
}

Result<CohortRecord> SqliteStore::GetCohort(std::int64_t project_id, const std::string& id) {
  return Read([&](Connection& reader) -> Result<CohortRecord> {
    Result<Statement> query = reader.Prepare(kSelectCohort);
    if (!query.ok()) return query.status();
    return sqlite::SingleRow<CohortRecord>(
        query->Bind(project_id, id), [&](const Statement& row) { return ReadCohortRecord(row, project_id); },
        [&] { return CohortNotFound(id); });
  });
}

Result<std::vector<CohortRecord>> SqliteStore::ListCohorts(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<CohortRecord>> {
    Result<Statement> select = reader.Prepare(kListCohorts);
    if (!select.ok()) return select.status();
    return sqlite::CollectRows<CohortRecord>(
        select->Bind(project_id), [&](const Statement& row) { return ReadCohortRecord(row, project_id); });
  });
}

}  // namespace switchyard::store
