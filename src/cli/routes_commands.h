// `switchyard routes create|list|get|shadow`: the gateway's routes (flag or experiment ->
// variant -> model reference). `create` takes --file (JSON or YAML) and/or options.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddRoutesCommands(CLI::App& app);

}  // namespace switchyard::cli
