// The Store contract (src/store/store.h), checked identically against every backend: one typed
// suite, instantiated for MemoryStore and SqliteStore (a fresh database file per test).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/instrumented_store.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_support.h"
#include "store/store_validation.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using test_support::Actions;
using test_support::AuditFilter;
using test_support::FlagFilter;
using test_support::IsError;
using test_support::kAlice;
using test_support::kBob;
using test_support::Keys;
using test_support::kTimestampPattern;
using test_support::MakeCohort;
using test_support::MakeFlag;
using test_support::MakeKey;
using test_support::MakeMultivariateFlag;
using test_support::Must;
using test_support::StatusOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

using test_support::MemoryBackend;
using test_support::SqliteBackend;

// The metrics decorator must not change any answer: the whole contract again, through it.
struct InstrumentedBackend {
  class NullObserver : public StoreObserver {
   public:
    void OnStoreOperation(StoreOperation, std::chrono::nanoseconds) override {}
  };
  static Result<std::unique_ptr<Store>> Open(const test_support::TempDir& dir) {
    static NullObserver observer;  // stateless
    auto inner = OpenSqliteStore(dir.File("switchyard.db"));
    if (!inner.ok()) return inner.status();
    return std::unique_ptr<Store>(std::make_unique<InstrumentedStore>(std::move(*inner), observer));
  }
};

struct ConformanceBackendNames {
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, InstrumentedBackend>) return "InstrumentedSqlite";
    return std::is_same_v<T, MemoryBackend> ? "Memory" : "Sqlite";
  }
};

template <typename Backend>
class StoreConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> opened = Backend::Open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    project_ = Must(store_->CreateProject("acme", "Acme", kAlice)).id;
  }
  void TearDown() override { store_.reset(); }

  Store& store() { return *store_; }
  std::int64_t project() const { return project_; }
  std::vector<AuditEntry> Audit(AuditQuery query = {}) { return Must(store_->ListAudit(query)); }

 private:
  test_support::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::int64_t project_ = 0;
};

using ConformanceBackends = ::testing::Types<MemoryBackend, SqliteBackend, InstrumentedBackend>;
TYPED_TEST_SUITE(StoreConformanceTest, ConformanceBackends, ConformanceBackendNames);

TYPED_TEST(StoreConformanceTest, IsHealthyWhenOpen) {
  EXPECT_TRUE(this->store().Healthy());
}

// --- Projects --------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, CreatesProjectAndFindsItByIdAndSlug) {
  Project created = Must(this->store().CreateProject("beta-2", "Beta", kAlice));
  EXPECT_GT(created.id, this->project());
  EXPECT_EQ(created.slug, "beta-2");
  EXPECT_EQ(created.name, "Beta");
  EXPECT_THAT(created.created_at, MatchesRegex(kTimestampPattern));

  Project by_id = Must(this->store().GetProject(created.id));
  Project by_slug = Must(this->store().GetProjectBySlug("beta-2"));
  for (const Project& found : {by_id, by_slug}) {
    EXPECT_EQ(found.id, created.id);
    EXPECT_EQ(found.slug, created.slug);
    EXPECT_EQ(found.name, created.name);
    EXPECT_EQ(found.created_at, created.created_at);
  }
}

TYPED_TEST(StoreConformanceTest, RejectsDuplicateAndInvalidSlugs) {
  EXPECT_THAT(this->store().CreateProject("acme", "Again", kAlice),
              IsError(StatusCode::kAlreadyExists, "slug"));
  // An all-digit slug would shadow a project id in URLs ("/projects/1").
  const std::vector<std::string> invalid = {"",  "Upper", "with space", "under_score", std::string(65, 'a'),
                                            "1", "0042"};
  for (const std::string& slug : invalid) {
    EXPECT_THAT(this->store().CreateProject(slug, "x", kAlice), IsError(StatusCode::kInvalidArgument, "slug"))
        << slug;
  }
  EXPECT_EQ(Must(this->store().ListProjects()).size(), 1u);
}

TYPED_TEST(StoreConformanceTest, MissingProjectIsNotFound) {
  EXPECT_THAT(this->store().GetProject(9999), IsError(StatusCode::kNotFound, "id"));
  EXPECT_THAT(this->store().GetProjectBySlug("nope"), IsError(StatusCode::kNotFound, "slug"));
}

TYPED_TEST(StoreConformanceTest, ListsProjectsInCreationOrder) {
  Must(this->store().CreateProject("zeta", "Zeta", kAlice));
  Must(this->store().CreateProject("alpha", "Alpha", kAlice));
  std::vector<std::string> slugs;
  for (const Project& project : Must(this->store().ListProjects())) slugs.push_back(project.slug);
  EXPECT_THAT(slugs, ElementsAre("acme", "zeta", "alpha"));
}

TYPED_TEST(StoreConformanceTest, ProjectCreationIsAudited) {
  std::vector<AuditEntry> entries = this->Audit();
  ASSERT_EQ(entries.size(), 1u);
  const AuditEntry& entry = entries[0];
  EXPECT_EQ(entry.action, "project.create");
  EXPECT_EQ(entry.entity_type, "project");
  EXPECT_EQ(entry.entity_key, "acme");
  EXPECT_EQ(entry.project_id, this->project());
  EXPECT_EQ(entry.actor, kAlice.name);
  EXPECT_THAT(entry.at, MatchesRegex(kTimestampPattern));
  EXPECT_TRUE(entry.before.is_null());
  EXPECT_EQ(entry.after, (json{{"id", this->project()}, {"slug", "acme"}, {"name", "Acme"}}));
}

// --- API keys --------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, CreatesAndListsApiKeys) {
  ApiKey admin = Must(this->store().CreateApiKey(MakeKey("sy_adm_AAAA", std::nullopt), kAlice));
  ApiKey project_key = Must(this->store().CreateApiKey(MakeKey("sy_prj_BBBB", this->project()), kAlice));
  EXPECT_GT(project_key.id, admin.id);
  EXPECT_THAT(admin.created_at, MatchesRegex(kTimestampPattern));
  EXPECT_FALSE(admin.revoked);

  std::vector<ApiKey> keys = Must(this->store().ListApiKeys());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, admin.id);
  EXPECT_EQ(keys[0].scope, KeyScope::kAdmin);
  EXPECT_EQ(keys[0].project_id, std::nullopt);
  EXPECT_EQ(keys[1].scope, KeyScope::kProject);
  EXPECT_EQ(keys[1].project_id, this->project());
  EXPECT_EQ(keys[1].label, "key sy_prj_BBBB");
  EXPECT_EQ(keys[1].prefix, "sy_prj_BBBB");
  EXPECT_EQ(keys[1].hash_hex, std::string(64, 'a'));
  EXPECT_EQ(keys[1].created_at, project_key.created_at);
}

// --- Environments ----------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, ProjectsStartWithThreeEnvironmentsAndKeysDefaultToProduction) {
  std::vector<Environment> environments = Must(this->store().ListEnvironments(this->project()));
  ASSERT_EQ(environments.size(), 3u);
  EXPECT_EQ(environments[0].key, "development");
  EXPECT_EQ(environments[1].key, "staging");
  EXPECT_EQ(environments[2].key, "production");
  EXPECT_EQ(environments[2].name, "Production");
  EXPECT_EQ(environments[2].project_id, this->project());
  ApiKey key = Must(this->store().CreateApiKey(MakeKey("sy_prj_BBBB", this->project()), kAlice));
  EXPECT_EQ(key.environment_id, environments[2].id);
  ApiKey staging = MakeKey("sy_prj_CCCC", this->project());
  staging.environment_id = environments[1].id;
  EXPECT_EQ(Must(this->store().CreateApiKey(staging, kAlice)).environment_id, environments[1].id);
  EXPECT_EQ(Must(this->store().ListApiKeys())[1].environment_id, environments[1].id);
  // Another project's environment is refused, and nothing is written.
  std::int64_t other = Must(this->store().CreateProject("other", "Other", kAlice)).id;
  ApiKey foreign = MakeKey("sy_prj_DDDD", other);
  foreign.environment_id = environments[0].id;
  EXPECT_THAT(this->store().CreateApiKey(foreign, kAlice),
              IsError(StatusCode::kInvalidArgument, "environment_id"));
  EXPECT_EQ(Must(this->store().ListApiKeys()).size(), 2u);
  EXPECT_EQ(Must(this->store().ListAllEnvironments()).size(), 6u);
}

