// FlagSnapshots' metrics: each project's snapshot version counts its publications, and the
// rebuild time is measured with the injected clock.
#include "server/flag_snapshots.h"

#include <gtest/gtest.h>

#include "store/memory_store.h"
#include "store/store_test_support.h"
#include "support/prometheus_sample.h"

namespace switchyard::server {
namespace {

using store::test_support::kAlice;
using store::test_support::MakeFlag;
using store::test_support::Must;

// A store whose flag listing advances the clock, as a slow read would.
class SlowListing : public store::Store {
 public:
  SlowListing(store::Store& inner, testing::ManualClock& clock) : inner_(inner), clock_(clock) {}
  bool fail = false;
  Result<std::vector<store::FlagRecord>> ListFlags(std::int64_t project_id,
                                                   const store::FlagQuery& query) override {
    clock_.Advance(std::chrono::milliseconds(30));
    if (fail) return Status::Unavailable("the disk is gone");
    return inner_.ListFlags(project_id, query);
  }
  Result<std::vector<store::CohortRecord>> ListCohorts(std::int64_t project_id) override {
    return inner_.ListCohorts(project_id);
  }
  Result<std::vector<store::Project>> ListProjects() override { return inner_.ListProjects(); }
  Result<std::vector<store::Environment>> ListEnvironments(std::int64_t project_id) override {
    return inner_.ListEnvironments(project_id);
  }
  Result<std::vector<store::Environment>> ListAllEnvironments() override {
    return inner_.ListAllEnvironments();
  }
  Result<store::Environment> CreateEnvironment(std::int64_t, const std::string&, const std::string&,
                                               const std::optional<std::string>&,
                                               const store::Actor&) override {
    return Unused();
  }

