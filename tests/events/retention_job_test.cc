#include "events/retention_job.h"

#include <gtest/gtest.h>

#include "events/memory_event_log.h"

namespace switchyard::events {
namespace {

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

Event ReceivedAt(int n, std::int64_t received_at_ms) {
  Event event;
  event.project_id = 1;
  event.uuid =
      "00000000-0000-7000-8000-" + std::string(12 - std::to_string(n).size(), '0') + std::to_string(n);
  event.event = "e";
  event.distinct_id = "u";
  event.timestamp_ms = received_at_ms;
  event.received_at_ms = received_at_ms;
  return event;
}

TEST(RetentionJob, DeletesWhatWasReceivedBeforeThePeriodInBatches) {
  MemoryEventLog log;
  const std::int64_t now = 100 * kDayMs;
  EventBatch batch;
  for (int i = 0; i < 25; ++i) batch.events.push_back(ReceivedAt(i, now - 40 * kDayMs + i));  // too old
  batch.events.push_back(ReceivedAt(100, now - 30 * kDayMs + 1));  // just inside 30 days
  batch.events.push_back(ReceivedAt(101, now));
  std::vector<EventBatch*> batches{&batch};
  ASSERT_TRUE(log.Append(batches).ok());

  // interval 0: no thread, the test runs the pass.
  RetentionJob job(log, {.days = 30, .interval = std::chrono::milliseconds(0), .batch = 10},
                   [&] { return now; });
  auto deleted = job.RunOnce();
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 25u);
  EXPECT_EQ(job.deleted_total(), 25u);
  auto left = log.Query({.project_id = 1});
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[1].received_at_ms, now - 30 * kDayMs + 1);
  EXPECT_EQ(*job.RunOnce(), 0u);
}

TEST(RetentionJob, StopsItsThreadPromptly) {
  MemoryEventLog log;
  RetentionJob job(log, {.days = 1, .interval = std::chrono::hours(1), .batch = 10});
  job.Stop();  // would hang for an hour if the wait ignored it
  SUCCEED();
}

}  // namespace
}  // namespace switchyard::events
