// The experiment part of the Store contract (store.h, "Experiments"), checked identically against
// every backend: versioned, audited like flags, and the project holdout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "experiments/experiment_json.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_support.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using experiments::Experiment;
using experiments::ExperimentStatus;
using nlohmann::json;
using test_support::Actions;
using test_support::AuditFilter;
using test_support::IsError;
using test_support::kAlice;
using test_support::kBob;
using test_support::Must;
using ::testing::ElementsAre;

using test_support::BackendNames;
using test_support::MemoryBackend;
using test_support::SqliteBackend;

Experiment MakeExperiment(const std::string& key) {
  Experiment e;
  e.key = key;
  e.name = "Experiment " + key;
  e.hypothesis = "the new prompt converts better";
  e.owner = "ana";
  e.environment = "production";
  e.flag_key = key;
  e.variants = {{"control", 70}, {"treatment", 30}};
  e.traffic_percent = 50;
  e.conditions.push_back(PropertyFilter{"plan", FilterType::kPerson, Operator::kExact, "pro"});
  e.primary_metric = "conversion";
  e.secondary_metrics = {"latency_p95"};
  e.analysis.method = stats::Method::kBayesian;
  e.analysis.prior = stats::GaussianPrior{0, 0.5};
  return e;
}

template <typename Backend>
class ExperimentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> opened = Backend::Open(dir_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    project_ = Must(store_->CreateProject("acme", "Acme", kAlice)).id;
  }

  Store& store() { return *store_; }
  std::int64_t project() const { return project_; }
  std::vector<AuditEntry> ExperimentAudit(const std::string& key) {
    return Must(store_->ListAudit(AuditFilter().Type("experiment").Key(key)));
  }

 private:
  test_support::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::int64_t project_ = 0;
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(ExperimentStoreTest, Backends, BackendNames);

TYPED_TEST(ExperimentStoreTest, CreateStoresEveryFieldAtVersionOne) {
  Experiment input = MakeExperiment("prompt-v2");
  input.version = 42;  // ignored
  ExperimentRecord created = Must(this->store().CreateExperiment(this->project(), input, kAlice));
  EXPECT_EQ(created.experiment.version, 1);
  EXPECT_EQ(created.updated_by, kAlice.name);
  ExperimentRecord read = Must(this->store().GetExperiment(this->project(), "prompt-v2"));
  Experiment expected = input;
  expected.version = 1;
  // Experiment's defaulted == is deleted (stats::GaussianPrior has none): compare the full JSON.
  EXPECT_EQ(experiments::ExperimentToJson(read.experiment), experiments::ExperimentToJson(expected));
  EXPECT_EQ(read.created_at, created.created_at);
}

TYPED_TEST(ExperimentStoreTest, ATakenKeyIsAlreadyExists) {
  Must(this->store().CreateExperiment(this->project(), MakeExperiment("a"), kAlice));
  EXPECT_THAT(this->store().CreateExperiment(this->project(), MakeExperiment("a"), kAlice),
              IsError(StatusCode::kAlreadyExists, "key"));
}

TYPED_TEST(ExperimentStoreTest, AnInvalidKeyIsRefused) {
  EXPECT_THAT(this->store().CreateExperiment(this->project(), MakeExperiment("bad key"), kAlice),
              IsError(StatusCode::kInvalidArgument, "key"));
}

TYPED_TEST(ExperimentStoreTest, UpdateChecksTheVersionAndIncrementsIt) {
  Must(this->store().CreateExperiment(this->project(), MakeExperiment("a"), kAlice));
  Experiment changed = MakeExperiment("a");
  changed.name = "Renamed";
  ExperimentRecord updated = Must(this->store().UpdateExperiment(this->project(), changed, 1, kBob));
  EXPECT_EQ(updated.experiment.version, 2);
  EXPECT_EQ(updated.updated_by, kBob.name);
  EXPECT_THAT(this->store().UpdateExperiment(this->project(), changed, 1, kBob),
              IsError(StatusCode::kConflict, "version"));
  EXPECT_EQ(Must(this->store().GetExperiment(this->project(), "a")).experiment.name, "Renamed");
  Experiment missing = MakeExperiment("missing");
  EXPECT_THAT(this->store().UpdateExperiment(this->project(), missing, 1, kBob),
              IsError(StatusCode::kNotFound, "key"));
}

