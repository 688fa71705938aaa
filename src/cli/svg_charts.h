// The report's two charts as inline SVG (no scripts, no external resources), from plain numbers:
//   - a time chart: one line per series with its interval as a translucent band, over UTC hours;
//   - an interval chart: one row per series, its estimate as a dot on its interval, and a zero
//     line (a lift whose interval crosses it is not significant).
// Labels are escaped here; callers pass raw text. Series take the colours of kChartColors by
// index, so a variant has the same colour in every chart of a report.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace switchyard::cli {

inline constexpr const char* kChartColors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                               "#76b7b2", "#edc948", "#b07aa1", "#9c755f"};
const char* ChartColor(std::size_t index);

struct BandPoint {
  bool present = false;
  double value = 0;
  double lower = 0;
  double upper = 0;
};

struct BandSeries {
  std::string label;
  std::size_t color = 0;          // index into kChartColors
  std::vector<BandPoint> points;  // aligned with TimeChart::hours_ms
};

struct TimeChart {
  std::string title;  // for screen readers (<title>)
  std::vector<std::int64_t> hours_ms;
  std::vector<BandSeries> series;
  std::function<std::string(double)> format;  // y axis labels
  bool zero_line = false;                     // lifts: draw y = 0
};

std::string RenderTimeChart(const TimeChart& chart);

struct IntervalRow {
  std::string label;
  std::size_t color = 0;
  double estimate = 0;
  double lower = 0;
  double upper = 0;
  std::string text;  // shown after the interval, e.g. "+4.10 % [+1.20 %, +7.00 %]"
};

std::string RenderIntervalChart(const std::string& title, const std::vector<IntervalRow>& rows);

// "2026-11-29 14:00" (UTC).
std::string HourLabel(std::int64_t ms);

}  // namespace switchyard::cli
