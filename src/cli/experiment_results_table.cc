#include "cli/experiment_results_table.h"

#include <cstdio>

#include "cli/results_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::string Header(const Json& r) {
  const Json& a = Member(r, "analysis");
  std::string line = "experiment " + Text(r, "experiment") + " (" + Text(r, "status") +
                     "): " + Text(a, "method") + ", " + Text(a, "difference") + " lift, " +
                     ConfidenceLevel(r) + " intervals, " + Text(a, "correction") + " correction";
  if (Member(a, "cuped") == true) line += ", CUPED";
  return line + "\n";
}

std::string VerdictLines(const Json& r) {
  const Json& v = Member(r, "verdict");
  std::string out = "verdict: " + DecisionLabel(v) + "\n";
  for (const Json& reason : Array(v, "reasons")) {
    if (reason.is_string()) out += "  - " + reason.get<std::string>() + "\n";
  }
  return out;
}

std::string VariantTable(const Json& r) {
  Table table({"variant", "split", "exposures", "minimum sample"});
  for (const Json& v : Array(r, "variants")) {
    const Json& split = Member(v, "split");
    char text[32] = "-";
    if (split.is_number()) std::snprintf(text, sizeof text, "%.4g %%", split.get<double>());
    table.AddRow({Text(v, "key"), text, FormatInteger(Member(v, "exposures")),
                  Member(v, "minimum_sample_reached") == true ? "reached" : "not reached"});
  }
  return table.Render();
}

std::string Significance(const Json& c) {
  if (Member(c, "is_significant") != true) return "no";
  const std::string outcome = Text(c, "outcome");
  return outcome.empty() || outcome == "none" ? "yes" : "yes, " + outcome;
}

std::string MetricTable(const Json& r) {
  const std::string level = ConfidenceLevel(r);
  const std::string difference = Text(Member(r, "analysis"), "difference");
  Table table({"metric", "role", "variant", "value", level + " interval", "lift", "lift interval", "p-value",
               "adj. p", "chance to win", "significant"});
  for (const Json& m : Array(r, "metrics")) {
    std::string label = MetricLabel(m);
    if (Member(m, "cuped_applied") == true) label += " (CUPED)";
    const std::string role = Text(m, "role");
    if (Member(m, "defined") == false) {
      table.AddRow({label, role, "-", "no definition for this metric"});
      continue;
    }
    bool first = true;
    for (const Json& v : Array(m, "variants")) {
      const std::string variant = Text(v, "variant");
      std::vector<std::string> row{first ? label : "", first ? role : "", variant,
                                   FormatMetricValue(Member(v, "value"), m),
                                   FormatValueInterval(Member(v, "ci"), m)};
      first = false;
      // Why something is missing goes last, where a long message widens no column.
      std::string reason = Member(v, "value").is_number() ? "" : Text(v, "reason");
      for (const Json& c : Array(m, "comparisons")) {
        if (Text(c, "variant") != variant) continue;
        row.push_back(FormatLift(Member(c, "lift"), m, difference));
        row.push_back(FormatLiftInterval(Member(c, "ci"), m, difference));
        row.push_back(FormatPValue(Member(c, "p_value")));
        row.push_back(FormatPValue(Member(c, "adjusted_p_value")));
        row.push_back(FormatPercent(Member(c, "chance_to_win")));
        if (Member(c, "lift").is_number()) {
          row.push_back(Significance(c));
        } else {
          reason = Text(c, "reason");
        }
      }
      if (!reason.empty()) {
        row.resize(10, "-");
        row.push_back("no: " + reason);
      }
      table.AddRow(std::move(row));
    }
  }
  return table.Render();
}

std::string HealthLines(const Json& r) {
  const Json& h = Member(r, "health");
  const Json& srm = Member(h, "srm");
  const Json& multiple = Member(h, "multiple_exposures");
  const Json& sample = Member(h, "minimum_sample");
  const Json& duration = Member(h, "duration");
  char p[32] = "-";
  if (Member(srm, "p_value").is_number())
    std::snprintf(p, sizeof p, "%.3g", Member(srm, "p_value").get<double>());
  char days[32] = "-";
  if (Member(duration, "days_running").is_number()) {
    std::snprintf(days, sizeof days, "%.1f", Member(duration, "days_running").get<double>());
  }
  std::string out = "health\n";
  out += "  sample ratio        " + std::string(Member(srm, "mismatch") == true ? "MISMATCH" : "ok") +
         " (p = " + p + ", invalid below 0.001)\n";
  out += "  multiple exposures  " + FormatInteger(Member(multiple, "users")) + " users, " +
         FormatPercent(Member(multiple, "share"), 2) + " (invalid over " +
         FormatPercent(Member(multiple, "threshold"), 0) + ")" +
         (Member(multiple, "invalid") == true ? ": INVALID" : "") + "\n";
  out += "  minimum sample      " + FormatInteger(Member(sample, "per_variant")) +
         " per variant: " + (Member(sample, "reached") == true ? "reached" : "not reached") + "\n";
  out += "  duration            day " + std::string(days) + " of " +
         FormatInteger(Member(duration, "planned_days")) +
         (Member(duration, "reached") == true ? " (planned duration reached)" : "") + "\n";
  return out;
}

}  // namespace

std::string RenderResultsTable(const Json& results) {
  return Header(results) + VerdictLines(results) + "\n" + VariantTable(results) + "\n" +
         MetricTable(results) + "\n" + HealthLines(results);
}

}  // namespace switchyard::cli
