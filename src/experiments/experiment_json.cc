#include "experiments/experiment_json.h"

#include <cmath>
#include <set>
#include <string>

#include "core/filter_json.h"
#include "core/json_fields.h"
#include "core/known_fields.h"
#include "core/text.h"

namespace switchyard::experiments {
namespace {

using core::FieldPath;
using core::IndexPath;
using core::Invalid;
using core::Json;
using core::KnownField;
using Role = core::FieldRole;

// State is what the service sets; a GET body edited and sent back carries it, so it is accepted
// and ignored rather than refused.
constexpr KnownField kExperimentFields[] = {
    {"key"},
    {"name"},
    {"hypothesis"},
    {"owner"},
    {"environment"},
    {"flag_key"},
    {"variants"},
    {"traffic_percent"},
    {"conditions"},
    {"layer"},
    {"primary_metric"},
    {"secondary_metrics"},
    {"guardrail_metrics"},
    {"minimum_sample_per_variant"},
    {"planned_duration_days"},
    {"analysis"},
    {"version"},  // the version a change is based on (read by the routes)
    {"status", Role::kIgnored},
    {"started_at", Role::kIgnored},
    {"stopped_at", Role::kIgnored},
    {"shipped_variant", Role::kIgnored},
    {"layer_from", Role::kIgnored},
    {"layer_to", Role::kIgnored},
    {"created_at", Role::kIgnored},
    {"updated_at", Role::kIgnored},
    {"updated_by", Role::kIgnored},
};
constexpr KnownField kVariantFields[] = {{"key"}, {"split"}};
constexpr KnownField kAnalysisFields[] = {{"method"}, {"difference"}, {"alpha"}, {"sequential_tuning"},
                                          {"prior"},  {"correction"}, {"cuped"}, {"cuped_lookback_days"}};
constexpr KnownField kPriorFields[] = {{"mean"}, {"variance"}};

template <typename Enum, std::size_t N>
Status ReadEnum(const Json& object, const char* name, const std::string& parent,
                const std::pair<const char*, Enum> (&names)[N], Enum* out) {
  std::string text;
  if (Status s = core::ReadString(object, name, parent, &text); !s.ok()) return s;
  if (!object.contains(name) || object[name].is_null()) return Status::Ok();
  std::string expected;
  for (const auto& [wire, value] : names) {
    if (text == wire) {
      *out = value;
      return Status::Ok();
    }
    expected += expected.empty() ? wire : std::string(", ") + wire;
  }
  return Invalid(FieldPath(parent, name), "must be one of " + expected);
}

constexpr std::pair<const char*, stats::Method> kMethods[] = {{"frequentist", stats::Method::kFrequentist},
                                                              {"sequential", stats::Method::kSequential},
                                                              {"bayesian", stats::Method::kBayesian}};
constexpr std::pair<const char*, stats::Difference> kDifferences[] = {
    {"relative", stats::Difference::kRelative}, {"absolute", stats::Difference::kAbsolute}};
constexpr std::pair<const char*, Correction> kCorrections[] = {
    {"holm", Correction::kHolm},
    {"benjamini_hochberg", Correction::kBenjaminiHochberg},
    {"none", Correction::kNone}};
constexpr std::pair<const char*, ExperimentStatus> kStatuses[] = {{"draft", ExperimentStatus::kDraft},
                                                                  {"running", ExperimentStatus::kRunning},
                                                                  {"paused", ExperimentStatus::kPaused},
                                                                  {"stopped", ExperimentStatus::kStopped}};

template <typename Enum, std::size_t N>
const char* NameOf(const std::pair<const char*, Enum> (&names)[N], Enum value) {
  for (const auto& [wire, each] : names)
    if (each == value) return wire;
  return names[0].first;
}

Status ReadDouble(const Json& object, const char* name, const std::string& parent, double* out) {
  std::optional<double> value;
  if (Status s = core::ReadNumber(object, name, parent, &value); !s.ok()) return s;
  if (value) *out = *value;
  return Status::Ok();
}

Status ReadInt(const Json& object, const char* name, const std::string& parent, int* out) {
  std::int64_t value = *out;
  if (Status s = core::ReadInt64(object, name, parent, &value); !s.ok()) return s;
  if (value < 0 || value > 1'000'000) return Invalid(FieldPath(parent, name), "must be from 0 to 1000000");
  *out = static_cast<int>(value);
  return Status::Ok();
}

Status ReadStrings(const Json& object, const char* name, std::vector<std::string>* out) {
  const Json* member = core::Member(object, name);
  if (member == nullptr) return Status::Ok();
  if (Status s = core::ExpectArray(*member, name); !s.ok()) return s;
  out->clear();
  for (std::size_t i = 0; i < member->size(); ++i) {
    if (!(*member)[i].is_string()) return Invalid(IndexPath(name, i), "must be a string");
    out->push_back((*member)[i].get<std::string>());
  }
  return Status::Ok();
}

Status ReadVariants(const Json& object, std::vector<ExperimentVariant>* out) {
  const Json* member = core::Member(object, "variants");
  if (member == nullptr) return Status::Ok();
  if (Status s = core::ExpectArray(*member, "variants"); !s.ok()) return s;
  out->clear();
  for (std::size_t i = 0; i < member->size(); ++i) {
    const std::string path = IndexPath("variants", i);
    const Json& item = (*member)[i];
    if (Status s = core::ExpectObject(item, path); !s.ok()) return s;
    if (Status s = core::CheckFields(item, path, kVariantFields); !s.ok()) return s;
    ExperimentVariant variant;
    if (Status s = core::ReadRequiredString(item, "key", path, &variant.key); !s.ok()) return s;
    if (!item.contains("split") || !item["split"].is_number())
      return Invalid(FieldPath(path, "split"), "is required: a number from 0 to 100");
    variant.split = item["split"].get<double>();
    out->push_back(std::move(variant));
  }
  return Status::Ok();
}

Status ReadAnalysis(const Json& object, AnalysisSettings* out) {
  const Json* member = core::Member(object, "analysis");
  if (member == nullptr) return Status::Ok();
  const std::string path = "analysis";
  if (Status s = core::ExpectObject(*member, path); !s.ok()) return s;
  if (Status s = core::CheckFields(*member, path, kAnalysisFields); !s.ok()) return s;
  if (Status s = ReadEnum(*member, "method", path, kMethods, &out->method); !s.ok()) return s;
  if (Status s = ReadEnum(*member, "difference", path, kDifferences, &out->difference); !s.ok()) return s;
  if (Status s = ReadEnum(*member, "correction", path, kCorrections, &out->correction); !s.ok()) return s;
  if (Status s = ReadDouble(*member, "alpha", path, &out->alpha); !s.ok()) return s;
  if (Status s = ReadDouble(*member, "sequential_tuning", path, &out->sequential_tuning); !s.ok()) return s;
  if (Status s = core::ReadBool(*member, "cuped", path, &out->cuped); !s.ok()) return s;
  if (Status s = ReadInt(*member, "cuped_lookback_days", path, &out->cuped_lookback_days); !s.ok()) return s;
  if (const Json* prior = core::Member(*member, "prior")) {
    const std::string prior_path = FieldPath(path, "prior");
    if (Status s = core::ExpectObject(*prior, prior_path); !s.ok()) return s;
    if (Status s = core::CheckFields(*prior, prior_path, kPriorFields); !s.ok()) return s;
    stats::GaussianPrior read;
    if (Status s = ReadDouble(*prior, "mean", prior_path, &read.mean); !s.ok()) return s;
    if (Status s = ReadDouble(*prior, "variance", prior_path, &read.variance); !s.ok()) return s;
    out->prior = read;
  } else if (member->contains("prior")) {
    out->prior.reset();
  }
  return Status::Ok();
}

Status ReadState(const Json& json, Experiment* out) {
  if (Status s = ReadEnum(json, "status", "", kStatuses, &out->status); !s.ok()) return s;
  if (Status s = core::ReadString(json, "started_at", "", &out->started_at); !s.ok()) return s;
  if (Status s = core::ReadString(json, "stopped_at", "", &out->stopped_at); !s.ok()) return s;
  if (Status s = core::ReadString(json, "shipped_variant", "", &out->shipped_variant); !s.ok()) return s;
  if (Status s = ReadDouble(json, "layer_from", "", &out->layer_from); !s.ok()) return s;
  if (Status s = ReadDouble(json, "layer_to", "", &out->layer_to); !s.ok()) return s;
  return core::ReadInt64(json, "version", "", &out->version);
}

Status ReadExperiment(const Json& json, ExperimentJsonSource source, Experiment* out) {
  if (Status s = core::ExpectObject(json, ""); !s.ok()) return s;
  if (Status s = core::CheckFields(json, "", kExperimentFields); !s.ok()) return s;
  const std::pair<const char*, std::string Experiment::*> strings[] = {
      {"key", &Experiment::key},
      {"name", &Experiment::name},
      {"hypothesis", &Experiment::hypothesis},
      {"owner", &Experiment::owner},
      {"environment", &Experiment::environment},
      {"flag_key", &Experiment::flag_key},
      {"layer", &Experiment::layer},
      {"primary_metric", &Experiment::primary_metric}};
  for (const auto& [name, member] : strings) {
    if (Status s = core::ReadString(json, name, "", &(out->*member)); !s.ok()) return s;
  }
  if (Status s = ReadVariants(json, &out->variants); !s.ok()) return s;
  if (Status s = ReadDouble(json, "traffic_percent", "", &out->traffic_percent); !s.ok()) return s;
  if (const Json* conditions = core::Member(json, "conditions")) {
    if (Status s = core::FiltersListFromJson(*conditions, "conditions", &out->conditions); !s.ok()) return s;
  }
  if (Status s = ReadStrings(json, "secondary_metrics", &out->secondary_metrics); !s.ok()) return s;
  if (Status s = ReadStrings(json, "guardrail_metrics", &out->guardrail_metrics); !s.ok()) return s;
  if (Status s = core::ReadInt64(json, "minimum_sample_per_variant", "", &out->minimum_sample_per_variant);
      !s.ok())
    return s;
  if (Status s = ReadInt(json, "planned_duration_days", "", &out->planned_duration_days); !s.ok()) return s;
  if (Status s = ReadAnalysis(json, &out->analysis); !s.ok()) return s;
  if (source == ExperimentJsonSource::kStored) return ReadState(json, out);
  return Status::Ok();
}

bool InOpenRange(double value, double low, double high) {
  return std::isfinite(value) && value > low && value < high;
}

}  // namespace

const char* MethodName(stats::Method method) {
  return NameOf(kMethods, method);
}
const char* DifferenceName(stats::Difference difference) {
  return NameOf(kDifferences, difference);
}
const char* CorrectionName(Correction correction) {
  return NameOf(kCorrections, correction);
}

Result<Experiment> ExperimentFromJson(const nlohmann::json& json, ExperimentJsonSource source) {
  Experiment experiment;
  Status s = core::ReadGuarded("experiment", "", [&] { return ReadExperiment(json, source, &experiment); });
  if (!s.ok()) return s;
  return experiment;
}

nlohmann::json ExperimentToJson(const Experiment& experiment) {
  Json variants = Json::array();
  for (const ExperimentVariant& variant : experiment.variants)
    variants.push_back({{"key", variant.key}, {"split", variant.split}});
  Json conditions = Json::array();
  for (const PropertyFilter& filter : experiment.conditions) conditions.push_back(core::FilterToJson(filter));
  const AnalysisSettings& a = experiment.analysis;
  Json analysis{{"method", MethodName(a.method)},
                {"difference", DifferenceName(a.difference)},
                {"alpha", a.alpha},
                {"sequential_tuning", a.sequential_tuning},
                {"prior", nullptr},
                {"correction", CorrectionName(a.correction)},
                {"cuped", a.cuped},
                {"cuped_lookback_days", a.cuped_lookback_days}};
  if (a.prior) analysis["prior"] = {{"mean", a.prior->mean}, {"variance", a.prior->variance}};
  return Json{{"key", experiment.key},
              {"name", experiment.name},
              {"hypothesis", experiment.hypothesis},
              {"owner", experiment.owner},
              {"environment", experiment.environment},
              {"flag_key", experiment.flag_key},
              {"variants", std::move(variants)},
              {"traffic_percent", experiment.traffic_percent},
              {"conditions", std::move(conditions)},
              {"layer", experiment.layer},
              {"layer_from", experiment.layer_from},
              {"layer_to", experiment.layer_to},
              {"primary_metric", experiment.primary_metric},
              {"secondary_metrics", experiment.secondary_metrics},
              {"guardrail_metrics", experiment.guardrail_metrics},
              {"minimum_sample_per_variant", experiment.minimum_sample_per_variant},
              {"planned_duration_days", experiment.planned_duration_days},
              {"analysis", std::move(analysis)},
              {"status", StatusName(experiment.status)},
              {"started_at", experiment.started_at},
              {"stopped_at", experiment.stopped_at},
              {"shipped_variant", experiment.shipped_variant},
              {"version", experiment.version}};
}

Status ValidateExperiment(const Experiment& e) {
  if (!core::IsValidKey(e.key))
    return Invalid("key", "must be 1..200 characters of [A-Za-z0-9_.-], not \".\" or \"..\"");
  if (!e.flag_key.empty() && !core::IsValidKey(e.flag_key)) return Invalid("flag_key", "is not a flag key");
  if (e.environment.empty()) return Invalid("environment", "is required: the environment it runs in");
  if (e.variants.size() < 2)
    return Invalid("variants", "must hold at least 2 variants (the first is the control)");
  std::set<std::string> seen;
  double total = 0;
  for (std::size_t i = 0; i < e.variants.size(); ++i) {
    const ExperimentVariant& variant = e.variants[i];
    const std::string path = IndexPath("variants", i);
    if (!core::IsValidKey(variant.key)) return Invalid(FieldPath(path, "key"), "is not a valid variant key");
    if (!seen.insert(variant.key).second)
      return Invalid(FieldPath(path, "key"), "repeats variant \"" + variant.key + "\"");
    if (!(std::isfinite(variant.split) && variant.split >= 0 && variant.split <= 100))
      return Invalid(FieldPath(path, "split"), "must be from 0 to 100");
    total += variant.split;
  }
  if (std::abs(total - 100) > 1e-9)
    return Invalid("variants", "splits must sum to 100, not " + std::to_string(total));
  if (!(std::isfinite(e.traffic_percent) && e.traffic_percent > 0 && e.traffic_percent <= 100))
    return Invalid("traffic_percent", "must be more than 0 and at most 100");
  if (!e.layer.empty() && !core::IsValidKey(e.layer)) return Invalid("layer", "is not a valid layer name");
  if (e.primary_metric.empty()) return Invalid("primary_metric", "is required: the key of a metric");
  if (e.minimum_sample_per_variant < 1) return Invalid("minimum_sample_per_variant", "must be at least 1");
  if (e.planned_duration_days < 1) return Invalid("planned_duration_days", "must be at least 1");
  const AnalysisSettings& a = e.analysis;
  if (!InOpenRange(a.alpha, 0, 0.5))
    return Invalid("analysis.alpha", "must be more than 0 and less than 0.5");
  if (!(std::isfinite(a.sequential_tuning) && a.sequential_tuning > 0))
    return Invalid("analysis.sequential_tuning", "must be more than 0");
  if (a.prior && !std::isfinite(a.prior->mean))
    return Invalid("analysis.prior.mean", "must be a finite number");
  if (a.prior && !(std::isfinite(a.prior->variance) && a.prior->variance > 0))
    return Invalid("analysis.prior.variance", "must be more than 0");
  if (a.cuped_lookback_days < 1 || a.cuped_lookback_days > 365)
    return Invalid("analysis.cuped_lookback_days", "must be from 1 to 365");
  return Status::Ok();
}

}  // namespace switchyard::experiments
