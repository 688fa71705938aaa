// WalCheckpointer: runs a WAL database's checkpoints on a thread and connection of its own.
//
// Why: SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1000 pages,
// on the committing thread. For the event log that thread is the single writer every acknowledged
// event waits for, and copying pages back into the database file was 7 % of its time at full
// ingest load. Installed with sqlite3_wal_hook on the writer's connection (which replaces the
// automatic checkpoint), the hook only looks at the WAL's size after each commit and, past
// `pages`, wakes this thread, which runs a PASSIVE checkpoint: it never waits for, nor blocks,
// the writer or readers, and does what it can; the next wake-up does the rest.
//
// Lifetime: the writer's connection must outlive this object; destroying it stops the thread and
// gives the writer back SQLite's automatic checkpoint. Thread-safety: the hook runs on the
// writer's thread; everything else is this object's.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite_connection.h"

namespace switchyard::store::sqlite {

class WalCheckpointer {
 public:
  static constexpr int kDefaultPages = 1000;  // SQLite's own automatic threshold

  // Opens its own connection to `path` (a WAL database `writer` has open) and takes over
  // `writer`'s checkpoints.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, Connection& writer,
                                                        int pages = kDefaultPages);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints run so far (for tests).
  std::uint64_t checkpoints() const;

 private:
  WalCheckpointer(std::unique_ptr<Connection> own, Connection& writer, int pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();

  std::unique_ptr<Connection> own_;
  Connection& writer_;
  const int pages_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;            // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  std::uint64_t checkpoints_ = 0;  // guarded by mu_
  std::thread thread_;             // last: started once the rest is initialized
};

}  // namespace switchyard::store::sqlite