TYPED_TEST(StoreConformanceTest, EnvironmentsHoldTheirOwnTargeting) {
  Flag on = MakeFlag("checkout");
  FlagRecord record = Everywhere(on);
  record.environments["staging"].active = false;
  Must(this->store().CreateFlag(this->project(), record, kAlice));
  FlagRecord read = Must(this->store().GetFlag(this->project(), "checkout"));
  EXPECT_TRUE(read.In("production").active);
  EXPECT_FALSE(read.In("staging").active);
  EXPECT_EQ(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Active(false)))).size(), 0u);
  FlagQuery in_staging;
  in_staging.active = false;
  in_staging.environment = "staging";
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), in_staging))), ElementsAre("checkout"));

  // An added environment serves every flag off, unless it copies another's targeting.
  Must(this->store().CreateEnvironment(this->project(), "qa", "QA", std::string("production"), kAlice));
  Must(this->store().CreateEnvironment(this->project(), "perf", "Perf", std::nullopt, kAlice));
  read = Must(this->store().GetFlag(this->project(), "checkout"));
  EXPECT_EQ(read.In("qa"), read.In("production"));
  EXPECT_FALSE(read.In("perf").active);
  EXPECT_EQ(read.flag.version, 1);  // copying targeting is not a change of the flag
  EXPECT_THAT(this->store().CreateEnvironment(this->project(), "qa", "QA", std::nullopt, kAlice),
              IsError(StatusCode::kAlreadyExists, "key"));
  EXPECT_THAT(this->store().CreateEnvironment(this->project(), "x", "X", std::string("nope"), kAlice),
              IsError(StatusCode::kNotFound, "copy_from"));
  EXPECT_THAT(this->store().CreateEnvironment(this->project(), "Bad Key", "X", std::nullopt, kAlice),
              IsError(StatusCode::kInvalidArgument, "key"));
  // Targeting for an environment the project does not have is refused.
  FlagRecord stray = Everywhere(MakeFlag("stray"));
  stray.environments["nowhere"] = TargetingOf(on);
  EXPECT_THAT(this->store().CreateFlag(this->project(), stray, kAlice),
              IsError(StatusCode::kInvalidArgument, "environments.nowhere"));
  EXPECT_EQ(Actions(this->Audit(AuditFilter().Type("environment"))),
            (std::vector<std::string>{"environment.create", "environment.create"}));
}

TYPED_TEST(StoreConformanceTest, RejectsDuplicatePrefixAndInvalidKeys) {
  Must(this->store().CreateApiKey(MakeKey("sy_adm_AAAA", std::nullopt), kAlice));
  EXPECT_THAT(this->store().CreateApiKey(MakeKey("sy_adm_AAAA", std::nullopt), kAlice),
              IsError(StatusCode::kAlreadyExists, "prefix"));
  EXPECT_THAT(this->store().CreateApiKey(MakeKey("sy_prj_CCCC", 9999), kAlice),
              IsError(StatusCode::kNotFound, "project_id"));
  ApiKey no_project = MakeKey("sy_prj_DDDD", std::nullopt);
  no_project.scope = KeyScope::kProject;
  EXPECT_THAT(this->store().CreateApiKey(no_project, kAlice),
              IsError(StatusCode::kInvalidArgument, "project_id"));
  ApiKey bad_hash = MakeKey("sy_adm_EEEE", std::nullopt);
  bad_hash.hash_hex = "ABC";
  EXPECT_THAT(this->store().CreateApiKey(bad_hash, kAlice),
              IsError(StatusCode::kInvalidArgument, "hash_hex"));
  EXPECT_EQ(Must(this->store().ListApiKeys()).size(), 1u);
}

TYPED_TEST(StoreConformanceTest, RevokesApiKeysOnce) {
  ApiKey key = Must(this->store().CreateApiKey(MakeKey("sy_prj_BBBB", this->project()), kAlice));
  Must(this->store().RevokeApiKey(key.id, kBob));
  EXPECT_TRUE(Must(this->store().ListApiKeys())[0].revoked);
  Must(this->store().RevokeApiKey(key.id, kBob));  // already revoked: no change, no audit entry
  EXPECT_THAT(this->store().RevokeApiKey(9999, kBob), IsError(StatusCode::kNotFound, "id"));

  std::vector<AuditEntry> entries = this->Audit(AuditFilter().Type("api_key"));
  EXPECT_THAT(Actions(entries), ElementsAre("api_key.revoke", "api_key.create"));
  const AuditEntry& revoke = entries[0];
  EXPECT_EQ(revoke.actor, kBob.name);
  EXPECT_EQ(revoke.entity_key, "sy_prj_BBBB");
  EXPECT_EQ(revoke.project_id, this->project());
  EXPECT_EQ(revoke.before["revoked"], false);
  EXPECT_EQ(revoke.after["revoked"], true);
}

TYPED_TEST(StoreConformanceTest, AuditNeverContainsTheKeyHash) {
  ApiKey key = Must(this->store().CreateApiKey(MakeKey("sy_adm_AAAA", std::nullopt), kAlice));
  Must(this->store().RevokeApiKey(key.id, kAlice));
  std::vector<AuditEntry> entries = this->Audit(AuditFilter().Type("api_key"));
  ASSERT_EQ(entries.size(), 2u);
  for (const AuditEntry& entry : entries) {
    for (const json& side : {entry.before, entry.after}) {
      EXPECT_THAT(side.dump(), ::testing::Not(HasSubstr(key.hash_hex)));
      EXPECT_FALSE(side.contains("hash_hex"));
    }
  }
  EXPECT_EQ(entries[1].after, (json{{"id", key.id},
                                    {"label", "key sy_adm_AAAA"},
                                    {"prefix", "sy_adm_AAAA"},
                                    {"scope", "admin"},
                                    {"project_id", nullptr},
                                    {"revoked", false}}));
  EXPECT_EQ(entries[1].project_id, std::nullopt);
}

// --- Flags -----------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, CreateFlagStartsAtVersionOne) {
  Flag flag = MakeMultivariateFlag("checkout");
  flag.version = 42;  // ignored
  FlagRecord created = Must(this->store().CreateFlag(this->project(), Everywhere(flag), kAlice));
  EXPECT_EQ(created.project_id, this->project());
  EXPECT_EQ(created.flag.version, 1);
  EXPECT_EQ(created.updated_by, kAlice.name);
  EXPECT_THAT(created.created_at, MatchesRegex(kTimestampPattern));
  EXPECT_EQ(created.updated_at, created.created_at);

  FlagRecord read = Must(this->store().GetFlag(this->project(), "checkout"));
  flag.version = 1;
  EXPECT_EQ(read.In(kPrimaryEnvironment), flag);
  EXPECT_EQ(read.In("staging"), flag);
  EXPECT_EQ(read.created_at, created.created_at);
  EXPECT_EQ(read.updated_by, kAlice.name);
}