TYPED_TEST(ExperimentStoreTest, EveryChangeIsAuditedWithBeforeAndAfter) {
  Must(this->store().CreateExperiment(this->project(), MakeExperiment("a"), kAlice));
  Experiment running = MakeExperiment("a");
  running.status = ExperimentStatus::kRunning;
  running.started_at = "2026-11-21T10:00:00.000Z";
  Must(this->store().UpdateExperiment(this->project(), running, 1, kAlice));
  Experiment paused = running;
  paused.status = ExperimentStatus::kPaused;
  Must(this->store().UpdateExperiment(this->project(), paused, 2, kAlice));
  Experiment shipped = paused;
  shipped.status = ExperimentStatus::kStopped;
  shipped.shipped_variant = "treatment";
  Must(this->store().UpdateExperiment(this->project(), shipped, 3, kAlice));
  Experiment renamed = shipped;
  renamed.name = "Done";
  Must(this->store().UpdateExperiment(this->project(), renamed, 4, kAlice));
  Must(this->store().DeleteExperiment(this->project(), "a", 5, kAlice));

  std::vector<AuditEntry> audit = this->ExperimentAudit("a");  // newest first
  EXPECT_THAT(Actions(audit), ElementsAre("experiment.delete", "experiment.update", "experiment.ship",
                                          "experiment.pause", "experiment.start", "experiment.create"));
  EXPECT_EQ(audit.back().before, json(nullptr));
  EXPECT_EQ(audit.back().after["version"], 1);
  EXPECT_EQ(audit[4].before["status"], "draft");
  EXPECT_EQ(audit[4].after["status"], "running");
  EXPECT_EQ(audit[2].after["shipped_variant"], "treatment");
  EXPECT_EQ(audit[0].after, json(nullptr));
  EXPECT_EQ(audit[0].before["name"], "Done");
}

TYPED_TEST(ExperimentStoreTest, DeleteChecksTheVersion) {
  Must(this->store().CreateExperiment(this->project(), MakeExperiment("a"), kAlice));
  EXPECT_THAT(this->store().DeleteExperiment(this->project(), "a", 2, kAlice),
              IsError(StatusCode::kConflict, "version"));
  Must(this->store().DeleteExperiment(this->project(), "a", 1, kAlice));
  EXPECT_THAT(this->store().GetExperiment(this->project(), "a"), IsError(StatusCode::kNotFound, "key"));
  EXPECT_THAT(this->store().DeleteExperiment(this->project(), "a", 1, kAlice),
              IsError(StatusCode::kNotFound, "key"));
}

TYPED_TEST(ExperimentStoreTest, ListIsByKeyAndPerProject) {
  Must(this->store().CreateExperiment(this->project(), MakeExperiment("b"), kAlice));
  Must(this->store().CreateExperiment(this->project(), MakeExperiment("a"), kAlice));
  const std::int64_t other = Must(this->store().CreateProject("other", "Other", kAlice)).id;
  Must(this->store().CreateExperiment(other, MakeExperiment("c"), kAlice));
  std::vector<ExperimentRecord> listed = Must(this->store().ListExperiments(this->project()));
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].experiment.key, "a");
  EXPECT_EQ(listed[1].experiment.key, "b");
  EXPECT_EQ(listed[0].project_id, this->project());
  EXPECT_THAT(this->store().GetExperiment(other, "a"), IsError(StatusCode::kNotFound, "key"));
}

TYPED_TEST(ExperimentStoreTest, HoldoutIsZeroUntilSetAndAudited) {
  EXPECT_EQ(Must(this->store().GetExperimentHoldout(this->project())), 0);
  Must(this->store().SetExperimentHoldout(this->project(), 12.5, kAlice));
  EXPECT_EQ(Must(this->store().GetExperimentHoldout(this->project())), 12.5);
  Must(this->store().SetExperimentHoldout(this->project(), 5, kBob));
  EXPECT_EQ(Must(this->store().GetExperimentHoldout(this->project())), 5);
  std::vector<AuditEntry> audit = Must(this->store().ListAudit(AuditFilter().Type("project").Key("acme")));
  ASSERT_GE(audit.size(), 2U);
  EXPECT_EQ(audit[0].action, "project.holdout");
  EXPECT_EQ(audit[0].before, json({{"holdout_percent", 12.5}}));
  EXPECT_EQ(audit[0].after, json({{"holdout_percent", 5.0}}));
}

TYPED_TEST(ExperimentStoreTest, HoldoutOutsideZeroToFiftyIsRefused) {
  EXPECT_THAT(this->store().SetExperimentHoldout(this->project(), 50.5, kAlice),
              IsError(StatusCode::kInvalidArgument, "percent"));
  EXPECT_THAT(this->store().SetExperimentHoldout(this->project(), -1, kAlice),
              IsError(StatusCode::kInvalidArgument, "percent"));
  EXPECT_THAT(this->store().GetExperimentHoldout(999), IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_THAT(this->store().SetExperimentHoldout(999, 1, kAlice),
              IsError(StatusCode::kNotFound, "project_id"));
  EXPECT_EQ(Must(this->store().GetExperimentHoldout(this->project())), 0);
}

}  // namespace
}  // namespace switchyard::store
