// ExperimentAggregator: follows the event log on its own thread, answers after catching up, and
// a second aggregator on the same events.db (checkpoint + replay) has the same aggregate.
#include "server/experiment_aggregator.h"

#include <gtest/gtest.h>

#include "events/sqlite_event_log.h"
#include "experiments/aggregate_json.h"
#include "store/temp_dir.h"

namespace switchyard::server {
namespace {

constexpr std::int64_t kT0 = 1'760'000'000'000;

experiments::ActiveExperiment Active() {
  experiments::ActiveExperiment active;
  active.project_id = 1;
  active.environment_id = 1;
  active.experiment.key = "checkout";
  active.experiment.flag_key = "checkout-flag";
  active.experiment.variants = {{"control", 50}, {"test", 50}};
  active.experiment.primary_metric = "revenue";
  active.experiment.status = experiments::ExperimentStatus::kRunning;
  return active;
}

std::vector<experiments::MetricDefinition> Metrics(std::int64_t) {
  experiments::MetricDefinition revenue;
  revenue.key = "revenue";
  revenue.kind = experiments::MetricKind::kSum;
  revenue.value = {"purchase", "amount", {}};
  return {revenue};
}

events::Event Event(int n, std::string name, std::string properties) {
  events::Event event;
  event.project_id = 1;
  event.environment_id = 1;
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "00000000-0000-7000-8000-%012d", n);
  event.uuid = uuid;
  event.event = std::move(name);
  event.distinct_id = "user-" + std::to_string(n % 10);
  event.properties = std::move(properties);
  event.timestamp_ms = kT0 + n;
  event.received_at_ms = kT0 + n;
  return event;
}

void Append(events::EventLog& log, int first, int count) {
  events::EventBatch batch;
  for (int n = first; n < first + count; ++n) {
    if (n % 3 == 0) {
      batch.events.push_back(Event(
          n, "$experiment_exposure",
          std::string(R"({"$experiment":"checkout","$variant":")") + (n % 2 ? "test" : "control") + "\"}"));
    } else {
      batch.events.push_back(Event(n, "purchase", R"({"amount":)" + std::to_string(n % 17) + "}"));
    }
  }
  events::EventBatch* batches[] = {&batch};
  ASSERT_TRUE(log.Append(batches).ok());
}

class ExperimentAggregatorTest : public ::testing::Test {
 protected:
  std::unique_ptr<ExperimentAggregator> Open() {
    auto checkpoint = SqliteAggregateCheckpoint::Open(dir_.File("events.db"));
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    ExperimentAggregatorOptions options;
    options.checkpoint_period = std::chrono::milliseconds(20);
    auto aggregator =
        std::make_unique<ExperimentAggregator>(*log_, directory_, Metrics, std::move(*checkpoint), options);
    EXPECT_TRUE(aggregator->Start().ok());
    return aggregator;
  }
  nlohmann::json AggregateOf(ExperimentAggregator& aggregator) {
    auto aggregate = aggregator.Aggregate(1, "checkout");
    EXPECT_TRUE(aggregate.ok()) << aggregate.status().ToString();
    return experiments::ExperimentAggregateToJson(*aggregate);
  }

  store::test_support::TempDir dir_;
  std::unique_ptr<events::SqliteEventLog> log_ =
      events::SqliteEventLog::Open(dir_.File("events.db"), 2).value();
  experiments::ExperimentDirectory directory_;
};

TEST_F(ExperimentAggregatorTest, FollowsTheLogAndRestartsFromItsCheckpoint) {
  directory_.Publish({Active()});
  auto aggregator = Open();
  Append(*log_, 0, 300);
  aggregator->Notify();
  ASSERT_TRUE(aggregator->WaitUntilCaughtUp(std::chrono::seconds(30)));
  const nlohmann::json first = AggregateOf(*aggregator);
  EXPECT_EQ(first["variants"][0]["exposures"].get<int>() + first["variants"][1]["exposures"].get<int>(), 10);
  aggregator->Stop();
  aggregator.reset();

  // The events after the checkpoint: a restarted aggregator replays them from the log.
  Append(*log_, 300, 200);
  auto restarted = Open();
  const nlohmann::json second = AggregateOf(*restarted);
  restarted->Stop();

  // One aggregator over everything from scratch agrees.
  store::test_support::TempDir other;
  auto fresh_log = events::SqliteEventLog::Open(other.File("events.db"), 2).value();
  Append(*fresh_log, 0, 500);
  auto checkpoint = SqliteAggregateCheckpoint::Open(other.File("events.db"));
  ASSERT_TRUE(checkpoint.ok());
  ExperimentAggregator reference(*fresh_log, directory_, Metrics, std::move(*checkpoint), {});
  ASSERT_TRUE(reference.Start().ok());
  EXPECT_EQ(second, AggregateOf(reference));
  EXPECT_NE(second, first);
}

// The value of an unlabelled sample in /metrics text.
double SampleOf(const ExperimentAggregator& aggregator, const std::string& name) {
  PrometheusText out;
  aggregator.AppendMetrics(out);
  const std::string& text = out.text();
  const std::size_t at = text.find("\n" + name + " ");
  EXPECT_NE(at, std::string::npos) << name;
  return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

TEST_F(ExperimentAggregatorTest, EventsCommittedWhileNothingCollectsAreSkippedUnread) {
  auto aggregator = Open();
  Append(*log_, 0, 300);
  const std::int64_t first_batch = log_->LatestSeq(1).value();
  aggregator->Notify(first_batch);
  ASSERT_TRUE(aggregator->WaitUntilCaughtUp(std::chrono::seconds(30)));
  EXPECT_EQ(SampleOf(*aggregator, "switchyard_aggregation_events_skipped_total"), 300);
  EXPECT_EQ(SampleOf(*aggregator, "switchyard_aggregation_events_total"), 0);
  EXPECT_EQ(SampleOf(*aggregator, "switchyard_aggregation_applied_seq"), static_cast<double>(first_batch));

  // Once an experiment runs, what follows is read and counted.
  directory_.Publish({Active()});
  Append(*log_, 300, 300);
  aggregator->Notify(log_->LatestSeq(1).value());
  ASSERT_TRUE(aggregator->WaitUntilCaughtUp(std::chrono::seconds(30)));
  EXPECT_EQ(SampleOf(*aggregator, "switchyard_aggregation_events_skipped_total"), 300);
  EXPECT_EQ(SampleOf(*aggregator, "switchyard_aggregation_events_total"), 300);
  const nlohmann::json aggregate = AggregateOf(*aggregator);
  // Users 0-9 were exposed in the events after the skip (every third event is an exposure).
  EXPECT_EQ(
      aggregate["variants"][0]["exposures"].get<int>() + aggregate["variants"][1]["exposures"].get<int>(),
      10);
  aggregator->Stop();
}

}  // namespace
}  // namespace switchyard::server
