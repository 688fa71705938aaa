// `switchyard import posthog FILE`: moves flags from PostHog (posthog_import.h) through the bulk
// apply endpoint, all or nothing, with --dry-run showing the plan.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddImportCommands(CLI::App& app);

}  // namespace switchyard::cli
