// The per-user state machine of ingest-time aggregation: every rule of experiment_state.h, and
// delta updates that equal a from-scratch computation.
#include "experiments/experiment_state.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace switchyard::experiments {
namespace {

constexpr std::int64_t kT0 = 1'760'000'000'000;  // 2025-10-09T08:53:20Z
constexpr std::int64_t kHour = kHourMs;

MetricDefinition MetricOfKind(std::string key, MetricKind kind, std::string property = {}) {
  MetricDefinition metric;
  metric.key = std::move(key);
  metric.name = metric.key;
  metric.kind = kind;
  metric.value.event = "e";
  metric.value.property = std::move(property);
  if (kind == MetricKind::kRatio) metric.denominator.event = "d";
  if (kind == MetricKind::kPercentile) metric.percentile = 0.5;
  return metric;
}

ExperimentState State(std::vector<MetricDefinition> metrics, std::size_t max_users = 1000) {
  ExperimentState state("exp", {"control", "test"}, /*cuped_lookback_days=*/14, max_users);
  for (MetricDefinition& metric : metrics) state.AddMetric(std::move(metric));
  return state;
}

MetricValue Value(double value, std::int64_t at, std::size_t metric = 0, ValueSide side = ValueSide::kValue) {
  return MetricValue{metric, side, value, at};
}

const MetricSums& Sums(const ExperimentAggregate& aggregate, std::size_t variant, const std::string& metric) {
  return aggregate.variants.at(variant).metrics.at(metric);
}

// Every hourly point of every variant merged must give the variant's totals.
void ExpectHourlyPointsSumToTotals(const ExperimentAggregate& aggregate) {
  for (const VariantAggregate& variant : aggregate.variants) {
    std::int64_t exposures = 0;
    std::map<std::string, MetricSums> merged;
    for (const HourlyPoint& point : variant.hourly) {
      exposures += point.exposures;
      for (const auto& [key, sums] : point.metrics) merged[key].Merge(sums);
    }
    EXPECT_EQ(exposures, variant.exposures) << variant.variant;
    for (const auto& [key, total] : variant.metrics) {
      const MetricSums& sum = merged[key];
      EXPECT_DOUBLE_EQ(sum.n, total.n) << key;
      EXPECT_NEAR(sum.sum, total.sum, 1e-9) << key;
      EXPECT_NEAR(sum.sum_squares, total.sum_squares, 1e-6) << key;
      EXPECT_NEAR(sum.covariate_sum, total.covariate_sum, 1e-9) << key;
      EXPECT_NEAR(sum.covariate_cross_sum, total.covariate_cross_sum, 1e-6) << key;
      EXPECT_NEAR(sum.cross_sum, total.cross_sum, 1e-6) << key;
      if (total.sketch && !total.sketch->empty()) {
        ASSERT_TRUE(sum.sketch.has_value()) << key;
        EXPECT_EQ(sum.sketch->count(), total.sketch->count()) << key;
        EXPECT_DOUBLE_EQ(sum.sketch->Quantile(0.5), total.sketch->Quantile(0.5)) << key;
      }
    }
  }
}

TEST(ExperimentStateTest, HourOfFloorsToTheUtcHour) {
  EXPECT_EQ(HourOf(7'200'000), 7'200'000);
  EXPECT_EQ(HourOf(7'199'999), 3'600'000);
  EXPECT_EQ(HourOf(-1), -3'600'000);
}

TEST(ExperimentStateTest, ExposedUsersWithoutEventsCountAsZero) {
  ExperimentState state =
      State({MetricOfKind("conv", MetricKind::kConversion), MetricOfKind("rev", MetricKind::kSum, "v")});
  EXPECT_EQ(state.Expose("a", 0, kT0, {}), ExposureOutcome::kFirst);
  EXPECT_EQ(state.Expose("b", 0, kT0, {}), ExposureOutcome::kFirst);
  EXPECT_EQ(state.Expose("c", 1, kT0, {}), ExposureOutcome::kFirst);
  EXPECT_EQ(state.Expose("a", 0, kT0 + 5, {}), ExposureOutcome::kRepeat);
  const ExperimentAggregate aggregate = state.Aggregate();
  EXPECT_EQ(aggregate.variants[0].exposures, 2);
  EXPECT_EQ(aggregate.variants[1].exposures, 1);
  EXPECT_EQ(Sums(aggregate, 0, "conv").n, 2);
  EXPECT_EQ(Sums(aggregate, 0, "conv").sum, 0);
  EXPECT_EQ(Sums(aggregate, 0, "rev").n, 2);
  EXPECT_EQ(aggregate.first_exposure_ms, kT0);
}

TEST(ExperimentStateTest, ConversionCountsOncePerUserWithinTheWindow) {
  MetricDefinition conversion = MetricOfKind("conv", MetricKind::kConversion);
  conversion.conversion_window_hours = 24;
  ExperimentState state = State({conversion});
  state.Expose("early", 0, kT0, {});
  state.Expose("late", 0, kT0, {});
  state.Expose("before", 0, kT0, {});
  EXPECT_TRUE(state.Add("early", Value(1, kT0 + kHour)));
  EXPECT_TRUE(state.Add("early", Value(1, kT0 + 2 * kHour)));  // converts once
  EXPECT_TRUE(state.Add("late", Value(1, kT0 + 24 * kHour)));  // the window is [exposure, +24h)
  EXPECT_TRUE(state.Add("before", Value(1, kT0 - 1)));         // before exposure: covariate only
  EXPECT_FALSE(state.Add("stranger", Value(1, kT0)));          // never exposed
  const ExperimentAggregate aggregate = state.Aggregate();
  const MetricSums& sums = Sums(aggregate, 0, "conv");
  EXPECT_EQ(sums.n, 3);
  EXPECT_EQ(sums.sum, 1);
  EXPECT_EQ(sums.sum_squares, 1);
  EXPECT_EQ(sums.covariate_sum, 1);  // "before" did it in the lookback window
}

TEST(ExperimentStateTest, ASecondVariantRemovesTheUserFromEverySum) {
  ExperimentState state =
      State({MetricOfKind("rev", MetricKind::kSum, "v"), MetricOfKind("conv", MetricKind::kConversion)});
  state.Expose("a", 0, kT0, {});
  state.Expose("b", 0, kT0, {});
  state.Add("a", Value(5, kT0 + 1));
  state.Add("a", Value(1, kT0 + 1, 1));
  state.Add("b", Value(2, kT0 + 1));
  EXPECT_EQ(state.Expose("a", 1, kT0 + 3 * kHour, {}), ExposureOutcome::kMultiple);
  EXPECT_FALSE(state.Add("a", Value(100, kT0 + 4 * kHour)));  // excluded from now on
  EXPECT_EQ(state.Expose("a", 0, kT0 + 5 * kHour, {}), ExposureOutcome::kRepeat);
  const ExperimentAggregate aggregate = state.Aggregate();
  EXPECT_EQ(aggregate.multiple_exposure_users, 1);
  EXPECT_EQ(aggregate.variants[0].exposures, 1);
  EXPECT_EQ(aggregate.variants[1].exposures, 0);
  EXPECT_EQ(Sums(aggregate, 0, "rev").n, 1);
  EXPECT_EQ(Sums(aggregate, 0, "rev").sum, 2);
  EXPECT_EQ(Sums(aggregate, 0, "rev").sum_squares, 4);
  EXPECT_EQ(Sums(aggregate, 0, "conv").sum, 0);
  ExpectHourlyPointsSumToTotals(aggregate);
}

TEST(ExperimentStateTest, CappingAppliesToEachValue) {
  MetricDefinition revenue = MetricOfKind("rev", MetricKind::kSum, "v");
  revenue.capping.upper = 10;
  revenue.capping.lower = 0;
  ExperimentState state = State({revenue});
  state.Expose("a", 0, kT0, {});
  state.Add("a", Value(50, kT0 + 1));  // 10
  state.Add("a", Value(-3, kT0 + 2));  // 0
  state.Add("a", Value(4, kT0 + 3));   // 4
  const ExperimentAggregate aggregate = state.Aggregate();
  const MetricSums& sums = Sums(aggregate, 0, "rev");
  EXPECT_EQ(sums.sum, 14);
  EXPECT_EQ(sums.sum_squares, 196);
}

TEST(ExperimentStateTest, PercentileEventsGoIntoTheVariantSketch) {
  ExperimentState state = State({MetricOfKind("p50", MetricKind::kPercentile, "latency")});
  state.Expose("a", 1, kT0, {});
  for (int i = 1; i <= 101; ++i) state.Add("a", Value(i, kT0 + i));
  const ExperimentAggregate aggregate = state.Aggregate();
  const MetricSums& sums = Sums(aggregate, 1, "p50");
  ASSERT_TRUE(sums.sketch.has_value());
  EXPECT_EQ(sums.sketch->count(), 101u);
  EXPECT_NEAR(sums.sketch->Quantile(0.5), 51, 51 * 0.02);
  EXPECT_EQ(sums.n, 101);
  EXPECT_EQ(sums.sum, 101 * 102 / 2);
  // The control variant has an empty sketch, not none: analysis reads both the same way.
  ASSERT_TRUE(Sums(aggregate, 0, "p50").sketch.has_value());
  ExpectHourlyPointsSumToTotals(aggregate);
}

TEST(ExperimentStateTest, RatioKeepsNumeratorDenominatorAndCrossSums) {
  ExperimentState state = State({MetricOfKind("cost", MetricKind::kRatio, "c")});
  state.Expose("a", 0, kT0, {});
  state.Expose("b", 0, kT0, {});
  state.Add("a", Value(3, kT0 + 1));
  state.Add("a", Value(1, kT0 + 1, 0, ValueSide::kDenominator));
  state.Add("a", Value(1, kT0 + 1, 0, ValueSide::kDenominator));
  state.Add("b", Value(4, kT0 + 1));
  state.Add("b", Value(1, kT0 + 1, 0, ValueSide::kDenominator));
  const ExperimentAggregate aggregate = state.Aggregate();
  const MetricSums& sums = Sums(aggregate, 0, "cost");
  EXPECT_EQ(sums.n, 2);
  EXPECT_EQ(sums.sum, 7);
  EXPECT_EQ(sums.sum_squares, 9 + 16);
  EXPECT_EQ(sums.denominator_sum, 3);
  EXPECT_EQ(sums.denominator_sum_squares, 4 + 1);
  EXPECT_EQ(sums.cross_sum, 3 * 2 + 4 * 1);
}

TEST(ExperimentStateTest, LateEventsCountInTheirEventTimeHour) {
  ExperimentState state = State({MetricOfKind("rev", MetricKind::kSum, "v")});
  state.Expose("a", 0, kT0, {});
  state.Add("a", Value(1, kT0 + 5 * kHour));
  state.Add("a", Value(2, kT0 + 1 * kHour));  // arrives after a later one
  const ExperimentAggregate aggregate = state.Aggregate();
  std::map<std::int64_t, double> by_hour;
  for (const HourlyPoint& point : aggregate.variants[0].hourly)
    by_hour[point.hour_start_ms] = point.metrics.at("rev").sum;
  EXPECT_EQ(by_hour[HourOf(kT0 + kHour)], 2);
  EXPECT_EQ(by_hour[HourOf(kT0 + 5 * kHour)], 1);
  ExpectHourlyPointsSumToTotals(aggregate);
}

TEST(ExperimentStateTest, HistoryBeforeExposureIsCovariateAndAfterItCounts) {
  ExperimentState state = State({MetricOfKind("rev", MetricKind::kSum, "v")});
  const std::vector<MetricValue> history = {
      Value(7, kT0 - 20 * kDayMs),  // outside the 14-day lookback: nothing
      Value(3, kT0 - kDayMs),       // covariate
      Value(4, kT0 + kHour),        // arrived before its exposure: counts
  };
  state.Expose("a", 0, kT0, history);
  state.Add("a", Value(2, kT0 - 2 * kDayMs));  // a late pre-exposure event: covariate
  const ExperimentAggregate aggregate = state.Aggregate();
  const MetricSums& sums = Sums(aggregate, 0, "rev");
  EXPECT_EQ(sums.sum, 4);
  EXPECT_EQ(sums.covariate_sum, 5);
  EXPECT_EQ(sums.covariate_sum_squares, 25);
  EXPECT_EQ(sums.covariate_cross_sum, 20);
}

TEST(ExperimentStateTest, UsersPastTheLimitAreRefusedAndCounted) {
  ExperimentState state = State({MetricOfKind("rev", MetricKind::kSum, "v")}, /*max_users=*/2);
  EXPECT_EQ(state.Expose("a", 0, kT0, {}), ExposureOutcome::kFirst);
  EXPECT_EQ(state.Expose("b", 1, kT0, {}), ExposureOutcome::kFirst);
  EXPECT_EQ(state.Expose("c", 1, kT0, {}), ExposureOutcome::kOverLimit);
  EXPECT_FALSE(state.Add("c", Value(1, kT0 + 1)));
  const ExperimentAggregate aggregate = state.Aggregate();
  EXPECT_EQ(aggregate.users_over_limit, 1);
  EXPECT_EQ(aggregate.variants[1].exposures, 1);
}

TEST(ExperimentStateTest, AMetricAddedLaterCountsEveryExposedUserAsZero) {
  ExperimentState state = State({});
  state.Expose("a", 0, kT0, {});
  state.Expose("b", 0, kT0 + 2 * kHour, {});
  state.AddMetric(MetricOfKind("rev", MetricKind::kSum, "v"));
  state.Add("b", Value(3, kT0 + 3 * kHour));
  const ExperimentAggregate aggregate = state.Aggregate();
  EXPECT_EQ(Sums(aggregate, 0, "rev").n, 2);
  EXPECT_EQ(Sums(aggregate, 0, "rev").sum, 3);
  ExpectHourlyPointsSumToTotals(aggregate);
}

// Random exposures and values in random order: the sums kept by deltas equal the sums computed
// from each user's final value, and so does a state restored from checkpoint rows.
TEST(ExperimentStateTest, DeltaSumsEqualAFromScratchComputationOnRandomData) {
  MetricDefinition mean = MetricOfKind("mean", MetricKind::kMean, "v");
  MetricDefinition per_event = MetricOfKind("per_event", MetricKind::kMean, "v");
  per_event.unit = MetricUnit::kEvent;
  per_event.value.event = "e";
  ExperimentState state = State({mean, per_event});
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> user_of(0, 199);
  std::uniform_real_distribution<double> value_of(-5, 50);
  std::uniform_int_distribution<std::int64_t> offset_of(-3 * kDayMs, 3 * kDayMs);
  struct Truth {
    int variant = -1;
    bool multiple = false;
    std::int64_t exposed = 0;
    double y = 0, x = 0, events = 0, sum = 0, sum_squares = 0;
  };
  std::map<std::string, Truth> truth;
  for (int step = 0; step < 5000; ++step) {
    const std::string user = "u" + std::to_string(user_of(random));
    Truth& t = truth[user];
    const std::int64_t at = kT0 + offset_of(random);
    if (step % 7 == 0) {
      const int variant = (random() % 50 == 0) ? 1 - std::max(t.variant, 0)
                                               : (t.variant >= 0 ? t.variant : int(random() % 2));
      state.Expose(user, static_cast<std::size_t>(variant), at, {});
      if (t.variant < 0) {
        t.variant = variant;
        t.exposed = at;
      } else if (variant != t.variant) {
        t.multiple = true;
      }
      continue;
    }
    const double value = value_of(random);
    state.Add(user, Value(value, at, 0));
    state.Add(user, Value(value, at, 1));
    if (t.variant < 0 || t.multiple) continue;
    if (at >= t.exposed) {
      t.y += value;
      t.events += 1;
      t.sum += value;
      t.sum_squares += value * value;
    } else if (at >= t.exposed - 14 * kDayMs) {
      t.x += value;
    }
  }
  MetricSums expected_mean[2], expected_event[2];
  for (const auto& [user, t] : truth) {
    if (t.variant < 0 || t.multiple) continue;
    MetricSums& m = expected_mean[t.variant];
    m.n += 1;
    m.sum += t.y;
    m.sum_squares += t.y * t.y;
    m.covariate_sum += t.x;
    m.covariate_sum_squares += t.x * t.x;
    m.covariate_cross_sum += t.x * t.y;
    MetricSums& e = expected_event[t.variant];
    e.n += t.events;
    e.sum += t.sum;
    e.sum_squares += t.sum_squares;
  }
  auto check = [&](const ExperimentAggregate& aggregate) {
    for (std::size_t v = 0; v < 2; ++v) {
      const MetricSums& mean_sums = Sums(aggregate, v, "mean");
      EXPECT_DOUBLE_EQ(mean_sums.n, expected_mean[v].n);
      EXPECT_NEAR(mean_sums.sum, expected_mean[v].sum, 1e-6);
      EXPECT_NEAR(mean_sums.sum_squares, expected_mean[v].sum_squares, 1e-4 * expected_mean[v].sum_squares);
      EXPECT_NEAR(mean_sums.covariate_sum, expected_mean[v].covariate_sum, 1e-6);
      EXPECT_NEAR(mean_sums.covariate_cross_sum, expected_mean[v].covariate_cross_sum,
                  1e-4 * std::abs(expected_mean[v].covariate_cross_sum) + 1e-6);
      const MetricSums& event_sums = Sums(aggregate, v, "per_event");
      EXPECT_DOUBLE_EQ(event_sums.n, expected_event[v].n);
      EXPECT_NEAR(event_sums.sum, expected_event[v].sum, 1e-6);
      EXPECT_NEAR(event_sums.sum_squares, expected_event[v].sum_squares,
                  1e-6 * expected_event[v].sum_squares);
    }
    ExpectHourlyPointsSumToTotals(aggregate);
  };
  const ExperimentAggregate aggregate = state.Aggregate();
  EXPECT_GT(aggregate.multiple_exposure_users, 0);
  check(aggregate);

  ExperimentCheckpointRows rows = state.TakeCheckpointRows();
  auto restored = ExperimentState::Restore(rows.header, rows.hours, rows.users, 1000);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  check((*restored)->Aggregate());
  EXPECT_EQ((*restored)->Aggregate().multiple_exposure_users, aggregate.multiple_exposure_users);
}

TEST(ExperimentStateTest, CheckpointRowsHoldOnlyWhatChanged) {
  ExperimentState state = State({MetricOfKind("rev", MetricKind::kSum, "v")});
  state.Expose("a", 0, kT0, {});
  state.Expose("b", 1, kT0, {});
  ExperimentCheckpointRows first = state.TakeCheckpointRows();
  EXPECT_EQ(first.users.size(), 2u);
  EXPECT_EQ(first.hours.size(), 1u);
  EXPECT_FALSE(state.dirty());
  state.Add("a", Value(1, kT0 + 3 * kHour));
  ExperimentCheckpointRows second = state.TakeCheckpointRows();
  ASSERT_EQ(second.users.size(), 1u);
  EXPECT_EQ(second.users[0].first, "a");
  ASSERT_EQ(second.hours.size(), 1u);
  EXPECT_EQ(second.hours[0].first, HourOf(kT0 + 3 * kHour));
}

TEST(ExperimentStateTest, RestoreRefusesARowThatIsNotACheckpoint) {
  EXPECT_EQ(ExperimentState::Restore("{", {}, {}, 10).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ExperimentState::Restore(R"({"key":"x"})", {}, {}, 10).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace switchyard::experiments
