// EventValueReader: one side of a metric (an EventValue) compiled for the aggregator's hot path:
// does this event's properties pass the filters, and what number does it contribute.
//
// Filters use the flag property-filter format and operators, matched against the event's
// top-level properties. One difference from person targeting, for events: a property the event
// lacks matches the negated operators (is_not, is_not_set, not_icontains, not_regex, ...) and fails
// every other one, so "$ai_is_error is_not true" counts a generation that never says it failed.
// The value: the numeric `property` (a number, a fully numeric string, or a boolean as 1/0); an
// event without a usable value contributes nothing. With no `property`, each event counts 1.
//
// Thread-safety: immutable after construction; the EventValue it was built from must outlive it.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/compiled_flag.h"
#include "experiments/metric_definition.h"

namespace switchyard::experiments {

class EventValueReader {
 public:
  explicit EventValueReader(const EventValue& value);

  // The value `properties` (a JSON object) contributes, or nullopt.
  std::optional<double> Read(const nlohmann::json& properties) const;

 private:
  bool Passes(const nlohmann::json& properties) const;

  const EventValue* value_;
  std::vector<core::CompiledFilter> filters_;
};

}  // namespace switchyard::experiments