TYPED_TEST(StoreConformanceTest, CreateFlagRefusesTakenKeyMissingProjectAndInvalidDefinition) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  EXPECT_THAT(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice),
              IsError(StatusCode::kAlreadyExists, "key"));
  EXPECT_THAT(this->store().CreateFlag(9999, Everywhere(MakeFlag("checkout")), kAlice),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_THAT(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("")), kAlice),
              IsError(StatusCode::kInvalidArgument, "key"));
  Flag bad = MakeMultivariateFlag("bad");
  bad.variants[0].rollout_percentage = 10;  // variants no longer sum to 100
  EXPECT_EQ(StatusOf(this->store().CreateFlag(this->project(), Everywhere(bad), kAlice)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_THAT(this->store().GetFlag(this->project(), "bad"), IsError(StatusCode::kNotFound, "key"));
}

TYPED_TEST(StoreConformanceTest, MissingFlagIsNotFound) {
  EXPECT_THAT(this->store().GetFlag(this->project(), "nope"), IsError(StatusCode::kNotFound, "key"));
  EXPECT_THAT(this->store().GetFlag(9999, "nope"), IsError(StatusCode::kNotFound, "key"));
  EXPECT_THAT(this->store().UpdateFlag(this->project(), Everywhere(MakeFlag("nope")), 1, kAlice),
              IsError(StatusCode::kNotFound, "key"));
  EXPECT_THAT(this->store().DeleteFlag(this->project(), "nope", 1, kAlice),
              IsError(StatusCode::kNotFound, "key"));
}

TYPED_TEST(StoreConformanceTest, ListFlagsIsSortedByKeyAndPerProject) {
  for (const char* key : {"zebra", "apple", "mango"})
    Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag(key)), kAlice));
  std::int64_t other = Must(this->store().CreateProject("other", "Other", kAlice)).id;
  Must(this->store().CreateFlag(other, Everywhere(MakeFlag("banana")), kAlice));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), {}))),
              ElementsAre("apple", "mango", "zebra"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(other, {}))), ElementsAre("banana"));
  EXPECT_TRUE(Must(this->store().ListFlags(9999, {})).empty());
}

TYPED_TEST(StoreConformanceTest, ListFlagsFiltersByTagAndActive) {
  Flag tagged = MakeFlag("tagged");
  tagged.tags = {"billing", "beta"};
  Flag inactive = MakeFlag("inactive");
  inactive.active = false;
  inactive.tags = {"bill"};  // a prefix of "billing" is not membership
  for (const Flag& flag : {tagged, inactive, MakeFlag("plain")})
    Must(this->store().CreateFlag(this->project(), Everywhere(flag), kAlice));

  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Tag("billing")))),
              ElementsAre("tagged"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Tag("beta")))),
              ElementsAre("tagged"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Tag("nobody")))),
              ElementsAre());
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Active(false)))),
              ElementsAre("inactive"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Active(true)))),
              ElementsAre("plain", "tagged"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Tag("team-a").Active(true)))),
              ElementsAre("plain"));
}

TYPED_TEST(StoreConformanceTest, ListFlagsFiltersByTextInKeyNameOrDescription) {
  Flag by_key = MakeFlag("New-Checkout");
  Flag by_name = MakeFlag("second");
  by_name.name = "Dark MODE toggle";
  Flag by_description = MakeFlag("third");
  by_description.description = "Rolls out the NEW pricing page";
  Flag underscore = MakeFlag("a_b");
  Flag percent = MakeFlag("fifty");
  percent.name = "50% rollout";
  for (const Flag& flag : {by_key, by_name, by_description, underscore, percent}) {
    Must(this->store().CreateFlag(this->project(), Everywhere(flag), kAlice));
  }
  const auto search = [&](const std::string& text) {
    return Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Text(text))));
  };
  EXPECT_THAT(search("checkout"), ElementsAre("New-Checkout"));
  EXPECT_THAT(search("mode"), ElementsAre("second"));
  EXPECT_THAT(search("new"), ElementsAre("New-Checkout", "third"));
  // SQL wildcards are plain characters here.
  EXPECT_THAT(search("_"), ElementsAre("a_b"));
  EXPECT_THAT(search("%"), ElementsAre("fifty"));
  EXPECT_THAT(search("nothing-like-this"), ElementsAre());
}

TYPED_TEST(StoreConformanceTest, UpdateFlagWithCurrentVersionIncrementsIt) {
  FlagRecord created =
      Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  Flag changed = MakeMultivariateFlag("checkout");
  changed.active = false;
  FlagRecord updated = Must(this->store().UpdateFlag(this->project(), Everywhere(changed), 1, kBob));
  EXPECT_EQ(updated.flag.version, 2);
  EXPECT_EQ(updated.updated_by, kBob.name);
  EXPECT_EQ(updated.created_at, created.created_at);

  FlagRecord read = Must(this->store().GetFlag(this->project(), "checkout"));
  changed.version = 2;
  EXPECT_EQ(read.In(kPrimaryEnvironment), changed);
  EXPECT_EQ(read.updated_by, kBob.name);
  EXPECT_EQ(Must(this->store().UpdateFlag(this->project(), Everywhere(changed), 2, kAlice)).flag.version, 3);
}

TYPED_TEST(StoreConformanceTest, UpdateFlagWithStaleVersionConflictsAndChangesNothing) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  Must(this->store().UpdateFlag(this->project(), Everywhere(MakeFlag("checkout")), 1, kAlice));
  const std::size_t audit_before = this->Audit().size();

  Flag stale = MakeFlag("checkout");
  stale.active = false;
  Result<FlagRecord> result = this->store().UpdateFlag(this->project(), Everywhere(stale), 1, kBob);
  EXPECT_THAT(result, IsError(StatusCode::kConflict, "version"));
  EXPECT_THAT(result.status().message(), HasSubstr("version 2"));

  FlagRecord read = Must(this->store().GetFlag(this->project(), "checkout"));
  EXPECT_EQ(read.flag.version, 2);
  EXPECT_TRUE(read.flag.active);
  EXPECT_EQ(read.updated_by, kAlice.name);
  EXPECT_EQ(this->Audit().size(), audit_before);
}

TYPED_TEST(StoreConformanceTest, DeleteFlagChecksTheVersion) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  Must(this->store().UpdateFlag(this->project(), Everywhere(MakeFlag("checkout")), 1, kAlice));
  Status stale = this->store().DeleteFlag(this->project(), "checkout", 1, kBob);
  EXPECT_THAT(stale, IsError(StatusCode::kConflict, "version"));
  EXPECT_THAT(stale.message(), HasSubstr("version 2"));
  EXPECT_EQ(Must(this->store().GetFlag(this->project(), "checkout")).flag.version, 2);

  Must(this->store().DeleteFlag(this->project(), "checkout", 2, kBob));
  EXPECT_THAT(this->store().GetFlag(this->project(), "checkout"), IsError(StatusCode::kNotFound, "key"));
  // The key is free again and starts over at version 1.
  EXPECT_EQ(
      Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice)).flag.version,
      1);
}

// --- ApplyFlags ------------------------------------------------------------------------------

FlagWrite CreateWrite(const Flag& flag) {
  return {FlagWrite::Kind::kCreate, Everywhere(flag), "", 0, ""};
}
FlagWrite UpdateWrite(const Flag& flag, std::int64_t version, std::string environment = "") {
  return {FlagWrite::Kind::kUpdate, Everywhere(flag), "", version, std::move(environment)};
}
FlagWrite DeleteWrite(const std::string& key, std::int64_t version) {
  return {FlagWrite::Kind::kDelete, {}, key, version, ""};
}

