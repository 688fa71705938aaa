// How experiment results' numbers read, shared by the terminal table and the HTML report so both
// say the same thing: rates in percent, relative lifts in signed percent, absolute lifts of rates
// in percentage points, everything else with 4 significant digits; null (not computable) as "-".
// Everything reads the JSON of GET .../experiments/{key}/results (docs/API.md), tolerating
// missing keys.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchyard::cli {

// A metric's value (its "kind" decides: conversion rates in percent).
std::string FormatMetricValue(const nlohmann::json& value, const nlohmann::json& metric);
// "[lo, hi]" of a value interval.
std::string FormatValueInterval(const nlohmann::json& ci, const nlohmann::json& metric);
// A lift, signed, in the results' difference ("relative" | "absolute").
std::string FormatLift(const nlohmann::json& lift, const nlohmann::json& metric,
                       const std::string& difference);
std::string FormatLiftInterval(const nlohmann::json& ci, const nlohmann::json& metric,
                               const std::string& difference);
std::string FormatPValue(const nlohmann::json& p);
std::string FormatPercent(const nlohmann::json& share, int decimals = 1);  // 0.991 -> "99.1 %"
// "95 %" from the analysis' alpha.
std::string ConfidenceLevel(const nlohmann::json& results);
// "conversion", "latency (p95)"; the name when there is one, else the key.
std::string MetricLabel(const nlohmann::json& metric);
// "SHIP treatment", "KEEP RUNNING", ... from the verdict object.
std::string DecisionLabel(const nlohmann::json& verdict);
// A count as an integer, or "-" when it is not a number.
std::string FormatInteger(const nlohmann::json& value);
// One number through a printf format ("%.4g"), for the few places that need their own format.
std::string FormatNumber(const char* format, double value);
// A member, or null when `object` is not an object or lacks it (the reference stays valid).
const nlohmann::json& Member(const nlohmann::json& object, const char* key);
// An array member, or an empty array when absent or not an array.
const nlohmann::json& Array(const nlohmann::json& object, const char* key);
// A string member, or "" when absent or not a string.
std::string Text(const nlohmann::json& object, const char* key);

}  // namespace switchyard::cli
