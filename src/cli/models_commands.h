// `switchyard models register|list|get|transition|alias|rollback|history`: the project's model
// registry. `register` takes a version as a file (JSON or YAML, the body docs/API.md "Models"
// describes) and/or options, which win over the file's fields.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddModelsCommands(CLI::App& app);

}  // namespace switchyard::cli