TYPED_TEST(StoreConformanceTest, ApplyFlagsWritesEveryStepWithItsAuditEntry) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("old")), kAlice));
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("kept")), kAlice));
  Flag kept = MakeFlag("kept");
  kept.active = false;
  std::vector<FlagRecord> result = Must(this->store().ApplyFlags(
      this->project(), {CreateWrite(MakeFlag("new")), UpdateWrite(kept, 1, "staging"), DeleteWrite("old", 1)},
      kBob));
  ASSERT_EQ(result.size(), 3u);
  EXPECT_EQ(result[0].flag.key, "new");
  EXPECT_EQ(result[0].flag.version, 1);
  EXPECT_EQ(result[1].flag.version, 2);
  EXPECT_FALSE(result[1].In("production").active);
  EXPECT_EQ(result[2].flag.key, "old");
  EXPECT_EQ(result[2].flag.version, 1);
  EXPECT_TRUE(result[2].In("production").active);

  EXPECT_THAT(this->store().GetFlag(this->project(), "old"), IsError(StatusCode::kNotFound, "key"));
  EXPECT_EQ(Must(this->store().GetFlag(this->project(), "new")).flag.version, 1);
  std::vector<AuditEntry> entries = this->Audit(AuditFilter().Type("flag"));
  ASSERT_GE(entries.size(), 3u);
  EXPECT_THAT(Actions({entries.begin(), entries.begin() + 3}),
              ElementsAre("flag.delete", "flag.update", "flag.create"));
  EXPECT_EQ(entries[1].environment, "staging");
  EXPECT_EQ(entries[0].environment, std::nullopt);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(entries[i].actor, kBob.name);
}

TYPED_TEST(StoreConformanceTest, ApplyFlagsWritesNothingWhenAnyStepFails) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("a")), kAlice));
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("b")), kAlice));
  const std::vector<AuditEntry> audit_before = this->Audit();
  const std::vector<FlagRecord> flags_before = Must(this->store().ListFlags(this->project(), {}));
  Flag a = MakeFlag("a");
  a.active = false;
  // The last step fails on its version: the create, update and delete before it roll back.
  EXPECT_THAT(this->store().ApplyFlags(this->project(),
                                       {CreateWrite(MakeFlag("c")), UpdateWrite(a, 1), DeleteWrite("b", 1),
                                        UpdateWrite(MakeFlag("b"), 1)},
                                       kBob),
              IsError(StatusCode::kNotFound, "key"));
  EXPECT_THAT(
      this->store().ApplyFlags(this->project(), {CreateWrite(MakeFlag("c")), UpdateWrite(a, 5)}, kBob),
      IsError(StatusCode::kConflict, "version"));
  EXPECT_THAT(this->store().ApplyFlags(this->project(),
                                       {CreateWrite(MakeFlag("c")), CreateWrite(MakeFlag("a"))}, kBob),
              IsError(StatusCode::kAlreadyExists, "key"));
  EXPECT_EQ(this->Audit().size(), audit_before.size());
  const std::vector<FlagRecord> flags_after = Must(this->store().ListFlags(this->project(), {}));
  ASSERT_EQ(flags_after.size(), flags_before.size());
  for (std::size_t i = 0; i < flags_after.size(); ++i) {
    EXPECT_EQ(flags_after[i].flag, flags_before[i].flag);
    EXPECT_EQ(flags_after[i].environments, flags_before[i].environments);
  }
  // The store still works after a rolled-back batch.
  EXPECT_EQ(Must(this->store().ApplyFlags(this->project(), {CreateWrite(MakeFlag("c"))}, kBob)).size(), 1u);
}

// --- Audit -----------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, AuditRecordsFlagChangesWithBeforeAndAfter) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  Flag changed = MakeFlag("checkout");
  changed.active = false;
  Must(this->store().UpdateFlag(this->project(), Everywhere(changed), 1, kBob));
  Must(this->store().DeleteFlag(this->project(), "checkout", 2, kAlice));

  std::vector<AuditEntry> entries = this->Audit(AuditFilter().Type("flag"));
  ASSERT_THAT(Actions(entries), ElementsAre("flag.delete", "flag.update", "flag.create"));
  const AuditEntry& create = entries[2];
  const AuditEntry& update = entries[1];
  const AuditEntry& remove = entries[0];
  EXPECT_TRUE(create.before.is_null());
  EXPECT_EQ(create.after["version"], 1);
  EXPECT_EQ(create.after["key"], "checkout");
  EXPECT_EQ(update.before, create.after);
  EXPECT_EQ(update.after["version"], 2);
  EXPECT_EQ(update.after["environments"]["production"]["active"], false);
  EXPECT_EQ(update.actor, kBob.name);
  EXPECT_EQ(remove.before, update.after);
  EXPECT_TRUE(remove.after.is_null());
  for (const AuditEntry& entry : entries) {
    EXPECT_EQ(entry.project_id, this->project());
    EXPECT_EQ(entry.entity_key, "checkout");
  }
  EXPECT_GT(entries[0].id, entries[1].id);
  EXPECT_GT(entries[1].id, entries[2].id);
}

TYPED_TEST(StoreConformanceTest, FailedMutationsWriteNoAudit) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  const std::vector<AuditEntry> before = this->Audit();
  EXPECT_FALSE(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice).ok());
  EXPECT_FALSE(this->store().UpdateFlag(this->project(), Everywhere(MakeFlag("checkout")), 7, kAlice).ok());
  EXPECT_FALSE(this->store().DeleteFlag(this->project(), "checkout", 7, kAlice).ok());
  EXPECT_FALSE(this->store().CreateProject("acme", "dup", kAlice).ok());
  EXPECT_EQ(this->Audit().size(), before.size());
}

TYPED_TEST(StoreConformanceTest, AuditIsNewestFirstAndPagesWithBeforeId) {
  for (int i = 0; i < 5; ++i)
    Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("f" + std::to_string(i))), kAlice));
  std::vector<AuditEntry> all = this->Audit();
  ASSERT_EQ(all.size(), 6u);  // project.create + 5 flags
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i - 1].id, all[i].id);

  std::vector<AuditEntry> first = this->Audit(AuditFilter().Limit(2));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].entity_key, "f4");
  EXPECT_EQ(first[1].entity_key, "f3");
  std::vector<AuditEntry> second = this->Audit(AuditFilter().Before(first[1].id).Limit(2));
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].entity_key, "f2");
  EXPECT_EQ(second[1].entity_key, "f1");
  std::vector<AuditEntry> last = this->Audit(AuditFilter().Before(second[1].id).Limit(10));
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[1].action, "project.create");
  EXPECT_TRUE(this->Audit(AuditFilter().Before(last[1].id)).empty());
}

TYPED_TEST(StoreConformanceTest, AuditLimitIsClampedTo1Through1000) {
  for (int i = 0; i < 3; ++i)
    Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("f" + std::to_string(i))), kAlice));
  EXPECT_EQ(this->Audit(AuditFilter().Limit(0)).size(), 1u);
  EXPECT_EQ(this->Audit(AuditFilter().Limit(-5)).size(), 1u);
  EXPECT_EQ(this->Audit(AuditFilter().Limit(100000)).size(), 4u);
}

TYPED_TEST(StoreConformanceTest, AuditFiltersByProjectEntityTypeAndKey) {
  std::int64_t other = Must(this->store().CreateProject("other", "Other", kAlice)).id;
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("search")), kAlice));
  Must(this->store().CreateFlag(other, Everywhere(MakeFlag("checkout")), kAlice));
  Must(this->store().CreateCohort(this->project(), MakeCohort("checkout"), kAlice));
  Must(this->store().CreateApiKey(MakeKey("sy_adm_AAAA", std::nullopt), kAlice));

  EXPECT_THAT(Actions(this->Audit(AuditFilter().Project(other))),
              ElementsAre("flag.create", "project.create"));
  EXPECT_EQ(this->Audit(AuditFilter().Project(this->project())).size(), 4u);
  EXPECT_EQ(this->Audit(AuditFilter().Project(this->project()).Type("flag")).size(), 2u);
  EXPECT_EQ(this->Audit(AuditFilter().Type("flag").Key("checkout")).size(), 2u);
  std::vector<AuditEntry> one =
      this->Audit(AuditFilter().Project(this->project()).Type("cohort").Key("checkout"));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].action, "cohort.create");
  EXPECT_EQ(this->Audit(AuditFilter().Key("sy_adm_AAAA")).size(), 1u);
  std::vector<AuditEntry> paged =
      this->Audit(AuditFilter().Type("flag").Before(this->Audit(AuditFilter().Type("flag"))[0].id));
  EXPECT_EQ(paged.size(), 2u);
}

