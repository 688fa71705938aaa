#include "events/sqlite_event_log.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "store/sqlite_migrations.h"

namespace switchyard::events {
namespace {

using store::sqlite::Connection;
using store::sqlite::Migration;
using store::sqlite::Statement;
using store::sqlite::Transaction;
using store::sqlite::UncopiedText;

// seq AUTOINCREMENT: never reused, even when retention has emptied the table, so a follower's
// cursor stays valid. Migration 3 replaces the index on project_id (see kProjectRanges).
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL,
  environment_id INTEGER NOT NULL,
  uuid TEXT NOT NULL,
  event TEXT NOT NULL,
  distinct_id TEXT NOT NULL,
  properties TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_by_uuid ON events (project_id, uuid);
CREATE INDEX events_by_project ON events (project_id);
)sql";

// The experiment aggregator's checkpoints (server/aggregate_checkpoint.h): the state aggregates
// are made of, and the last event seq applied to it. Retention never touches these tables, which
// is how aggregates outlive raw events.
constexpr std::string_view kAggregateCheckpoints = R"sql(
CREATE TABLE aggregate_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq INTEGER NOT NULL,
  saved_at INTEGER NOT NULL
);
CREATE TABLE aggregate_experiments (
  project_id INTEGER NOT NULL,
  experiment_key TEXT NOT NULL,
  header TEXT NOT NULL,
  PRIMARY KEY (project_id, experiment_key)
) WITHOUT ROWID;
CREATE TABLE aggregate_hours (
  project_id INTEGER NOT NULL,
  experiment_key TEXT NOT NULL,
  hour_start_ms INTEGER NOT NULL,
  point TEXT NOT NULL,
  PRIMARY KEY (project_id, experiment_key, hour_start_ms)
) WITHOUT ROWID;
CREATE TABLE aggregate_users (
  project_id INTEGER NOT NULL,
  experiment_key TEXT NOT NULL,
  distinct_id TEXT NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (project_id, experiment_key, distinct_id)
) WITHOUT ROWID;
CREATE TABLE aggregate_recent (
  project_id INTEGER NOT NULL,
  distinct_id TEXT NOT NULL,
  value_list TEXT NOT NULL,
  PRIMARY KEY (project_id, distinct_id)
) WITHOUT ROWID;
)sql";

// Where each project's events are, as seq ranges: one row per project per appended group (its
// lowest and highest seq in that transaction) instead of one index entry per event. The index on
// project_id was a fifth of the writer's instructions per event, and the writer thread is what
// limits ingestion. "A project's events, newest first" walks the project's ranges newest first
// and reads each as a rowid range, so a small project next to a big one still costs only its own
// ranges. id follows append order, which is seq order, so retention forgets ranges from the
// front in bounded steps as it deletes events. Existing events get ranges by blocks of 4,096 seqs.
constexpr std::string_view kProjectRanges = R"sql(
CREATE TABLE event_ranges (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  low INTEGER NOT NULL,
  high INTEGER NOT NULL
);
CREATE INDEX event_ranges_by_project ON event_ranges (project_id, high, low);
INSERT INTO event_ranges (project_id, low, high)
  SELECT project_id, min(seq), max(seq) FROM events GROUP BY project_id, seq / 4096 ORDER BY max(seq);
DROP INDEX events_by_project;
)sql";

constexpr std::array kMigrations{
    Migration{1, "events", kInitialSchema},
    Migration{2, "aggregate checkpoints", kAggregateCheckpoints},
    Migration{3, "project ranges", kProjectRanges},
};

constexpr char kWriterPragmas[] = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;";
constexpr char kReaderPragmas[] = "PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;";

constexpr int kColumnsPerRow = 8;
// Rows per INSERT statement. Each statement pays a fixed cost on top of its rows (for seq
// AUTOINCREMENT a read and a write of sqlite_sequence, then the statement's end): with one row
// per statement that was a third of the writer's instructions per event (callgrind, 2026-11-30).
// 64 rows are 512 parameters, far below SQLite's limit (32,766 since 3.32). A batch goes in as
// many 64-row statements as fit, then 16-, 4- and 1-row ones: the gateway's call events and
// the SDKs' small batches reach the writer some tens at a time, and one row per statement for
// those cost twice the instructions per event of the 64-row path.
constexpr std::array<std::size_t, 4> kRowsPerInsert = {64, 16, 4, 1};

std::string InsertSql(std::size_t rows) {
  std::string sql =
      "INSERT INTO events (project_id, environment_id, uuid, event, distinct_id, properties, timestamp,"
      " received_at) VALUES ";
  for (std::size_t row = 0; row < rows; ++row) sql += row == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
  return sql + " ON CONFLICT (project_id, uuid) DO NOTHING";
}

