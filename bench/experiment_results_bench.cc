// GET .../results for an experiment holding 10 million events, minus the socket and the store
// read of its definition: 10M events go through the AggregationEngine once (the setup, about
// half a minute), then each iteration does what the route does with them: copy the aggregate out
// of the engine, AnalyzeExperiment with the default settings, and serialise the JSON answer.
// The budget is 50 ms. What it costs grows with variants × metrics × hours of history, not with
// events, and this measures that claim at the issue's scale: 14 days of event time, 400,000 users.
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <string>

#include "experiments/aggregation_engine.h"
#include "experiments/builtin_metrics.h"
#include "experiments/experiment_analysis.h"
#include "experiments/results_json.h"

namespace switchyard::experiments {
namespace {

constexpr std::int64_t kT0 = 1'795'000'000'000;
constexpr std::int64_t kSpanMs = 14LL * 24 * 3600 * 1000;
constexpr std::size_t kEvents = 10'000'000;
constexpr std::size_t kUsers = 400'000;

std::map<std::string, MetricDefinition> Metrics() {
  std::map<std::string, MetricDefinition> metrics;
  for (const auto& metric : BuiltinMetrics()) metrics.emplace(metric.key, metric);
  MetricDefinition revenue;
  revenue.key = "revenue";
  revenue.kind = MetricKind::kMean;
  revenue.value = {"purchase", "amount", {}};
  revenue.capping.upper = 500;
  metrics.emplace(revenue.key, revenue);
  MetricDefinition bought;
  bought.key = "bought";
  bought.kind = MetricKind::kConversion;
  bought.value = {"purchase", "", {}};
  metrics.emplace(bought.key, bought);
  return metrics;
}

Experiment MakeExperiment() {
  Experiment experiment;
  experiment.key = "checkout";
  experiment.flag_key = "checkout-flag";
  experiment.variants = {{"control", 34}, {"a", 33}, {"b", 33}};
  experiment.primary_metric = "bought";
  experiment.secondary_metrics = {"revenue", "ai_cost_per_request", "ai_output_tokens_per_request"};
  experiment.guardrail_metrics = {"ai_latency_p95"};
  experiment.status = ExperimentStatus::kRunning;
  experiment.started_at = "2026-11-18T00:00:00Z";
  return experiment;
}

// One event of a stream: 10 % exposures, 10 % purchases, 30 % model calls, 50 % page views.
events::Event NextEvent(std::mt19937_64& random, std::size_t i) {
  static constexpr const char* kVariants[] = {"control", "a", "b"};
  events::Event event;
  event.seq = static_cast<std::int64_t>(i + 1);
  event.project_id = 1;
  event.environment_id = 1;
  const std::size_t user = random() % kUsers;
  event.distinct_id = "user-" + std::to_string(user);
  event.timestamp_ms = kT0 + static_cast<std::int64_t>(i * (kSpanMs / kEvents));
  switch (random() % 10) {
    case 0:
      event.event = "$feature_flag_called";
      // A user's variant is a function of the user, as the flag would make it.
      event.properties = std::string(R"({"$feature_flag":"checkout-flag","$feature_flag_response":")") +
                         kVariants[user % 3] + R"("})";
      break;
    case 1:
      event.event = "purchase";
      event.properties = R"({"amount":)" + std::to_string(random() % 200 + (user % 3)) + "}";
      break;
    case 2:
    case 3:
    case 4:
      event.event = "$ai_generation";
      event.properties = R"({"$ai_latency":)" + std::to_string((random() % 3000) / 1000.0) +
                         R"(,"$ai_input_tokens":)" + std::to_string(random() % 800) +
                         R"(,"$ai_output_tokens":)" + std::to_string(random() % 400) +
                         R"(,"$ai_total_cost_usd":0.0012})";
      break;
    default:
      event.event = "$pageview";
      event.properties = R"({"$current_url":"https://example.com/pricing"})";
      break;
  }
  return event;
}

void BM_ResultsOf10MillionEvents(benchmark::State& state) {
  const Experiment experiment = MakeExperiment();
  const std::map<std::string, MetricDefinition> metrics = Metrics();
  AggregationEngine engine(AggregationLimits{}, [&metrics](std::int64_t) {
    std::vector<MetricDefinition> out;
    for (const auto& [key, metric] : metrics) out.push_back(metric);
    return out;
  });
  ActiveExperiment active;
  active.project_id = 1;
  active.environment_id = 1;
  active.experiment = experiment;
  engine.UseExperiments(std::make_shared<const ExperimentSnapshot>(std::vector{active}));
  std::mt19937_64 random(11);
  for (std::size_t i = 0; i < kEvents; ++i) engine.Apply(NextEvent(random, i));
  if (engine.counters().events != kEvents) state.SkipWithError("not every event was applied");

  const std::int64_t now_ms = kT0 + kSpanMs;
  std::size_t bytes = 0;
  for (auto _ : state) {
    Result<ExperimentAggregate> aggregate = engine.Aggregate(1, experiment.key);
    if (!aggregate.ok()) state.SkipWithError(aggregate.status().message().c_str());
    Result<ExperimentResults> results = AnalyzeExperiment(experiment, metrics, *aggregate, now_ms);
    if (!results.ok()) state.SkipWithError(results.status().message().c_str());
    std::string body = ResultsToJson(*results).dump();
    bytes = body.size();
    benchmark::DoNotOptimize(body);
  }
  state.counters["events"] = static_cast<double>(engine.counters().events);
  state.counters["values"] = static_cast<double>(engine.counters().values);
  state.counters["exposed"] = static_cast<double>(engine.counters().first_exposures);
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ResultsOf10MillionEvents)->Unit(benchmark::kMillisecond)->Iterations(50);

}  // namespace
}  // namespace switchyard::experiments

BENCHMARK_MAIN();
