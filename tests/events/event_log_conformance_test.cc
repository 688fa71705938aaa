// The EventLog contract, run against every backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/memory_event_log.h"
#include "events/sqlite_event_log.h"
#include "events/uuid.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_migrations.h"
#include "store/temp_dir.h"

namespace switchyard::events {
namespace {

using ::testing::ElementsAre;

std::string UuidOf(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-7000-8000-%012d", n);
  return text;
}

Event MakeEvent(int n, std::int64_t project = 1, std::string name = "view", std::string who = "u1") {
  Event event;
  event.project_id = project;
  event.environment_id = 3;
  event.uuid = UuidOf(n);
  event.event = std::move(name);
  event.distinct_id = std::move(who);
  event.properties = R"({"n":)" + std::to_string(n) + "}";
  event.timestamp_ms = 1000 * n;
  event.received_at_ms = 1000 * n;
  return event;
}

template <typename T>
T Must(Result<T> result) {
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return std::move(*result);
}

struct MemoryBackend {
  std::unique_ptr<EventLog> Make() { return std::make_unique<MemoryEventLog>(); }
};
struct SqliteBackend {
  store::test_support::TempDir dir;
  std::unique_ptr<EventLog> Make() { return Must(SqliteEventLog::Open(dir.File("events.db"), 2)); }
};

template <typename Backend>
class EventLogTest : public ::testing::Test {
 protected:
  EventLog& log() { return *log_; }
  // Appends each batch in one call.
  void Append(std::vector<EventBatch*> batches) {
    ASSERT_TRUE(log_->Append(std::span<EventBatch* const>(batches)).ok());
  }
  std::vector<std::string> Uuids(const EventQuery& query) {
    std::vector<std::string> out;
    for (const Event& event : Must(log_->Query(query))) out.push_back(event.uuid);
    return out;
  }

