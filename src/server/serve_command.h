// The `switchyard serve` subcommand: configuration (YAML file < SWITCHYARD_* environment <
// command-line flags), validation, and running the server until SIGTERM/SIGINT.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::server {

// Registers `serve` on `app`. Its callback runs the server and exits the process with its status.
void AddServeCommand(CLI::App& app);

}  // namespace switchyard::server
