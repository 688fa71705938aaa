// RAII over the SQLite C API: a Connection owns one sqlite3* and a cache of its prepared
// statements; a Statement borrows one cached statement for a single use (bind, step, read
// columns) and resets it when it goes out of scope; a Transaction rolls back unless committed.
//
// Threading: SQLite connections are opened with SQLITE_OPEN_NOMUTEX, so a Connection (and every
// Statement borrowed from it) must be used by one thread at a time; callers guarantee that with
// a mutex (the writer) or a pool lease (readers).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "switchyard/status.h"

namespace switchyard::store::sqlite {

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

// Maps an SQLite result code to a Status: busy/locked/I/O/open failures -> Unavailable,
// corrupt/not-a-database -> Corruption, unique/primary-key violations -> AlreadyExists, foreign-key
// violations -> NotFound, anything else -> Internal. The message carries `context` and SQLite's.
Status ErrorStatus(sqlite3* db, int rc, std::string_view context);

// Text bound without a copy (SQLITE_STATIC): for hot loops whose strings outlive the step that
// reads them (the event log's inserts: copying every bound string was a tenth of its writer).
struct UncopiedText {
  std::string_view text;
};

// One use of a cached prepared statement. Thread: the thread that holds its Connection.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds ?1, ?2, ... in order: integers, doubles, bool, strings, nullptr, or std::optional of those.
  template <typename... Args>
  Statement& Bind(const Args&... args) {
    return BindFrom(1, args...);
  }
  // Binds ?first, ?first+1, ... in order: one row of a multi-row statement.
  template <typename... Args>
  Statement& BindFrom(int first, const Args&... args) {
    int index = first - 1;
    (BindOne(++index, args), ...);
    return *this;
  }

  // Binds the parameter spelled `name` (e.g. ":limit"), for SQL assembled from optional parts.
  template <typename T>
  Statement& BindNamed(const char* name, const T& value) {
    BindOne(sqlite3_bind_parameter_index(stmt_, name), value);
    return *this;
  }

  Result<bool> Step();  // true: a row is ready to read; false: done
  Status Run();         // steps to completion, ignoring any rows
  // Ready to Bind and Run again (the same statement in a loop, without a cache lookup each time).
  void Reset();

  std::int64_t Int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::optional<std::int64_t> OptionalInt64(int column) const;
  std::string Text(int column) const { return std::string(TextView(column)); }
  std::string_view TextView(int column) const;  // valid until the next Step

 private:
  void BindOne(int index, std::int64_t value) { Check(sqlite3_bind_int64(stmt_, index, value)); }
  void BindOne(int index, int value) { BindOne(index, static_cast<std::int64_t>(value)); }
  void BindOne(int index, bool value) { BindOne(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  void BindOne(int index, double value) { Check(sqlite3_bind_double(stmt_, index, value)); }
  void BindOne(int index, std::nullptr_t) { Check(sqlite3_bind_null(stmt_, index)); }
  void BindOne(int index, std::string_view value);
  void BindOne(int index, const std::string& value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, const char* value) { BindOne(index, std::string_view(value)); }
  void BindOne(int index, UncopiedText value);
  template <typename T>
  void BindOne(int index, const std::optional<T>& value) {
    if (value) {
      BindOne(index, *value);
    } else {
      BindOne(index, nullptr);
    }
  }
  // Keeps the first bind failure; Step reports it, so call sites check once.
  void Check(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3_stmt* stmt_;  // owned by the Connection's cache
  int bind_rc_ = SQLITE_OK;
};

// One sqlite3 handle and its statement cache. Thread: one at a time (the caller serializes).
class Connection {
 public:
  // Opens (creating it if `create`) the database file. The directory must exist.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows (DDL, PRAGMA settings).
  Status Exec(const std::string& sql);
  // The first column of the first row as text (e.g. "PRAGMA journal_mode"); "" when no row.
  Result<std::string> QueryText(const std::string& sql);
  // A statement prepared once per connection and reused: `sql` is the cache key.
  Result<Statement> Prepare(std::string_view sql);

  std::int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }
  int Changes() const { return sqlite3_changes(db_.get()); }
  sqlite3* handle() const { return db_.get(); }

 private:
  explicit Connection(std::unique_ptr<sqlite3, DatabaseCloser> db) : db_(std::move(db)) {}

  // Declared first so that it is destroyed last, after every cached statement is finalized.
  std::unique_ptr<sqlite3, DatabaseCloser> db_;
  std::map<std::string, std::unique_ptr<sqlite3_stmt, StatementFinalizer>, std::less<>> statements_;
};

// Steps through every remaining row, mapping each with `read` (which returns T or Result<T>).
template <typename T, typename ReadRow>
Result<std::vector<T>> CollectRows(Statement& statement, ReadRow read) {
  std::vector<T> out;
  for (;;) {
    Result<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    Result<T> item = read(statement);
    if (!item.ok()) return item.status();
    out.push_back(std::move(*item));
  }
}

// The next row mapped by `read`, or `missing()` when there is none (a callable, so that the
// NotFound message is only built when needed).
template <typename T, typename ReadRow, typename Missing>
Result<T> SingleRow(Statement& statement, ReadRow read, Missing missing) {
  Result<bool> row = statement.Step();
  if (!row.ok()) return row.status();
  if (!*row) return missing();
  return read(statement);
}

// BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock
// upgrade; destruction without Commit() rolls back. Thread: the thread that holds its Connection.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status BeginImmediate();
  Status Commit();

 private:
  Connection& connection_;
  bool open_ = false;
};

}  // namespace switchyard::store::sqlite
