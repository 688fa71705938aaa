#include "server/experiment_seed.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace switchyard::server {
namespace {

using nlohmann::json;

Result<experiments::ActiveExperiment> SeedOf(const json& entry, store::Store& store) {
  auto project = store.GetProjectBySlug(entry.at("project").get<std::string>());
  if (!project.ok()) return project.status();
  auto environments = store.ListEnvironments(project->id);
  if (!environments.ok()) return environments.status();
  const std::string environment = entry.value("environment", std::string(store::kPrimaryEnvironment));
  experiments::ActiveExperiment active;
  active.project_id = project->id;
  for (const store::Environment& candidate : *environments)
    if (candidate.key == environment) active.environment_id = candidate.id;
  if (active.environment_id == 0)
    return Status::NotFound("no environment '" + environment + "'", "environment");
  experiments::Experiment& experiment = active.experiment;
  experiment.key = entry.at("key").get<std::string>();
  experiment.name = experiment.key;
  experiment.environment = environment;
  experiment.flag_key = entry.at("flag_key").get<std::string>();
  const auto variants = entry.at("variants").get<std::vector<std::string>>();
  for (const std::string& variant : variants)
    experiment.variants.push_back({variant, 100.0 / static_cast<double>(variants.size())});
  if (experiment.variants.empty()) return Status::InvalidArgument("an experiment needs variants", "variants");
  experiment.primary_metric = entry.value("primary_metric", std::string());
  experiment.secondary_metrics = entry.value("secondary_metrics", std::vector<std::string>{});
  experiment.guardrail_metrics = entry.value("guardrail_metrics", std::vector<std::string>{});
  experiment.analysis.cuped_lookback_days = entry.value("cuped_lookback_days", 14);
  experiment.status = entry.value("status", std::string("running")) == "paused"
                          ? experiments::ExperimentStatus::kPaused
                          : experiments::ExperimentStatus::kRunning;
  return active;
}

}  // namespace

Result<std::vector<experiments::ActiveExperiment>> LoadExperimentSeed(const std::string& path,
                                                                      store::Store& store) {
  std::ifstream file(path);
  if (!file) return Status::NotFound("cannot read the experiments seed file " + path);
  std::stringstream text;
  text << file.rdbuf();
  try {
    const json entries = json::parse(text.str());
    std::vector<experiments::ActiveExperiment> out;
    for (const json& entry : entries) {
      auto active = SeedOf(entry, store);
      if (!active.ok()) return active.status();
      out.push_back(std::move(*active));
    }
    return out;
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string("experiments seed file: ") + e.what());
  }
}

}  // namespace switchyard::server
