// `switchyard version` and `switchyard --version`: which build this binary is.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace switchyard::cli {

// "switchyard 0.1.0": the --version text and the `version` command's output.
std::string VersionLine();

// Adds --version to `app` and the `version` command (which also answers --json).
void AddVersionCommand(CLI::App& app);

}  // namespace switchyard::cli
