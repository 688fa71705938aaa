// SqliteStore: a project's environments. The flags' per-environment targeting lives inside each
// flag's definition (see sqlite_migrations.cc), so adding an environment writes no flag unless it
// copies another environment's targeting.
#include <string>

#include "store/entity_json.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr char kEnvironmentColumns[] = "id, project_id, key, name, created_at";

Environment ReadEnvironment(const Statement& row) {
  return Environment{row.Int64(0), row.Int64(1), row.Text(2), row.Text(3), row.Text(4)};
}

// A JSON path to one environment's targeting; keys are slugs, so quoting them is enough.
std::string TargetingPath(const std::string& key) {
  return "$.environments.\"" + key + "\"";
}

}  // namespace

Result<Environment> SqliteStore::InsertEnvironment(Connection& writer, std::int64_t project_id,
                                                   const std::string& key, const std::string& name,
                                                   const Actor& actor, bool audited) {
  Result<Statement> insert =
      writer.Prepare("INSERT INTO environments (project_id, key, name, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  Environment environment{0, project_id, key, name, NowTimestamp()};
  Status s = insert->Bind(project_id, key, name, environment.created_at).Run();
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("environment '" + key + "' exists", "key");
  }
  if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
  if (!s.ok()) return s;
  environment.id = writer.LastInsertId();
  if (!audited) return environment;
  if (Status audit = AppendAudit(
          writer, actor,
          {project_id, "environment.create", "environment", key, nullptr, EnvironmentAuditJson(environment)});
      !audit.ok()) {
    return audit;
  }
  return environment;
}

Result<std::vector<std::string>> SqliteStore::EnvironmentKeys(Connection& connection,
                                                              std::int64_t project_id) {
  Result<Statement> query =
      connection.Prepare("SELECT key FROM environments WHERE project_id = ?1 ORDER BY id");
  if (!query.ok()) return query.status();
  return sqlite::CollectRows<std::string>(
      query->Bind(project_id), [](const Statement& row) -> Result<std::string> { return row.Text(0); });
}

Result<Environment> SqliteStore::CreateEnvironment(std::int64_t project_id, const std::string& key,
                                                   const std::string& name,
                                                   const std::optional<std::string>& copy_from,
                                                   const Actor& actor) {
  if (Status s = ValidateEnvironmentKey(key); !s.ok()) return s;
  return Write([&](Connection& writer) -> Result<Environment> {
    if (copy_from) {
      Result<std::vector<std::string>> keys = EnvironmentKeys(writer, project_id);
      if (!keys.ok()) return keys.status();
      if (std::find(keys->begin(), keys->end(), *copy_from) == keys->end()) {
        return Status::NotFound("no environment '" + *copy_from + "' to copy from", "copy_from");
      }
    }
    Result<Environment> environment =
        InsertEnvironment(writer, project_id, key, name, actor, /*audited=*/true);
    if (!environment.ok() || !copy_from) return environment;
    Result<Statement> copy = writer.Prepare(
        "UPDATE flags SET definition = json_set(definition, ?2, json(json_extract(definition, ?3)))"
        " WHERE project_id = ?1 AND json_extract(definition, ?3) IS NOT NULL");
    if (!copy.ok()) return copy.status();
    if (Status s = copy->Bind(project_id, TargetingPath(key), TargetingPath(*copy_from)).Run(); !s.ok())
      return s;
    return environment;
  });
}

Result<std::vector<Environment>> SqliteStore::ListEnvironments(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<Environment>> {
    Result<Statement> query = reader.Prepare(std::string("SELECT ") + kEnvironmentColumns +
                                             " FROM environments WHERE project_id = ?1 ORDER BY id");
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<Environment>(query->Bind(project_id), ReadEnvironment);
  });
}

Result<std::vector<Environment>> SqliteStore::ListAllEnvironments() {
  return Read([&](Connection& reader) -> Result<std::vector<Environment>> {
    Result<Statement> query =
        reader.Prepare(std::string("SELECT ") + kEnvironmentColumns + " FROM environments ORDER BY id");
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<Environment>(*query, ReadEnvironment);
  });
}

}  // namespace switchyard::store