TYPED_TEST(StoreConformanceTest, RefusesOutOfRangeExpectedVersionsBeforeAnyArithmetic) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("checkout")), kAlice));
  Must(this->store().CreateCohort(this->project(), MakeCohort("pros"), kAlice));
  const std::size_t audit_before = this->Audit().size();
  // INT64_MAX + 1 would be undefined behaviour; 2^53 + 1 is past what JSON clients can say exactly.
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, kMaxVersion + 1, INT64_MAX}) {
    EXPECT_THAT(this->store().UpdateFlag(this->project(), Everywhere(MakeFlag("checkout")), bad, kAlice),
                IsError(StatusCode::kInvalidArgument, "version"))
        << bad;
    EXPECT_THAT(this->store().DeleteFlag(this->project(), "checkout", bad, kAlice),
                IsError(StatusCode::kInvalidArgument, "version"))
        << bad;
    EXPECT_THAT(this->store().UpdateCohort(this->project(), MakeCohort("pros"), bad, kAlice),
                IsError(StatusCode::kInvalidArgument, "version"))
        << bad;
    EXPECT_THAT(this->store().DeleteCohort(this->project(), "pros", bad, kAlice),
                IsError(StatusCode::kInvalidArgument, "version"))
        << bad;
  }
  EXPECT_EQ(this->Audit().size(), audit_before);
  // The largest valid version is only a stale one here, not an error about the number.
  EXPECT_THAT(
      this->store().UpdateFlag(this->project(), Everywhere(MakeFlag("checkout")), kMaxVersion, kAlice),
      IsError(StatusCode::kConflict, "version"));
}

// --- Cohorts ---------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, CohortsAreVersionedLikeFlags) {
  CohortRecord created = Must(this->store().CreateCohort(this->project(), MakeCohort("pro-users"), kAlice));
  EXPECT_EQ(created.version, 1);
  EXPECT_THAT(created.created_at, MatchesRegex(kTimestampPattern));
  EXPECT_THAT(this->store().CreateCohort(this->project(), MakeCohort("pro-users"), kAlice),
              IsError(StatusCode::kAlreadyExists, "id"));
  EXPECT_THAT(this->store().CreateCohort(9999, MakeCohort("x"), kAlice),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_EQ(Must(this->store().GetCohort(this->project(), "pro-users")).cohort, MakeCohort("pro-users"));

  Cohort renamed = MakeCohort("pro-users");
  renamed.name = "Paying";
  CohortRecord updated = Must(this->store().UpdateCohort(this->project(), renamed, 1, kBob));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.created_at, created.created_at);
  EXPECT_THAT(this->store().UpdateCohort(this->project(), MakeCohort("pro-users"), 1, kBob),
              IsError(StatusCode::kConflict, "version"));
  CohortRecord read = Must(this->store().GetCohort(this->project(), "pro-users"));
  EXPECT_EQ(read.version, 2);
  EXPECT_EQ(read.cohort.name, "Paying");

  Must(this->store().CreateCohort(this->project(), MakeCohort("a-first"), kAlice));
  std::vector<std::string> ids;
  for (const CohortRecord& record : Must(this->store().ListCohorts(this->project())))
    ids.push_back(record.cohort.id);
  EXPECT_THAT(ids, ElementsAre("a-first", "pro-users"));

  EXPECT_THAT(this->store().DeleteCohort(this->project(), "pro-users", 1, kAlice),
              IsError(StatusCode::kConflict, "version"));
  Must(this->store().DeleteCohort(this->project(), "pro-users", 2, kAlice));
  EXPECT_THAT(this->store().GetCohort(this->project(), "pro-users"), IsError(StatusCode::kNotFound, "id"));
  EXPECT_THAT(this->store().DeleteCohort(this->project(), "pro-users", 2, kAlice),
              IsError(StatusCode::kNotFound, "id"));
  EXPECT_THAT(this->store().UpdateCohort(this->project(), MakeCohort("gone"), 1, kAlice),
              IsError(StatusCode::kNotFound, "id"));
}

TYPED_TEST(StoreConformanceTest, CohortChangesAreAuditedWithVersions) {
  Must(this->store().CreateCohort(this->project(), MakeCohort("pro-users"), kAlice));
  Cohort renamed = MakeCohort("pro-users");
  renamed.name = "Paying";
  Must(this->store().UpdateCohort(this->project(), renamed, 1, kBob));
  Must(this->store().DeleteCohort(this->project(), "pro-users", 2, kAlice));
  std::vector<AuditEntry> entries = this->Audit(AuditFilter().Type("cohort"));
  ASSERT_THAT(Actions(entries), ElementsAre("cohort.delete", "cohort.update", "cohort.create"));
  EXPECT_TRUE(entries[2].before.is_null());
  EXPECT_EQ(entries[2].after["version"], 1);
  EXPECT_EQ(entries[2].after["id"], "pro-users");
  EXPECT_EQ(entries[1].before, entries[2].after);
  EXPECT_EQ(entries[1].after["version"], 2);
  EXPECT_EQ(entries[1].after["name"], "Paying");
  EXPECT_EQ(entries[0].before, entries[1].after);
  EXPECT_TRUE(entries[0].after.is_null());
}

// --- Persons ---------------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, UpdatePersonCreatesThenMerges) {
  Person created = Must(this->store().UpdatePerson(
      this->project(), "user-1", json{{"plan", "free"}, {"age", 30}}, json{{"first_seen", "mon"}}, nullptr));
  EXPECT_EQ(created.distinct_id, "user-1");
  EXPECT_EQ(created.project_id, this->project());
  EXPECT_EQ(created.properties, (json{{"plan", "free"}, {"age", 30}, {"first_seen", "mon"}}));
  EXPECT_THAT(created.created_at, MatchesRegex(kTimestampPattern));

  Person merged =
      Must(this->store().UpdatePerson(this->project(), "user-1", json{{"plan", "pro"}},
                                      json{{"first_seen", "tue"}, {"country", "FR"}}, json{"age"}));
  EXPECT_EQ(merged.properties, (json{{"plan", "pro"}, {"first_seen", "mon"}, {"country", "FR"}}));
  EXPECT_EQ(merged.created_at, created.created_at);
  EXPECT_EQ(Must(this->store().GetPerson(this->project(), "user-1")).properties, merged.properties);
}

TYPED_TEST(StoreConformanceTest, UpdatePersonAppliesSetOnceThenSetThenUnset) {
  Person person = Must(this->store().UpdatePerson(this->project(), "u", json{{"a", "set"}, {"b", "set"}},
                                                  json{{"a", "once"}, {"c", "once"}}, json{"b"}));
  EXPECT_EQ(person.properties, (json{{"a", "set"}, {"c", "once"}}));
}

TYPED_TEST(StoreConformanceTest, UpdatePersonAcceptsNullAndEmptyParts) {
  Person person = Must(this->store().UpdatePerson(this->project(), "u", nullptr, nullptr, nullptr));
  EXPECT_EQ(person.properties, json::object());
  person =
      Must(this->store().UpdatePerson(this->project(), "u", json::object(), json::object(), json::array()));
  EXPECT_EQ(person.properties, json::object());
  person = Must(this->store().UpdatePerson(this->project(), "u", json{{"x", 1}}, nullptr, json{"missing"}));
  EXPECT_EQ(person.properties, (json{{"x", 1}}));
}

