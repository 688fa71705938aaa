// `switchyard envs list|create`: a project's environments (development, staging, production to
// begin with). Flags share their definition across environments; active and targeting are per
// environment, and so are project keys (`keys create --env ENV`).
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddEnvsCommands(CLI::App& app);

}  // namespace switchyard::cli
