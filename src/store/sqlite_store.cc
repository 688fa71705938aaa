// SqliteStore: opening, projects, API keys and the audit log. Flags and cohorts live in
// sqlite_store_definitions.cc, persons in sqlite_store_persons.cc; the design note is in
// sqlite_store.h.
#include "store/sqlite_store.h"

#include <algorithm>

#include "store/entity_json.h"
#include "store/sqlite_migrations.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using sqlite::Connection;
using sqlite::Statement;

constexpr char kWriterPragmas[] =
    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
// query_only: a reader that is handed a write by mistake fails instead of bypassing the writer.
constexpr char kReaderPragmas[] =
    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA query_only = ON;";

Status ConfigureWriter(Connection& writer, const std::string& path) {
  if (Status s = writer.Exec(kWriterPragmas); !s.ok()) return s;
  Result<std::string> mode = writer.QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") {
    return Status::Unavailable("cannot use WAL journal mode on '" + path + "' (got '" + *mode + "')");
  }
  return Status::Ok();
}

Result<std::vector<std::unique_ptr<Connection>>> OpenReaders(const std::string& path, int count) {
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(count, 1); ++i) {
    Result<std::unique_ptr<Connection>> reader = Connection::Open(path, /*create=*/false);
    if (!reader.ok()) return reader.status();
    if (Status s = (*reader)->Exec(kReaderPragmas); !s.ok()) return s;
    readers.push_back(std::move(*reader));
  }
  return readers;
}

Project ReadProject(const Statement& row) {
  return {row.Int64(0), row.Text(1), row.Text(2), row.Text(3)};
}

Result<ApiKey> ReadApiKey(const Statement& row) {
  Result<KeyScope> scope = KeyScopeFromName(row.TextView(1));
  if (!scope.ok()) return scope.status();
  ApiKey key;
  key.id = row.Int64(0);
  key.scope = *scope;
  key.project_id = row.OptionalInt64(2);
  key.label = row.Text(3);
  key.prefix = row.Text(4);
  key.hash_hex = row.Text(5);
  key.created_at = row.Text(6);
  key.revoked = row.Int64(7) != 0;
  key.environment_id = row.OptionalInt64(8);
  if (key.scope == KeyScope::kProject && row.Int64(9) != 0) key.scope = KeyScope::kSecret;
  return key;
}

Result<json> ReadAuditJson(const Statement& row, int column) {
  if (row.IsNull(column)) return json(nullptr);
  return ParseStoredJson(row.TextView(column), "audit entry");
}

Result<AuditEntry> ReadAuditEntry(const Statement& row) {
  Result<json> before = ReadAuditJson(row, 7);
  if (!before.ok()) return before.status();
  Result<json> after = ReadAuditJson(row, 8);
  if (!after.ok()) return after.status();
  AuditEntry entry{row.Int64(0), row.OptionalInt64(1), row.Text(2),  row.Text(3),        row.Text(4),
                   row.Text(5),  row.Text(6),          std::nullopt, std::move(*before), std::move(*after)};
  if (!row.IsNull(9)) entry.environment = row.Text(9);
  return entry;
}

// The audit query for the filters present: one shape per combination, so each one gets a plan
// that uses its index and is cached on the connection like any other statement.
std::string AuditQuerySql(const AuditQuery& query) {
  std::string sql =
      "SELECT id, project_id, at, actor, action, entity_type, entity_key, \"before\", \"after\","
      " environment FROM audit_log"
      " WHERE 1";
  if (query.project_id) sql += " AND project_id = :project_id";
  if (query.entity_type) sql += " AND entity_type = :entity_type";
  if (query.entity_key) sql += " AND entity_key = :entity_key";
  if (query.before_id) sql += " AND id < :before_id";
  return sql + " ORDER BY id DESC LIMIT :limit";
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteStoreOptions& options) {
  Result<std::unique_ptr<Connection>> writer = Connection::Open(path, /*create=*/true);
  if (!writer.ok()) return writer.status();
  if (Status s = ConfigureWriter(**writer, path); !s.ok()) return s;
  if (Status s = sqlite::ApplyMigrations(**writer); !s.ok()) return s;
  Result<std::vector<std::unique_ptr<Connection>>> readers = OpenReaders(path, options.reader_connections);
  if (!readers.ok()) return readers.status();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*writer), std::move(*readers)));
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const SqliteStoreOptions& options) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

bool SqliteStore::Healthy() {
  return Read([](Connection& reader) -> Result<bool> {
           // A bare "SELECT 1" never opens the file; reading a table does (lock, header, schema).
           Result<Statement> probe = reader.Prepare("SELECT 1 FROM schema_migrations LIMIT 1");
           if (!probe.ok()) return probe.status();
           return probe->Step();
         })
      .ok();
}

