// What only the SQLite backend promises beyond the Store contract: durability across reopen,
// recorded and idempotent migrations, WAL and foreign keys, corruption reported as a Status, and
// clean failures when the file cannot be opened.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/sqlite_connection.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_store.h"
#include "store/store_test_support.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using test_support::kAlice;
using test_support::MakeFlag;
using test_support::Must;
using ::testing::HasSubstr;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.File("switchyard.db"); }
  std::unique_ptr<Store> Open() { return Must(OpenSqliteStore(path())); }
  // A second, independent connection to the same file, as another process would have.
  std::unique_ptr<sqlite::Connection> Raw() {
    return Must(sqlite::Connection::Open(path(), /*create=*/false));
  }
  void Exec(const std::string& sql) { Must(Raw()->Exec(sql)); }

 private:
  test_support::TempDir dir_;
};

TEST_F(SqliteStoreTest, DataSurvivesCloseAndReopen) {
  std::int64_t project = 0;
  {
    std::unique_ptr<Store> store = Open();
    project = Must(store->CreateProject("acme", "Acme", kAlice)).id;
    Must(store->CreateFlag(project, Everywhere(MakeFlag("checkout")), kAlice));
    Must(store->UpdateFlag(project, Everywhere(MakeFlag("checkout")), 1, kAlice));
    Must(store->UpdatePerson(project, "u1", json{{"plan", "pro"}}, nullptr, nullptr));
  }
  std::unique_ptr<Store> store = Open();
  EXPECT_EQ(Must(store->GetProjectBySlug("acme")).id, project);
  FlagRecord flag = Must(store->GetFlag(project, "checkout"));
  Flag expected = MakeFlag("checkout");
  expected.version = 2;
  EXPECT_EQ(flag.In(kPrimaryEnvironment), expected);
  EXPECT_EQ(Must(store->GetPerson(project, "u1")).properties, (json{{"plan", "pro"}}));
  EXPECT_EQ(Must(store->ListAudit({})).size(), 3u);
  // Ids keep increasing after a reopen (AUTOINCREMENT: never reused).
  EXPECT_GT(Must(store->CreateProject("beta", "Beta", kAlice)).id, project);
}

TEST_F(SqliteStoreTest, MigrationsAreRecordedAndReopeningIsANoOp) {
  Open().reset();
  const auto recorded = [&] {
    std::vector<std::string> rows;
    std::unique_ptr<sqlite::Connection> raw = Raw();
    sqlite::Statement query =
        Must(raw->Prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
    while (Must(query.Step()))
      rows.push_back(std::to_string(query.Int64(0)) + " " + query.Text(1) + " " + query.Text(2));
    return rows;
  };
  std::vector<std::string> first = recorded();
  ASSERT_EQ(first.size(), sqlite::Migrations().size());
  EXPECT_THAT(first[0], ::testing::StartsWith("1 initial schema 20"));
  Open().reset();
  EXPECT_EQ(recorded(), first);
}

TEST_F(SqliteStoreTest, RefusesADatabaseNewerThanTheBinary) {
  Open().reset();
  Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
       std::to_string(sqlite::LatestSchemaVersion() + 1) +
       ", 'from the future', '2030-01-01T00:00:00.000Z')");
  Result<std::unique_ptr<Store>> reopened = OpenSqliteStore(path());
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(reopened.status().message(), HasSubstr("newer than this binary"));
}

TEST_F(SqliteStoreTest, UsesWalJournal) {
  std::unique_ptr<Store> store = Open();
  EXPECT_EQ(Must(Raw()->QueryText("PRAGMA journal_mode")), "wal");
}

TEST_F(SqliteStoreTest, EnforcesForeignKeys) {
  std::unique_ptr<Store> store = Open();
  // Nothing but the foreign key stands between these inserts and a row for a missing project.
  EXPECT_EQ(store->CreateFlag(404, Everywhere(MakeFlag("orphan")), kAlice).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store->UpdatePerson(404, "u", nullptr, nullptr, nullptr).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Must(Raw()->QueryText("SELECT count(*) FROM flags")), "0");
  EXPECT_EQ(Must(Raw()->QueryText("SELECT count(*) FROM persons")), "0");
}

TEST_F(SqliteStoreTest, ReadsDoNotWaitForAnotherWriter) {
  std::unique_ptr<Store> store = Open();
  std::int64_t project = Must(store->CreateProject("acme", "Acme", kAlice)).id;
  Must(store->ReplacePerson(project, "u1", json{{"a", 1}}));
  std::unique_ptr<sqlite::Connection> other = Raw();
  Must(other->Exec("BEGIN IMMEDIATE; UPDATE persons SET properties = '{\"a\":2}';"));
  // WAL: the store's readers see the last committed state while the other writer holds the lock.
  EXPECT_EQ(Must(store->GetPerson(project, "u1")).properties, (json{{"a", 1}}));
  EXPECT_TRUE(store->Healthy());
  Must(other->Exec("COMMIT"));
  EXPECT_EQ(Must(store->GetPerson(project, "u1")).properties, (json{{"a", 2}}));
}

TEST_F(SqliteStoreTest, CorruptedDefinitionsReadBackAsCorruption) {
  std::unique_ptr<Store> store = Open();
  std::int64_t project = Must(store->CreateProject("acme", "Acme", kAlice)).id;
  Must(store->CreateFlag(project, Everywhere(MakeFlag("broken")), kAlice));
  Must(store->CreateFlag(project, Everywhere(MakeFlag("invalid")), kAlice));
  Exec("UPDATE flags SET definition = '{not json' WHERE key = 'broken'");
  Exec("UPDATE flags SET definition = '{\"key\": 5}' WHERE key = 'invalid'");

  for (const char* key : {"broken", "invalid"}) {
    Status status = store->GetFlag(project, key).status();
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_THAT(status.message(), HasSubstr(std::string("'") + key + "'"));
  }
  EXPECT_EQ(store->ListFlags(project, {}).status().code(), StatusCode::kCorruption);
}

TEST_F(SqliteStoreTest, CorruptedPersonPropertiesReadBackAsCorruption) {
  std::unique_ptr<Store> store = Open();
  std::int64_t project = Must(store->CreateProject("acme", "Acme", kAlice)).id;
  Must(store->ReplacePerson(project, "u1", json{{"a", 1}}));
  Exec("UPDATE persons SET properties = '[1, 2]'");
  EXPECT_EQ(store->GetPerson(project, "u1").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(store->UpdatePerson(project, "u1", json{{"b", 1}}, nullptr, nullptr).status().code(),
            StatusCode::kCorruption);
}

TEST_F(SqliteStoreTest, OpeningInAMissingDirectoryFailsCleanly) {
  const std::string missing = path() + ".d/nested/switchyard.db";
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(missing);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr(missing));
}

TEST_F(SqliteStoreTest, OpeningAFileThatIsNotADatabaseFailsCleanly) {
  std::ofstream(path()) << "this is not an SQLite database, just some text long enough to have a header";
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption) << store.status().ToString();
}

}  // namespace
}  // namespace switchyard::store
