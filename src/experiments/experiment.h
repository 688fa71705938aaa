// Experiment: an A/B/n test of a multivariate flag's variants in one environment, and what its
// analysis needs to know. Pure data: the store persists it, the experiment routes change it, the
// aggregator attributes events with it, and the analysis (results, verdict) reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "switchyard/flag.h"
#include "switchyard/stats.h"

namespace switchyard::experiments {

enum class ExperimentStatus {
  kDraft,    // being set up: the flag serves nothing for it, no exposure is recorded
  kRunning,  // users are allocated and exposures recorded
  kPaused,   // no new exposures; events of users already exposed still count
  kStopped,  // over (with or without a shipped variant): nothing is counted any more
};

// One arm. The first variant of an experiment is its control.
struct ExperimentVariant {
  std::string key;
  double split = 0;  // percent of the experiment's users; the splits sum to 100

  bool operator==(const ExperimentVariant&) const = default;
};

enum class Correction { kHolm, kBenjaminiHochberg, kNone };

// How results are computed. The defaults are the safe ones: sequential (always-valid, safe to
// watch continuously), relative lift, Holm across variants and metrics, CUPED when a covariate
// exists.
struct AnalysisSettings {
  stats::Method method = stats::Method::kSequential;
  stats::Difference difference = stats::Difference::kRelative;
  double alpha = 0.05;
  double sequential_tuning = 5000;  // N*: the sample size the sequential interval is tightest at
  std::optional<stats::GaussianPrior> prior;
  Correction correction = Correction::kHolm;
  bool cuped = true;
  int cuped_lookback_days = 14;  // the pre-exposure window the covariate is summed over

  bool operator==(const AnalysisSettings&) const = default;
};

struct Experiment {
  std::string key;  // unique per project, same syntax as a flag key
  std::string name;
  std::string hypothesis;
  std::string owner;
  std::string environment;  // the environment key it runs in (its flag's targeting there is set)
  std::string flag_key;     // the multivariate flag whose variants are the arms
  std::vector<ExperimentVariant> variants;  // control first
  double traffic_percent = 100;             // share of eligible users allocated to the experiment
  std::vector<PropertyFilter> conditions;   // who is eligible (AND'd); empty = everyone
  // Experiments in one layer get disjoint slices of its users ([layer_from, layer_to) in percent
  // of the layer's hash space, assigned when the experiment starts). Empty = no layer.
  std::string layer;
  double layer_from = 0;
  double layer_to = 0;
  std::string primary_metric;  // metric keys (MetricDefinition::key)
  std::vector<std::string> secondary_metrics;
  std::vector<std::string> guardrail_metrics;
  std::int64_t minimum_sample_per_variant = 100;  // exposures each variant needs before a verdict
  int planned_duration_days = 14;
  AnalysisSettings analysis;

  ExperimentStatus status = ExperimentStatus::kDraft;
  std::string started_at;  // ISO-8601 UTC, empty until started
  std::string stopped_at;
  std::string shipped_variant;  // set by `ship`
  std::int64_t version = 0;     // assigned by the store: 1 on create, +1 per change

  const std::string& control() const { return variants.front().key; }
  bool operator==(const Experiment&) const = default;
};

const char* StatusName(ExperimentStatus status);  // "draft", "running", "paused", "stopped"

}  // namespace switchyard::experiments
