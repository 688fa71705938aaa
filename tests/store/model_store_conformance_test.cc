// The model registry and gateway routes: the part of the Store contract (store.h, "Model
// registry", "Gateway routes") checked identically against every backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_support.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using registry::ModelState;
using test_support::IsError;
using test_support::kAlice;
using test_support::kBob;
using test_support::Must;

using test_support::BackendNames;
using test_support::MemoryBackend;
using test_support::SqliteBackend;

registry::ModelVersion Model(const std::string& name, const std::string& version) {
  registry::ModelVersion model;
  model.name = name;
  model.version = version;
  model.upstream = {"https://api.example.com/v1", "gpt-x", "OPENAI_API_KEY"};
  model.prices = {2.5, 1.25, 10};
  model.tags = {"chat"};
  model.training_params = {{"lr", 0.001}};
  return model;
}

registry::RouteDefinition Route(const std::string& key) {
  registry::RouteDefinition route;
  route.key = key;
  route.flag = "chat-model";
  route.variants = {{"true", "chat@canary"}, {"false", "chat@stable"}};
  route.default_model = "chat@stable";
  return route;
}

template <typename Backend>
class ModelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> opened = Backend::Open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    project_ = Must(store_->CreateProject("acme", "Acme", kAlice)).id;
  }

  Store& store() { return *store_; }
  std::int64_t project() const { return project_; }
  std::string AliasTarget(const std::string& name, const std::string& alias) {
    for (const registry::ModelAlias& a : Must(store_->ListModelAliases(project_)))
      if (a.name == name && a.alias == alias) return a.version;
    return "";
  }
  std::vector<std::string> AuditActions() {
    AuditQuery query;
    query.project_id = project_;
    std::vector<std::string> actions;
    for (const AuditEntry& entry : Must(store_->ListAudit(query))) actions.push_back(entry.action);
    return actions;
  }

 private:
  test_support::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::int64_t project_ = 0;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(ModelStoreTest, Backends, BackendNames);

TYPED_TEST(ModelStoreTest, RegisterStoresEveryFieldAndRefusesADuplicate) {
  registry::ModelVersion created =
      Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.0.0"), kAlice));
  EXPECT_EQ(created.state, ModelState::kRegistered);
  EXPECT_EQ(created.created_by, kAlice.name);
  EXPECT_THAT(created.created_at, ::testing::MatchesRegex(test_support::kTimestampPattern));

  registry::ModelVersion read = Must(this->store().GetModelVersion(this->project(), "chat", "1.0.0"));
  EXPECT_EQ(registry::ModelVersionToJson(read), registry::ModelVersionToJson(created));
  EXPECT_EQ(read.upstream.credential_env, "OPENAI_API_KEY");
  EXPECT_EQ(read.prices.cached_input_per_1m, 1.25);

  EXPECT_THAT(this->store().CreateModelVersion(this->project(), Model("chat", "1.0.0"), kAlice),
              IsError(StatusCode::kAlreadyExists, "version"));
  EXPECT_THAT(this->store().GetModelVersion(this->project(), "chat", "9.9.9"),
              IsError(StatusCode::kNotFound, "version"));
  registry::ModelVersion bad = Model("chat", "1.0");
  EXPECT_THAT(this->store().CreateModelVersion(this->project(), bad, kAlice),
              IsError(StatusCode::kInvalidArgument, "version"));
}

TYPED_TEST(ModelStoreTest, ListsByNameThenNumericVersion) {
  for (const char* v : {"1.10.0", "1.2.0", "1.9.3"})
    Must(this->store().CreateModelVersion(this->project(), Model("chat", v), kAlice));
  Must(this->store().CreateModelVersion(this->project(), Model("aaa", "0.1.0"), kAlice));
  std::vector<std::string> refs;
  for (const auto& m : Must(this->store().ListModelVersions(this->project()))) refs.push_back(m.Reference());
  EXPECT_THAT(refs, ::testing::ElementsAre("aaa@0.1.0", "chat@1.2.0", "chat@1.9.3", "chat@1.10.0"));
}

