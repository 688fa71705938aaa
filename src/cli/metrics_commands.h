// `switchyard metrics list|get|create|delete`: a project's metric definitions for experiments
// (its own and the built-in model-traffic ones). `create --file` takes a definition in JSON or
// YAML, in the form docs/API.md ("Metrics") describes.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddMetricsCommands(CLI::App& app);

}  // namespace switchyard::cli
