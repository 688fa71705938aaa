// Events per second through ingest-time aggregation (the AggregationEngine the aggregator thread
// runs), on one core: a running experiment with a sum, a conversion, a ratio and a percentile
// metric, 100,000 users, and a realistic mix of exposures, metric events and unrelated events.
// Target: far above the 200,000 events/s that ingestion can commit.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "experiments/aggregation_engine.h"
#include "experiments/builtin_metrics.h"

namespace switchyard::experiments {
namespace {

constexpr std::int64_t kT0 = 1'760'000'000'000;

std::vector<MetricDefinition> Metrics() {
  std::vector<MetricDefinition> metrics = BuiltinMetrics();
  MetricDefinition revenue;
  revenue.key = "revenue";
  revenue.kind = MetricKind::kSum;
  revenue.value = {"purchase", "amount", {}};
  revenue.capping.upper = 500;
  metrics.push_back(revenue);
  MetricDefinition bought;
  bought.key = "bought";
  bought.kind = MetricKind::kConversion;
  bought.value = {"purchase", "", {}};
  metrics.push_back(bought);
  return metrics;
}

std::shared_ptr<const ExperimentSnapshot> Snapshot() {
  ActiveExperiment active;
  active.project_id = 1;
  active.environment_id = 1;
  active.experiment.key = "checkout";
  active.experiment.flag_key = "checkout-flag";
  active.experiment.variants = {{"control", 50}, {"test", 50}};
  active.experiment.primary_metric = "revenue";
  active.experiment.secondary_metrics = {"bought", "ai_latency_p95", "ai_cost_per_request"};
  active.experiment.status = ExperimentStatus::kRunning;
  return std::make_shared<const ExperimentSnapshot>(std::vector{active});
}

std::vector<events::Event> Events(std::size_t count, std::size_t users) {
  std::mt19937_64 random(5);
  std::vector<events::Event> out;
  for (std::size_t i = 0; i < count; ++i) {
    events::Event event;
    event.seq = static_cast<std::int64_t>(i + 1);
    event.project_id = 1;
    event.environment_id = 1;
    event.distinct_id = "user-" + std::to_string(random() % users);
    event.timestamp_ms = kT0 + static_cast<std::int64_t>(i) * 10;
    switch (random() % 10) {
      case 0:
        event.event = "$feature_flag_called";
        event.properties = std::string(R"({"$feature_flag":"checkout-flag","$feature_flag_response":")") +
                           (random() % 2 ? "test" : "control") + R"(","$lib":"posthog-js"})";
        break;
      case 1:
        event.event = "purchase";
        event.properties = R"({"amount":)" + std::to_string(random() % 200) + R"(,"currency":"EUR"})";
        break;
      case 2:
      case 3:
      case 4:
        event.event = "$ai_generation";
        event.properties = R"({"$ai_model":"gpt-5-mini","$ai_latency":)" +
                           std::to_string((random() % 3000) / 1000.0) + R"(,"$ai_input_tokens":)" +
                           std::to_string(random() % 800) + R"(,"$ai_output_tokens":)" +
                           std::to_string(random() % 400) + R"(,"$ai_total_cost_usd":0.0012})";
        break;
      default:
        event.event = "$pageview";
        event.properties = R"({"$current_url":"https://example.com/pricing","$browser":"Firefox"})";
        break;
    }
    out.push_back(std::move(event));
  }
  return out;
}

void BM_AggregateEvents(benchmark::State& state) {
  const std::vector<events::Event> events = Events(200'000, 100'000);
  AggregationEngine engine(AggregationLimits{}, [](std::int64_t) { return Metrics(); });
  engine.UseExperiments(Snapshot());
  std::size_t next = 0;
  for (auto _ : state) {
    engine.Apply(events[next]);
    next = next + 1 == events.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AggregateEvents);

}  // namespace
}  // namespace switchyard::experiments

BENCHMARK_MAIN();
