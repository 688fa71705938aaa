#include "registry/model_catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/memory_store.h"

namespace switchyard::registry {
namespace {

const store::Actor kAdmin{"admin:sy_adm_test"};

ModelVersion Model(const std::string& version) {
  ModelVersion model;
  model.name = "chat";
  model.version = version;
  model.upstream = {"http://127.0.0.1:9/v1", "m", ""};
  return model;
}

class ModelCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::NewMemoryStore();
    project_ = store_->CreateProject("acme", "Acme", kAdmin)->id;
    for (const char* v : {"1.0.0", "2.0.0", "3.0.0"})
      ASSERT_TRUE(store_->CreateModelVersion(project_, Model(v), kAdmin).ok());
    ASSERT_TRUE(store_->MoveModelAlias(project_, "chat", "stable", std::string("1.0.0"), "", kAdmin).ok());
    ASSERT_TRUE(
        store_->TransitionModelVersion(project_, "chat", "2.0.0", ModelState::kArchived, "", kAdmin).ok());
    RouteDefinition route;
    route.key = "chat-default";
    route.flag = "f";
    route.default_model = "chat@stable";
    ASSERT_TRUE(store_->CreateRoute(project_, route, kAdmin).ok());
  }

  std::unique_ptr<store::Store> store_;
  std::int64_t project_ = 0;
};

TEST_F(ModelCatalogTest, ResolvesAliasesVersionsAndLatest) {
  ModelCatalog catalog;
  ASSERT_TRUE(catalog.ReloadAll(*store_).ok());
  auto snapshot = catalog.Get(project_);
  auto stable = snapshot->Resolve("chat@stable");
  ASSERT_TRUE(stable.ok()) << stable.status().ToString();
  EXPECT_EQ(stable->reference, "chat@1.0.0");
  EXPECT_EQ(stable->version->version, "1.0.0");
  EXPECT_EQ(snapshot->Resolve("chat")->reference, "chat@3.0.0");
  EXPECT_EQ(snapshot->Resolve("chat@3.0.0")->reference, "chat@3.0.0");
}

TEST_F(ModelCatalogTest, UnknownAndArchivedAreNotFound) {
  ModelCatalog catalog;
  ASSERT_TRUE(catalog.Reload(*store_, project_).ok());
  auto snapshot = catalog.Get(project_);
  EXPECT_EQ(snapshot->Resolve("chat@canary").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(snapshot->Resolve("other").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(snapshot->Resolve("chat@9.0.0").status().code(), StatusCode::kNotFound);
  Status archived = snapshot->Resolve("chat@2.0.0").status();
  EXPECT_EQ(archived.code(), StatusCode::kNotFound);
  EXPECT_NE(archived.message().find("archived"), std::string::npos);
  EXPECT_EQ(snapshot->Resolve("Chat@x").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ModelCatalogTest, ReferencesARouteNamesResolveAsAnyOther) {
  RouteDefinition route;
  route.key = "chat-variants";
  route.flag = "f";
  route.variants = {{"a", "chat@2.0.0"}, {"b", "chat@3.0.0"}, {"c", "chat@canary"}};
  route.default_model = "chat";
  route.shadow = ShadowConfig{"chat@stable", 10};
  ASSERT_TRUE(store_->CreateRoute(project_, route, kAdmin).ok());
  ModelCatalog catalog;
  ASSERT_TRUE(catalog.ReloadAll(*store_).ok());
  auto snapshot = catalog.Get(project_);
  // Named by a route (resolved when the snapshot was built) and not: the same answers.
  auto named = snapshot->Resolve("chat@3.0.0");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->reference, "chat@3.0.0");
  EXPECT_EQ(named->version, snapshot->Resolve("chat")->version);
  EXPECT_EQ(named->version->version, "3.0.0");
  // chat@stable is named by the route, chat@1.0.0 by none.
  auto stable = snapshot->Resolve("chat@stable");
  ASSERT_TRUE(stable.ok());
  EXPECT_EQ(stable->reference, "chat@1.0.0");
  EXPECT_EQ(stable->version, snapshot->Resolve("chat@1.0.0")->version);
  Status archived = snapshot->Resolve("chat@2.0.0").status();
  EXPECT_EQ(archived.code(), StatusCode::kNotFound);
  EXPECT_NE(archived.message().find("archived"), std::string::npos);
  Status no_alias = snapshot->Resolve("chat@canary").status();
  EXPECT_EQ(no_alias.code(), StatusCode::kNotFound);
  EXPECT_NE(no_alias.message().find("chat@canary"), std::string::npos);
}

TEST_F(ModelCatalogTest, RoutesAndUnknownProjects) {
  ModelCatalog catalog;
  EXPECT_EQ(catalog.Get(project_)->FindRoute("chat-default"), nullptr);  // nothing loaded yet
  ASSERT_TRUE(catalog.ReloadAll(*store_).ok());
  const RouteDefinition* route = catalog.Get(project_)->FindRoute("chat-default");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route->default_model, "chat@stable");
  ASSERT_EQ(catalog.Get(project_)->Routes().size(), 1u);
  EXPECT_EQ(catalog.Get(project_)->FindRoute("nope"), nullptr);
  EXPECT_TRUE(catalog.Get(999)->Routes().empty());
}

TEST_F(ModelCatalogTest, AHeldSnapshotSurvivesAReload) {
  ModelCatalog catalog;
  ASSERT_TRUE(catalog.ReloadAll(*store_).ok());
  auto before = catalog.Get(project_);
  ASSERT_TRUE(store_->MoveModelAlias(project_, "chat", "stable", std::string("3.0.0"), "", kAdmin).ok());
  ASSERT_TRUE(catalog.Reload(*store_, project_).ok());
  EXPECT_EQ(before->Resolve("chat@stable")->reference, "chat@1.0.0");
  EXPECT_EQ(catalog.Get(project_)->Resolve("chat@stable")->reference, "chat@3.0.0");
}

TEST_F(ModelCatalogTest, ReadersRunWhileReloadsPublish) {
  ModelCatalog catalog;
  ASSERT_TRUE(catalog.ReloadAll(*store_).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (!stop.load()) {
      auto resolved = catalog.Get(project_)->Resolve("chat@stable");
      if (!resolved.ok() || resolved->version == nullptr) failures.fetch_add(1);
    }
  });
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(catalog.Reload(*store_, project_).ok());
  stop.store(true);
  reader.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace switchyard::registry
