#include "server/experiment_gate.h"

#include <chrono>
#include <string>

namespace switchyard::server {
namespace {

using experiments::ActiveExperiment;
using experiments::ExperimentStatus;

// The id the flag buckets on, as the engine reads it: distinct_id, or the bucketing property
// (strings as they are, anything else as its JSON text). False when it is missing.
bool BucketingId(const Flag* flag, const EvaluationContext& context, std::string* scratch,
                 std::string_view* id) {
  if (flag == nullptr || !flag->bucketing_property) {
    *id = context.distinct_id;
    return true;
  }
  if (!context.properties.is_object()) return false;
  auto it = context.properties.find(*flag->bucketing_property);
  if (it == context.properties.end() || it->is_null()) return false;
  if (it->is_string()) {
    *id = it->get_ref<const std::string&>();
  } else {
    *scratch = it->dump();
    *id = *scratch;
  }
  return !id->empty();
}

void ServeNotInExperiment(FlagResult& result, Allocation why, const ActiveExperiment& active) {
  result.enabled = false;
  result.variant.reset();
  result.payload.reset();
  result.reason = Reason::kOutOfRollout;
  result.condition_index.reset();
  result.detail = why == Allocation::kHeldOut ? "in the project's experiment holdout"
                                              : "outside experiment " + active.experiment.key +
                                                    "'s slice of layer " + active.experiment.layer;
}

}  // namespace

Allocation Allocate(const ActiveExperiment& active, std::string_view bucketing_id) {
  if (active.holdout_percent > 0) {
    const std::string salt = "holdout:" + std::to_string(active.project_id);
    if (BucketHash(salt, bucketing_id) * 100 < active.holdout_percent) return Allocation::kHeldOut;
  }
  const experiments::Experiment& e = active.experiment;
  if (!e.layer.empty()) {
    const double position = BucketHash("layer:" + e.layer, bucketing_id) * 100;
    if (position < e.layer_from || position >= e.layer_to) return Allocation::kOutsideLayerSlice;
  }
  return Allocation::kIn;
}

void ExperimentGate::Apply(std::int64_t environment_id, const FlagSet& snapshot,
                           const EvaluationContext& context, std::vector<FlagResult>& results) const {
  const auto current = directory_.Current();
  if (current->all().empty()) return;
  std::int64_t now_ms = 0;
  for (FlagResult& result : results) {
    if (!result.enabled) continue;
    const ActiveExperiment* active = current->ByFlag(environment_id, result.key);
    if (active == nullptr) continue;
    std::string scratch;
    std::string_view id;
    if (!BucketingId(snapshot.Find(result.key), context, &scratch, &id)) continue;
    const Allocation allocation = Allocate(*active, id);
    if (allocation != Allocation::kIn) {
      ServeNotInExperiment(result, allocation, *active);
      continue;
    }
    if (exposures_ == nullptr || !result.variant || active->experiment.status != ExperimentStatus::kRunning)
      continue;
    if (now_ms == 0) {
      now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    }
    exposures_->Record(*active, *result.variant, context.distinct_id, now_ms);
  }
}

}  // namespace switchyard::server
