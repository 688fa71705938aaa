#include "experiments/health_checks.h"

#include <algorithm>
#include <optional>
#include <string>

#include "core/date_value.h"

namespace switchyard::experiments {
namespace {

constexpr double kMsPerDay = 24.0 * 3600 * 1000;

std::optional<std::int64_t> ParseMs(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::optional<core::Micros> parsed = core::ParseIsoDateTime(text);
  if (!parsed) return std::nullopt;
  return parsed->time_since_epoch().count() / 1000;
}

}  // namespace

HealthChecks CheckHealth(const Experiment& experiment, const std::vector<VariantSummary>& variants,
                         std::int64_t multiple_exposure_users, std::int64_t first_exposure_ms,
                         std::int64_t now_ms) {
  HealthChecks health;
  std::vector<double> counts;
  std::vector<double> weights;
  std::int64_t exposed = 0;
  health.minimum_sample_per_variant = experiment.minimum_sample_per_variant;
  health.minimum_sample_reached = true;
  for (const VariantSummary& v : variants) {
    counts.push_back(static_cast<double>(v.exposures));
    weights.push_back(v.split);
    exposed += v.exposures;
    health.minimum_sample_reached = health.minimum_sample_reached && v.minimum_sample_reached;
  }
  // Splits are checked when the experiment is written; should a stored one still be refused by
  // the test, no mismatch is claimed (p = 1) rather than failing the whole results.
  if (Result<stats::SrmResult> srm = stats::SampleRatioMismatch(counts, weights); srm.ok()) health.srm = *srm;

  health.multiple_exposure_users = multiple_exposure_users;
  const std::int64_t all_users = exposed + multiple_exposure_users;
  health.multiple_exposure_share =
      all_users > 0 ? static_cast<double>(multiple_exposure_users) / static_cast<double>(all_users) : 0;
  health.multiple_exposures_invalid = health.multiple_exposure_share > kMultipleExposureThreshold;

  std::optional<std::int64_t> start = ParseMs(experiment.started_at);
  if (!start && first_exposure_ms > 0) start = first_exposure_ms;
  std::int64_t end = now_ms;
  if (experiment.status == ExperimentStatus::kStopped) end = ParseMs(experiment.stopped_at).value_or(now_ms);
  health.days_running = start ? std::max(0.0, static_cast<double>(end - *start) / kMsPerDay) : 0;
  health.planned_duration_days = experiment.planned_duration_days;
  health.planned_duration_reached = start && health.days_running >= experiment.planned_duration_days;
  return health;
}

}  // namespace switchyard::experiments
