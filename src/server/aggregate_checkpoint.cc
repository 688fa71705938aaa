#include "server/aggregate_checkpoint.h"
#include "server/wall_clock.h"

#include <chrono>
#include <map>
#include <utility>
#include <vector>

namespace switchyard::server {
namespace {

using store::sqlite::Connection;
using store::sqlite::Statement;

// The writer of events.db is the ingest pipeline's; a checkpoint waits for its commit in between.
constexpr char kPragmas[] = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";

struct StoredExperiment {
  std::string header;
  std::vector<std::pair<std::int64_t, std::string>> hours;
  std::vector<std::pair<std::string, std::string>> users;
};

}  // namespace

Result<std::unique_ptr<SqliteAggregateCheckpoint>> SqliteAggregateCheckpoint::Open(const std::string& path) {
  auto connection = Connection::Open(path, /*create=*/false);
  if (!connection.ok()) return connection.status();
  if (Status s = (*connection)->Exec(kPragmas); !s.ok()) return s;
  return std::unique_ptr<SqliteAggregateCheckpoint>(new SqliteAggregateCheckpoint(std::move(*connection)));
}

Result<std::int64_t> SqliteAggregateCheckpoint::Load(experiments::AggregationEngine& engine) {
  Connection& db = *connection_;
  std::int64_t last_seq = 0;
  {
    auto cursor = db.Prepare("SELECT last_seq FROM aggregate_cursor WHERE id = 1");
    if (!cursor.ok()) return cursor.status();
    auto row = cursor->Step();
    if (!row.ok()) return row.status();
    if (*row) last_seq = cursor->Int64(0);
  }
  std::map<std::pair<std::int64_t, std::string>, StoredExperiment> experiments;
  {
    auto headers = db.Prepare("SELECT project_id, experiment_key, header FROM aggregate_experiments");
    if (!headers.ok()) return headers.status();
    for (;;) {
      auto row = headers->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      experiments[{headers->Int64(0), headers->Text(1)}].header = headers->Text(2);
    }
  }
  {
    auto hours = db.Prepare(
        "SELECT project_id, experiment_key, hour_start_ms, point FROM aggregate_hours ORDER BY "
        "hour_start_ms");
    if (!hours.ok()) return hours.status();
    for (;;) {
      auto row = hours->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto it = experiments.find({hours->Int64(0), hours->Text(1)});
      if (it != experiments.end()) it->second.hours.emplace_back(hours->Int64(2), hours->Text(3));
    }
  }
  {
    auto users = db.Prepare("SELECT project_id, experiment_key, distinct_id, state FROM aggregate_users");
    if (!users.ok()) return users.status();
    for (;;) {
      auto row = users->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto it = experiments.find({users->Int64(0), users->Text(1)});
      if (it != experiments.end()) it->second.users.emplace_back(users->Text(2), users->Text(3));
    }
  }
  for (const auto& [id, stored] : experiments) {
    if (Status s = engine.RestoreExperiment(id.first, stored.header, stored.hours, stored.users); !s.ok())
      return s;
  }
  auto recent = db.Prepare("SELECT project_id, distinct_id, value_list FROM aggregate_recent");
  if (!recent.ok()) return recent.status();
  for (;;) {
    auto row = recent->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (Status s = engine.RestoreRecent(recent->Int64(0), recent->Text(1), recent->Text(2)); !s.ok())
      return s;
  }
  return last_seq;
}

Status SqliteAggregateCheckpoint::Save(const experiments::EngineCheckpointRows& rows, std::int64_t last_seq) {
  Connection& db = *connection_;
  store::sqlite::Transaction transaction(db);
  if (Status s = transaction.BeginImmediate(); !s.ok()) return s;
  for (const auto& experiment : rows.experiments) {
    auto header = db.Prepare(
        "INSERT INTO aggregate_experiments (project_id, experiment_key, header) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (project_id, experiment_key) DO UPDATE SET header = excluded.header");
    if (!header.ok()) return header.status();
    if (Status s = header->Bind(experiment.project_id, experiment.key, experiment.rows.header).Run(); !s.ok())
      return s;
    for (const auto& [hour, point] : experiment.rows.hours) {
      auto upsert = db.Prepare(
          "INSERT INTO aggregate_hours (project_id, experiment_key, hour_start_ms, point) VALUES (?1, ?2, "
          "?3, ?4)"
          " ON CONFLICT (project_id, experiment_key, hour_start_ms) DO UPDATE SET point = excluded.point");
      if (!upsert.ok()) return upsert.status();
      if (Status s = upsert->Bind(experiment.project_id, experiment.key, hour, point).Run(); !s.ok())
        return s;
    }
    for (const auto& [user, state] : experiment.rows.users) {
      auto upsert = db.Prepare(
          "INSERT INTO aggregate_users (project_id, experiment_key, distinct_id, state) VALUES (?1, ?2, ?3, "
          "?4)"
          " ON CONFLICT (project_id, experiment_key, distinct_id) DO UPDATE SET state = excluded.state");
      if (!upsert.ok()) return upsert.status();
      if (Status s = upsert->Bind(experiment.project_id, experiment.key, user, state).Run(); !s.ok())
        return s;
    }
  }
  for (const auto& recent : rows.recent) {
    if (recent.values) {
      auto upsert = db.Prepare(
          "INSERT INTO aggregate_recent (project_id, distinct_id, value_list) VALUES (?1, ?2, ?3)"
          " ON CONFLICT (project_id, distinct_id) DO UPDATE SET value_list = excluded.value_list");
      if (!upsert.ok()) return upsert.status();
      if (Status s = upsert->Bind(recent.project_id, recent.user, *recent.values).Run(); !s.ok()) return s;
    } else {
      auto remove = db.Prepare("DELETE FROM aggregate_recent WHERE project_id = ?1 AND distinct_id = ?2");
      if (!remove.ok()) return remove.status();
      if (Status s = remove->Bind(recent.project_id, recent.user).Run(); !s.ok()) return s;
    }
  }
  auto cursor = db.Prepare(
      "INSERT INTO aggregate_cursor (id, last_seq, saved_at) VALUES (1, ?1, ?2)"
      " ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, saved_at = excluded.saved_at");
  if (!cursor.ok()) return cursor.status();
  if (Status s = cursor->Bind(last_seq, NowMs()).Run(); !s.ok()) return s;
  return transaction.Commit();
}

}  // namespace switchyard::server
