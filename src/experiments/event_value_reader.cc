#include "experiments/event_value_reader.h"

#include <chrono>

#include "core/flag_compiler.h"
#include "core/property_match.h"
#include "core/text.h"

namespace switchyard::experiments {
namespace {

bool IsNegated(Operator op) {
  switch (op) {
    case Operator::kIsNot:
    case Operator::kIsNotSet:
    case Operator::kNotIContains:
    case Operator::kNotStartsWith:
    case Operator::kNotEndsWith:
    case Operator::kNotRegex: return true;
    default: return false;
  }
}

}  // namespace

EventValueReader::EventValueReader(const EventValue& value) : value_(&value) {
  filters_.reserve(value.filters.size());
  for (const PropertyFilter& filter : value.filters) filters_.push_back(core::CompilePropertyFilter(filter));
}

bool EventValueReader::Passes(const nlohmann::json& properties) const {
  // Date operators compare with "now"; an event's filters are read when it is aggregated.
  const auto now = std::chrono::system_clock::now();
  for (const core::CompiledFilter& filter : filters_) {
    auto it = properties.find(filter.source->key);
    const nlohmann::json* property = it == properties.end() || it->is_null() ? nullptr : &*it;
    switch (core::MatchPersonFilter(filter, property, now)) {
      case core::Match::kMatch: break;
      case core::Match::kMissing:
        if (!IsNegated(filter.source->op)) return false;
        break;
      case core::Match::kNoMatch:
      case core::Match::kError: return false;
    }
  }
  return true;
}

std::optional<double> EventValueReader::Read(const nlohmann::json& properties) const {
  if (!properties.is_object()) return std::nullopt;
  if (!filters_.empty() && !Passes(properties)) return std::nullopt;
  if (value_->property.empty()) return 1.0;
  auto it = properties.find(value_->property);
  if (it == properties.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
  return core::NumberOf(*it);
}

}  // namespace switchyard::experiments
