// `switchyard events list|tail`: the project's stored events. `list` shows one page, newest
// first, with the API's filters; `tail` prints the latest few and then follows new ones by
// polling with the list's head cursor (nothing skipped or repeated between polls) until Ctrl-C
// (or --count events), as text lines or, with --json, NDJSON.
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddEventsCommands(CLI::App& app);

}  // namespace switchyard::cli
