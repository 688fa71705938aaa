#include "cli/results_format.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

bool IsRate(const Json& metric) {
  return Text(metric, "kind") == "conversion";
}

std::string Lift(double v, const Json& metric, const std::string& difference) {
  if (difference == "relative") return FormatNumber("%+.2f %%", v * 100);
  if (IsRate(metric)) return FormatNumber("%+.2f pp", v * 100);
  return FormatNumber("%+.4g", v);
}

std::string Value(double v, const Json& metric) {
  return IsRate(metric) ? FormatNumber("%.2f %%", v * 100) : FormatNumber("%.4g", v);
}

bool IsPair(const Json& ci) {
  return ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number();
}

}  // namespace

std::string Text(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string FormatMetricValue(const Json& value, const Json& metric) {
  return value.is_number() ? Value(value.get<double>(), metric) : "-";
}

std::string FormatValueInterval(const Json& ci, const Json& metric) {
  if (!IsPair(ci)) return "-";
  return "[" + Value(ci[0].get<double>(), metric) + ", " + Value(ci[1].get<double>(), metric) + "]";
}

std::string FormatLift(const Json& lift, const Json& metric, const std::string& difference) {
  return lift.is_number() ? Lift(lift.get<double>(), metric, difference) : "-";
}

std::string FormatLiftInterval(const Json& ci, const Json& metric, const std::string& difference) {
  if (!IsPair(ci)) return "-";
  return "[" + Lift(ci[0].get<double>(), metric, difference) + ", " +
         Lift(ci[1].get<double>(), metric, difference) + "]";
}

std::string FormatPValue(const Json& p) {
  if (!p.is_number()) return "-";
  const double v = p.get<double>();
  return v < 0.0001 ? "<0.0001" : FormatNumber("%.4f", v);
}

std::string FormatPercent(const Json& share, int decimals) {
  if (!share.is_number()) return "-";
  char format[16];
  std::snprintf(format, sizeof format, "%%.%df %%%%", decimals);
  return FormatNumber(format, share.get<double>() * 100);
}

std::string ConfidenceLevel(const Json& results) {
  double alpha = 0.05;
  if (results.contains("analysis") && results["analysis"].is_object() &&
      results["analysis"].contains("alpha") && results["analysis"]["alpha"].is_number()) {
    alpha = results["analysis"]["alpha"].get<double>();
  }
  return FormatNumber("%g %%", (1 - alpha) * 100);
}

std::string MetricLabel(const Json& metric) {
  std::string label = Text(metric, "name");
  if (label.empty()) label = Text(metric, "key");
  if (metric.is_object() && metric.contains("percentile") && metric["percentile"].is_number()) {
    label += " (p" + FormatNumber("%g", metric["percentile"].get<double>() * 100) + ")";
  }
  return label;
}

std::string DecisionLabel(const Json& verdict) {
  std::string decision = Text(verdict, "decision");
  std::string label;
  for (char c : decision)
    label += c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (decision == "ship") label += " " + Text(verdict, "variant");
  if (decision == "stop_no_effect") label = "STOP (NO EFFECT)";
  if (decision == "stop_guardrail") label = "STOP (GUARDRAIL BREACHED)";
  return label.empty() ? "-" : label;
}

const nlohmann::json& Member(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;  // immutable: what an absent member reads as
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

const nlohmann::json& Array(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json& value = Member(object, key);
  return value.is_array() ? value : kEmpty;
}

std::string FormatInteger(const nlohmann::json& value) {
  return value.is_number() ? std::to_string(value.get<long long>()) : "-";
}

std::string FormatNumber(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace switchyard::cli
