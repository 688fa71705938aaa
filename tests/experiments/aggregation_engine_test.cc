// Attribution of committed events to experiments, and checkpoint + replay equality.
#include "experiments/aggregation_engine.h"

#include <gtest/gtest.h>

#include <random>

#include "experiments/aggregate_json.h"

namespace switchyard::experiments {
namespace {

constexpr std::int64_t kProject = 1;
constexpr std::int64_t kProduction = 3;
constexpr std::int64_t kStaging = 2;
constexpr std::int64_t kT0 = 1'760'000'000'000;

MetricDefinition Revenue() {
  MetricDefinition metric;
  metric.key = "revenue";
  metric.name = "Revenue";
  metric.kind = MetricKind::kSum;
  metric.value = {"purchase", "amount", {}};
  return metric;
}

MetricDefinition Bought() {
  MetricDefinition metric;
  metric.key = "bought";
  metric.name = "Bought";
  metric.kind = MetricKind::kConversion;
  metric.value = {"purchase", "", {}};
  return metric;
}

ActiveExperiment Active(ExperimentStatus status = ExperimentStatus::kRunning) {
  ActiveExperiment active;
  active.project_id = kProject;
  active.environment_id = kProduction;
  Experiment& experiment = active.experiment;
  experiment.key = "checkout";
  experiment.flag_key = "checkout-flag";
  experiment.variants = {{"control", 50}, {"test", 50}};
  experiment.primary_metric = "revenue";
  experiment.secondary_metrics = {"bought", "ai_latency_p95", "missing"};
  experiment.status = status;
  return active;
}

AggregationEngine::MetricSource Metrics() {
  return [](std::int64_t) {
    std::vector<MetricDefinition> metrics = {Revenue(), Bought()};
    MetricDefinition latency;
    latency.key = "ai_latency_p95";
    latency.kind = MetricKind::kPercentile;
    latency.percentile = 0.95;
    latency.value = {"$ai_generation", "$ai_latency", {}};
    metrics.push_back(latency);
    return metrics;
  };
}

events::Event Event(std::int64_t seq, std::string name, std::string who, std::string properties,
                    std::int64_t at, std::int64_t environment = kProduction) {
  events::Event event;
  event.seq = seq;
  event.project_id = kProject;
  event.environment_id = environment;
  event.event = std::move(name);
  event.distinct_id = std::move(who);
  event.properties = std::move(properties);
  event.timestamp_ms = at;
  return event;
}

events::Event Exposure(std::int64_t seq, std::string who, std::string variant, std::int64_t at,
                       std::int64_t environment = kProduction) {
  return Event(seq, "$experiment_exposure", std::move(who),
               R"({"$experiment":"checkout","$variant":")" + variant + R"("})", at, environment);
}

AggregationEngine Engine(std::vector<ActiveExperiment> experiments = {Active()}) {
  AggregationEngine engine(AggregationLimits{}, Metrics());
  engine.UseExperiments(std::make_shared<const ExperimentSnapshot>(std::move(experiments)));
  return engine;
}

const VariantAggregate& Variant(const ExperimentAggregate& aggregate, const std::string& key) {
  for (const VariantAggregate& variant : aggregate.variants)
    if (variant.variant == key) return variant;
  throw std::runtime_error("no variant " + key);
}

TEST(AggregationEngineTest, CountsExposuresOfBothFormsAndTheMetricsOfExposedUsers) {
  AggregationEngine engine = Engine();
  engine.Apply(Exposure(1, "a", "control", kT0));
  engine.Apply(Event(2, "$feature_flag_called", "b",
                     R"({"$feature_flag":"checkout-flag","$feature_flag_response":"test"})", kT0));
  engine.Apply(Event(3, "purchase", "a", R"({"amount":10})", kT0 + 1));
  engine.Apply(Event(4, "purchase", "b", R"({"amount":"5"})", kT0 + 1, kStaging));  // any environment
  engine.Apply(Event(5, "purchase", "stranger", R"({"amount":99})", kT0 + 1));
  engine.Apply(Event(6, "$ai_generation", "b", R"({"$ai_latency":1.5})", kT0 + 2));
  auto aggregate = engine.Aggregate(kProject, "checkout");
  ASSERT_TRUE(aggregate.ok()) << aggregate.status().ToString();
  EXPECT_EQ(aggregate->variants.size(), 2u);
  EXPECT_EQ(Variant(*aggregate, "control").exposures, 1);
  EXPECT_EQ(Variant(*aggregate, "test").exposures, 1);
  EXPECT_EQ(Variant(*aggregate, "control").metrics.at("revenue").sum, 10);
  EXPECT_EQ(Variant(*aggregate, "test").metrics.at("revenue").sum, 5);
  EXPECT_EQ(Variant(*aggregate, "test").metrics.at("bought").sum, 1);
  EXPECT_EQ(Variant(*aggregate, "test").metrics.at("ai_latency_p95").sketch->count(), 1u);
  EXPECT_FALSE(Variant(*aggregate, "test").metrics.contains("missing"));  // not defined: not aggregated
  EXPECT_EQ(engine.counters().first_exposures, 2u);
}

TEST(AggregationEngineTest, IgnoresExposuresItMustNotCount) {
  AggregationEngine engine = Engine();
  engine.Apply(Exposure(1, "a", "control", kT0, kStaging));  // another environment
  engine.Apply(Exposure(2, "b", "nope", kT0));               // not a variant
  engine.Apply(Event(3, "$experiment_exposure", "c", R"({"$experiment":"other","$variant":"control"})", kT0));
  engine.Apply(Event(4, "$experiment_exposure", "d", R"(not json)", kT0));
  engine.Apply(Event(5, "$feature_flag_called", "e",
                     R"({"$feature_flag":"checkout-flag","$feature_flag_response":true})", kT0));
  auto aggregate = engine.Aggregate(kProject, "checkout");
  ASSERT_TRUE(aggregate.ok());
  EXPECT_EQ(Variant(*aggregate, "control").exposures + Variant(*aggregate, "test").exposures, 0);
  EXPECT_EQ(engine.counters().ignored_exposures, 3u);  // the environment, the variant, the boolean response
  EXPECT_EQ(engine.Aggregate(kProject, "other").status().code(), StatusCode::kNotFound);
}

TEST(AggregationEngineTest, PausedExperimentsTakeNoNewUsersButCountTheirUsersEvents) {
  AggregationEngine engine = Engine();
  engine.Apply(Exposure(1, "a", "control", kT0));
  engine.UseExperiments(
      std::make_shared<const ExperimentSnapshot>(std::vector{Active(ExperimentStatus::kPaused)}));
  engine.Apply(Exposure(2, "b", "control", kT0));
  engine.Apply(Event(3, "purchase", "a", R"({"amount":3})", kT0 + 1));
  engine.UseExperiments(
      std::make_shared<const ExperimentSnapshot>(std::vector<ActiveExperiment>{}));  // stopped
  engine.Apply(Event(4, "purchase", "a", R"({"amount":100})", kT0 + 2));
  auto aggregate = engine.Aggregate(kProject, "checkout");
  ASSERT_TRUE(aggregate.ok());  // a stopped experiment keeps its aggregate
  EXPECT_EQ(Variant(*aggregate, "control").exposures, 1);
  EXPECT_EQ(Variant(*aggregate, "control").metrics.at("revenue").sum, 3);
}

TEST(AggregationEngineTest, EventsThatArriveBeforeTheirExposureCountOnceItArrives) {
  AggregationEngine engine = Engine();
  engine.Apply(Event(1, "purchase", "a", R"({"amount":2})", kT0 - kDayMs));  // before: covariate
  engine.Apply(Event(2, "purchase", "a", R"({"amount":7})", kT0 + 10));      // after, but arrives first
  engine.Apply(Exposure(3, "a", "test", kT0));
  const ExperimentAggregate aggregate = *engine.Aggregate(kProject, "checkout");
  const MetricSums& revenue = Variant(aggregate, "test").metrics.at("revenue");
  EXPECT_EQ(revenue.sum, 7);
  EXPECT_EQ(revenue.covariate_sum, 2);
  EXPECT_EQ(Variant(aggregate, "test").metrics.at("bought").sum, 1);
}

// Random events applied in one go, or split by a checkpoint that a fresh engine restores before
// it applies the rest: the same aggregate, to the bit.
TEST(AggregationEngineTest, CheckpointThenReplayGivesTheSameAggregate) {
  std::mt19937_64 random(11);
  std::vector<events::Event> events;
  for (int i = 0; i < 4000; ++i) {
    const std::string who = "u" + std::to_string(random() % 300);
    const std::int64_t at = kT0 + static_cast<std::int64_t>(random() % (48 * kHourMs)) - kDayMs;
    switch (random() % 4) {
      case 0: events.push_back(Exposure(i + 1, who, random() % 2 ? "control" : "test", at)); break;
      case 1:
        events.push_back(Event(i + 1, "$ai_generation", who,
                               R"({"$ai_latency":)" + std::to_string(random() % 5000 / 1000.0) + "}", at));
        break;
      default:
        events.push_back(
            Event(i + 1, "purchase", who, R"({"amount":)" + std::to_string(random() % 100) + "}", at));
        break;
    }
  }
  AggregationEngine whole = Engine();
  for (const events::Event& event : events) whole.Apply(event);

  AggregationEngine reference = Engine();
  for (std::size_t i = 0; i < events.size() * 3 / 4; ++i) reference.Apply(events[i]);
  EngineCheckpointRows all = reference.TakeCheckpointRows();

  AggregationEngine restored(AggregationLimits{}, Metrics());
  for (const auto& experiment : all.experiments)
    ASSERT_TRUE(restored
                    .RestoreExperiment(experiment.project_id, experiment.rows.header, experiment.rows.hours,
                                       experiment.rows.users)
                    .ok());
  for (const auto& recent : all.recent)
    if (recent.values) {
      ASSERT_TRUE(restored.RestoreRecent(recent.project_id, recent.user, *recent.values).ok());
    }
  restored.UseExperiments(std::make_shared<const ExperimentSnapshot>(std::vector{Active()}));
  for (std::size_t i = events.size() * 3 / 4; i < events.size(); ++i) restored.Apply(events[i]);

  EXPECT_EQ(ExperimentAggregateToJson(*restored.Aggregate(kProject, "checkout")),
            ExperimentAggregateToJson(*whole.Aggregate(kProject, "checkout")));
}

}  // namespace
}  // namespace switchyard::experiments
