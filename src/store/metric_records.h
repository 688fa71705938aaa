// What the Store backends share about metric definitions: their checks, errors and audit form.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "experiments/metric_definition.h"
#include "switchyard/status.h"

namespace switchyard::store {

// The definition as stored: validated, and never marked built-in (built-ins are not stored).
Result<experiments::MetricDefinition> CanonicalMetric(const experiments::MetricDefinition& metric);
Status MetricNotFound(const std::string& key);  // field "key"
Status MetricExists(const std::string& key);    // field "key"
// The stored form (experiments::MetricToJson) read back; Corruption when it no longer parses.
Result<experiments::MetricDefinition> StoredMetric(const std::string& text, const std::string& key);

}  // namespace switchyard::store
