#include "cli/svg_charts.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "cli/html_escape.h"

namespace switchyard::cli {
namespace {

constexpr double kWidth = 640;
constexpr double kHeight = 260;
constexpr double kLeft = 80;
constexpr double kRight = 20;
constexpr double kTop = 16;
constexpr double kBottom = 44;

std::string Num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();

  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
  // Never zero-width, with a margin so lines do not touch the frame.
  void Pad(double fraction) {
    if (empty()) {
      lo = 0;
      hi = 1;
    }
    if (hi == lo) {
      const double d = lo == 0 ? 1 : std::abs(lo) * 0.1;
      lo -= d;
      hi += d;
    }
    const double m = (hi - lo) * fraction;
    lo -= m;
    hi += m;
  }
  double Map(double v, double from, double to) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

std::string Open(double width, double height, const std::string& title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
         "\" width=\"" + Num(width) + "\" height=\"" + Num(height) + "\" role=\"img\"><title>" +
         EscapeHtml(title) + "</title>";
}

std::string Text(double x, double y, const std::string& text, const char* anchor, const char* css = "axis") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\" class=\"" + css +
         "\">" + EscapeHtml(text) + "</text>";
}

std::string Line(double x1, double y1, double x2, double y2, const std::string& attributes) {
  return "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" + Num(y2) +
         "\" " + attributes + "/>";
}

}  // namespace

const char* ChartColor(std::size_t index) {
  return kChartColors[index % std::size(kChartColors)];
}

std::string HourLabel(std::int64_t ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(ms)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:00", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()));
  return text;
}

std::string RenderTimeChart(const TimeChart& chart) {
  Range x;
  Range y;
  for (std::int64_t h : chart.hours_ms) x.Add(static_cast<double>(h));
  for (const BandSeries& s : chart.series) {
    for (const BandPoint& p : s.points) {
      if (!p.present) continue;
      y.Add(p.value);
      y.Add(p.lower);
      y.Add(p.upper);
    }
  }
  if (chart.zero_line) y.Add(0);
  if (x.empty() || x.lo == x.hi) {
    const double at = x.empty() ? 0 : x.lo;
    x.lo = at - 1800 * 1000;
    x.hi = at + 1800 * 1000;
  }
  y.Pad(0.05);
  const double x0 = kLeft;
  const double x1 = kWidth - kRight;
  const double y0 = kHeight - kBottom;  // the bottom of the plot area
  const double y1 = kTop;
  auto px = [&](std::size_t i) { return x.Map(static_cast<double>(chart.hours_ms[i]), x0, x1); };
  auto py = [&](double v) { return y.Map(v, y0, y1); };

  std::string svg = Open(kWidth, kHeight, chart.title);
  svg += "<rect x=\"" + Num(x0) + "\" y=\"" + Num(y1) + "\" width=\"" + Num(x1 - x0) + "\" height=\"" +
         Num(y0 - y1) + "\" class=\"frame\"/>";
  for (int i = 0; i <= 4; ++i) {
    const double v = y.lo + (y.hi - y.lo) * i / 4;
    svg += Line(x0, py(v), x1, py(v), "class=\"grid\"");
    svg += Text(x0 - 6, py(v) + 4, chart.format ? chart.format(v) : Num(v), "end");
  }
  if (chart.zero_line) svg += Line(x0, py(0), x1, py(0), "class=\"zero\"");
  if (!chart.hours_ms.empty()) {
    svg += Text(x0, y0 + 18, HourLabel(chart.hours_ms.front()) + " UTC", "start");
    if (chart.hours_ms.size() > 1) svg += Text(x1, y0 + 18, HourLabel(chart.hours_ms.back()) + " UTC", "end");
  }
  for (const BandSeries& s : chart.series) {
    const std::string color = ChartColor(s.color);
    svg += "<g class=\"series\"><title>" + EscapeHtml(s.label) + "</title>";
    // Each run of consecutive present points is one band and one line; gaps stay gaps.
    std::size_t i = 0;
    const std::size_t n = std::min(s.points.size(), chart.hours_ms.size());
    while (i < n) {
      if (!s.points[i].present) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < n && s.points[end].present) ++end;
      if (end - i == 1) {
        svg += Line(px(i), py(s.points[i].lower), px(i), py(s.points[i].upper),
                    "stroke=\"" + color + "\" stroke-opacity=\"0.4\" stroke-width=\"6\"");
        svg += "<circle cx=\"" + Num(px(i)) + "\" cy=\"" + Num(py(s.points[i].value)) + "\" r=\"3\" fill=\"" +
               color + "\"/>";
      } else {
        std::string band;
        std::string line;
        for (std::size_t k = i; k < end; ++k) {
          band += Num(px(k)) + "," + Num(py(s.points[k].upper)) + " ";
          line += Num(px(k)) + "," + Num(py(s.points[k].value)) + " ";
        }
        for (std::size_t k = end; k-- > i;) band += Num(px(k)) + "," + Num(py(s.points[k].lower)) + " ";
        band.pop_back();
        line.pop_back();
        svg +=
            "<polygon points=\"" + band + "\" fill=\"" + color + "\" fill-opacity=\"0.18\" stroke=\"none\"/>";
        svg +=
            "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"/>";
      }
      i = end;
    }
    svg += "</g>";
  }
  // The legend, under the axis labels.
  double lx = x0;
  for (const BandSeries& s : chart.series) {
    svg += "<rect x=\"" + Num(lx) + "\" y=\"" + Num(kHeight - 14) + "\" width=\"10\" height=\"10\" fill=\"" +
           ChartColor(s.color) + "\"/>";
    svg += Text(lx + 14, kHeight - 5, s.label, "start", "legend");
    lx += 24 + 7.0 * static_cast<double>(std::min<std::size_t>(s.label.size(), 40));
  }
  return svg + "</svg>";
}