  Backend backend_;
  std::unique_ptr<EventLog> log_ = backend_.Make();
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(EventLogTest, Backends);

TYPED_TEST(EventLogTest, StoresEveryFieldAndNumbersInArrivalOrder) {
  EventBatch batch{{MakeEvent(1), MakeEvent(2)}, {}, 0};
  this->Append({&batch});
  EXPECT_EQ(batch.stored, 2u);
  EXPECT_THAT(batch.duplicate, ElementsAre(false, false));
  auto events = Must(this->log().Query({.project_id = 1}));
  ASSERT_EQ(events.size(), 2u);
  const Event& newest = events[0];
  EXPECT_EQ(newest.uuid, UuidOf(2));
  EXPECT_EQ(newest.project_id, 1);
  EXPECT_EQ(newest.environment_id, 3);
  EXPECT_EQ(newest.event, "view");
  EXPECT_EQ(newest.distinct_id, "u1");
  EXPECT_EQ(newest.properties, R"({"n":2})");
  EXPECT_EQ(newest.timestamp_ms, 2000);
  EXPECT_EQ(newest.received_at_ms, 2000);
  EXPECT_GT(newest.seq, events[1].seq);
  EXPECT_EQ(Must(this->log().LatestSeq(1)), newest.seq);
  EXPECT_EQ(Must(this->log().LatestSeq(2)), 0);
}

TYPED_TEST(EventLogTest, StoresAUuidOncePerProject) {
  EventBatch first{{MakeEvent(1), MakeEvent(2)}, {}, 0};
  this->Append({&first});
  // A retry of the batch, a repeat within one call, and the same uuid in another project.
  EventBatch retry{{MakeEvent(1), MakeEvent(3), MakeEvent(3)}, {}, 0};
  EventBatch other{{MakeEvent(1, /*project=*/2)}, {}, 0};
  this->Append({&retry, &other});
  EXPECT_THAT(retry.duplicate, ElementsAre(true, false, true));
  EXPECT_EQ(retry.stored, 1u);
  EXPECT_EQ(other.stored, 1u);
  EXPECT_THAT(this->Uuids({.project_id = 1}), ElementsAre(UuidOf(3), UuidOf(2), UuidOf(1)));
  EXPECT_THAT(this->Uuids({.project_id = 2}), ElementsAre(UuidOf(1)));
}

// Batches of some tens go in as 16-, 4- and 1-row statements (SqliteEventLog). Duplicates of
// stored events in each of them, and a repeat inside one statement and across two, must be found
// (the first of a repeat wins), and every stored event must keep its own row's seq.
TYPED_TEST(EventLogTest, DuplicatesInsideSmallStatementsAreFound) {
  EventBatch earlier;
  for (int n : {3, 20, 23}) earlier.events.push_back(MakeEvent(n));
  this->Append({&earlier});
  // 21 events: rows 0-15 go in one 16-row statement (old n=3 at row 2; n=5 at row 4 and again
  // at row 9), rows 16-19 in a 4-row one (old n=20 and n=23) and row 20 alone (n=16 again, first
  // sent at row 15 in the 16-row statement).
  EventBatch batch;
  for (int n = 1; n <= 16; ++n) {
    Event event = MakeEvent(n == 10 ? 5 : n);
    if (n == 10) event.properties = R"({"n":"repeat in the statement"})";
    batch.events.push_back(event);
  }
  for (int n : {20, 21, 22, 23}) batch.events.push_back(MakeEvent(n));
  Event repeat = MakeEvent(16);
  repeat.properties = R"({"n":"repeat"})";
  batch.events.push_back(repeat);
  this->Append({&batch});

  std::vector<bool> expected(21, false);
  for (std::size_t duplicate : {2u, 9u, 16u, 19u, 20u}) expected[duplicate] = true;
  EXPECT_EQ(batch.duplicate, expected);
  EXPECT_EQ(batch.stored, 16u);
  std::map<std::string, Event> rows;
  for (Event& event : Must(this->log().ReadAfter(0, 1000))) rows[event.uuid] = std::move(event);
  ASSERT_EQ(rows.size(), 19u);  // 3 earlier + 16
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    if (batch.duplicate[i]) continue;
    const Event& row = rows.at(batch.events[i].uuid);
    EXPECT_EQ(batch.events[i].seq, row.seq) << i;
    EXPECT_EQ(batch.events[i].properties, row.properties) << i;
  }
}

// Enough events in one call for several multi-row INSERTs and a remainder, with duplicates of
// stored events, a repeat inside the call and another project's copies scattered through them:
// each event is stored or marked a duplicate exactly, the first of a repeat wins, and the seq each
// stored event is given is the seq of its own row, increasing in arrival order.
TYPED_TEST(EventLogTest, ManyEventsInOneCallKeepTheirOwnSeqs) {
  EventBatch earlier;
  for (int n = 1; n <= 50; ++n) earlier.events.push_back(MakeEvent(n));
  this->Append({&earlier});
  EventBatch mixed;
  for (int n = 40; n <= 189; ++n) {
    mixed.events.push_back(MakeEvent(n));
    if (n == 100) {
      Event repeat = MakeEvent(100);
      repeat.properties = R"({"n":"repeat"})";
      mixed.events.push_back(repeat);
    }
  }
  EventBatch other;
  for (int n = 1; n <= 70; ++n) other.events.push_back(MakeEvent(n, /*project=*/2));
  this->Append({&mixed, &other});

  std::size_t expected_stored = 0;
  bool seen_100 = false;
  for (std::size_t i = 0; i < mixed.events.size(); ++i) {
    const std::string properties = mixed.events[i].properties;
    const bool repeat = properties == R"({"n":"repeat"})";
    const bool old = mixed.events[i].timestamp_ms <= 50000;
    EXPECT_EQ(mixed.duplicate[i], old || repeat) << i;
    if (!old && !repeat) ++expected_stored;
    if (mixed.events[i].uuid == UuidOf(100) && !repeat) seen_100 = true;
  }
  EXPECT_TRUE(seen_100);
  EXPECT_EQ(mixed.stored, expected_stored);
  EXPECT_EQ(other.stored, 70u);
  EXPECT_THAT(other.duplicate, ::testing::Each(false));

  std::map<std::pair<std::int64_t, std::string>, Event> rows;
  for (Event& event : Must(this->log().ReadAfter(0, 1000))) {
    rows[{event.project_id, event.uuid}] = std::move(event);
  }
  ASSERT_EQ(rows.size(), 50u + expected_stored + 70u);
  std::int64_t previous = 0;
  for (EventBatch* batch : {&earlier, &mixed, &other}) {
    for (std::size_t i = 0; i < batch->events.size(); ++i) {
      if (!batch->duplicate.empty() && batch->duplicate[i]) continue;
      const Event& event = batch->events[i];
      const Event& row = rows.at({event.project_id, event.uuid});
      EXPECT_EQ(event.seq, row.seq) << event.uuid;
      EXPECT_EQ(event.properties, row.properties) << event.uuid;
      EXPECT_GT(event.seq, previous) << event.uuid;
      previous = event.seq;
    }
  }
}

TYPED_TEST(EventLogTest, FiltersAndPages) {
  EventBatch batch{{MakeEvent(1, 1, "view", "a"), MakeEvent(2, 1, "buy", "a"), MakeEvent(3, 1, "view", "b"),
                    MakeEvent(4, 1, "view", "a"), MakeEvent(5, 2, "view", "a")},
                   {},
                   0};
  this->Append({&batch});
  EXPECT_THAT(this->Uuids({.project_id = 1, .event = "view"}), ElementsAre(UuidOf(4), UuidOf(3), UuidOf(1)));
  EXPECT_THAT(this->Uuids({.project_id = 1, .distinct_id = "a"}),
              ElementsAre(UuidOf(4), UuidOf(2), UuidOf(1)));
  EXPECT_THAT(this->Uuids({.project_id = 1, .uuid = UuidOf(3)}), ElementsAre(UuidOf(3)));
  EXPECT_THAT(this->Uuids({.project_id = 1, .after_ms = 2000, .before_ms = 4000}),
              ElementsAre(UuidOf(3), UuidOf(2)));
  auto all = Must(this->log().Query({.project_id = 1}));
  EXPECT_THAT(this->Uuids({.project_id = 1, .before_seq = all[1].seq, .limit = 1}), ElementsAre(UuidOf(2)));
  EXPECT_THAT(this->Uuids({.project_id = 1, .after_seq = all[3].seq, .limit = 2}),
              ElementsAre(UuidOf(2), UuidOf(3)));
  EXPECT_THAT(this->Uuids({.project_id = 1, .event = "view", .after_seq = all[3].seq}),
              ElementsAre(UuidOf(3), UuidOf(4)));
}

// A small project's events spread over many appends between a big project's: every page, newest
// first or following oldest first, holds exactly the project's events in order.
TYPED_TEST(EventLogTest, PagesAProjectInterleavedWithAnotherAcrossAppends) {
  std::vector<std::string> expected;  // project 1, oldest first
  int n = 0;
  for (int append = 0; append < 12; ++append) {
    EventBatch batch;
    for (int i = 0; i < 5; ++i) batch.events.push_back(MakeEvent(++n, 2));
    if (append % 3 != 1) {  // some appends hold no event of project 1
      batch.events.push_back(MakeEvent(++n, 1));
      expected.push_back(UuidOf(n));
    }
    for (int i = 0; i < 4; ++i) batch.events.push_back(MakeEvent(++n, 2));
    if (append % 2 == 0) {
      batch.events.push_back(MakeEvent(++n, 1));
      expected.push_back(UuidOf(n));
    }
    this->Append({&batch});
  }
  std::vector<std::string> newest_first;
  std::optional<std::int64_t> cursor;
  for (int page = 0; page < 100; ++page) {
    auto events = Must(this->log().Query({.project_id = 1, .before_seq = cursor, .limit = 3}));
    if (events.empty()) break;
    for (const Event& event : events) newest_first.push_back(event.uuid);
    cursor = events.back().seq;
  }
  EXPECT_EQ(newest_first, std::vector<std::string>(expected.rbegin(), expected.rend()));

  std::vector<std::string> oldest_first;
  std::int64_t after = 0;
  for (int page = 0; page < 100; ++page) {
    auto events = Must(this->log().Query({.project_id = 1, .after_seq = after, .limit = 4}));
    if (events.empty()) break;
    for (const Event& event : events) oldest_first.push_back(event.uuid);
    after = events.back().seq;
  }
  EXPECT_EQ(oldest_first, expected);
  EXPECT_EQ(Must(this->log().LatestSeq(1)), Must(this->log().Query({.project_id = 1, .limit = 1}))[0].seq);
  EXPECT_THAT(this->Uuids({.project_id = 1, .event = "view", .limit = 2}),
              ElementsAre(expected[expected.size() - 1], expected[expected.size() - 2]));
}

TYPED_TEST(EventLogTest, ReadsEveryProjectAfterASeqOldestFirst) {
  EventBatch batch{{MakeEvent(1, 1), MakeEvent(2, 2), MakeEvent(3, 1), MakeEvent(4, 3)}, {}, 0};
  this->Append({&batch});
  auto all = Must(this->log().ReadAfter(0, 100));
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].uuid, UuidOf(1));
  EXPECT_EQ(all[1].project_id, 2);
  EXPECT_EQ(all[3].uuid, UuidOf(4));
  auto page = Must(this->log().ReadAfter(all[0].seq, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].uuid, UuidOf(2));
  EXPECT_EQ(page[1].uuid, UuidOf(3));
  EXPECT_TRUE(Must(this->log().ReadAfter(all[3].seq, 10)).empty());
}

