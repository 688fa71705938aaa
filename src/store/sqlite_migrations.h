// Schema migrations for the SQLite store: a numbered list applied in order, each inside its own
// IMMEDIATE transaction together with its row in schema_migrations (version, name, applied_at).
// Re-running is a no-op; a database already migrated past what this binary knows is refused, so
// an old binary never writes into a schema it does not understand.
#pragma once

#include <span>
#include <string_view>

#include "store/sqlite_connection.h"
#include "switchyard/status.h"

namespace switchyard::store::sqlite {

struct Migration {
  int version;  // 1, 2, 3, ... with no gaps
  std::string_view name;
  std::string_view sql;
};

// Every migration this binary knows, oldest first.
std::span<const Migration> Migrations();
int LatestSchemaVersion();

// Brings `connection`'s database up to LatestSchemaVersion(). Safe to run from several processes
// at once: each step re-reads the version under the write lock. Unavailable when the database
// is newer than this binary.
Status ApplyMigrations(Connection& connection);
// The same for another database's own list (the event log's events.db), oldest first.
Status ApplyMigrations(Connection& connection, std::span<const Migration> migrations);

}  // namespace switchyard::store::sqlite
