#include "experiments/metric_json.h"

#include <cmath>
#include <string>

#include "core/abbreviate.h"
#include "core/filter_json.h"
#include "core/flag_validation.h"
#include "core/json_fields.h"
#include "core/known_fields.h"
#include "core/text.h"

namespace switchyard::experiments {
namespace {

using core::FieldPath;
using core::Invalid;
using core::Json;

constexpr core::KnownField kMetricFields[] = {
    {"key"},
    {"name"},
    {"description"},
    {"kind"},
    {"value"},
    {"denominator"},
    {"unit"},
    {"percentile"},
    {"conversion_window_hours"},
    {"direction"},
    {"capping"},
    {"builtin", core::FieldRole::kIgnored},  // what GET shows; the server decides it
};
constexpr core::KnownField kEventValueFields[] = {{"event"}, {"property"}, {"filters"}};
constexpr core::KnownField kCappingFields[] = {{"lower"}, {"upper"}};

constexpr std::size_t kMaxEventNameBytes = 200;  // as events::kMaxEventNameBytes
constexpr std::size_t kMaxPropertyBytes = 256;   // as events::kMaxPropertyKeyBytes
constexpr std::size_t kMaxFilters = 20;
constexpr std::size_t kMaxTextBytes = 4096;

Result<MetricKind> KindFromName(const std::string& name) {
  if (name == "conversion") return MetricKind::kConversion;
  if (name == "mean") return MetricKind::kMean;
  if (name == "sum") return MetricKind::kSum;
  if (name == "ratio") return MetricKind::kRatio;
  if (name == "percentile") return MetricKind::kPercentile;
  return Invalid("kind", "must be conversion, mean, sum, ratio or percentile, not \"" +
                             core::Abbreviate(name, 64) + "\"");
}

Result<EventValue> EventValueFromJson(const Json& object, const std::string& path) {
  if (Status s = core::ExpectObject(object, path); !s.ok()) return s;
  if (Status s = core::CheckFields(object, path, kEventValueFields); !s.ok()) return s;
  EventValue value;
  if (Status s = core::ReadRequiredString(object, "event", path, &value.event); !s.ok()) return s;
  if (Status s = core::ReadString(object, "property", path, &value.property); !s.ok()) return s;
  if (const Json* filters = core::Member(object, "filters")) {
    if (Status s = core::FiltersListFromJson(*filters, FieldPath(path, "filters"), &value.filters); !s.ok())
      return s;
  }
  return value;
}

Json EventValueToJson(const EventValue& value) {
  Json out = {{"event", value.event}};
  if (!value.property.empty()) out["property"] = value.property;
  Json filters = Json::array();
  for (const PropertyFilter& filter : value.filters) filters.push_back(core::FilterToJson(filter));
  out["filters"] = std::move(filters);
  return out;
}

Status ValidateEventValue(const EventValue& value, const std::string& path) {
  if (value.event.empty() || value.event.size() > kMaxEventNameBytes)
    return Invalid(FieldPath(path, "event"), "must be 1 to 200 bytes");
  if (value.property.size() > kMaxPropertyBytes)
    return Invalid(FieldPath(path, "property"), "must be at most 256 bytes");
  if (value.filters.size() > kMaxFilters)
    return Invalid(FieldPath(path, "filters"), "holds more than 20 filters");
  for (std::size_t i = 0; i < value.filters.size(); ++i) {
    const std::string filter_path = core::IndexPath(FieldPath(path, "filters"), i);
    if (value.filters[i].type != FilterType::kPerson)
      return Invalid(FieldPath(filter_path, "type"), "must be person (filters match the event's properties)");
    if (Status s = core::ValidateFilter(value.filters[i], filter_path, /*in_cohort=*/false); !s.ok())
      return s;
  }
  return Status::Ok();
}

// A member the kind has no use for: refused rather than ignored.
Status NotFor(const char* field, MetricKind kind) {
  return Invalid(field, std::string("is not used by a ") + MetricKindName(kind) + " metric");
}

Status ReadDirection(const Json& object, MetricDefinition* metric) {
  std::optional<std::string> name;
  if (Status s = core::ReadString(object, "direction", "", &name); !s.ok()) return s;
  if (!name || *name == "higher_is_better") return Status::Ok();
  if (*name == "lower_is_better") {
    metric->direction = stats::Direction::kLowerIsBetter;
    return Status::Ok();
  }
  return Invalid("direction", "must be higher_is_better or lower_is_better");
}

Status ReadCapping(const Json& object, MetricDefinition* metric) {
  const Json* capping = core::Member(object, "capping");
  if (capping == nullptr) return Status::Ok();
  if (Status s = core::ExpectObject(*capping, "capping"); !s.ok()) return s;
  if (Status s = core::CheckFields(*capping, "capping", kCappingFields); !s.ok()) return s;
  if (Status s = core::ReadNumber(*capping, "lower", "capping", &metric->capping.lower); !s.ok()) return s;
  return core::ReadNumber(*capping, "upper", "capping", &metric->capping.upper);
}

Status ReadKindMembers(const Json& object, MetricDefinition* metric) {
  const MetricKind kind = metric->kind;
  if (const Json* denominator = core::Member(object, "denominator")) {
    if (kind != MetricKind::kRatio) return NotFor("denominator", kind);
    auto value = EventValueFromJson(*denominator, "denominator");
    if (!value.ok()) return value.status();
    metric->denominator = std::move(*value);
  } else if (kind == MetricKind::kRatio) {
    return Invalid("denominator", "is required for a ratio metric");
  }
  std::optional<std::string> unit;
  if (Status s = core::ReadString(object, "unit", "", &unit); !s.ok()) return s;
  if (unit) {
    if (*unit != "user" && *unit != "event") return Invalid("unit", "must be user or event");
    if (*unit == "event" && kind != MetricKind::kMean)
      return Invalid("unit", "event is only for a mean metric");
    metric->unit = *unit == "event" ? MetricUnit::kEvent : MetricUnit::kUser;
  }
  std::optional<double> percentile;
  if (Status s = core::ReadNumber(object, "percentile", "", &percentile); !s.ok()) return s;
  if (percentile) {
    if (kind != MetricKind::kPercentile) return NotFor("percentile", kind);
    metric->percentile = *percentile;
  } else if (kind == MetricKind::kPercentile) {
    return Invalid("percentile", "is required for a percentile metric (e.g. 0.95)");
  }
  if (core::Member(object, "conversion_window_hours") != nullptr) {
    if (kind != MetricKind::kConversion) return NotFor("conversion_window_hours", kind);
    std::int64_t hours = 0;
    if (Status s = core::ReadInt64(object, "conversion_window_hours", "", &hours); !s.ok()) return s;
    if (hours < 1 || hours > kMaxConversionWindowHours)
      return Invalid("conversion_window_hours", "must be an integer from 1 to 8784");
    metric->conversion_window_hours = static_cast<int>(hours);
  }
  return Status::Ok();
}

}  // namespace

const char* MetricKindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kConversion: return "conversion";
    case MetricKind::kMean: return "mean";
    case MetricKind::kSum: return "sum";
    case MetricKind::kRatio: return "ratio";
    case MetricKind::kPercentile: return "percentile";
  }
  return "conversion";
}

