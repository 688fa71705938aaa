// AggregateCheckpoint: where the experiment aggregator keeps its state between runs, so that
// aggregates survive a restart and outlive raw-event retention. A checkpoint writes only what
// changed since the previous one (experiment headers, hours, users, recent values), together with
// the last event seq applied, in one transaction: after a crash the aggregator loads the last
// checkpoint and replays the events after that seq from the log, which gives the state it had.
//
// SqliteAggregateCheckpoint keeps it in events.db (tables of the event log's migration 2), on its
// own connection; NoAggregateCheckpoint is for the in-memory store, where nothing survives anyway.
// Thread-safety: one caller at a time (the aggregator's thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "experiments/aggregation_engine.h"
#include "store/sqlite_connection.h"
#include "switchyard/status.h"

namespace switchyard::server {

class AggregateCheckpoint {
 public:
  virtual ~AggregateCheckpoint() = default;
  // Restores `engine` (which must be empty) from the last checkpoint; returns its seq (0: none).
  virtual Result<std::int64_t> Load(experiments::AggregationEngine& engine) = 0;
  virtual Status Save(const experiments::EngineCheckpointRows& rows, std::int64_t last_seq) = 0;
};

class NoAggregateCheckpoint final : public AggregateCheckpoint {
 public:
  Result<std::int64_t> Load(experiments::AggregationEngine&) override { return std::int64_t{0}; }
  Status Save(const experiments::EngineCheckpointRows&, std::int64_t) override { return Status::Ok(); }
};

class SqliteAggregateCheckpoint final : public AggregateCheckpoint {
 public:
  // `path`: an events.db the SqliteEventLog has opened (and migrated) before.
  static Result<std::unique_ptr<SqliteAggregateCheckpoint>> Open(const std::string& path);

  Result<std::int64_t> Load(experiments::AggregationEngine& engine) override;
  Status Save(const experiments::EngineCheckpointRows& rows, std::int64_t last_seq) override;

 private:
  explicit SqliteAggregateCheckpoint(std::unique_ptr<store::sqlite::Connection> connection)
      : connection_(std::move(connection)) {}

  std::unique_ptr<store::sqlite::Connection> connection_;
};

}  // namespace switchyard::server