TYPED_TEST(ModelStoreTest, LatestFollowsTheHighestRegisteredVersion) {
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.2.0"), kAlice));
  EXPECT_EQ(this->AliasTarget("chat", "latest"), "1.2.0");
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.10.0"), kAlice));
  EXPECT_EQ(this->AliasTarget("chat", "latest"), "1.10.0");
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.3.0"),
                                        kAlice));  // a hotfix of an older line
  EXPECT_EQ(this->AliasTarget("chat", "latest"), "1.10.0");
  auto history = Must(this->store().ListModelAliasHistory(this->project(), "chat", "latest"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].from, "");
  EXPECT_EQ(history[1].from, "1.2.0");
  EXPECT_EQ(history[1].to, "1.10.0");
}

TYPED_TEST(ModelStoreTest, TransitionsFollowTheTableAndAreAudited) {
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.0.0"), kAlice));
  auto moved = Must(this->store().TransitionModelVersion(this->project(), "chat", "1.0.0",
                                                         ModelState::kValidated, "evals passed", kBob));
  EXPECT_EQ(moved.state, ModelState::kValidated);
  Must(this->store().TransitionModelVersion(this->project(), "chat", "1.0.0", ModelState::kDeployed, "",
                                            kBob));
  auto refused =
      this->store().TransitionModelVersion(this->project(), "chat", "1.0.0", ModelState::kCanary, "", kBob);
  EXPECT_THAT(refused, IsError(StatusCode::kConflict, "to"));
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("from deployed to canary"));
  EXPECT_EQ(Must(this->store().GetModelVersion(this->project(), "chat", "1.0.0")).state,
            ModelState::kDeployed);

  AuditQuery query;
  query.project_id = this->project();
  query.entity_type = "model";
  auto entries = Must(this->store().ListAudit(query));
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().action, "model.transition");  // newest first
  EXPECT_EQ(entries.front().after["state"], "deployed");
  EXPECT_EQ(entries.back().action, "model.register");
  EXPECT_EQ(entries.back().entity_key, "chat@1.0.0");
}

TYPED_TEST(ModelStoreTest, AliasMovesAreRecordedAndRollBack) {
  for (const char* v : {"1.0.0", "1.1.0", "1.2.0"})
    Must(this->store().CreateModelVersion(this->project(), Model("chat", v), kAlice));
  Must(
      this->store().MoveModelAlias(this->project(), "chat", "stable", std::string("1.0.0"), "first", kAlice));
  auto move = Must(
      this->store().MoveModelAlias(this->project(), "chat", "stable", std::string("1.1.0"), "better", kBob));
  EXPECT_EQ(move.from, "1.0.0");
  EXPECT_EQ(move.to, "1.1.0");
  EXPECT_EQ(move.actor, kBob.name);
  EXPECT_EQ(this->AliasTarget("chat", "stable"), "1.1.0");

  auto back = Must(
      this->store().MoveModelAlias(this->project(), "chat", "stable", std::nullopt, "regression", kAlice));
  EXPECT_TRUE(back.rollback);
  EXPECT_EQ(back.from, "1.1.0");
  EXPECT_EQ(back.to, "1.0.0");
  EXPECT_EQ(this->AliasTarget("chat", "stable"), "1.0.0");

  auto history = Must(this->store().ListModelAliasHistory(this->project(), "chat", "stable"));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[2].reason, "regression");
  EXPECT_LT(history[0].id, history[1].id);
  EXPECT_THAT(this->AuditActions(), ::testing::Contains("model.rollback"));

  EXPECT_THAT(
      this->store().MoveModelAlias(this->project(), "chat", "stable", std::string("7.0.0"), "", kAlice),
      IsError(StatusCode::kNotFound, "version"));
  EXPECT_THAT(this->store().ListModelAliasHistory(this->project(), "chat", "nope"),
              IsError(StatusCode::kNotFound, "alias"));
  EXPECT_THAT(this->store().MoveModelAlias(this->project(), "chat", "nope", std::nullopt, "", kAlice),
              IsError(StatusCode::kNotFound, "alias"));
}