bool IsPerUser(const MetricDefinition& metric) {
  switch (metric.kind) {
    case MetricKind::kConversion:
    case MetricKind::kSum:
    case MetricKind::kRatio: return true;
    case MetricKind::kMean: return metric.unit == MetricUnit::kUser;
    case MetricKind::kPercentile: return false;
  }
  return false;
}

Result<MetricDefinition> MetricFromJson(const Json& object) {
  if (Status s = core::ExpectObject(object, ""); !s.ok()) return s;
  if (Status s = core::CheckFields(object, "", kMetricFields); !s.ok()) return s;
  MetricDefinition metric;
  if (Status s = core::ReadRequiredString(object, "key", "", &metric.key); !s.ok()) return s;
  if (Status s = core::ReadString(object, "name", "", &metric.name); !s.ok()) return s;
  if (metric.name.empty()) metric.name = metric.key;
  if (Status s = core::ReadString(object, "description", "", &metric.description); !s.ok()) return s;
  std::string kind;
  if (Status s = core::ReadRequiredString(object, "kind", "", &kind); !s.ok()) return s;
  auto parsed_kind = KindFromName(kind);
  if (!parsed_kind.ok()) return parsed_kind.status();
  metric.kind = *parsed_kind;
  const Json* value = core::Member(object, "value");
  if (value == nullptr) return Invalid("value", "is required");
  auto event_value = EventValueFromJson(*value, "value");
  if (!event_value.ok()) return event_value.status();
  metric.value = std::move(*event_value);
  if (Status s = ReadKindMembers(object, &metric); !s.ok()) return s;
  if (Status s = ReadDirection(object, &metric); !s.ok()) return s;
  if (Status s = ReadCapping(object, &metric); !s.ok()) return s;
  if (Status s = ValidateMetric(metric); !s.ok()) return s;
  return metric;
}

