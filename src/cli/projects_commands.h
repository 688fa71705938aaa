// `switchyard projects list|create` and `switchyard keys list|create|revoke`.
//
// A new project's or key's plaintext secret is printed exactly once, on creation, because the
// server cannot show it again; it is the only place the CLI ever prints a key. A project key is
// bound to one environment (`keys create --env ENV`, default production), which it evaluates.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddProjectsCommands(CLI::App& app);
void AddKeysCommands(CLI::App& app);

}  // namespace switchyard::cli
