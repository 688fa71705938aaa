#include "store/experiment_records.h"

#include <cmath>

#include "core/text.h"
#include "experiments/experiment_json.h"

namespace switchyard::store {

using experiments::Experiment;
using experiments::ExperimentStatus;

Result<Experiment> CanonicalExperiment(const Experiment& experiment, std::int64_t version) {
  if (!core::IsValidKey(experiment.key))
    return Status::InvalidArgument("key must be 1..200 characters of [A-Za-z0-9_.-]", "key");
  Experiment with_version = experiment;
  with_version.version = version;
  return ReadStoredExperiment(ExperimentAuditJson(with_version), "experiment '" + experiment.key + "'");
}

nlohmann::json ExperimentAuditJson(const Experiment& experiment) {
  return experiments::ExperimentToJson(experiment);
}

Result<Experiment> ReadStoredExperiment(const nlohmann::json& stored, const std::string& what) {
  auto read = experiments::ExperimentFromJson(stored, experiments::ExperimentJsonSource::kStored);
  if (!read.ok())
    return Status::Corruption("stored " + what + " cannot be read: " + read.status().ToString());
  return read;
}

std::string ExperimentUpdateAction(const Experiment& before, const Experiment& after) {
  if (after.shipped_variant != before.shipped_variant && !after.shipped_variant.empty())
    return "experiment.ship";
  if (after.status == before.status) return "experiment.update";
  switch (after.status) {
    case ExperimentStatus::kRunning: return "experiment.start";
    case ExperimentStatus::kPaused: return "experiment.pause";
    case ExperimentStatus::kStopped: return "experiment.stop";
    case ExperimentStatus::kDraft: break;
  }
  return "experiment.update";
}

Status ExperimentNotFound(const std::string& key) {
  return Status::NotFound("experiment '" + key + "' not found", "key");
}

Status ExperimentExists(const std::string& key) {
  return Status::AlreadyExists("experiment '" + key + "' exists", "key");
}

Status ValidateHoldoutPercent(double percent) {
  if (std::isfinite(percent) && percent >= 0 && percent <= kMaxExperimentHoldoutPercent) return Status::Ok();
  return Status::InvalidArgument("percent must be from 0 to 50", "percent");
}

nlohmann::json HoldoutAuditJson(double percent) {
  return {{"holdout_percent", percent}};
}

}  // namespace switchyard::store
