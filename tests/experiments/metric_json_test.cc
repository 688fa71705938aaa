// Metric definitions as JSON: strict fields, kind-specific members, and the built-in metrics.
#include "experiments/metric_json.h"

#include <gtest/gtest.h>

#include "experiments/builtin_metrics.h"
#include "experiments/event_value_reader.h"

namespace switchyard::experiments {
namespace {

using nlohmann::json;

Status ErrorOf(const json& body) {
  return MetricFromJson(body).status();
}

TEST(MetricJsonTest, ReadsEveryMemberAndWritesItBack) {
  const json body = {{"key", "latency_p95"},
                     {"name", "Latency p95"},
                     {"description", "slow calls"},
                     {"kind", "percentile"},
                     {"value",
                      {{"event", "$ai_generation"},
                       {"property", "$ai_latency"},
                       {"filters", {{{"key", "$ai_model"}, {"operator", "exact"}, {"value", "gpt"}}}}}},
                     {"percentile", 0.95},
                     {"direction", "lower_is_better"},
                     {"capping", {{"upper", 60}}}};
  auto metric = MetricFromJson(body);
  ASSERT_TRUE(metric.ok()) << metric.status().ToString();
  EXPECT_EQ(metric->kind, MetricKind::kPercentile);
  EXPECT_EQ(metric->percentile, 0.95);
  EXPECT_EQ(metric->direction, stats::Direction::kLowerIsBetter);
  EXPECT_EQ(metric->capping.upper, 60);
  ASSERT_EQ(metric->value.filters.size(), 1u);
  auto again = MetricFromJson(MetricToJson(*metric));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(MetricToJson(*again), MetricToJson(*metric));
}

TEST(MetricJsonTest, RefusesUnknownAndMisplacedMembersNamingTheField) {
  const json conversion = {{"key", "buy"}, {"kind", "conversion"}, {"value", {{"event", "purchase"}}}};
  ASSERT_TRUE(MetricFromJson(conversion).ok());
  json typo = conversion;
  typo["conversion_window_hour"] = 5;
  EXPECT_EQ(ErrorOf(typo).field(), "conversion_window_hour");
  json misplaced = conversion;
  misplaced["percentile"] = 0.5;
  EXPECT_EQ(ErrorOf(misplaced).field(), "percentile");
  json with_property = conversion;
  with_property["value"]["property"] = "amount";
  EXPECT_EQ(ErrorOf(with_property).field(), "value.property");
  EXPECT_EQ(ErrorOf({{"key", "r"}, {"kind", "ratio"}, {"value", {{"event", "a"}}}}).field(), "denominator");
  EXPECT_EQ(
      ErrorOf({{"key", "p"}, {"kind", "percentile"}, {"value", {{"event", "a"}, {"property", "x"}}}}).field(),
      "percentile");
  EXPECT_EQ(ErrorOf({{"key", "k"}, {"kind", "median"}, {"value", {{"event", "a"}}}}).field(), "kind");
  EXPECT_EQ(ErrorOf({{"key", "k"}, {"kind", "sum"}, {"value", {{"event", "a"}}}, {"unit", "event"}}).field(),
            "unit");
  EXPECT_EQ(ErrorOf({{"key", "bad key"}, {"kind", "sum"}, {"value", {{"event", "a"}}}}).field(), "key");
  EXPECT_EQ(ErrorOf({{"key", "k"},
                     {"kind", "sum"},
                     {"value", {{"event", "a"}}},
                     {"capping", {{"lower", 5}, {"upper", 1}}}})
                .field(),
            "capping.lower");
  EXPECT_EQ(
      ErrorOf(
          {{"key", "k"}, {"kind", "conversion"}, {"value", {{"event", "a"}}}, {"conversion_window_hours", 0}})
          .field(),
      "conversion_window_hours");
  EXPECT_EQ(ErrorOf({{"key", "k"},
                     {"kind", "sum"},
                     {"value",
                      {{"event", "a"}, {"filters", {{{"key", "f"}, {"type", "cohort"}, {"value", "1"}}}}}}})
                .field(),
            "value.filters[0].type");
}

TEST(MetricJsonTest, EveryBuiltinIsAValidReadOnlyDefinition) {
  ASSERT_GE(BuiltinMetrics().size(), 9u);
  for (const MetricDefinition& metric : BuiltinMetrics()) {
    EXPECT_TRUE(metric.builtin) << metric.key;
    EXPECT_TRUE(ValidateMetric(metric).ok()) << metric.key << ": " << ValidateMetric(metric).ToString();
    EXPECT_EQ(metric.value.event, "$ai_generation") << metric.key;
  }
  EXPECT_NE(FindBuiltinMetric("ai_latency_p95"), nullptr);
  EXPECT_EQ(FindBuiltinMetric("nope"), nullptr);
}

TEST(MetricJsonTest, SuccessRateCountsGenerationsWithoutAnErrorFlag) {
  const MetricDefinition* success = FindBuiltinMetric("ai_success_rate");
  ASSERT_NE(success, nullptr);
  EventValueReader numerator(success->value);
  EventValueReader denominator(success->denominator);
  EXPECT_EQ(numerator.Read(json{{"$ai_latency", 1.2}}), 1.0);  // no $ai_is_error: a success
  EXPECT_EQ(numerator.Read(json{{"$ai_is_error", false}}), 1.0);
  EXPECT_EQ(numerator.Read(json{{"$ai_is_error", true}}), std::nullopt);
  EXPECT_EQ(denominator.Read(json{{"$ai_is_error", true}}), 1.0);
}

TEST(MetricJsonTest, ReaderTakesNumbersNumericStringsAndBooleans) {
  EventValue value{"e", "v", {}};
  EventValueReader reader(value);
  EXPECT_EQ(reader.Read(json{{"v", 2.5}}), 2.5);
  EXPECT_EQ(reader.Read(json{{"v", "7"}}), 7.0);
  EXPECT_EQ(reader.Read(json{{"v", true}}), 1.0);
  EXPECT_EQ(reader.Read(json{{"v", "fast"}}), std::nullopt);
  EXPECT_EQ(reader.Read(json{{"w", 1}}), std::nullopt);
  PropertyFilter only_gpt;
  only_gpt.key = "model";
  only_gpt.value = "gpt";
  EventValue filtered{"e", "v", {only_gpt}};
  EventValueReader filtered_reader(filtered);
  EXPECT_EQ(filtered_reader.Read(json{{"v", 1}, {"model", "GPT"}}), 1.0);  // exact is case-insensitive
  EXPECT_EQ(filtered_reader.Read(json{{"v", 1}, {"model", "claude"}}), std::nullopt);
  EXPECT_EQ(filtered_reader.Read(json{{"v", 1}}), std::nullopt);
}

}  // namespace
}  // namespace switchyard::experiments
