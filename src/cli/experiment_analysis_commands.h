// The analysis side of `switchyard experiments` (the lead joins it with create/list/get/...,
// registered elsewhere, under one `experiments` command):
//   results KEY [--json]          GET .../experiments/KEY/results as a table (or the JSON)
//   report KEY --out FILE.html    the same results as a self-contained HTML page
//   plan --baseline B --mde M ... POST /api/v1/stats/sample-size: units and days needed
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace switchyard::cli {

void RegisterExperimentAnalysisCommands(CLI::App& experiments);

// The human form of a sample-size answer (one "label  value" line each).
std::string RenderPlan(const nlohmann::json& plan);

}  // namespace switchyard::cli
