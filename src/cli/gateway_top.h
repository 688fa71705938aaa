// The dashboard `switchyard top` draws from GET /api/v1/gateway/stats: one row per route ×
// variant × model, from the last minute's window ("recent"), with a health status per row.
//
// Health: "bad" when a threshold is exceeded, "warn" when a value is past warn_at of its
// threshold, "ok" otherwise, and "idle" for a row without calls in the window (nothing to
// judge). A threshold of 0 is not checked. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchyard::cli {

struct TopThresholds {
  double max_error_rate = 0.05;  // a fraction of the window's calls
  double max_p95_ms = 10000;
  double max_p99_ms = 0;
  double max_ttft_p95_ms = 0;
  double warn_at = 0.8;  // a fraction of each threshold
};

struct RowHealth {
  std::string status;                // ok / warn / bad / idle
  std::vector<std::string> reasons;  // e.g. "error rate 12.0% > 5.0%"
};

// `window`: a series' "recent" (or "total") object.
RowHealth HealthOf(const nlohmann::json& window, const TopThresholds& thresholds);

// The stats with "health" and "reasons" added to every series (the --json output).
nlohmann::json WithHealth(nlohmann::json stats, const TopThresholds& thresholds);

// The table: ROUTE, VARIANT, MODEL, REQ (whole run), REQ/S, OK%, P50/P95/P99 and TTFT P50/P95 in
// milliseconds, COST (whole run), STATUS; `color`: the status in ANSI colours (a terminal).
std::string RenderTop(const nlohmann::json& stats, const TopThresholds& thresholds, bool color);

}  // namespace switchyard::cli
