#include "store/sqlite_migrations.h"

#include <array>
#include <string>

#include "store/timestamp.h"

namespace switchyard::store::sqlite {
namespace {

// Owned data (api keys, flags, cohorts, persons) is deleted with its project (CASCADE); the audit
// log is not (RESTRICT): no API deletes projects yet, and when one does it must decide explicitly
// what happens to the history instead of losing it as a side effect.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL CHECK (scope IN ('admin', 'project')),
  project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  hash_hex TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  CHECK ((scope = 'project') = (project_id IS NOT NULL))
);
CREATE INDEX api_keys_by_project ON api_keys(project_id);
CREATE TABLE flags (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  active INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  tags TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;
CREATE TABLE cohorts (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
) WITHOUT ROWID;
CREATE TABLE persons (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  distinct_id TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (project_id, distinct_id)
) WITHOUT ROWID;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER REFERENCES projects(id) ON DELETE RESTRICT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  "before" TEXT,
  "after" TEXT
);
CREATE INDEX audit_log_by_project ON audit_log(project_id, id);
CREATE INDEX audit_log_by_entity ON audit_log(entity_type, entity_key, id);
)sql";

// Environments. Every existing project gets development, staging and production (inserted in that
// order, so ids follow promotion order); existing project keys evaluate production; each flag's
// `active` and `filters` move under "environments" for all three, which is what a flag written
// without naming an environment gets. The `active` column goes: what is active is per environment
// now, and lives in the definition.
constexpr std::string_view kEnvironments = R"sql(
CREATE TABLE environments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (project_id, key)
);
INSERT INTO environments (project_id, key, name, created_at)
  SELECT id, 'development', 'Development', created_at FROM projects ORDER BY id;
INSERT INTO environments (project_id, key, name, created_at)
  SELECT id, 'staging', 'Staging', created_at FROM projects ORDER BY id;
INSERT INTO environments (project_id, key, name, created_at)
  SELECT id, 'production', 'Production', created_at FROM projects ORDER BY id;
ALTER TABLE api_keys ADD COLUMN environment_id INTEGER REFERENCES environments(id) ON DELETE CASCADE;
UPDATE api_keys SET environment_id = (SELECT e.id FROM environments e
                                      WHERE e.project_id = api_keys.project_id AND e.key = 'production')
  WHERE scope = 'project';
UPDATE flags SET definition = (
  WITH targeting(value) AS (SELECT json_object(
    'active', json(CASE WHEN flags.active THEN 'true' ELSE 'false' END),
    'filters', json(coalesce(json_extract(flags.definition, '$.filters'), '{}'))))
  SELECT json_set(json_remove(flags.definition, '$.active', '$.filters'), '$.environments',
                  json_object('development', json(value), 'staging', json(value), 'production', json(value)))
  FROM targeting);
ALTER TABLE flags DROP COLUMN active;
ALTER TABLE audit_log ADD COLUMN environment TEXT;
)sql";

// Flag lifecycle. Archiving lives in the flag's definition ("archived", "archived_at"), like the
// rest of the record, so it needs no column. Evaluation stats are bookkeeping written in batches
// by the server; they go with their environment. Scheduled changes outlive their flag (a change
// whose flag is gone fails, and says so) but not their project. A partial index keeps the
// scheduler's "what is due" poll cheap however much history accumulates.
constexpr std::string_view kFlagLifecycle = R"sql(
CREATE TABLE flag_evaluations (
  environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  flag_key TEXT NOT NULL,
  last_evaluated_at TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (environment_id, flag_key)
) WITHOUT ROWID;
CREATE TABLE flag_schedules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  flag_key TEXT NOT NULL,
  environment TEXT,
  at TEXT NOT NULL,
  change TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'firing', 'done', 'failed', 'cancelled')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  fired_at TEXT,
  result TEXT
);
CREATE INDEX flag_schedules_by_flag ON flag_schedules(project_id, flag_key, id);
CREATE INDEX flag_schedules_pending ON flag_schedules(at) WHERE status = 'pending';
)sql";

// Experiments: the definition and state as one JSON document (experiment_json.h), with the
// columns lists and lookups need. The holdout is a project setting of its own table, so that
// projects need no new column.
constexpr std::string_view kExperiments = R"sql(
CREATE TABLE experiments (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  flag_key TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;
CREATE TABLE experiment_holdouts (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  percent REAL NOT NULL
);
)sql";

// Metric definitions of experiments (experiments::MetricToJson), deleted with their project.
constexpr std::string_view kMetrics = R"sql(
CREATE TABLE metrics (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;
)sql";