  // Not used by FlagSnapshots.
  Result<store::BootstrapRecord> Bootstrap(const store::BootstrapRequest&, const store::Actor&) override {
    return Unused();
  }
  Result<store::Project> CreateProject(const std::string&, const std::string&, const store::Actor&) override {
    return Unused();
  }
  Result<store::Project> GetProject(std::int64_t) override { return Unused(); }
  Result<store::Project> GetProjectBySlug(const std::string&) override { return Unused(); }
  Result<store::ApiKey> CreateApiKey(const store::ApiKey&, const store::Actor&) override { return Unused(); }
  Result<std::vector<store::ApiKey>> ListApiKeys() override { return Unused(); }
  Status RevokeApiKey(std::int64_t, const store::Actor&) override { return Unused(); }
  Result<store::FlagRecord> CreateFlag(std::int64_t, const store::FlagRecord&, const store::Actor&) override {
    return Unused();
  }
  Result<store::FlagRecord> UpdateFlag(std::int64_t, const store::FlagRecord&, std::int64_t,
                                       const store::Actor&) override {
    return Unused();
  }
  Status DeleteFlag(std::int64_t, const std::string&, std::int64_t, const store::Actor&) override {
    return Unused();
  }
  Result<std::vector<store::FlagRecord>> ApplyFlags(std::int64_t, const std::vector<store::FlagWrite>&,
                                                    const store::Actor&) override {
    return Unused();
  }
  Result<store::FlagRecord> GetFlag(std::int64_t, const std::string&) override { return Unused(); }
  Result<store::CohortRecord> CreateCohort(std::int64_t, const Cohort&, const store::Actor&) override {
    return Unused();
  }
  Result<store::CohortRecord> UpdateCohort(std::int64_t, const Cohort&, std::int64_t,
                                           const store::Actor&) override {
    return Unused();
  }
  Status DeleteCohort(std::int64_t, const std::string&, std::int64_t, const store::Actor&) override {
    return Unused();
  }
  Result<store::CohortRecord> GetCohort(std::int64_t, const std::string&) override { return Unused(); }
  Result<store::Person> UpdatePerson(std::int64_t, const std::string&, const nlohmann::json&,
                                     const nlohmann::json&, const nlohmann::json&) override {
    return Unused();
  }
  Result<store::Person> ReplacePerson(std::int64_t, const std::string&, const nlohmann::json&) override {
    return Unused();
  }
  Result<store::Person> GetPerson(std::int64_t, const std::string&) override { return Unused(); }
  Status DeletePerson(std::int64_t, const std::string&) override { return Unused(); }
  Result<std::vector<store::Person>> ListPersons(std::int64_t, const store::PersonQuery&) override {
    return Unused();
  }
  Status UpdatePersons(const std::vector<store::PersonUpdate>&) override { return Unused(); }
  Status UpdateGroups(const std::vector<store::GroupUpdate>&) override { return Unused(); }
  Result<std::vector<store::GroupType>> ListGroupTypes(std::int64_t) override { return Unused(); }
  Result<store::GroupType> CreateGroupType(std::int64_t, const std::string&, const store::Actor&) override {
    return Unused();
  }
  Result<store::Group> GetGroup(std::int64_t, const std::string&, const std::string&) override {
    return Unused();
  }
  Result<std::vector<store::AuditEntry>> ListAudit(const store::AuditQuery&) override { return Unused(); }
  Status RecordFlagEvaluations(const std::vector<store::FlagEvaluationStats>&) override { return Unused(); }
  Result<std::vector<store::FlagEvaluationStats>> ListFlagEvaluations(std::int64_t) override {
    return Unused();
  }
  Result<store::FlagSchedule> CreateFlagSchedule(std::int64_t, const store::FlagSchedule&,
                                                 const store::Actor&) override {
    return Unused();
  }
  Result<std::vector<store::FlagSchedule>> ListFlagSchedules(std::int64_t, const std::string&) override {
    return Unused();
  }
  Result<store::FlagSchedule> CancelFlagSchedule(std::int64_t, const std::string&, std::int64_t,
                                                 const store::Actor&) override {
    return Unused();
  }
  Result<std::vector<store::FlagSchedule>> ListDueFlagSchedules(const std::string&,
                                                                const std::string&) override {
    return Unused();
  }
  Result<bool> ClaimFlagSchedule(std::int64_t, const std::string&, const std::string&) override {
    return Unused();
  }
  Status FinishFlagSchedule(std::int64_t, const std::string&, const std::string&) override {
    return Unused();
  }
  Result<store::ExperimentRecord> CreateExperiment(std::int64_t, const experiments::Experiment&,
                                                   const store::Actor&) override {
    return Unused();
  }
  Result<store::ExperimentRecord> UpdateExperiment(std::int64_t, const experiments::Experiment&, std::int64_t,
                                                   const store::Actor&) override {
    return Unused();
  }
  Status DeleteExperiment(std::int64_t, const std::string&, std::int64_t, const store::Actor&) override {
    return Unused();
  }
  Result<store::ExperimentRecord> GetExperiment(std::int64_t, const std::string&) override {
    return Unused();
  }
  Result<std::vector<store::ExperimentRecord>> ListExperiments(std::int64_t) override { return Unused(); }
  Result<double> GetExperimentHoldout(std::int64_t) override { return Unused(); }
  Status SetExperimentHoldout(std::int64_t, double, const store::Actor&) override { return Unused(); }
  bool Healthy() override { return true; }
  Result<experiments::MetricDefinition> CreateMetric(std::int64_t, const experiments::MetricDefinition&,
                                                     const store::Actor&) override {
    return Unused();
  }
  Result<experiments::MetricDefinition> ReplaceMetric(std::int64_t, const experiments::MetricDefinition&,
                                                      const store::Actor&) override {
    return Unused();
  }
  Status DeleteMetric(std::int64_t, const std::string&, const store::Actor&) override { return Unused(); }
  Result<experiments::MetricDefinition> GetMetric(std::int64_t, const std::string&) override {
    return Unused();
  }
  Result<std::vector<experiments::MetricDefinition>> ListMetrics(std::int64_t) override { return Unused(); }