TYPED_TEST(EventLogTest, DeletesTheOldestInBatchesAndNeverReusesSeq) {
  EventBatch batch{{MakeEvent(1), MakeEvent(2), MakeEvent(3), MakeEvent(4)}, {}, 0};
  this->Append({&batch});
  const std::int64_t latest = Must(this->log().LatestSeq(1));
  EXPECT_EQ(Must(this->log().DeleteReceivedBefore(3500, 2)), 2u);
  EXPECT_EQ(Must(this->log().DeleteReceivedBefore(3500, 2)), 1u);
  EXPECT_EQ(Must(this->log().DeleteReceivedBefore(3500, 2)), 0u);
  EXPECT_THAT(this->Uuids({.project_id = 1}), ElementsAre(UuidOf(4)));
  EXPECT_EQ(Must(this->log().DeleteReceivedBefore(99999, 10)), 1u);
  EventBatch later{{MakeEvent(5)}, {}, 0};
  this->Append({&later});
  EXPECT_GT(later.events[0].seq, latest);
}

// A database written before project ranges existed (schema 2: an index on project_id) is
// migrated in place: ranges are built from its events, and listing and appending go on.
TEST(SqliteEventLog, MigratesTheProjectIndexToRanges) {
  store::test_support::TempDir dir;
  const std::string path = dir.File("events.db");
  {
    auto connection = Must(store::sqlite::Connection::Open(path, /*create=*/true));
    constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, environment_id INTEGER NOT NULL,
  uuid TEXT NOT NULL, event TEXT NOT NULL, distinct_id TEXT NOT NULL, properties TEXT NOT NULL,
  timestamp INTEGER NOT NULL, received_at INTEGER NOT NULL);
CREATE UNIQUE INDEX events_by_uuid ON events (project_id, uuid);
CREATE INDEX events_by_project ON events (project_id);
)sql";
    constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE aggregate_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL,
  saved_at INTEGER NOT NULL);
)sql";
    const std::array old{store::sqlite::Migration{1, "events", kVersion1},
                         store::sqlite::Migration{2, "aggregate checkpoints", kVersion2}};
    ASSERT_TRUE(store::sqlite::ApplyMigrations(*connection, old).ok());
    // Project 1 at seqs 1, 3 and 9,000 (two blocks of 4,096); project 2 between.
    for (const auto& [seq, project] :
         std::vector<std::pair<int, int>>{{1, 1}, {2, 2}, {3, 1}, {9000, 1}, {9001, 2}}) {
      ASSERT_TRUE(connection
                      ->Exec("INSERT INTO events VALUES (" + std::to_string(seq) + ", " +
                             std::to_string(project) + ", 3, '" + UuidOf(seq) +
                             "', 'view', 'u1', '{}', 0, 0)")
                      .ok());
    }
  }
  auto log = Must(SqliteEventLog::Open(path, 1));
  std::vector<std::string> listed;
  for (const Event& event : Must(log->Query({.project_id = 1}))) listed.push_back(event.uuid);
  EXPECT_THAT(listed, ElementsAre(UuidOf(9000), UuidOf(3), UuidOf(1)));
  EXPECT_EQ(Must(log->LatestSeq(1)), 9000);
  EventBatch batch{{MakeEvent(7, 1)}, {}, 0};
  std::vector<EventBatch*> batches{&batch};
  ASSERT_TRUE(log->Append(batches).ok());
  EXPECT_EQ(batch.events[0].seq, 9002);
  EXPECT_EQ(Must(log->Query({.project_id = 1, .limit = 1}))[0].uuid, UuidOf(7));
  EXPECT_EQ(Must(log->Query({.project_id = 2, .before_seq = 9001}))[0].uuid, UuidOf(2));
}