TYPED_TEST(StoreConformanceTest, UpdatePersonRejectsMalformedParts) {
  const std::int64_t p = this->project();
  EXPECT_THAT(this->store().UpdatePerson(p, "u", json::array(), nullptr, nullptr),
              IsError(StatusCode::kInvalidArgument, "$set"));
  EXPECT_THAT(this->store().UpdatePerson(p, "u", nullptr, "text", nullptr),
              IsError(StatusCode::kInvalidArgument, "$set_once"));
  EXPECT_THAT(this->store().UpdatePerson(p, "u", nullptr, nullptr, json{{"a", 1}}),
              IsError(StatusCode::kInvalidArgument, "$unset"));
  EXPECT_THAT(this->store().UpdatePerson(p, "u", nullptr, nullptr, json{1, 2}),
              IsError(StatusCode::kInvalidArgument, "$unset"));
  EXPECT_THAT(this->store().UpdatePerson(p, "", nullptr, nullptr, nullptr),
              IsError(StatusCode::kInvalidArgument, "distinct_id"));
  EXPECT_THAT(this->store().UpdatePerson(9999, "u", nullptr, nullptr, nullptr),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_THAT(this->store().GetPerson(p, "u"), IsError(StatusCode::kNotFound, "distinct_id"));
}

TYPED_TEST(StoreConformanceTest, ReplacePersonReplacesAllProperties) {
  Person first = Must(this->store().ReplacePerson(this->project(), "u", json{{"a", 1}, {"b", 2}}));
  EXPECT_EQ(first.properties, (json{{"a", 1}, {"b", 2}}));
  Person second = Must(this->store().ReplacePerson(this->project(), "u", json{{"c", 3}}));
  EXPECT_EQ(second.properties, (json{{"c", 3}}));
  EXPECT_EQ(second.created_at, first.created_at);
  EXPECT_EQ(Must(this->store().GetPerson(this->project(), "u")).properties, (json{{"c", 3}}));
  EXPECT_THAT(this->store().ReplacePerson(this->project(), "u", json::array()),
              IsError(StatusCode::kInvalidArgument, "properties"));
  EXPECT_THAT(this->store().ReplacePerson(this->project(), "u", nullptr),
              IsError(StatusCode::kInvalidArgument, "properties"));
  EXPECT_THAT(this->store().ReplacePerson(9999, "u", json::object()),
              IsError(StatusCode::kNotFound, "project_id"));
}

TYPED_TEST(StoreConformanceTest, DeletesPersons) {
  Must(this->store().ReplacePerson(this->project(), "u", json{{"a", 1}}));
  Must(this->store().DeletePerson(this->project(), "u"));
  EXPECT_THAT(this->store().GetPerson(this->project(), "u"), IsError(StatusCode::kNotFound, "distinct_id"));
  EXPECT_THAT(this->store().DeletePerson(this->project(), "u"),
              IsError(StatusCode::kNotFound, "distinct_id"));
}

TYPED_TEST(StoreConformanceTest, UpdatePersonsAppliesEveryUpdateInOrder) {
  const std::int64_t p = this->project();
  std::int64_t other = Must(this->store().CreateProject("other", "Other", kAlice)).id;
  Must(this->store().UpdatePerson(p, "u", json{{"plan", "free"}, {"age", 30}}, nullptr, nullptr));
  Must(this->store().UpdatePersons({
      {p, "u", json{{"plan", "pro"}}, json{{"first", "a"}}, nullptr, ""},
      {p, "u", nullptr, json{{"first", "b"}, {"seen", 1}}, json{"age"}, ""},  // sees the first update
      {p, "new", json{{"x", 1}}, nullptr, nullptr, ""},
      {other, "u", json{{"y", 2}}, nullptr, nullptr, ""},
  }));
  EXPECT_EQ(Must(this->store().GetPerson(p, "u")).properties,
            (json{{"plan", "pro"}, {"first", "a"}, {"seen", 1}}));
  EXPECT_EQ(Must(this->store().GetPerson(p, "new")).properties, (json{{"x", 1}}));
  EXPECT_EQ(Must(this->store().GetPerson(other, "u")).properties, (json{{"y", 2}}));
  Must(this->store().UpdatePersons({}));
}

TYPED_TEST(StoreConformanceTest, UpdatePersonsWritesNothingWhenOneUpdateFails) {
  const std::int64_t p = this->project();
  EXPECT_THAT(this->store().UpdatePersons({{p, "a", json{{"x", 1}}, nullptr, nullptr, ""},
                                           {p, "b", json::array(), nullptr, nullptr, ""}}),
              IsError(StatusCode::kInvalidArgument, "updates[1].$set"));
  EXPECT_THAT(this->store().UpdatePersons(
                  {{p, "a", json{{"x", 1}}, nullptr, nullptr, ""}, {p, "", nullptr, nullptr, nullptr, ""}}),
              IsError(StatusCode::kInvalidArgument, "updates[1].distinct_id"));
  EXPECT_THAT(this->store().UpdatePersons({{p, "a", json{{"x", 1}}, nullptr, nullptr, ""},
                                           {9999, "b", json{{"x", 1}}, nullptr, nullptr, ""}}),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_THAT(this->store().GetPerson(p, "a"), IsError(StatusCode::kNotFound, "distinct_id"));
}

TYPED_TEST(StoreConformanceTest, ListPersonsByDistinctIdWithLimitOffsetAndAfter) {
  for (const char* id : {"carol", "alice", "dave", "bob"}) {
    Must(this->store().ReplacePerson(this->project(), id, json{{"name", id}}));
  }
  std::int64_t other = Must(this->store().CreateProject("other", "Other", kAlice)).id;
  Must(this->store().ReplacePerson(other, "eve", json::object()));
  const auto ids = [&](int limit, int offset, std::optional<std::string> after = std::nullopt) {
    std::vector<std::string> out;
    for (const Person& person : Must(this->store().ListPersons(this->project(), {after, offset, limit}))) {
      out.push_back(person.distinct_id);
    }
    return out;
  };
  EXPECT_THAT(ids(100, 0), ElementsAre("alice", "bob", "carol", "dave"));
  EXPECT_THAT(ids(2, 1), ElementsAre("bob", "carol"));
  EXPECT_THAT(ids(10, 3), ElementsAre("dave"));
  EXPECT_THAT(ids(10, 4), ElementsAre());
  EXPECT_THAT(ids(0, -1), ElementsAre("alice"));  // clamped to limit 1, offset 0
  EXPECT_EQ(Must(this->store().ListPersons(this->project(), {std::nullopt, 2, 1}))[0].properties,
            (json{{"name", "carol"}}));
  // Keyset paging: after an id (present or not), then the offset on top.
  EXPECT_THAT(ids(2, 0, "alice"), ElementsAre("bob", "carol"));
  EXPECT_THAT(ids(10, 0, "bz"), ElementsAre("carol", "dave"));
  EXPECT_THAT(ids(10, 1, "bob"), ElementsAre("dave"));
  EXPECT_THAT(ids(10, 0, "dave"), ElementsAre());
}

TYPED_TEST(StoreConformanceTest, PersonsAreNotAudited) {
  const std::size_t before = this->Audit().size();
  Must(this->store().UpdatePerson(this->project(), "u", json{{"a", 1}}, nullptr, nullptr));
  Must(this->store().ReplacePerson(this->project(), "u", json::object()));
  Must(this->store().DeletePerson(this->project(), "u"));
  EXPECT_EQ(this->Audit().size(), before);
}

// --- Concurrency -----------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, ConcurrentUpdatesFromOneVersionHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("contested")), kAlice));
  std::latch start(kThreads);
  std::vector<Status> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Flag flag = MakeFlag("contested");
      flag.name = "writer " + std::to_string(i);
      start.arrive_and_wait();
      outcomes[i] = StatusOf(this->store().UpdateFlag(this->project(), Everywhere(flag), 1,
                                                      Actor{"writer-" + std::to_string(i)}));
    });
  }
  for (std::thread& thread : threads) thread.join();

  int winners = 0;
  int winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    if (outcomes[i].ok()) {
      ++winners;
      winner = i;
    } else {
      EXPECT_EQ(outcomes[i].code(), StatusCode::kConflict) << outcomes[i].ToString();
    }
  }
  ASSERT_EQ(winners, 1);
  FlagRecord stored = Must(this->store().GetFlag(this->project(), "contested"));
  EXPECT_EQ(stored.flag.version, 2);
  EXPECT_EQ(stored.flag.name, "writer " + std::to_string(winner));
  EXPECT_EQ(this->Audit(AuditFilter().Type("flag").Key("contested")).size(), 2u);
}

