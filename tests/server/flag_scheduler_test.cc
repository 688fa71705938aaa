// FlagScheduler: due changes fire once through FlagService (new version, audit entry with the
// schedule as actor, published snapshot), in the named environment or all; a change that cannot
// apply is marked failed with why and never retried.
#include "server/flag_scheduler.h"

#include <gtest/gtest.h>

#include "store/memory_store.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

class FlagSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = store_->CreateProject("acme", "Acme", {"test"}).value().id;
    ASSERT_TRUE(snapshots_.Reload(*store_, project_).ok());
    Flag flag;
    flag.key = "launch";
    flag.active = false;
    flag.groups.emplace_back();
    auto created =
        flags_.Create(project_,
                      [&](store::FlagRecord& record, const std::vector<store::Environment>& environments) {
                        std::vector<std::string> keys;
                        for (const auto& environment : environments) keys.push_back(environment.key);
                        record = store::Everywhere(flag, keys);
                        return Status::Ok();
                      },
                      {"admin:sy_admin_test"});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  std::int64_t Schedule(json change, const std::string& environment = "", const std::string& key = "launch") {
    store::FlagSchedule schedule;
    schedule.flag_key = key;
    schedule.at = "2026-12-01T09:00:00.000Z";
    schedule.environment = environment;
    schedule.change = std::move(change);
    return store_->CreateFlagSchedule(project_, schedule, {"admin:sy_admin_Ab3"}).value().id;
  }

  store::FlagSchedule Read(std::int64_t id) {
    const auto schedules = store_->ListFlagSchedules(project_, "launch").value();
    for (const auto& schedule : schedules)
      if (schedule.id == id) return schedule;
    return {};
  }

  bool EnabledIn(const std::string& environment) {
    const auto environments = store_->ListEnvironments(project_).value();
    for (const auto& each : environments) {
      if (each.key != environment) continue;
      EvaluationContext alice;
      alice.distinct_id = "alice";
      return snapshots_.Get(each.id)->Evaluate("launch", alice).enabled;
    }
    return false;
  }

  std::unique_ptr<store::Store> store_ = store::NewMemoryStore();
  FlagSnapshots snapshots_;
  FlagService flags_{*store_, snapshots_};
  FlagScheduler scheduler_{*store_, flags_};
  std::int64_t project_ = 0;
};

TEST_F(FlagSchedulerTest, FiresDueChangesOnceThroughTheFlagService) {
  const std::int64_t id = Schedule({{"active", true}}, "staging");
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T08:59:59.999Z"), 0);  // not due yet
  EXPECT_EQ(Read(id).status, store::kSchedulePending);

  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:00:00.000Z"), 1);
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:00:00.000Z"), 0);  // fired once
  store::FlagSchedule fired = Read(id);
  EXPECT_EQ(fired.status, store::kScheduleDone);
  EXPECT_EQ(fired.result, "enable: applied, now version 2");
  EXPECT_TRUE(EnabledIn("staging"));  // published, not only stored
  EXPECT_FALSE(EnabledIn("production"));

  auto audit = store_->ListAudit({}).value();
  EXPECT_EQ(audit[0].action, "flag.update");
  EXPECT_EQ(audit[0].actor, "schedule:" + std::to_string(id) + " (by admin:sy_admin_Ab3)");
  EXPECT_EQ(audit[0].environment, "staging");
}

TEST_F(FlagSchedulerTest, RolloutSetsEveryGroupInEveryEnvironment) {
  Schedule({{"active", true}});
  Schedule({{"rollout_percentage", 0}});
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:00:00.000Z"), 2);
  auto record = store_->GetFlag(project_, "launch").value();
  for (const auto& [environment, targeting] : record.environments) {
    EXPECT_TRUE(targeting.active) << environment;
    EXPECT_EQ(targeting.groups.at(0).rollout_percentage, 0.0) << environment;
  }
  EXPECT_FALSE(EnabledIn("production"));
}

TEST_F(FlagSchedulerTest, ANoOpIsDoneWithoutANewVersion) {
  const std::int64_t id = Schedule({{"active", false}});
  scheduler_.FireDue("2026-12-01T09:00:00.000Z");
  EXPECT_EQ(Read(id).status, store::kScheduleDone);
  EXPECT_EQ(store_->GetFlag(project_, "launch").value().flag.version, 1);
}

TEST_F(FlagSchedulerTest, FailuresAreRecordedAndNeverRetried) {
  const std::int64_t bad_change = Schedule({{"rollout_percentage", 250}});
  const std::int64_t gone_environment = Schedule({{"active", true}}, "qa");
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:00:00.000Z"), 2);
  EXPECT_EQ(Read(bad_change).status, store::kScheduleFailed);
  EXPECT_NE(Read(bad_change).result.find("rollout_percentage"), std::string::npos) << Read(bad_change).result;
  EXPECT_EQ(Read(gone_environment).status, store::kScheduleFailed);
  EXPECT_NE(Read(gone_environment).result.find("qa"), std::string::npos);

  const std::int64_t flag_gone = Schedule({{"active", true}});
  ASSERT_TRUE(flags_.Delete(project_, "launch", std::nullopt, {"admin"}).ok());
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:00:00.000Z"), 1);
  store::FlagSchedule failed = Read(flag_gone);
  EXPECT_EQ(failed.status, store::kScheduleFailed);
  EXPECT_NE(failed.result.find("launch"), std::string::npos) << failed.result;
  EXPECT_EQ(scheduler_.FireDue("2030-01-01T00:00:00.000Z"), 0);
}

TEST_F(FlagSchedulerTest, AChangeClaimedElsewhereIsLeftAlone) {
  const std::int64_t id = Schedule({{"active", true}});
  ASSERT_TRUE(store_->ClaimFlagSchedule(id, "2026-12-01T09:00:00.000Z", "")
                  .value());  // another server got there first
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:00:00.000Z"), 0);
  EXPECT_FALSE(EnabledIn("production"));
}

TEST_F(FlagSchedulerTest, AChangeWhoseServerDiedWhileFiringItIsFiredOnceLater) {
  const std::int64_t id = Schedule({{"active", true}});
  // Claimed at 09:00 by a server that then died: still its own a minute later...
  ASSERT_TRUE(store_->ClaimFlagSchedule(id, "2026-12-01T09:00:00.000Z", "").value());
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:01:00.000Z", "2026-12-01T08:56:00.000Z"), 0);
  // ...abandoned once the claim is older than the cutoff: fired, and only once.
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:06:00.000Z", "2026-12-01T09:01:00.000Z"), 1);
  EXPECT_TRUE(EnabledIn("production"));
  EXPECT_EQ(Read(id).status, store::kScheduleDone);
  EXPECT_EQ(scheduler_.FireDue("2026-12-01T09:20:00.000Z", "2026-12-01T09:15:00.000Z"), 0);
}

}  // namespace
}  // namespace switchyard::server