// Persons with several distinct ids: `persons` keeps one row per person under its id (the first
// distinct id it was stored as); every other id of it is a row here. Group analytics: a project's
// group types with their stable index, and each group's properties. Secret keys are project keys
// (the scope column's CHECK knows only admin and project) with `secret` set.
constexpr std::string_view kPersonsAndGroups = R"sql(
CREATE TABLE person_distinct_ids (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  distinct_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  PRIMARY KEY (project_id, distinct_id)
) WITHOUT ROWID;
CREATE INDEX person_distinct_ids_by_person ON person_distinct_ids(project_id, person_id);
CREATE TABLE group_types (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  type_index INTEGER NOT NULL,
  PRIMARY KEY (project_id, name),
  UNIQUE (project_id, type_index)
) WITHOUT ROWID;
CREATE TABLE group_entities (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  group_type TEXT NOT NULL,
  group_key TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (project_id, group_type, group_key)
) WITHOUT ROWID;
ALTER TABLE api_keys ADD COLUMN secret INTEGER NOT NULL DEFAULT 0;
)sql";

// The model registry (versions as registry::ModelVersionToJson with the columns ordering and
// lookups need; aliases; every alias move, in order) and the gateway's routes
// (registry::RouteToJson). All deleted with their project.
constexpr std::string_view kModelRegistry = R"sql(
CREATE TABLE model_versions (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  major INTEGER NOT NULL,
  minor INTEGER NOT NULL,
  patch INTEGER NOT NULL,
  state TEXT NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY (project_id, name, version)
) WITHOUT ROWID;
CREATE TABLE model_aliases (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  version TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project_id, name, alias),
  FOREIGN KEY (project_id, name, version) REFERENCES model_versions(project_id, name, version)
) WITHOUT ROWID;
CREATE TABLE model_alias_moves (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  from_version TEXT NOT NULL,
  to_version TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT NOT NULL,
  rollback INTEGER NOT NULL
);
CREATE INDEX model_alias_moves_by_alias ON model_alias_moves(project_id, name, alias, id);
CREATE TABLE gateway_routes (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;
)sql";

constexpr std::array kMigrations{
    Migration{1, "initial schema", kInitialSchema},
    Migration{2, "environments", kEnvironments},
    Migration{3, "flag lifecycle", kFlagLifecycle},
    Migration{4, "experiments", kExperiments},
    Migration{5, "metrics", kMetrics},
    Migration{6, "persons with several ids, groups", kPersonsAndGroups},
    Migration{7, "model registry and gateway routes", kModelRegistry},
};

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
))sql";

Result<int> CurrentVersion(Connection& connection) {
  Result<Statement> query = connection.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!query.ok()) return query.status();
  Result<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(query->Int64(0));
}

Status TooNew(int found, int latest) {
  return Status::Unavailable("database schema version " + std::to_string(found) +
                             " is newer than this binary supports (" + std::to_string(latest) +
                             "); upgrade switchyard");
}

// One migration in one transaction; skipped when another process applied it first.
Status ApplyOne(Connection& connection, const Migration& migration, int latest) {
  Transaction transaction(connection);
  if (Status s = transaction.BeginImmediate(); !s.ok()) return s;
  Result<int> current = CurrentVersion(connection);
  if (!current.ok()) return current.status();
  if (*current > latest) return TooNew(*current, latest);
  if (*current >= migration.version) return transaction.Commit();
  if (Status s = connection.Exec(std::string(migration.sql)); !s.ok()) {
    return Status(s.code(), "migration " + std::to_string(migration.version) + ": " + s.message());
  }
  Result<Statement> record =
      connection.Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
  if (!record.ok()) return record.status();
  if (Status s = record->Bind(migration.version, migration.name, NowTimestamp()).Run(); !s.ok()) return s;
  return transaction.Commit();
}

}  // namespace

std::span<const Migration> Migrations() {
  return kMigrations;
}

int LatestSchemaVersion() {
  return kMigrations.back().version;
}

Status ApplyMigrations(Connection& connection) {
  return ApplyMigrations(connection, kMigrations);
}

Status ApplyMigrations(Connection& connection, std::span<const Migration> migrations) {
  if (migrations.empty()) return Status::Ok();
  const int latest = migrations.back().version;
  if (Status s = connection.Exec(std::string(kCreateMigrationsTable)); !s.ok()) return s;
  Result<int> current = CurrentVersion(connection);
  if (!current.ok()) return current.status();
  if (*current > latest) return TooNew(*current, latest);
  for (const Migration& migration : migrations) {
    if (migration.version <= *current) continue;
    if (Status s = ApplyOne(connection, migration, latest); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace switchyard::store::sqlite
