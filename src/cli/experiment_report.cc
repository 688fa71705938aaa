#include "cli/experiment_report.h"

#include <cstdio>
#include <map>

#include "cli/html_escape.h"
#include "cli/results_format.h"
#include "cli/svg_charts.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr char kStyle[] = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:16px;margin:0 0 8px}
.meta{color:#666;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0 12px;background:#fff}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;font-variant-numeric:tabular-nums}
th{background:#f0f0f0}
.verdict{border-left:6px solid #888;background:#fff;padding:12px 16px}
.verdict h2{margin:0 0 6px}
.d-ship{border-color:#59a14f}.d-stop_guardrail,.d-invalid{border-color:#e15759}
.d-stop_no_effect{border-color:#edc948}.d-keep_running{border-color:#4e79a7}
.metric{background:#fff;border:1px solid #ddd;padding:16px;margin:16px 0}
.role{font-size:12px;color:#fff;background:#888;border-radius:3px;padding:1px 6px;margin-left:6px}
.better{color:#2e7d32;font-weight:600}.worse{color:#c62828;font-weight:600}
.bad{color:#c62828;font-weight:600}
figure{margin:12px 0}figcaption{color:#555;margin-bottom:4px}
svg{max-width:100%;height:auto;background:#fff}
svg .frame{fill:none;stroke:#ccc}svg .grid{stroke:#eee}
svg .zero{stroke:#333;stroke-dasharray:4 3}
svg text{font:11px system-ui,sans-serif;fill:#555}svg text.label,svg text.legend{font-size:12px;fill:#222}
)";

std::string E(const std::string& text) {
  return EscapeHtml(text);
}

std::string Cell(const std::string& text, const std::string& css = "") {
  return (css.empty() ? "<td>" : "<td class=\"" + css + "\">") + E(text) + "</td>";
}

std::string Row(const std::vector<std::string>& headers) {
  std::string out = "<tr>";
  for (const std::string& h : headers) out += "<th>" + E(h) + "</th>";
  return out + "</tr>";
}

// Variant key -> its index in the results' variants, for stable colours.
std::map<std::string, std::size_t> ColorIndex(const Json& r) {
  std::map<std::string, std::size_t> index;
  for (const Json& v : Array(r, "variants")) index.emplace(Text(v, "key"), index.size());
  return index;
}

std::string VerdictSection(const Json& r) {
  const Json& v = Member(r, "verdict");
  std::string decision = Text(v, "decision");
  std::string out =
      "<section class=\"verdict d-" + E(decision) + "\"><h2>Verdict: " + E(DecisionLabel(v)) + "</h2><ul>";
  for (const Json& reason : Array(v, "reasons")) {
    if (reason.is_string()) out += "<li>" + E(reason.get<std::string>()) + "</li>";
  }
  return out + "</ul></section>";
}

std::string VariantsTable(const Json& r) {
  std::string out = "<h2>Variants</h2><table>" + Row({"variant", "split", "exposures", "minimum sample"});
  for (const Json& v : Array(r, "variants")) {
    const Json& split = Member(v, "split");
    const bool reached = Member(v, "minimum_sample_reached") == true;
    out += "<tr>" + Cell(Text(v, "key")) +
           Cell(split.is_number() ? FormatNumber("%.4g %%", split.get<double>()) : "-") +
           Cell(FormatInteger(Member(v, "exposures"))) +
           Cell(reached ? "reached" : "not reached", reached ? "" : "bad") + "</tr>";
  }
  return out + "</table>";
}

std::string HealthTable(const Json& r) {
  const Json& h = Member(r, "health");
  const Json& srm = Member(h, "srm");
  const Json& multiple = Member(h, "multiple_exposures");
  const Json& sample = Member(h, "minimum_sample");
  const Json& duration = Member(h, "duration");
  const bool mismatch = Member(srm, "mismatch") == true;
  const bool too_many = Member(multiple, "invalid") == true;
  std::string out = "<h2>Health checks</h2><table>" + Row({"check", "result", "rule"});
  out += "<tr>" + Cell("sample ratio") +
         Cell(std::string(mismatch ? "mismatch" : "ok") + " (p = " +
                  (Member(srm, "p_value").is_number()
                       ? FormatNumber("%.3g", Member(srm, "p_value").get<double>())
                       : "-") +
                  ")",
              mismatch ? "bad" : "") +
         Cell("invalid when p < 0.001 (chi-square of exposures against the split)") + "</tr>";
  out +=
      "<tr>" + Cell("multiple exposures") +
      Cell(
          FormatInteger(Member(multiple, "users")) + " users, " + FormatPercent(Member(multiple, "share"), 2),
          too_many ? "bad" : "") +
      Cell("invalid over " + FormatPercent(Member(multiple, "threshold"), 0) + " of exposed users") + "</tr>";
  out += "<tr>" + Cell("minimum sample") +
         Cell(Member(sample, "reached") == true ? "reached" : "not reached") +
         Cell(FormatInteger(Member(sample, "per_variant")) + " exposures per variant") + "</tr>";
  out += "<tr>" + Cell("duration") +
         Cell("day " + (Member(duration, "days_running").is_number()
                            ? FormatNumber("%.1f", Member(duration, "days_running").get<double>())
                            : std::string("-"))) +
         Cell(FormatInteger(Member(duration, "planned_days")) + " days planned") + "</tr>";
  return out + "</table>";
}

std::string MetricTable(const Json& r, const Json& m) {
  const std::string difference = Text(Member(r, "analysis"), "difference");
  const std::string level = ConfidenceLevel(r);
  std::string out = "<table>" + Row({"variant", "n", "value", level + " interval", "lift", "lift interval",
                                     "p-value", "adj. p", "chance to win", "significant"});
  for (const Json& v : Array(m, "variants")) {
    const std::string variant = Text(v, "variant");
    out += "<tr>" + Cell(variant) + Cell(FormatInteger(Member(v, "n"))) +
           Cell(FormatMetricValue(Member(v, "value"), m)) +
           Cell(Member(v, "value").is_number() ? FormatValueInterval(Member(v, "ci"), m) : Text(v, "reason"));
    bool compared = false;
    for (const Json& c : Array(m, "comparisons")) {
      if (Text(c, "variant") != variant) continue;
      compared = true;
      const std::string outcome = Text(c, "outcome");
      const bool significant = Member(c, "is_significant") == true;
      out += Cell(FormatLift(Member(c, "lift"), m, difference)) +
             Cell(Member(c, "lift").is_number() ? FormatLiftInterval(Member(c, "ci"), m, difference)
                                                : Text(c, "reason")) +
             Cell(FormatPValue(Member(c, "p_value"))) + Cell(FormatPValue(Member(c, "adjusted_p_value"))) +
             Cell(FormatPercent(Member(c, "chance_to_win"))) +
             Cell(significant ? "yes, " + outcome : "no", significant && outcome != "none" ? outcome : "");
    }
    if (!compared) out += "<td colspan=\"6\">control</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

const Json* SeriesFor(const Json& r, const std::string& key) {
  for (const Json& m : Array(Member(r, "timeseries"), "metrics")) {
    if (Text(m, "key") == key) return &m;
  }
  return nullptr;
}

std::vector<BandPoint> Points(const Json& series) {
  const Json& value = Array(series, "value");
  const Json& lower = Array(series, "lower");
  const Json& upper = Array(series, "upper");
  std::vector<BandPoint> points;
  for (std::size_t i = 0; i < value.size(); ++i) {
    BandPoint p;
    p.present = value[i].is_number() && i < lower.size() && lower[i].is_number() && i < upper.size() &&
                upper[i].is_number();
    if (p.present) {
      p.value = value[i].get<double>();
      p.lower = lower[i].get<double>();
      p.upper = upper[i].get<double>();
    }
    points.push_back(p);
  }
  return points;
}

std::string Charts(const Json& r, const Json& m) {
  const std::string difference = Text(Member(r, "analysis"), "difference");
  const std::map<std::string, std::size_t> colors = ColorIndex(r);
  auto color_of = [&](const std::string& variant) {
    auto it = colors.find(variant);
    return it == colors.end() ? colors.size() : it->second;
  };
  const std::string label = MetricLabel(m);
  std::string out;
  if (const Json* series = SeriesFor(r, Text(m, "key"))) {
    std::vector<std::int64_t> hours;
    for (const Json& h : Array(Member(r, "timeseries"), "hour_start_ms")) {
      if (h.is_number()) hours.push_back(h.get<std::int64_t>());
    }
    for (const char* what : {"values", "lifts"}) {
      const bool lifts = std::string(what) == "lifts";
      TimeChart chart;
      chart.title = label + (lifts ? ": lift against control over time" : ": value over time");
      chart.hours_ms = hours;
      chart.zero_line = lifts;
      chart.format = [&m, &difference, lifts](double v) {
        return lifts ? FormatLift(Json(v), m, difference) : FormatMetricValue(Json(v), m);
      };
      for (const Json& s : Array(*series, what)) {
        chart.series.push_back({Text(s, "variant"), color_of(Text(s, "variant")), Points(s)});
      }
      if (chart.series.empty() || hours.empty()) continue;
      out += "<figure><figcaption>" +
             E(lifts ? "Lift against control over time, with its " + ConfidenceLevel(r) + " interval"
                     : "Value over time (cumulative), with its " + ConfidenceLevel(r) + " interval") +
             "</figcaption>" + RenderTimeChart(chart) + "</figure>";
    }
  }
  std::vector<IntervalRow> rows;
  for (const Json& c : Array(m, "comparisons")) {
    const Json& ci = Member(c, "ci");
    if (!Member(c, "lift").is_number() || !ci.is_array() || ci.size() != 2 || !ci[0].is_number() ||
        !ci[1].is_number()) {
      continue;
    }
    rows.push_back(
        {Text(c, "variant"), color_of(Text(c, "variant")), Member(c, "lift").get<double>(),
         ci[0].get<double>(), ci[1].get<double>(),
         FormatLift(Member(c, "lift"), m, difference) + " " + FormatLiftInterval(ci, m, difference)});
  }
  if (!rows.empty()) {
    out += "<figure><figcaption>" + E("Lift against control with its " + ConfidenceLevel(r) + " interval") +
           "</figcaption>" + RenderIntervalChart(label + ": lift against control", rows) + "</figure>";
  }
  return out;
}

std::string MetricSection(const Json& r, const Json& m) {
  std::string out = "<section class=\"metric\"><h3>" + E(MetricLabel(m)) + "<span class=\"role\">" +
                    E(Text(m, "role")) + "</span></h3>";
  if (Member(m, "defined") == false) return out + "<p>No definition for this metric.</p></section>";
  std::string notes = Text(m, "kind") + ", " +
                      (Text(m, "direction") == "lower_is_better" ? "lower" : "higher") + " is better" +
                      (Member(m, "cuped_applied") == true ? ", CUPED applied" : "");
  out += "<p class=\"meta\">" + E(notes) + "</p>";
  return out + MetricTable(r, m) + Charts(r, m) + "</section>";
}

}  // namespace

std::string RenderResultsReport(const Json& r) {
  const Json& a = Member(r, "analysis");
  const std::string key = Text(r, "experiment");
  std::string meta = Text(r, "status") + " · " + Text(a, "method") + " · " + Text(a, "difference") +
                     " lift · " + ConfidenceLevel(r) + " intervals · " + Text(a, "correction") +
                     " correction" + (Member(a, "cuped") == true ? " · CUPED" : "");
  if (Member(r, "computed_at_ms").is_number()) {
    meta += " · computed " + HourLabel(Member(r, "computed_at_ms").get<std::int64_t>()).substr(0, 10);
  }
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      E("Experiment " + key + " results") + "</title><style>" + kStyle + "</style></head><body><main>";
  html += "<h1>Experiment " + E(key) + "</h1><p class=\"meta\">" + E(meta) + "</p>";
  html += VerdictSection(r) + VariantsTable(r) + HealthTable(r) + "<h2>Metrics</h2>";
  for (const Json& m : Array(r, "metrics")) html += MetricSection(r, m);
  return html + "</main></body></html>\n";
}

}  // namespace switchyard::cli
