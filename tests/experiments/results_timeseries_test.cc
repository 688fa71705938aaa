#include "experiments/results_timeseries.h"

#include <gtest/gtest.h>

#include "experiments/aggregate_builder.h"
#include "experiments/experiment_state.h"
#include "experiments/metric_analysis.h"

namespace switchyard::experiments {
namespace {

using testing::Conversions;
using testing::MakeExperiment;
using testing::Metric;

HourlyPoint Hour(std::int64_t hour, std::int64_t exposures, double successes) {
  return {
      hour * kHourMs, exposures, {{"conversion", Conversions(successes, static_cast<double>(exposures))}}};
}

TEST(ResultsTimeSeriesTest, EachPointIsTheCumulativeResultAtThatHour) {
  Experiment e = MakeExperiment();
  MetricDefinition conversion = Metric("conversion", MetricKind::kConversion);
  VariantAggregate control{"control", 0, {}, {Hour(10, 100, 10), Hour(11, 100, 10), Hour(13, 100, 10)}};
  // The treatment has no point at hour 10 and one at hour 12 that control lacks.
  VariantAggregate treatment{"treatment", 0, {}, {Hour(11, 150, 30), Hour(12, 50, 5), Hour(13, 100, 20)}};
  TimeSeries t = BuildTimeSeries(e, {&conversion}, {&control, &treatment});
  EXPECT_EQ(t.hour_start_ms,
            (std::vector<std::int64_t>{10 * kHourMs, 11 * kHourMs, 12 * kHourMs, 13 * kHourMs}));
  ASSERT_EQ(t.exposures.size(), 2u);
  EXPECT_EQ(t.exposures[0], (std::vector<std::int64_t>{100, 200, 200, 300}));
  EXPECT_EQ(t.exposures[1], (std::vector<std::int64_t>{0, 150, 200, 300}));
  ASSERT_EQ(t.metrics.size(), 1u);
  const MetricSeries& m = t.metrics[0];
  ASSERT_EQ(m.values.size(), 2u);
  ASSERT_EQ(m.lifts.size(), 1u);
  EXPECT_EQ(m.lifts[0].variant, "treatment");
  EXPECT_FALSE(m.values[1].points[0].available);  // no treatment users yet
  EXPECT_FALSE(m.lifts[0].points[0].available);
  EXPECT_DOUBLE_EQ(m.values[1].points[2].value, 35.0 / 200);
  // The last point is the totals, computed as the results compute them.
  auto total = CompareVariant(conversion, Conversions(30, 300), Conversions(55, 300), e.analysis);
  ASSERT_TRUE(total.ok());
  EXPECT_DOUBLE_EQ(m.lifts[0].points[3].value, total->expected);
  EXPECT_DOUBLE_EQ(m.lifts[0].points[3].ci.lower, total->ci.lower);
  EXPECT_DOUBLE_EQ(m.values[0].points[3].value, 0.1);
}

TEST(ResultsTimeSeriesTest, LongExperimentsAreThinnedKeepingTheLastHour) {
  Experiment e = MakeExperiment();
  MetricDefinition conversion = Metric("conversion", MetricKind::kConversion);
  VariantAggregate control{"control", 0, {}, {}};
  VariantAggregate treatment{"treatment", 0, {}, {}};
  for (int h = 0; h < 24 * 30; ++h) {  // 720 hours
    control.hourly.push_back(Hour(h, 10, 1));
    treatment.hourly.push_back(Hour(h, 10, 2));
  }
  TimeSeries t = BuildTimeSeries(e, {&conversion}, {&control, &treatment});
  EXPECT_LE(t.hour_start_ms.size(), kMaxSeriesPoints);
  EXPECT_GE(t.hour_start_ms.size(), kMaxSeriesPoints / 2);
  EXPECT_EQ(t.hour_start_ms.back(), 719 * kHourMs);
  EXPECT_EQ(t.exposures[0].back(), 7200);
  EXPECT_EQ(t.metrics[0].values[0].points.size(), t.hour_start_ms.size());
  EXPECT_DOUBLE_EQ(t.metrics[0].values[1].points.back().value, 0.2);
}

TEST(ResultsTimeSeriesTest, NoHoursNoPoints) {
  Experiment e = MakeExperiment();
  MetricDefinition conversion = Metric("conversion", MetricKind::kConversion);
  TimeSeries t = BuildTimeSeries(e, {&conversion}, {nullptr, nullptr});
  EXPECT_TRUE(t.hour_start_ms.empty());
  EXPECT_TRUE(t.metrics.empty());
}

}  // namespace
}  // namespace switchyard::experiments
