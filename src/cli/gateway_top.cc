#include "cli/gateway_top.h"

#include <cstdio>
#include <set>

#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::string Format(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

std::string Milliseconds(const Json& value) {
  if (!value.is_number()) return "-";
  const double ms = value.get<double>();
  return Format(ms < 100 ? "%.1f" : "%.0f", ms);
}

std::string Percent(double fraction) {
  return Format("%.1f%%", fraction * 100);
}

const Json& Field(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

double Number(const Json& value, double fallback = 0) {
  return value.is_number() ? value.get<double>() : fallback;
}

// One check: `value` against `limit` (0: not checked).
void Check(RowHealth& health, const Json& value, double limit, double warn_at, const std::string& name,
           bool percent) {
  if (limit <= 0 || !value.is_number()) return;
  const double v = value.get<double>();
  auto shown = [percent](double x) { return percent ? Percent(x) : Format("%.0f ms", x); };
  if (v > limit) {
    health.status = "bad";
    health.reasons.push_back(name + " " + shown(v) + " > " + shown(limit));
  } else if (v > warn_at * limit) {
    if (health.status != "bad") health.status = "warn";
    health.reasons.push_back(name + " " + shown(v) + " near " + shown(limit));
  }
}

const char* ColorOf(const std::string& status) {
  if (status == "ok") return "\x1b[32m";
  if (status == "warn") return "\x1b[33m";
  if (status == "bad") return "\x1b[31m";
  return "\x1b[2m";
}

}  // namespace

RowHealth HealthOf(const Json& window, const TopThresholds& t) {
  RowHealth health{"ok", {}};
  if (Number(Field(window, "requests")) <= 0) return {"idle", {}};
  const Json& success_rate = Field(window, "success_rate");
  Json error_rate = success_rate.is_number() ? Json(1 - success_rate.get<double>()) : Json();
  Check(health, error_rate, t.max_error_rate, t.warn_at, "error rate", true);
  Check(health, Field(Field(window, "latency_ms"), "p95"), t.max_p95_ms, t.warn_at, "p95", false);
  Check(health, Field(Field(window, "latency_ms"), "p99"), t.max_p99_ms, t.warn_at, "p99", false);
  Check(health, Field(Field(window, "ttft_ms"), "p95"), t.max_ttft_p95_ms, t.warn_at, "ttft p95", false);
  return health;
}

Json WithHealth(Json stats, const TopThresholds& thresholds) {
  if (!stats.contains("series") || !stats["series"].is_array()) return stats;
  for (Json& series : stats["series"]) {
    RowHealth health = HealthOf(Field(series, "recent"), thresholds);
    series["health"] = health.status;
    series["reasons"] = health.reasons;
  }
  return stats;
}

std::string RenderTop(const Json& stats, const TopThresholds& thresholds, bool color) {
  const Json& all = Field(stats, "series");
  if (!all.is_array() || all.empty()) return "no gateway calls recorded yet\n";
  const double window_seconds = Number(Field(stats, "window_seconds"), 60);
  std::set<std::int64_t> projects;
  for (const Json& series : all)
    projects.insert(static_cast<std::int64_t>(Number(Field(series, "project_id"))));
  const bool several_projects = projects.size() > 1;

  std::vector<std::string> header = {"route",  "variant", "model",  "req",    "req/s", "ok%",   "p50 ms",
                                     "p95 ms", "p99 ms",  "ttft50", "ttft95", "cost",  "status"};
  if (several_projects) header.insert(header.begin(), "project");
  Table table(header);
  for (const Json& series : all) {
    const Json& recent = Field(series, "recent");
    const Json& total = Field(series, "total");
    const double recent_requests = Number(Field(recent, "requests"));
    const Json& success_rate = Field(recent, "success_rate");
    RowHealth health = HealthOf(recent, thresholds);
    std::string status = health.status;
    for (std::size_t i = 0; i < health.reasons.size(); ++i)
      status += (i == 0 ? ": " : ", ") + health.reasons[i];
    if (color) status = ColorOf(health.status) + status + "\x1b[0m";
    std::string variant =
        Field(series, "variant").is_string() ? Field(series, "variant").get<std::string>() : "";
    if (Field(series, "shadow") == true) variant += " [shadow]";
    std::vector<std::string> row = {
        Field(series, "route").is_string() ? Field(series, "route").get<std::string>() : "",
        variant,
        Field(series, "model").is_string() ? Field(series, "model").get<std::string>() : "",
        Format("%.0f", Number(Field(total, "requests"))),
        Format("%.1f", recent_requests / window_seconds),
        success_rate.is_number() ? Percent(success_rate.get<double>()) : "-",
        Milliseconds(Field(Field(recent, "latency_ms"), "p50")),
        Milliseconds(Field(Field(recent, "latency_ms"), "p95")),
        Milliseconds(Field(Field(recent, "latency_ms"), "p99")),
        Milliseconds(Field(Field(recent, "ttft_ms"), "p50")),
        Milliseconds(Field(Field(recent, "ttft_ms"), "p95")),
        Format("%.4f", Number(Field(total, "cost"))),
        status};
    if (several_projects) row.insert(row.begin(), Format("%.0f", Number(Field(series, "project_id"))));
    table.AddRow(std::move(row));
  }
  return table.Render();
}

}  // namespace switchyard::cli