TYPED_TEST(StoreConformanceTest, ConcurrentPersonUpdatesAllSurvive) {
  constexpr int kThreads = 8;
  constexpr int kUpdatesPerThread = 10;
  std::latch start(kThreads);
  std::vector<Status> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kUpdatesPerThread && failures[t].ok(); ++i) {
        const std::string key = "t" + std::to_string(t) + "_" + std::to_string(i);
        failures[t] =
            StatusOf(this->store().UpdatePerson(this->project(), "shared", json{{key, i}}, nullptr, nullptr));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& status : failures) EXPECT_TRUE(status.ok()) << status.ToString();

  json properties = Must(this->store().GetPerson(this->project(), "shared")).properties;
  EXPECT_EQ(properties.size(), static_cast<std::size_t>(kThreads * kUpdatesPerThread));
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kUpdatesPerThread; ++i) {
      EXPECT_EQ(properties["t" + std::to_string(t) + "_" + std::to_string(i)], i);
    }
  }
}

// --- Bootstrap: on an empty store, so a fixture of its own --------------------------------------

template <typename Backend>
class StoreBootstrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> opened = Backend::Open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }
  Store& store() { return *store_; }

  // Nothing at all: no project, no key, no audit entry.
  void ExpectEmpty() {
    EXPECT_TRUE(Must(store_->ListProjects()).empty());
    EXPECT_TRUE(Must(store_->ListApiKeys()).empty());
    EXPECT_TRUE(Must(store_->ListAudit({})).empty());
  }

  static BootstrapRequest Request(const std::string& admin_prefix, const std::string& slug,
                                  const std::string& project_prefix) {
    return BootstrapRequest{MakeKey(admin_prefix, std::nullopt), slug, "Default project",
                            MakeKey(project_prefix, 1)};
  }

 private:
  test_support::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE(StoreBootstrapTest, ConformanceBackends, ConformanceBackendNames);

TYPED_TEST(StoreBootstrapTest, WritesAdminKeyProjectAndProjectKeyTogether) {
  const Actor boot{"system:bootstrap"};
  BootstrapRecord record =
      Must(this->store().Bootstrap(this->Request("sy_adm_AAAA", "default", "sy_prj_BBBB"), boot));
  EXPECT_EQ(record.project.slug, "default");
  EXPECT_EQ(record.admin_key.scope, KeyScope::kAdmin);
  EXPECT_EQ(record.project_key.project_id, record.project.id);

  std::vector<ApiKey> keys = Must(this->store().ListApiKeys());
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].prefix, "sy_adm_AAAA");
  EXPECT_EQ(keys[0].project_id, std::nullopt);
  EXPECT_EQ(keys[1].prefix, "sy_prj_BBBB");
  EXPECT_EQ(keys[1].project_id, record.project.id);
  EXPECT_EQ(Must(this->store().GetProjectBySlug("default")).id, record.project.id);

  std::vector<AuditEntry> entries = Must(this->store().ListAudit({}));
  EXPECT_THAT(Actions(entries), ElementsAre("api_key.create", "project.create", "api_key.create"));
  for (const AuditEntry& entry : entries) EXPECT_EQ(entry.actor, "system:bootstrap");
}

TYPED_TEST(StoreBootstrapTest, FailureAtTheLastStepLeavesNothingBehind) {
  // The project key's prefix is the admin key's: the admin key and the project are written, the
  // third insert fails.
  EXPECT_THAT(this->store().Bootstrap(this->Request("sy_adm_AAAA", "default", "sy_adm_AAAA"), kAlice),
              IsError(StatusCode::kAlreadyExists, "prefix"));
  this->ExpectEmpty();
  // Still empty as far as bootstrap is concerned: the next start can bootstrap.
  Must(this->store().Bootstrap(this->Request("sy_adm_AAAA", "default", "sy_prj_BBBB"), kAlice));
  EXPECT_EQ(Must(this->store().ListApiKeys()).size(), 2u);
}

TYPED_TEST(StoreBootstrapTest, InvalidProjectLeavesNothingBehind) {
  EXPECT_THAT(this->store().Bootstrap(this->Request("sy_adm_AAAA", "Not A Slug", "sy_prj_BBBB"), kAlice),
              IsError(StatusCode::kInvalidArgument, "slug"));
  this->ExpectEmpty();
}

TYPED_TEST(StoreBootstrapTest, InvalidProjectKeyLeavesNothingBehind) {
  BootstrapRequest request = this->Request("sy_adm_AAAA", "default", "sy_prj_BBBB");
  request.project_key.hash_hex = "not-hex";
  EXPECT_THAT(this->store().Bootstrap(request, kAlice), IsError(StatusCode::kInvalidArgument, "hash_hex"));
  this->ExpectEmpty();
}

TYPED_TEST(StoreBootstrapTest, ANonEmptyStoreIsAConflictAndUnchanged) {
  Must(this->store().CreateApiKey(MakeKey("sy_adm_ZZZZ", std::nullopt), kAlice));
  EXPECT_THAT(this->store().Bootstrap(this->Request("sy_adm_AAAA", "default", "sy_prj_BBBB"), kAlice),
              IsError(StatusCode::kConflict, ""));
  EXPECT_EQ(Must(this->store().ListApiKeys()).size(), 1u);
  EXPECT_TRUE(Must(this->store().ListProjects()).empty());
}

TYPED_TEST(StoreBootstrapTest, BootstrapsOnlyOnce) {
  Must(this->store().Bootstrap(this->Request("sy_adm_AAAA", "default", "sy_prj_BBBB"), kAlice));
  EXPECT_THAT(this->store().Bootstrap(this->Request("sy_adm_CCCC", "other", "sy_prj_DDDD"), kAlice),
              IsError(StatusCode::kConflict, ""));
  EXPECT_EQ(Must(this->store().ListApiKeys()).size(), 2u);
  EXPECT_EQ(Must(this->store().ListProjects()).size(), 1u);
  EXPECT_EQ(Must(this->store().ListAudit({})).size(), 3u);
}

// --- Flag lifecycle ---------------------------------------------------------------------------

