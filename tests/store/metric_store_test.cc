// Metric definitions in every Store backend: create, read, replace, delete, audit, errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "experiments/metric_json.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/store_test_support.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using test_support::kAlice;
using test_support::Must;

using test_support::MemoryBackend;
using test_support::SqliteBackend;

template <typename Backend>
class MetricStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Must(Backend::Open(dir_));
    project_ = Must(store_->CreateProject("acme", "Acme", kAlice)).id;
  }
  test_support::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::int64_t project_ = 0;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(MetricStoreTest, Backends);

experiments::MetricDefinition Revenue(double cap = 100) {
  experiments::MetricDefinition metric;
  metric.key = "revenue";
  metric.kind = experiments::MetricKind::kSum;
  metric.value = {"purchase", "amount", {}};
  metric.capping.upper = cap;
  return metric;
}

TYPED_TEST(MetricStoreTest, CreatesReadsReplacesAndDeletesWithAuditEntries) {
  Store& store = *this->store_;
  auto created = Must(store.CreateMetric(this->project_, Revenue(), kAlice));
  EXPECT_EQ(created.name, "revenue");  // defaults to the key
  EXPECT_EQ(store.CreateMetric(this->project_, Revenue(), kAlice).status().code(),
            StatusCode::kAlreadyExists);
  auto read = Must(store.GetMetric(this->project_, "revenue"));
  EXPECT_EQ(experiments::MetricToJson(read), experiments::MetricToJson(created));
  Must(store.ReplaceMetric(this->project_, Revenue(50), kAlice));
  EXPECT_EQ(Must(store.GetMetric(this->project_, "revenue")).capping.upper, 50);
  ASSERT_EQ(Must(store.ListMetrics(this->project_)).size(), 1u);
  ASSERT_TRUE(store.DeleteMetric(this->project_, "revenue", kAlice).ok());
  EXPECT_EQ(store.GetMetric(this->project_, "revenue").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.DeleteMetric(this->project_, "revenue", kAlice).code(), StatusCode::kNotFound);
  EXPECT_EQ(store.ReplaceMetric(this->project_, Revenue(), kAlice).status().code(), StatusCode::kNotFound);
  std::vector<std::string> actions;
  AuditQuery query;
  query.project_id = this->project_;
  query.entity_type = "metric";
  for (const AuditEntry& entry : Must(store.ListAudit(query))) actions.push_back(entry.action);
  EXPECT_THAT(actions, ::testing::ElementsAre("metric.delete", "metric.update", "metric.create"));
}

TYPED_TEST(MetricStoreTest, RefusesInvalidDefinitionsAndUnknownProjects) {
  Store& store = *this->store_;
  experiments::MetricDefinition bad = Revenue();
  bad.value.event.clear();
  EXPECT_EQ(store.CreateMetric(this->project_, bad, kAlice).status().field(), "value.event");
  EXPECT_EQ(store.CreateMetric(999, Revenue(), kAlice).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.ListMetrics(999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace switchyard::store