void BindRow(Statement& insert, int row, const Event& event) {
  insert.BindFrom(row * kColumnsPerRow + 1, event.project_id, event.environment_id, UncopiedText{event.uuid},
                  UncopiedText{event.event}, UncopiedText{event.distinct_id}, UncopiedText{event.properties},
                  event.timestamp_ms, event.received_at_ms);
}

// One event of the batches being appended.
struct Pending {
  EventBatch* batch;
  std::size_t index;
  Event& event() const { return batch->events[index]; }
};

// Seqs low..high, both included.
struct SeqRange {
  std::int64_t low;
  std::int64_t high;
};

void MarkStored(const Pending& pending, std::int64_t seq) {
  pending.event().seq = seq;
  ++pending.batch->stored;
}

// After one INSERT of `rows`: seq AUTOINCREMENT gives the inserted rows consecutive seqs after
// `high`, in the order of the VALUES list. When every row went in, that is all there is to know.
// When some were duplicates (an SDK's retry, or one uuid twice in a batch), the rows this
// statement inserted are read back (seq > high) and matched by (project, uuid): the first event
// with a key is the one stored, any other is a duplicate.
Status AssignSeqs(Connection& writer, std::span<const Pending> rows, std::int64_t& high) {
  const auto inserted = static_cast<std::size_t>(writer.Changes());
  if (inserted == rows.size() && writer.LastInsertId() == high + static_cast<std::int64_t>(inserted)) {
    for (std::size_t r = 0; r < rows.size(); ++r)
      MarkStored(rows[r], high + 1 + static_cast<std::int64_t>(r));
    high += static_cast<std::int64_t>(inserted);
    return Status::Ok();
  }
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> seqs;
  if (inserted > 0) {
    auto select = writer.Prepare("SELECT seq, project_id, uuid FROM events WHERE seq > ?1 ORDER BY seq");
    if (!select.ok()) return select.status();
    select->Bind(high);
    while (true) {
      auto row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      seqs.emplace(std::pair(select->Int64(1), select->Text(2)), select->Int64(0));
      high = std::max(high, select->Int64(0));
    }
  }
  for (const Pending& pending : rows) {
    auto found = seqs.find(std::pair(pending.event().project_id, pending.event().uuid));
    if (found == seqs.end()) {
      pending.batch->duplicate[pending.index] = true;
      continue;
    }
    MarkStored(pending, found->second);
    seqs.erase(found);
  }
  return Status::Ok();
}
// Each project's lowest and highest stored seq of one append, as its range (kProjectRanges).
Status RecordRanges(Connection& writer, std::span<const Pending> appended) {
  std::map<std::int64_t, SeqRange> bounds;
  for (const Pending& pending : appended) {
    if (pending.batch->duplicate[pending.index]) continue;
    const Event& event = pending.event();
    auto [it, added] = bounds.try_emplace(event.project_id, SeqRange{event.seq, event.seq});
    if (!added) {
      it->second.low = std::min(it->second.low, event.seq);
      it->second.high = std::max(it->second.high, event.seq);
    }
  }
  if (bounds.empty()) return Status::Ok();
  auto insert = writer.Prepare("INSERT INTO event_ranges (project_id, low, high) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  for (const auto& [project_id, range] : bounds) {
    insert->Reset();
    if (Status s = insert->Bind(project_id, range.low, range.high).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

constexpr char kColumns[] =
    "SELECT seq, project_id, environment_id, uuid, event, distinct_id, properties, timestamp, received_at"
    " FROM events";

Event ReadEvent(const Statement& row) {
  Event event;
  event.seq = row.Int64(0);
  event.project_id = row.Int64(1);
  event.environment_id = row.Int64(2);
  event.uuid = row.Text(3);
  event.event = row.Text(4);
  event.distinct_id = row.Text(5);
  event.properties = row.Text(6);
  event.timestamp_ms = row.Int64(7);
  event.received_at_ms = row.Int64(8);
  return event;
}

// One statement shape per combination of filters, each cached on its connection. Without a uuid
// the statement reads one range of seqs (:low..:high, a rowid range); the unary + keeps SQLite
// from walking the (project_id, uuid) index for the project instead.
std::string QuerySql(const EventQuery& query) {
  std::string sql = std::string(kColumns);
  sql += query.uuid ? " WHERE project_id = :project AND uuid = :uuid"
                    : " WHERE seq >= :low AND seq <= :high AND +project_id = :project";
  if (query.event) sql += " AND event = :event";
  if (query.distinct_id) sql += " AND distinct_id = :distinct_id";
  if (query.after_ms) sql += " AND timestamp >= :after_ms";
  if (query.before_ms) sql += " AND timestamp < :before_ms";
  if (query.after_seq) return sql + " AND seq > :after_seq ORDER BY seq ASC LIMIT :limit";
  if (query.before_seq) sql += " AND seq < :before_seq";
  return sql + " ORDER BY seq DESC LIMIT :limit";
}

// Calls `visit` with each of the project's ranges that may hold events in the query's seq bounds,
// in the order of its answer, until `visit` says it has enough. Ranges are read one at a time as
// they are needed: a big project has a range per group commit of its history, and its newest page
// must not read them all. Ranges of one project never overlap, so newest first is `high`
// descending, and only one range reaching past before_seq can hold events below it.
template <typename Visit>
Status ForEachRange(Connection& reader, const EventQuery& query, Visit visit) {
  auto walk = [&visit](Statement& select) -> Result<bool> {  // true: visit has enough
    while (true) {
      auto row = select.Step();
      if (!row.ok()) return row.status();
      if (!*row) return false;
      auto enough = visit(SeqRange{select.Int64(0), select.Int64(1)});
      if (!enough.ok() || *enough) return enough;
    }
  };
  if (query.after_seq) {
    auto select = reader.Prepare(
        "SELECT low, high FROM event_ranges WHERE project_id = ?1 AND high > ?2 ORDER BY high ASC");
    if (!select.ok()) return select.status();
    select->Bind(query.project_id, *query.after_seq);
    return walk(*select).status();
  }
  const std::int64_t before = query.before_seq.value_or(std::numeric_limits<std::int64_t>::max());
  auto straddling = reader.Prepare(
      "SELECT low, high FROM event_ranges WHERE project_id = ?1 AND high >= ?2 AND low < ?2"
      " ORDER BY high ASC LIMIT 1");
  if (!straddling.ok()) return straddling.status();
  straddling->Bind(query.project_id, before);
  auto enough = walk(*straddling);
  if (!enough.ok() || *enough) return enough.status();
  auto below = reader.Prepare(
      "SELECT low, high FROM event_ranges WHERE project_id = ?1 AND high < ?2 ORDER BY high DESC");
  if (!below.ok()) return below.status();
  below->Bind(query.project_id, before);
  return walk(*below).status();
}

}  // namespace

Result<std::unique_ptr<SqliteEventLog>> SqliteEventLog::Open(const std::string& path,
                                                             int reader_connections) {
  auto writer = Connection::Open(path, /*create=*/true);
  if (!writer.ok()) return writer.status();
  if (Status s = (*writer)->Exec(kWriterPragmas); !s.ok()) return s;
  auto mode = (*writer)->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") return Status::Unavailable("cannot use WAL journal mode on '" + path + "'");
  if (Status s = store::sqlite::ApplyMigrations(**writer, kMigrations); !s.ok()) return s;
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(reader_connections, 1); ++i) {
    auto reader = Connection::Open(path, /*create=*/false);
    if (!reader.ok()) return reader.status();
    if (Status s = (*reader)->Exec(kReaderPragmas); !s.ok()) return s;
    readers.push_back(std::move(*reader));
  }
  auto checkpointer = store::sqlite::WalCheckpointer::Start(path, **writer);
  if (!checkpointer.ok()) return checkpointer.status();
  return std::unique_ptr<SqliteEventLog>(
      new SqliteEventLog(std::move(*writer), std::move(readers), std::move(*checkpointer)));
}

Status SqliteEventLog::Append(std::span<EventBatch* const> batches) {
  MutexLock lock(writer_mutex_);
  Transaction transaction(*writer_);
  if (Status s = transaction.BeginImmediate(); !s.ok()) return s;
  std::vector<Pending> pending;
  for (EventBatch* batch : batches) {
    batch->duplicate.assign(batch->events.size(), false);
    batch->stored = 0;
    for (std::size_t i = 0; i < batch->events.size(); ++i) pending.push_back({batch, i});
  }
  auto newest = writer_->Prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'events'");
  if (!newest.ok()) return newest.status();
  auto row = newest->Step();
  if (!row.ok()) return row.status();
  std::int64_t high = *row ? newest->Int64(0) : 0;  // the largest seq given so far
  newest->Reset();

  std::size_t next = 0;
  for (const std::size_t rows_per_insert : kRowsPerInsert) {
    if (pending.size() - next < rows_per_insert) continue;
    auto insert = writer_->Prepare(InsertSql(rows_per_insert));
    if (!insert.ok()) return insert.status();
    for (; pending.size() - next >= rows_per_insert; next += rows_per_insert) {
      std::span<const Pending> rows(pending.data() + next, rows_per_insert);
      insert->Reset();
      for (std::size_t r = 0; r < rows.size(); ++r) BindRow(*insert, static_cast<int>(r), rows[r].event());
      if (Status s = insert->Run(); !s.ok()) return s;
      if (Status s = AssignSeqs(*writer_, rows, high); !s.ok()) return s;
    }
  }
  if (Status s = RecordRanges(*writer_, pending); !s.ok()) return s;
  return transaction.Commit();
}

Result<std::vector<Event>> SqliteEventLog::Query(const EventQuery& query) {
  store::sqlite::ConnectionPool::Lease reader = readers_.Acquire();
  const std::size_t limit = std::max<std::size_t>(query.limit, 1);
  auto select = reader->Prepare(QuerySql(query));
  if (!select.ok()) return select.status();
  // Reads the statement's rows (at most `limit` - what is already there) into `events`.
  std::vector<Event> events;
  auto read = [&](std::optional<SeqRange> range) -> Status {
    select->Reset();
    select->BindNamed(":project", query.project_id);
    if (range) {
      select->BindNamed(":low", range->low);
      select->BindNamed(":high", range->high);
    }
    if (query.uuid) select->BindNamed(":uuid", *query.uuid);
    if (query.event) select->BindNamed(":event", *query.event);
    if (query.distinct_id) select->BindNamed(":distinct_id", *query.distinct_id);
    if (query.after_ms) select->BindNamed(":after_ms", *query.after_ms);
    if (query.before_ms) select->BindNamed(":before_ms", *query.before_ms);
    if (query.after_seq) select->BindNamed(":after_seq", *query.after_seq);
    if (query.before_seq && !query.after_seq) select->BindNamed(":before_seq", *query.before_seq);
    select->BindNamed(":limit", static_cast<std::int64_t>(limit - events.size()));
    while (true) {
      auto row = select->Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      events.push_back(ReadEvent(*select));
    }
  };
  if (query.uuid) {
    if (Status s = read(std::nullopt); !s.ok()) return s;
    return events;
  }
  Status walked = ForEachRange(*reader, query, [&](SeqRange range) -> Result<bool> {
    if (Status s = read(range); !s.ok()) return s;
    return events.size() >= limit;
  });
  if (!walked.ok()) return walked;
  return events;
}

Result<std::vector<Event>> SqliteEventLog::ReadAfter(std::int64_t after_seq, std::size_t limit) {
  store::sqlite::ConnectionPool::Lease reader = readers_.Acquire();
  auto select = reader->Prepare(std::string(kColumns) + " WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  if (!select.ok()) return select.status();
  select->Bind(after_seq, static_cast<std::int64_t>(std::max<std::size_t>(limit, 1)));
  return store::sqlite::CollectRows<Event>(
      *select, [](const Statement& row) -> Result<Event> { return ReadEvent(row); });
}

Result<std::int64_t> SqliteEventLog::LatestSeq(std::int64_t project_id) {
  store::sqlite::ConnectionPool::Lease reader = readers_.Acquire();
  auto select = reader->Prepare("SELECT coalesce(max(high), 0) FROM event_ranges WHERE project_id = ?1");
  if (!select.ok()) return select.status();
  auto row = select->Bind(project_id).Step();
  if (!row.ok()) return row.status();
  return select->Int64(0);
}

Result<std::size_t> SqliteEventLog::DeleteReceivedBefore(std::int64_t cutoff_ms, std::size_t max_events) {
  MutexLock lock(writer_mutex_);
  // Looks at the oldest max_events rows only (the primary key's first pages), so a call that
  // finds nothing to delete costs as little as one that does.
  auto remove = writer_->Prepare(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?2) AND received_at < ?1");
  if (!remove.ok()) return remove.status();
  if (Status s = remove->Bind(cutoff_ms, static_cast<std::int64_t>(max_events)).Run(); !s.ok()) return s;
  const auto removed = static_cast<std::size_t>(writer_->Changes());
  // Ranges that end below the oldest event left point at nothing any more: the oldest ones, by
  // the same bounded step.
  auto forget = writer_->Prepare(
      "DELETE FROM event_ranges WHERE id IN (SELECT id FROM event_ranges ORDER BY id LIMIT ?1)"
      " AND high < coalesce((SELECT min(seq) FROM events), 9223372036854775807)");
  if (!forget.ok()) return forget.status();
  if (Status s = forget->Bind(static_cast<std::int64_t>(max_events)).Run(); !s.ok()) return s;
  return removed;
}

bool SqliteEventLog::Healthy() {
  store::sqlite::ConnectionPool::Lease reader = readers_.Acquire();
  auto probe = reader->Prepare("SELECT 1 FROM events LIMIT 1");
  return probe.ok() && probe->Step().ok();
}

}  // namespace switchyard::events