TYPED_TEST(StoreConformanceTest, ArchivingIsAnAuditedUpdateThatReadsBackAndFiltersLists) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("old")), kAlice));
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("live")), kAlice));
  FlagRecord record = Must(this->store().GetFlag(this->project(), "old"));
  record.archived = true;
  record.archived_at = "2026-11-01T00:00:00.000Z";
  FlagRecord archived = Must(this->store().UpdateFlag(this->project(), record, 1, kBob));
  EXPECT_TRUE(archived.archived);
  EXPECT_EQ(archived.flag.version, 2);

  FlagRecord read = Must(this->store().GetFlag(this->project(), "old"));
  EXPECT_TRUE(read.archived);
  EXPECT_EQ(read.archived_at, "2026-11-01T00:00:00.000Z");
  EXPECT_FALSE(read.In(kPrimaryEnvironment).active);              // served off everywhere
  EXPECT_TRUE(read.environments.at(kPrimaryEnvironment).active);  // its targeting is kept
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Archived(false)))),
              ElementsAre("live"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Archived(true)))),
              ElementsAre("old"));
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), {}))), ElementsAre("live", "old"));
  // An archived flag is off, whatever its targeting says.
  EXPECT_THAT(Keys(Must(this->store().ListFlags(this->project(), FlagFilter().Active(true)))),
              ElementsAre("live"));

  read.archived = false;
  read.archived_at.clear();
  Must(this->store().UpdateFlag(this->project(), read, 2, kAlice));
  FlagRecord back = Must(this->store().GetFlag(this->project(), "old"));
  EXPECT_FALSE(back.archived);
  EXPECT_EQ(back.archived_at, "");
  auto entries = this->Audit(AuditFilter().Key("old"));
  EXPECT_THAT(Actions(entries), ElementsAre("flag.unarchive", "flag.archive", "flag.create"));
  EXPECT_EQ(entries[1].after["archived"], true);
  EXPECT_FALSE(entries[1].before.contains("archived"));
}

TYPED_TEST(StoreConformanceTest, EvaluationStatsAddUpAndKeepTheLatestTime) {
  auto environments = Must(this->store().ListEnvironments(this->project()));
  const std::int64_t production = environments.back().id;
  const std::int64_t staging = environments[1].id;
  Must(this->store().RecordFlagEvaluations(
      {{production, "a", "2026-11-02T10:00:00.000Z", 5}, {staging, "a", "2026-11-01T10:00:00.000Z", 1}}));
  Must(this->store().RecordFlagEvaluations({{production, "a", "2026-11-01T09:00:00.000Z", 2},
                                            {production, "b", "2026-11-03T10:00:00.000Z", 1},
                                            {999999, "ghost", "2026-11-03T10:00:00.000Z", 1}}));
  auto stats = Must(this->store().ListFlagEvaluations(production));
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].flag_key, "a");
  EXPECT_EQ(stats[0].count, 7);
  EXPECT_EQ(stats[0].last_evaluated_at, "2026-11-02T10:00:00.000Z");  // the later one stays
  EXPECT_EQ(stats[1].flag_key, "b");
  EXPECT_EQ(Must(this->store().ListFlagEvaluations(staging)).size(), 1u);
  EXPECT_TRUE(Must(this->store().ListFlagEvaluations(999999)).empty());
}

TYPED_TEST(StoreConformanceTest, DeletingAFlagForgetsItsEvaluations) {
  auto environments = Must(this->store().ListEnvironments(this->project()));
  const std::int64_t production = environments.back().id;
  auto created = Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("gone")), kAlice));
  Must(this->store().RecordFlagEvaluations({{production, "gone", "2026-11-02T10:00:00.000Z", 5},
                                            {production, "kept", "2026-11-02T10:00:00.000Z", 1}}));
  Must(this->store().DeleteFlag(this->project(), "gone", created.flag.version, kAlice));
  auto stats = Must(this->store().ListFlagEvaluations(production));
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].flag_key, "kept");
}

FlagSchedule MakeSchedule(const std::string& key, const std::string& at, nlohmann::json change,
                          const std::string& environment = "") {
  FlagSchedule schedule;
  schedule.flag_key = key;
  schedule.at = at;
  schedule.change = std::move(change);
  schedule.environment = environment;
  return schedule;
}

TYPED_TEST(StoreConformanceTest, SchedulesArePendingUntilClaimedOnceAndFinished) {
  Must(this->store().CreateFlag(this->project(), Everywhere(MakeFlag("launch")), kAlice));
  FlagSchedule first = Must(this->store().CreateFlagSchedule(
      this->project(), MakeSchedule("launch", "2026-12-01T09:00:00.000Z", {{"active", true}}, "staging"),
      kAlice));
  FlagSchedule later = Must(this->store().CreateFlagSchedule(
      this->project(), MakeSchedule("launch", "2026-12-02T09:00:00.000Z", {{"rollout_percentage", 50}}),
      kAlice));
  EXPECT_GT(later.id, first.id);
  EXPECT_EQ(first.status, kSchedulePending);
  EXPECT_EQ(first.created_by, kAlice.name);
  EXPECT_THAT(first.created_at, MatchesRegex(kTimestampPattern));
  EXPECT_THAT(
      this->store().CreateFlagSchedule(
          this->project(), MakeSchedule("nope", "2026-12-01T09:00:00.000Z", {{"active", true}}), kAlice),
      IsError(StatusCode::kNotFound, "key"));

  auto listed = Must(this->store().ListFlagSchedules(this->project(), "launch"));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].environment, "staging");
  EXPECT_EQ(listed[0].change, json({{"active", true}}));
  EXPECT_EQ(listed[1].environment, "");

  EXPECT_TRUE(Must(this->store().ListDueFlagSchedules("2026-11-30T00:00:00.000Z", "")).empty());
  auto due = Must(this->store().ListDueFlagSchedules("2026-12-01T09:00:00.000Z", ""));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, first.id);

  const std::string claimed_at = "2026-12-01T09:00:00.500Z";
  EXPECT_TRUE(Must(this->store().ClaimFlagSchedule(first.id, claimed_at, "")));
  EXPECT_FALSE(Must(this->store().ClaimFlagSchedule(first.id, claimed_at, "")));  // a second server loses
  // A claim older than the cutoff was abandoned (its server died): it is due again, once.
  EXPECT_FALSE(Must(this->store().ClaimFlagSchedule(first.id, claimed_at, "2026-12-01T09:00:00.000Z")));
  ASSERT_EQ(
      Must(this->store().ListDueFlagSchedules("2026-12-01T09:10:00.000Z", "2026-12-01T09:05:00.000Z")).size(),
      1u);
  EXPECT_TRUE(Must(
      this->store().ClaimFlagSchedule(first.id, "2026-12-01T09:10:00.000Z", "2026-12-01T09:05:00.000Z")));
  EXPECT_FALSE(Must(
      this->store().ClaimFlagSchedule(first.id, "2026-12-01T09:10:00.000Z", "2026-12-01T09:05:00.000Z")));
  EXPECT_TRUE(Must(this->store().ListDueFlagSchedules("2026-12-01T09:00:00.000Z", "")).empty());
  Must(this->store().FinishFlagSchedule(first.id, kScheduleDone, "enable: applied"));
  FlagSchedule done = Must(this->store().ListFlagSchedules(this->project(), "launch"))[0];
  EXPECT_EQ(done.status, kScheduleDone);
  EXPECT_EQ(done.result, "enable: applied");
  EXPECT_THAT(done.fired_at, MatchesRegex(kTimestampPattern));

  EXPECT_THAT(this->store().CancelFlagSchedule(this->project(), "launch", first.id, kBob),
              IsError(StatusCode::kConflict, "id"));
  EXPECT_THAT(this->store().CancelFlagSchedule(this->project(), "other", later.id, kBob),
              IsError(StatusCode::kNotFound, "id"));
  FlagSchedule cancelled = Must(this->store().CancelFlagSchedule(this->project(), "launch", later.id, kBob));
  EXPECT_EQ(cancelled.status, kScheduleCancelled);
  EXPECT_FALSE(Must(this->store().ClaimFlagSchedule(
      later.id, "2030-01-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z")));  // a cancelled change never fires
  EXPECT_TRUE(Must(this->store().ListDueFlagSchedules("2030-01-01T00:00:00.000Z", "")).empty());
  EXPECT_THAT(Actions(this->Audit(AuditFilter().Key("launch"))),
              ElementsAre("flag.unschedule", "flag.schedule", "flag.schedule", "flag.create"));
}

}  // namespace
}  // namespace switchyard::store
