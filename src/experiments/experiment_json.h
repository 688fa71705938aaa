// JSON <-> Experiment: the body the experiment routes accept (strict: an unknown field is refused
// with its path, like flag bodies), the answer they give, and the form the store keeps. Also the
// checks an experiment must pass on its own (the ones needing the project, such as "the
// environment exists", are the experiment service's).
#pragma once

#include <nlohmann/json.hpp>

#include "experiments/experiment.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

enum class ExperimentJsonSource {
  kRequest,  // a client's body: state (status, started_at, layer slice, ...) is ignored
  kStored,   // the store's own form: state is read back too
};

// InvalidArgument with the JSON path of the offending field ("variants[1].split",
// "analysis.method"). Absent fields keep Experiment's defaults; "version" is not read (the
// routes take it as the base version of a change).
Result<Experiment> ExperimentFromJson(const nlohmann::json& json, ExperimentJsonSource source);

// Every field, state included ("status", "started_at", "stopped_at", "shipped_variant",
// "layer_from", "layer_to", "version"). Read back by ExperimentFromJson(kStored) unchanged.
nlohmann::json ExperimentToJson(const Experiment& experiment);

// The checks of the experiment alone, on the fields a client sets: key syntax, >= 2 variants with
// unique keys and splits summing to 100, traffic in (0, 100], environment and primary_metric
// given, alpha in (0, 0.5), and the analysis settings in range.
Status ValidateExperiment(const Experiment& experiment);

// "frequentist" | "sequential" | "bayesian", and the others' wire names.
const char* MethodName(stats::Method method);
const char* DifferenceName(stats::Difference difference);
const char* CorrectionName(Correction correction);

}  // namespace switchyard::experiments
