// SqliteEventLog: the EventLog on its own SQLite file (events.db next to switchyard.db), so that
// event volume never slows configuration writes or their backups, and retention can delete
// freely.
//
// Durability: WAL with synchronous=FULL, so a commit returns only after its WAL frames are
// fsynced: a 2xx for a batch means it survives a power loss, not just a crashed process. (NORMAL
// would skip that fsync and lose the last acknowledged commits on power loss.) The cost is one
// fsync per transaction, which the group commit (one transaction for everything queued) spreads
// over every request waiting at that moment. Checkpoints (at 1000 WAL pages, as SQLite's
// automatic ones) run on a thread of their own (store/sqlite_wal_checkpointer.h), not the writer's.
//
// One writer connection behind a mutex (the pipeline's single writer thread, and retention's
// small deletes between its commits); reads take pooled reader connections and never wait for
// the writer. Thread-safety: every method from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "events/event_log.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_connection_pool.h"
#include "store/sqlite_wal_checkpointer.h"

namespace switchyard::events {

class SqliteEventLog final : public EventLog {
 public:
  // Opens or creates the file (its directory must exist) and applies the log's own migrations.
  static Result<std::unique_ptr<SqliteEventLog>> Open(const std::string& path, int reader_connections);

  Status Append(std::span<EventBatch* const> batches) override;
  Result<std::vector<Event>> Query(const EventQuery& query) override;
  Result<std::vector<Event>> ReadAfter(std::int64_t after_seq, std::size_t limit) override;
  Result<std::int64_t> LatestSeq(std::int64_t project_id) override;
  Result<std::size_t> DeleteReceivedBefore(std::int64_t cutoff_ms, std::size_t max_events) override;
  bool Healthy() override;

 private:
  SqliteEventLog(std::unique_ptr<store::sqlite::Connection> writer,
                 std::vector<std::unique_ptr<store::sqlite::Connection>> readers,
                 std::unique_ptr<store::sqlite::WalCheckpointer> checkpointer)
      : writer_(std::move(writer)), readers_(std::move(readers)), checkpointer_(std::move(checkpointer)) {}

  Mutex writer_mutex_;
  std::unique_ptr<store::sqlite::Connection> writer_ GUARDED_BY(writer_mutex_);
  store::sqlite::ConnectionPool readers_;
  // After writer_: destroyed first, while the writer it hooks into still exists.
  std::unique_ptr<store::sqlite::WalCheckpointer> checkpointer_;
};

}  // namespace switchyard::events