std::string RenderIntervalChart(const std::string& title, const std::vector<IntervalRow>& rows) {
  constexpr double kRow = 30;
  constexpr double kLabel = 130;
  constexpr double kTextWidth = 200;
  const double height = kTop + kRow * static_cast<double>(rows.size()) + 10;
  Range x;
  x.Add(0);
  for (const IntervalRow& r : rows) {
    x.Add(r.lower);
    x.Add(r.upper);
    x.Add(r.estimate);
  }
  x.Pad(0.08);
  const double x0 = kLabel;
  const double x1 = kWidth - kTextWidth;
  std::string svg = Open(kWidth, height, title);
  svg += Line(x.Map(0, x0, x1), kTop - 6, x.Map(0, x0, x1), height - 4, "class=\"zero\"");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const IntervalRow& r = rows[i];
    const double cy = kTop + kRow * (static_cast<double>(i) + 0.5);
    const std::string color = ChartColor(r.color);
    const double lo = x.Map(r.lower, x0, x1);
    const double hi = x.Map(r.upper, x0, x1);
    svg += "<g><title>" + EscapeHtml(r.label + ": " + r.text) + "</title>";
    svg += Text(x0 - 10, cy + 4, r.label, "end", "label");
    svg += Line(lo, cy, hi, cy, "stroke=\"" + color + "\" stroke-width=\"3\"");
    svg += Line(lo, cy - 6, lo, cy + 6, "stroke=\"" + color + "\" stroke-width=\"2\"");
    svg += Line(hi, cy - 6, hi, cy + 6, "stroke=\"" + color + "\" stroke-width=\"2\"");
    svg += "<circle cx=\"" + Num(x.Map(r.estimate, x0, x1)) + "\" cy=\"" + Num(cy) + "\" r=\"5\" fill=\"" +
           color + "\"/>";
    svg += Text(x1 + 10, cy + 4, r.text, "start", "label");
    svg += "</g>";
  }
  return svg + "</svg>";
}

}  // namespace switchyard::cli
