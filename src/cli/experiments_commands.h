// `switchyard experiments create|list|get|start|pause|stop|ship`: the experiment routes from the
// command line. `create` builds the body from options (or a JSON/YAML file, which options
// override); the server checks it (the CLI sends what it was given).
#pragma once

#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

void AddExperimentsCommands(CLI::App& app);

// "control:50,treatment:50" -> [{"key":"control","split":50},{"key":"treatment","split":50}];
// InvalidArgument naming --variants for a part that is not KEY:NUMBER.
Result<nlohmann::json> ParseVariantSplits(std::string_view spec);

// The human form of one experiment (`experiments get`).
std::string RenderExperiment(const nlohmann::json& experiment);

}  // namespace switchyard::cli
