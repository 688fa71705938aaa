// What both Store backends share about experiments: the stored/audited JSON form, the audit
// action of a change, and the error shapes, so that memory and SQLite answer identically.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "experiments/experiment.h"
#include "store/store.h"
#include "switchyard/status.h"

namespace switchyard::store {

// The experiment exactly as it will read back (ExperimentFromJson(ExperimentToJson)) with
// `version`; InvalidArgument on "key" when the key is not a valid key.
Result<experiments::Experiment> CanonicalExperiment(const experiments::Experiment& experiment,
                                                    std::int64_t version);

// The stored and audited form: ExperimentToJson.
nlohmann::json ExperimentAuditJson(const experiments::Experiment& experiment);
// Reads it back; Corruption naming `what`.
Result<experiments::Experiment> ReadStoredExperiment(const nlohmann::json& stored, const std::string& what);

// experiment.start / .pause / .stop / .ship when the status (or shipped variant) changes,
// experiment.update otherwise.
std::string ExperimentUpdateAction(const experiments::Experiment& before,
                                   const experiments::Experiment& after);

Status ExperimentNotFound(const std::string& key);  // field "key"
Status ExperimentExists(const std::string& key);    // AlreadyExists, field "key"

// 0..kMaxExperimentHoldoutPercent; InvalidArgument on "percent".
Status ValidateHoldoutPercent(double percent);
// {"holdout_percent": n}: the project.holdout audit entry's before/after.
nlohmann::json HoldoutAuditJson(double percent);

}  // namespace switchyard::store
