// ExperimentGate: holdout and layer slices decide who is in an experiment, held-out and
// out-of-slice users get false, and exposures are recorded for running experiments only.
#include "server/experiment_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::server {
namespace {

using experiments::ActiveExperiment;
using experiments::ExperimentStatus;

constexpr std::int64_t kEnv = 5;

ActiveExperiment Active(const std::string& flag, ExperimentStatus status = ExperimentStatus::kRunning) {
  ActiveExperiment active;
  active.project_id = 1;
  active.environment_id = kEnv;
  active.experiment.key = flag + "-exp";
  active.experiment.flag_key = flag;
  active.experiment.status = status;
  active.experiment.variants = {{"control", 50}, {"treatment", 50}};
  return active;
}

std::shared_ptr<const FlagSet> Snapshot(const std::vector<std::string>& keys, bool bucket_by_device = false) {
  std::vector<Flag> flags;
  for (const std::string& key : keys) {
    Flag flag;
    flag.key = key;
    flag.variants = {{"control", "", 50}, {"treatment", "", 50}};
    flag.groups.push_back(ConditionGroup{});
    if (bucket_by_device) flag.bucketing_property = "$device_id";
    flags.push_back(flag);
  }
  return *FlagSet::Build(flags);
}

std::vector<FlagResult> Evaluate(const FlagSet& set, const ExperimentGate& gate,
                                 const EvaluationContext& context, std::int64_t env = kEnv) {
  std::vector<FlagResult> results = set.EvaluateAll(context);
  gate.Apply(env, set, context, results);
  return results;
}

std::size_t Flushed(ExposureRecorder& recorder) {
  return recorder.Flush([](std::vector<events::Event>) { return true; });
}

TEST(AllocateTest, HoldoutTakesItsShareOfUsers) {
  ActiveExperiment active = Active("f");
  active.holdout_percent = 20;
  int held_out = 0;
  for (int i = 0; i < 2000; ++i)
    held_out += Allocate(active, "user-" + std::to_string(i)) == Allocation::kHeldOut;
  EXPECT_GT(held_out, 300);  // 400 expected; these ids are fixed, so the count is too
  EXPECT_LT(held_out, 500);
  active.holdout_percent = 0;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Allocate(active, "user-" + std::to_string(i)), Allocation::kIn);
}

TEST(AllocateTest, LayerSlicesPartitionUsers) {
  ActiveExperiment left = Active("a");
  left.experiment.layer = "l";
  left.experiment.layer_from = 0;
  left.experiment.layer_to = 30;
  ActiveExperiment right = left;
  right.experiment.layer_from = 30;
  right.experiment.layer_to = 100;
  int in_left = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "user-" + std::to_string(i);
    const bool l = Allocate(left, id) == Allocation::kIn;
    const bool r = Allocate(right, id) == Allocation::kIn;
    EXPECT_NE(l, r) << id;  // exactly one
    in_left += l;
  }
  EXPECT_GT(in_left, 200);
  EXPECT_LT(in_left, 400);
}

TEST(ExperimentGateTest, HeldOutUsersGetFalseAndNoExposure) {
  experiments::ExperimentDirectory directory;
  ActiveExperiment active = Active("f");
  active.holdout_percent = 50;
  directory.Publish({active});
  ExposureRecorder recorder;
  ExperimentGate gate(directory, &recorder);
  auto set = Snapshot({"f", "other"});
  int in = 0;
  for (int i = 0; i < 200; ++i) {
    EvaluationContext context;
    context.distinct_id = "user-" + std::to_string(i);
    std::vector<FlagResult> results = Evaluate(*set, gate, context);
    const FlagResult& f = results[0];
    EXPECT_TRUE(results[1].variant.has_value());  // not an experiment's flag: untouched
    if (Allocate(active, context.distinct_id) == Allocation::kIn) {
      ++in;
      EXPECT_TRUE(f.variant.has_value());
    } else {
      EXPECT_FALSE(f.enabled);
      EXPECT_FALSE(f.variant.has_value());
      EXPECT_EQ(f.value(), nlohmann::json(false));
      EXPECT_EQ(f.reason, Reason::kOutOfRollout);
    }
  }
  EXPECT_EQ(Flushed(recorder), static_cast<std::size_t>(in));
}

TEST(ExperimentGateTest, OnlyRunningExperimentsInTheirEnvironmentRecordExposures) {
  experiments::ExperimentDirectory directory;
  directory.Publish({Active("running"), Active("paused", ExperimentStatus::kPaused)});
  ExposureRecorder recorder;
  ExperimentGate gate(directory, &recorder);
  auto set = Snapshot({"paused", "running"});
  EvaluationContext context;
  context.distinct_id = "u";
  Evaluate(*set, gate, context);
  Evaluate(*set, gate, context);
  Evaluate(*set, gate, context, kEnv + 1);  // another environment: no experiment there
  std::vector<events::Event> events;
  recorder.Flush([&](std::vector<events::Event> batch) {
    events = std::move(batch);
    return true;
  });
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(nlohmann::json::parse(events[0].properties)["$feature_flag"], "running");
}

TEST(ExperimentGateTest, BucketsOnTheFlagsBucketingProperty) {
  experiments::ExperimentDirectory directory;
  ActiveExperiment active = Active("f");
  active.holdout_percent = 50;
  directory.Publish({active});
  ExperimentGate gate(directory, nullptr);
  auto set = Snapshot({"f"}, /*bucket_by_device=*/true);
  for (int i = 0; i < 50; ++i) {
    const std::string device = "device-" + std::to_string(i);
    EvaluationContext context;
    context.distinct_id = "same-user";
    context.properties = {{"$device_id", device}};
    const bool in = Allocate(active, device) == Allocation::kIn;
    EXPECT_EQ(Evaluate(*set, gate, context)[0].enabled, in) << device;
  }
}

}  // namespace
}  // namespace switchyard::server
