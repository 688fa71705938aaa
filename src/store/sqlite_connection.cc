#include "store/sqlite_connection.h"

#include <utility>

namespace switchyard::store::sqlite {

Status ErrorStatus(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  // sqlite3_errmsg describes the connection's latest failure; fall back to the code's text.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM: return Status::Unavailable(std::move(message));
    case SQLITE_CANTOPEN:
      return Status::Unavailable(message + " (does the directory exist and is it writable?)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Status::Corruption(std::move(message));
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(std::move(message));
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Status::NotFound(std::move(message));
      return Status::Internal(std::move(message));
    default: return Status::Internal(std::move(message));
  }
}

// --- Statement -------------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  // Leaves the cached statement ready for its next user and releases its read snapshot.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::BindOne(int index, std::string_view value) {
  Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::BindOne(int index, UncopiedText value) {
  Check(sqlite3_bind_text64(stmt_, index, value.text.data(), value.text.size(), SQLITE_STATIC, SQLITE_UTF8));
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

Result<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) return ErrorStatus(db, bind_rc_, "binding parameters");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorStatus(db, rc, "executing statement");
}

Status Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

std::optional<std::int64_t> Statement::OptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}

std::string_view Statement::TextView(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

// --- Connection ------------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // SQLite allocates a handle even when opening fails; it must be closed either way.
  std::unique_ptr<sqlite3, DatabaseCloser> db(raw);
  if (rc != SQLITE_OK) return ErrorStatus(raw, rc, "cannot open database '" + path + "'");
  sqlite3_extended_result_codes(raw, 1);
  return std::unique_ptr<Connection>(new Connection(std::move(db)));
}

Status Connection::Exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(db_.get(), rc, "executing SQL");
  return Status::Ok();
}

Result<std::string> Connection::QueryText(const std::string& sql) {
  Result<Statement> statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  return *row ? statement->Text(0) : std::string();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement(raw);
    if (rc != SQLITE_OK) return ErrorStatus(db_.get(), rc, "preparing statement");
    if (raw == nullptr) return Status::Internal("no SQL statement in '" + std::string(sql) + "'");
    it = statements_.emplace(std::string(sql), std::move(statement)).first;
  }
  return Statement(it->second.get());
}

// --- Transaction -----------------------------------------------------------------------------

Transaction::~Transaction() {
  // SQLite rolls back by itself after some errors (I/O, full disk); only roll back what is open.
  if (open_ && sqlite3_get_autocommit(connection_.handle()) == 0) {
    if (Result<Statement> rollback = connection_.Prepare("ROLLBACK"); rollback.ok()) {
      static_cast<void>(rollback->Run());
    }
  }
}

Status Transaction::BeginImmediate() {
  Result<Statement> begin = connection_.Prepare("BEGIN IMMEDIATE");
  if (!begin.ok()) return begin.status();
  if (Status s = begin->Run(); !s.ok()) return s;
  open_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  Result<Statement> commit = connection_.Prepare("COMMIT");
  if (!commit.ok()) return commit.status();
  if (Status s = commit->Run(); !s.ok()) return s;
  open_ = false;
  return Status::Ok();
}

}  // namespace switchyard::store::sqlite