TYPED_TEST(ModelStoreTest, RollbackOfANewAliasHasNowhereToGo) {
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.0.0"), kAlice));
  Must(this->store().MoveModelAlias(this->project(), "chat", "stable", std::string("1.0.0"), "", kAlice));
  EXPECT_THAT(this->store().MoveModelAlias(this->project(), "chat", "stable", std::nullopt, "", kAlice),
              IsError(StatusCode::kConflict, "alias"));
}

TYPED_TEST(ModelStoreTest, ArchivedVersionsAreNeverAliasTargets) {
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "1.0.0"), kAlice));
  Must(this->store().CreateModelVersion(this->project(), Model("chat", "2.0.0"), kAlice));
  Must(this->store().MoveModelAlias(this->project(), "chat", "stable", std::string("1.0.0"), "", kAlice));
  // Pointed at: cannot be archived.
  EXPECT_THAT(this->store().TransitionModelVersion(this->project(), "chat", "1.0.0", ModelState::kArchived,
                                                   "", kAlice),
              IsError(StatusCode::kConflict, "to"));
  Must(this->store().MoveModelAlias(this->project(), "chat", "stable", std::string("2.0.0"), "", kAlice));
  Must(this->store().TransitionModelVersion(this->project(), "chat", "1.0.0", ModelState::kArchived, "",
                                            kAlice));
  // Archived: cannot be pointed at, nor rolled back to.
  EXPECT_THAT(
      this->store().MoveModelAlias(this->project(), "chat", "canary", std::string("1.0.0"), "", kAlice),
      IsError(StatusCode::kConflict, "version"));
  EXPECT_THAT(this->store().MoveModelAlias(this->project(), "chat", "stable", std::nullopt, "", kAlice),
              IsError(StatusCode::kConflict, "version"));
  EXPECT_EQ(this->AliasTarget("chat", "stable"), "2.0.0");
}

TYPED_TEST(ModelStoreTest, RoutesAreVersionedLikeFlags) {
  auto created = Must(this->store().CreateRoute(this->project(), Route("chat-default"), kAlice));
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.updated_by, kAlice.name);
  EXPECT_THAT(this->store().CreateRoute(this->project(), Route("chat-default"), kAlice),
              IsError(StatusCode::kAlreadyExists, "key"));

  registry::RouteDefinition change = Route("chat-default");
  change.shadow = registry::ShadowConfig{"chat@latest", 10};
  auto updated = Must(this->store().UpdateRoute(this->project(), change, 1, kBob));
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.created_at, created.created_at);
  EXPECT_THAT(this->store().UpdateRoute(this->project(), change, 1, kBob),
              IsError(StatusCode::kConflict, "version"));

  auto read = Must(this->store().GetRoute(this->project(), "chat-default"));
  EXPECT_EQ(registry::RouteToJson(read), registry::RouteToJson(updated));
  ASSERT_TRUE(read.shadow.has_value());
  EXPECT_EQ(read.shadow->sample_percent, 10);

  Must(this->store().CreateRoute(this->project(), Route("a-first"), kAlice));
  std::vector<std::string> keys;
  for (const auto& r : Must(this->store().ListRoutes(this->project()))) keys.push_back(r.key);
  EXPECT_THAT(keys, ::testing::ElementsAre("a-first", "chat-default"));

  EXPECT_THAT(this->store().DeleteRoute(this->project(), "chat-default", 1, kAlice),
              IsError(StatusCode::kConflict, "version"));
  Must(this->store().DeleteRoute(this->project(), "chat-default", 2, kAlice));
  EXPECT_THAT(this->store().GetRoute(this->project(), "chat-default"), IsError(StatusCode::kNotFound, "key"));
  EXPECT_THAT(this->AuditActions(),
              ::testing::IsSupersetOf({"route.create", "route.update", "route.delete"}));
}

TYPED_TEST(ModelStoreTest, UnknownProjectIsNotFound) {
  EXPECT_THAT(this->store().CreateModelVersion(999, Model("chat", "1.0.0"), kAlice),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_THAT(this->store().ListRoutes(999), IsError(StatusCode::kNotFound, "project_id"));
}

}  // namespace
}  // namespace switchyard::store