  Result<registry::ModelVersion> CreateModelVersion(std::int64_t, const registry::ModelVersion&,
                                                    const store::Actor&) override {
    return Unused();
  }
  Result<registry::ModelVersion> GetModelVersion(std::int64_t, const std::string&,
                                                 const std::string&) override {
    return Unused();
  }
  Result<std::vector<registry::ModelVersion>> ListModelVersions(std::int64_t) override { return Unused(); }
  Result<registry::ModelVersion> TransitionModelVersion(std::int64_t, const std::string&, const std::string&,
                                                        registry::ModelState, const std::string&,
                                                        const store::Actor&) override {
    return Unused();
  }
  Result<std::vector<registry::ModelAlias>> ListModelAliases(std::int64_t) override { return Unused(); }
  Result<registry::AliasMove> MoveModelAlias(std::int64_t, const std::string&, const std::string&,
                                             const std::optional<std::string>&, const std::string&,
                                             const store::Actor&) override {
    return Unused();
  }
  Result<std::vector<registry::AliasMove>> ListModelAliasHistory(std::int64_t, const std::string&,
                                                                 const std::string&) override {
    return Unused();
  }
  Result<registry::RouteDefinition> CreateRoute(std::int64_t, const registry::RouteDefinition&,
                                                const store::Actor&) override {
    return Unused();
  }
  Result<registry::RouteDefinition> UpdateRoute(std::int64_t, const registry::RouteDefinition&, std::int64_t,
                                                const store::Actor&) override {
    return Unused();
  }
  Status DeleteRoute(std::int64_t, const std::string&, std::int64_t, const store::Actor&) override {
    return Unused();
  }
  Result<registry::RouteDefinition> GetRoute(std::int64_t, const std::string&) override { return Unused(); }
  Result<std::vector<registry::RouteDefinition>> ListRoutes(std::int64_t) override { return Unused(); }

 private:
  static Status Unused() { return Status::Unavailable("not used by this test"); }
  store::Store& inner_;
  testing::ManualClock& clock_;
};

TEST(FlagSnapshotsTest, VersionCountsPublicationsAndRebuildTimeUsesTheClock) {
  auto memory = store::NewMemoryStore();
  auto first = Must(memory->CreateProject("first", "First", kAlice)).id;
  auto second = Must(memory->CreateProject("second", "Second", kAlice)).id;
  Must(memory->CreateFlag(first, store::Everywhere(MakeFlag("a")), kAlice));
  testing::ManualClock clock;
  SlowListing slow(*memory, clock);
  FlagSnapshots snapshots(clock.AsClock());
  EXPECT_TRUE(snapshots.Stats().empty());

  ASSERT_TRUE(snapshots.ReloadAll(slow).ok());
  ASSERT_TRUE(snapshots.Reload(slow, first).ok());
  auto stats = snapshots.Stats();
  // One snapshot per environment: three each.
  ASSERT_EQ(stats.size(), 6u);
  EXPECT_EQ(stats[0].project_id, first);
  EXPECT_EQ(stats[0].environment, "development");
  EXPECT_EQ(stats[2].environment, "production");
  EXPECT_EQ(stats[2].version, 2u);
  EXPECT_EQ(stats[2].rebuild_time, std::chrono::milliseconds(30));
  EXPECT_EQ(stats[3].project_id, second);
  EXPECT_EQ(stats[3].version, 1u);
  EXPECT_EQ(snapshots.Get(stats[2].environment_id)->size(), 1u);
}

TEST(FlagSnapshotsTest, AFailedRebuildKeepsTheVersion) {
  auto memory = store::NewMemoryStore();
  auto project = Must(memory->CreateProject("p", "P", kAlice)).id;
  testing::ManualClock clock;
  SlowListing slow(*memory, clock);
  FlagSnapshots snapshots(clock.AsClock());
  ASSERT_TRUE(snapshots.Reload(slow, project).ok());
  slow.fail = true;
  EXPECT_FALSE(snapshots.Reload(slow, project).ok());
  auto stats = snapshots.Stats();
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].version, 1u);
}

}  // namespace
}  // namespace switchyard::server
