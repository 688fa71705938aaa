// WalCheckpointer: the writer's commits are checkpointed by the checkpointer's thread, and the
// writer checkpoints for itself again once the checkpointer is gone. In WAL mode only a
// checkpoint writes pages into the database file, so its size shows whether one ran.
#include "store/sqlite_wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/temp_dir.h"

namespace switchyard::store::sqlite {
namespace {

using test_support::TempDir;

std::unique_ptr<Connection> OpenWal(const std::string& path) {
  auto connection = Connection::Open(path, /*create=*/true);
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  EXPECT_EQ(*(*connection)->QueryText("PRAGMA journal_mode = WAL"), "wal");
  // Commits here test checkpoints, not durability: no fsync.
  EXPECT_TRUE((*connection)->Exec("PRAGMA synchronous = OFF; CREATE TABLE t (b BLOB)").ok());
  return std::move(*connection);
}

// Commits `count` transactions of one 4 KiB row each (a WAL page or more each).
void Commit(Connection& writer, int count) {
  for (int i = 0; i < count; ++i) {
    ASSERT_TRUE(writer.Exec("INSERT INTO t VALUES (randomblob(4096))").ok());
  }
}

// Waits (up to 20 s: a loaded CI machine) for `done`; no timing is asserted, only the outcome.
template <typename Condition>
bool Eventually(Condition done) {
  for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

TEST(WalCheckpointer, CheckpointsTheWritersCommitsOnItsOwnThread) {
  TempDir dir;
  const std::string path = dir.File("events.db");
  auto writer = OpenWal(path);
  const auto empty_size = std::filesystem::file_size(path);
  auto checkpointer = WalCheckpointer::Start(path, *writer, /*pages=*/8);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().ToString();
  Commit(*writer, 64);
  ASSERT_TRUE(Eventually([&] { return (*checkpointer)->checkpoints() > 0; }));
  EXPECT_TRUE(Eventually([&] { return std::filesystem::file_size(path) > empty_size + 8 * 4096; }));
  // Nothing was lost on the way into the database file.
  EXPECT_EQ(*writer->QueryText("SELECT count(*) FROM t"), "64");
}

TEST(WalCheckpointer, BelowItsThresholdNothingIsCheckpointed) {
  TempDir dir;
  const std::string path = dir.File("events.db");
  auto writer = OpenWal(path);
  const auto empty_size = std::filesystem::file_size(path);
  auto checkpointer = WalCheckpointer::Start(path, *writer, /*pages=*/100'000);
  ASSERT_TRUE(checkpointer.ok());
  // Past SQLite's own threshold (1000 pages): had the writer still checkpointed for itself, the
  // database file would have grown.
  Commit(*writer, 1100);
  EXPECT_EQ((*checkpointer)->checkpoints(), 0u);
  EXPECT_EQ(std::filesystem::file_size(path), empty_size);
}

TEST(WalCheckpointer, TheWriterCheckpointsForItselfOnceItIsGone) {
  TempDir dir;
  const std::string path = dir.File("events.db");
  auto writer = OpenWal(path);
  const auto empty_size = std::filesystem::file_size(path);
  {
    auto checkpointer = WalCheckpointer::Start(path, *writer, /*pages=*/100'000);
    ASSERT_TRUE(checkpointer.ok());
  }
  Commit(*writer, 1100);  // past the automatic threshold, on the writer's own thread
  EXPECT_GT(std::filesystem::file_size(path), empty_size);
}

}  // namespace
}  // namespace switchyard::store::sqlite