Status ValidateMetric(const MetricDefinition& metric) {
  if (!core::IsValidKey(metric.key)) return Invalid("key", "must be 1 to 200 characters of [A-Za-z0-9_.-]");
  if (metric.name.size() > kMaxTextBytes) return Invalid("name", "must be at most 4096 bytes");
  if (metric.description.size() > kMaxTextBytes) return Invalid("description", "must be at most 4096 bytes");
  if (Status s = ValidateEventValue(metric.value, "value"); !s.ok()) return s;
  switch (metric.kind) {
    case MetricKind::kConversion:
      if (!metric.value.property.empty())
        return Invalid("value.property",
                       "is not used by a conversion metric (it counts users who did the event)");
      break;
    case MetricKind::kPercentile:
      if (metric.value.property.empty())
        return Invalid("value.property", "is required for a percentile metric");
      if (!(metric.percentile > 0 && metric.percentile < 1))
        return Invalid("percentile", "must be between 0 and 1 (exclusive)");
      break;
    case MetricKind::kRatio:
      if (Status s = ValidateEventValue(metric.denominator, "denominator"); !s.ok()) return s;
      break;
    case MetricKind::kMean:
    case MetricKind::kSum: break;
  }
  const auto& capping = metric.capping;
  for (const auto& [bound, name] :
       {std::pair{capping.lower, "capping.lower"}, {capping.upper, "capping.upper"}}) {
    if (bound && !std::isfinite(*bound)) return Invalid(name, "must be a finite number");
  }
  if (capping.lower && capping.upper && *capping.lower > *capping.upper)
    return Invalid("capping.lower", "must not be above capping.upper");
  return Status::Ok();
}

Json MetricToJson(const MetricDefinition& metric) {
  Json out = {{"key", metric.key},
              {"name", metric.name},
              {"description", metric.description},
              {"kind", MetricKindName(metric.kind)},
              {"value", EventValueToJson(metric.value)}};
  if (metric.kind == MetricKind::kRatio) out["denominator"] = EventValueToJson(metric.denominator);
  if (metric.kind == MetricKind::kMean) out["unit"] = metric.unit == MetricUnit::kEvent ? "event" : "user";
  if (metric.kind == MetricKind::kPercentile) out["percentile"] = metric.percentile;
  if (metric.kind == MetricKind::kConversion) out["conversion_window_hours"] = metric.conversion_window_hours;
  out["direction"] =
      metric.direction == stats::Direction::kLowerIsBetter ? "lower_is_better" : "higher_is_better";
  Json capping = Json::object();
  if (metric.capping.lower) capping["lower"] = *metric.capping.lower;
  if (metric.capping.upper) capping["upper"] = *metric.capping.upper;
  if (!capping.empty()) out["capping"] = std::move(capping);
  out["builtin"] = metric.builtin;
  return out;
}

}  // namespace switchyard::experiments