// Retention forgets the ranges of the events it deleted, so the table of ranges does not grow
// with history that is gone.
TEST(SqliteEventLog, RetentionForgetsTheRangesOfDeletedEvents) {
  store::test_support::TempDir dir;
  const std::string path = dir.File("events.db");
  auto log = Must(SqliteEventLog::Open(path, 1));
  for (int n = 1; n <= 3; ++n) {
    EventBatch batch{{MakeEvent(n, 1), MakeEvent(10 + n, 2)}, {}, 0};
    std::vector<EventBatch*> batches{&batch};
    ASSERT_TRUE(log->Append(batches).ok());
  }
  auto ranges = [&path] {
    auto connection = Must(store::sqlite::Connection::Open(path, /*create=*/false));
    return Must(connection->QueryText("SELECT count(*) FROM event_ranges"));
  };
  EXPECT_EQ(ranges(), "6");  // one per project per append
  // Project 1's first two events (received at 1 s and 2 s; seqs 1 and 3): only the range of seq 1
  // ends below the oldest event left (seq 2).
  EXPECT_EQ(Must(log->DeleteReceivedBefore(2500, 100)), 2u);
  EXPECT_EQ(ranges(), "5");
  EXPECT_EQ(Must(log->DeleteReceivedBefore(99999, 100)), 4u);
  EXPECT_EQ(ranges(), "0");
  EXPECT_EQ(Must(log->Query({.project_id = 2})).size(), 0u);
}

TEST(SqliteEventLog, KeepsEventsAcrossReopen) {
  store::test_support::TempDir dir;
  {
    auto log = Must(SqliteEventLog::Open(dir.File("events.db"), 1));
    EventBatch batch{{MakeEvent(1)}, {}, 0};
    std::vector<EventBatch*> batches{&batch};
    ASSERT_TRUE(log->Append(batches).ok());
  }
  auto log = Must(SqliteEventLog::Open(dir.File("events.db"), 1));
  EXPECT_EQ(Must(log->Query({.project_id = 1})).size(), 1u);
  EXPECT_TRUE(log->Healthy());
  EventBatch retry{{MakeEvent(1)}, {}, 0};
  std::vector<EventBatch*> batches{&retry};
  ASSERT_TRUE(log->Append(batches).ok());
  EXPECT_EQ(retry.stored, 0u);
}

}  // namespace
}  // namespace switchyard::events