Status SqliteStore::AppendAudit(Connection& writer, const Actor& actor, const AuditRecord& record) {
  Result<Statement> insert = writer.Prepare(
      "INSERT INTO audit_log (project_id, at, actor, action, entity_type, entity_key, \"before\", \"after\","
      " environment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert.ok()) return insert.status();
  const auto text_or_null = [](const json& value) {
    return value.is_null() ? std::nullopt : std::optional<std::string>(DumpJson(value));
  };
  return insert
      ->Bind(record.project_id, NowTimestamp(), actor.name, record.action, record.entity_type,
             record.entity_key, text_or_null(record.before), text_or_null(record.after),
             actor.environment.empty() ? std::nullopt : std::optional<std::string>(actor.environment))
      .Run();
}

// --- Projects --------------------------------------------------------------------------------

Result<Project> SqliteStore::CreateProject(const std::string& slug, const std::string& name,
                                           const Actor& actor) {
  if (Status s = ValidateSlug(slug); !s.ok()) return s;
  return Write([&](Connection& writer) { return InsertProject(writer, slug, name, actor); });
}

Result<Project> SqliteStore::InsertProject(Connection& writer, const std::string& slug,
                                           const std::string& name, const Actor& actor) {
  Result<Statement> insert =
      writer.Prepare("INSERT INTO projects (slug, name, created_at) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  Project project{0, slug, name, NowTimestamp()};
  if (Status s = insert->Bind(slug, name, project.created_at).Run(); !s.ok()) {
    if (s.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("project slug '" + slug + "' is taken", "slug");
    }
    return s;
  }
  project.id = writer.LastInsertId();
  if (Status s = AppendAudit(
          writer, actor, {project.id, "project.create", "project", slug, nullptr, ProjectAuditJson(project)});
      !s.ok()) {
    return s;
  }
  // The default environments are part of the project (its audit entry implies them).
  for (const std::string& key : DefaultEnvironmentKeys()) {
    std::string title = key;
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
    if (auto environment = InsertEnvironment(writer, project.id, key, title, actor,
                                             /*audited=*/false);
        !environment.ok()) {
      return environment.status();
    }
  }
  return project;
}

Result<Project> SqliteStore::GetProject(std::int64_t id) {
  return Read([&](Connection& reader) -> Result<Project> {
    Result<Statement> query = reader.Prepare("SELECT id, slug, name, created_at FROM projects WHERE id = ?1");
    if (!query.ok()) return query.status();
    return sqlite::SingleRow<Project>(query->Bind(id), ReadProject, [&] {
      return Status::NotFound("no project with id " + std::to_string(id), "id");
    });
  });
}

Result<Project> SqliteStore::GetProjectBySlug(const std::string& slug) {
  return Read([&](Connection& reader) -> Result<Project> {
    Result<Statement> query =
        reader.Prepare("SELECT id, slug, name, created_at FROM projects WHERE slug = ?1");
    if (!query.ok()) return query.status();
    return sqlite::SingleRow<Project>(query->Bind(slug), ReadProject,
                                      [&] { return Status::NotFound("no project '" + slug + "'", "slug"); });
  });
}

Result<std::vector<Project>> SqliteStore::ListProjects() {
  return Read([&](Connection& reader) -> Result<std::vector<Project>> {
    Result<Statement> query = reader.Prepare("SELECT id, slug, name, created_at FROM projects ORDER BY id");
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<Project>(*query, ReadProject);
  });
}

// --- API keys --------------------------------------------------------------------------------

constexpr char kApiKeyColumns[] =
    "id, scope, project_id, label, prefix, hash_hex, created_at, revoked, environment_id, secret";

Result<ApiKey> SqliteStore::CreateApiKey(const ApiKey& key, const Actor& actor) {
  if (Status s = ValidateNewApiKey(key); !s.ok()) return s;
  return Write([&](Connection& writer) { return InsertApiKey(writer, key, actor); });
}

Result<ApiKey> SqliteStore::InsertApiKey(Connection& writer, const ApiKey& key, const Actor& actor) {
  Result<Statement> insert = writer.Prepare(
      "INSERT INTO api_keys (scope, project_id, label, prefix, hash_hex, created_at, revoked, environment_id,"
      " secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)");
  if (!insert.ok()) return insert.status();
  ApiKey stored = key;
  if (key.scope != KeyScope::kAdmin && !key.environment_id) {
    Result<Statement> primary =
        writer.Prepare("SELECT id FROM environments WHERE project_id = ?1 AND key = ?2");
    if (!primary.ok()) return primary.status();
    Result<bool> found = primary->Bind(key.project_id.value_or(0), std::string(kPrimaryEnvironment)).Step();
    if (!found.ok()) return found.status();
    if (!*found) return ProjectNotFound(key.project_id.value_or(0));
    stored.environment_id = primary->Int64(0);
  }
  stored.created_at = NowTimestamp();
  stored.revoked = false;
  Status s = insert
                 ->Bind(KeyScopeName(key.scope == KeyScope::kSecret ? KeyScope::kProject : key.scope),
                        key.project_id, key.label, key.prefix, key.hash_hex, stored.created_at,
                        stored.environment_id, key.scope == KeyScope::kSecret)
                 .Run();
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("API key prefix '" + key.prefix + "' is taken", "prefix");
  }
  if (s.code() == StatusCode::kNotFound) return ProjectNotFound(key.project_id.value_or(0));
  if (!s.ok()) return s;
  stored.id = writer.LastInsertId();
  if (stored.environment_id) {
    // The foreign key proves the environment exists, not that it is this project's.
    Result<Statement> owner = writer.Prepare("SELECT project_id FROM environments WHERE id = ?1");
    if (!owner.ok()) return owner.status();
    Result<bool> row = owner->Bind(*stored.environment_id).Step();
    if (!row.ok()) return row.status();
    if (!*row || owner->Int64(0) != key.project_id.value_or(0)) {
      return Status::InvalidArgument("the environment is not one of the key's project", "environment_id");
    }
  }
  s = AppendAudit(
      writer, actor,
      {stored.project_id, "api_key.create", "api_key", stored.prefix, nullptr, ApiKeyAuditJson(stored)});
  if (!s.ok()) return s;
  return stored;
}

Result<BootstrapRecord> SqliteStore::Bootstrap(const BootstrapRequest& request, const Actor& actor) {
  if (request.admin_key.scope != KeyScope::kAdmin) {
    return Status::InvalidArgument("the bootstrap admin key must have the admin scope", "scope");
  }
  if (Status s = ValidateNewApiKey(request.admin_key); !s.ok()) return s;
  if (Status s = ValidateSlug(request.project_slug); !s.ok()) return s;
  // Validated here with a stand-in project id; the real one exists only inside the transaction.
  ApiKey project_key = request.project_key;
  project_key.project_id = 0;
  if (Status s = ValidateNewApiKey(project_key); !s.ok()) return s;
  // Write() commits only a successful result: any failure below rolls every step back.
  return Write([&](Connection& writer) -> Result<BootstrapRecord> {
    Result<Statement> count =
        writer.Prepare("SELECT (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM api_keys)");
    if (!count.ok()) return count.status();
    Result<bool> row = count->Step();
    if (!row.ok()) return row.status();
    if (!*row || count->Int64(0) != 0)
      return Status::Conflict("the store is not empty: it was bootstrapped before");
    BootstrapRecord record;
    auto admin = InsertApiKey(writer, request.admin_key, actor);
    if (!admin.ok()) return admin.status();
    record.admin_key = *admin;
    auto project = InsertProject(writer, request.project_slug, request.project_name, actor);
    if (!project.ok()) return project.status();
    record.project = *project;
    project_key.project_id = project->id;
    project_key.environment_id.reset();
    auto created = InsertApiKey(writer, project_key, actor);
    if (!created.ok()) return created.status();
    record.project_key = *created;
    return record;
  });
}

Result<std::vector<ApiKey>> SqliteStore::ListApiKeys() {
  return Read([&](Connection& reader) -> Result<std::vector<ApiKey>> {
    Result<Statement> query =
        reader.Prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys ORDER BY id");
    if (!query.ok()) return query.status();
    return sqlite::CollectRows<ApiKey>(*query, ReadApiKey);
  });
}

Status SqliteStore::RevokeApiKey(std::int64_t key_id, const Actor& actor) {
  return Write([&](Connection& writer) -> Status {
    Result<Statement> query =
        writer.Prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE id = ?1");
    if (!query.ok()) return query.status();
    Result<ApiKey> key = sqlite::SingleRow<ApiKey>(query->Bind(key_id), ReadApiKey, [&] {
      return Status::NotFound("no API key with id " + std::to_string(key_id), "id");
    });
    if (!key.ok()) return key.status();
    if (key->revoked) return Status::Ok();  // idempotent: nothing changed, nothing to audit
    Result<Statement> revoke = writer.Prepare("UPDATE api_keys SET revoked = 1 WHERE id = ?1");
    if (!revoke.ok()) return revoke.status();
    if (Status s = revoke->Bind(key_id).Run(); !s.ok()) return s;
    json before = ApiKeyAuditJson(*key);
    key->revoked = true;
    return AppendAudit(writer, actor,
                       {key->project_id, "api_key.revoke", "api_key", key->prefix, std::move(before),
                        ApiKeyAuditJson(*key)});
  });
}

// --- Audit -----------------------------------------------------------------------------------

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(const AuditQuery& query) {
  const std::string sql = AuditQuerySql(query);
  return Read([&](Connection& reader) -> Result<std::vector<AuditEntry>> {
    Result<Statement> select = reader.Prepare(sql);
    if (!select.ok()) return select.status();
    // Bound by name because which parameters exist depends on the filters present.
    if (query.project_id) select->BindNamed(":project_id", *query.project_id);
    if (query.entity_type) select->BindNamed(":entity_type", *query.entity_type);
    if (query.entity_key) select->BindNamed(":entity_key", *query.entity_key);
    if (query.before_id) select->BindNamed(":before_id", *query.before_id);
    select->BindNamed(":limit", ClampLimit(query.limit));
    return sqlite::CollectRows<AuditEntry>(*select, ReadAuditEntry);
  });
}

}  // namespace switchyard::store
