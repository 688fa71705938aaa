// ExposureRecorder: one exposure per (experiment run, user), handed over in batches; what happens
// at its bounds; and the deterministic event uuid that makes a repeat harmless.
#include "server/exposure_recorder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace switchyard::server {
namespace {

using experiments::ActiveExperiment;

ActiveExperiment Running(const std::string& key, const std::string& started_at = "2026-11-01T00:00:00.000Z") {
  ActiveExperiment active;
  active.project_id = 3;
  active.environment_id = 7;
  active.experiment.key = key;
  active.experiment.flag_key = key + "-flag";
  active.experiment.started_at = started_at;
  active.experiment.status = experiments::ExperimentStatus::kRunning;
  return active;
}

std::vector<events::Event> FlushAll(ExposureRecorder& recorder, std::size_t* calls = nullptr) {
  std::vector<events::Event> all;
  recorder.Flush([&](std::vector<events::Event> batch) {
    if (calls != nullptr) ++*calls;
    for (auto& event : batch) all.push_back(std::move(event));
    return true;
  });
  return all;
}

TEST(ExposureRecorderTest, RecordsEachUserOncePerExperiment) {
  ExposureRecorder recorder;
  const ActiveExperiment a = Running("a");
  const ActiveExperiment b = Running("b");
  recorder.Record(a, "control", "u1", 1000);
  recorder.Record(a, "control", "u1", 2000);
  recorder.Record(a, "treatment", "u2", 3000);
  recorder.Record(b, "control", "u1", 4000);
  std::vector<events::Event> events = FlushAll(recorder);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0].event, "$experiment_exposure");
  EXPECT_EQ(events[0].distinct_id, "u1");
  EXPECT_EQ(events[0].project_id, 3);
  EXPECT_EQ(events[0].environment_id, 7);
  EXPECT_EQ(events[0].timestamp_ms, 1000);
  EXPECT_EQ(nlohmann::json::parse(events[0].properties),
            nlohmann::json({{"$experiment", "a"}, {"$variant", "control"}, {"$feature_flag", "a-flag"}}));
  EXPECT_EQ(events[2].distinct_id, "u1");
  EXPECT_EQ(nlohmann::json::parse(events[2].properties)["$experiment"], "b");
  EXPECT_EQ(recorder.recorded(), 3U);
  recorder.Record(a, "control", "u1", 5000);
  EXPECT_TRUE(FlushAll(recorder).empty());
}

TEST(ExposureRecorderTest, ARestartedRunIsExposedAgain) {
  ExposureRecorder recorder;
  recorder.Record(Running("a", "2026-11-01T00:00:00.000Z"), "control", "u1", 1);
  recorder.Record(Running("a", "2026-11-05T00:00:00.000Z"), "control", "u1", 2);
  std::vector<events::Event> events = FlushAll(recorder);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_NE(events[0].uuid, events[1].uuid);
}

TEST(ExposureRecorderTest, HandsOverInBatches) {
  ExposureLimits limits;
  limits.batch_events = 2;
  ExposureRecorder recorder(limits);
  for (int i = 0; i < 5; ++i) recorder.Record(Running("a"), "control", "u" + std::to_string(i), i);
  std::size_t calls = 0;
  EXPECT_EQ(FlushAll(recorder, &calls).size(), 5U);
  EXPECT_EQ(calls, 3U);
}

TEST(ExposureRecorderTest, ARefusedBatchIsDroppedAndItsUsersRecordedAgainLater) {
  ExposureRecorder recorder;
  recorder.Record(Running("a"), "control", "u1", 1);
  EXPECT_EQ(recorder.Flush([](std::vector<events::Event>) { return false; }), 0U);
  EXPECT_EQ(recorder.dropped(), 1U);
  EXPECT_EQ(recorder.recorded(), 0U);
  recorder.Record(Running("a"), "control", "u1", 2);
  std::vector<events::Event> events = FlushAll(recorder);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].timestamp_ms, 2);
}

TEST(ExposureRecorderTest, PastThePendingBoundExposuresAreDroppedNotRemembered) {
  ExposureLimits limits;
  limits.max_pending = 2;
  ExposureRecorder recorder(limits);
  for (const char* user : {"u1", "u2", "u3"}) recorder.Record(Running("a"), "control", user, 1);
  EXPECT_EQ(recorder.dropped(), 1U);
  EXPECT_EQ(FlushAll(recorder).size(), 2U);
  recorder.Record(Running("a"), "control", "u3", 2);
  EXPECT_EQ(FlushAll(recorder).size(), 1U);
}

TEST(ExposureRecorderTest, PastTheMemoryBoundUsersAreForgottenAndGetTheSameUuidAgain) {
  ExposureLimits limits;
  limits.max_remembered = 2;
  ExposureRecorder recorder(limits);
  recorder.Record(Running("a"), "control", "u1", 1);
  recorder.Record(Running("a"), "control", "u2", 1);
  recorder.Record(Running("a"), "control", "u3", 1);  // clears what is remembered
  recorder.Record(Running("a"), "control", "u1", 2);  // recorded again...
  std::vector<events::Event> events = FlushAll(recorder);
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[3].uuid, events[0].uuid);  // ...with the uuid the log de-duplicates on
}

TEST(ExposureRecorderTest, UuidsAreDeterministicVersion5) {
  const std::string uuid = ExposureUuid(
      "3\x1f"
      "a\x1f"
      "t\x1f"
      "u1");
  EXPECT_EQ(uuid, ExposureUuid("3\x1f"
                               "a\x1f"
                               "t\x1f"
                               "u1"));
  EXPECT_NE(uuid, ExposureUuid("3\x1f"
                               "a\x1f"
                               "t\x1f"
                               "u2"));
  EXPECT_TRUE(std::regex_match(
      uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uuid;
}

}  // namespace
}  // namespace switchyard::server
