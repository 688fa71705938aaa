// `switchyard audit`: who changed what, newest first, one page at a time (`--before`).
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_options.h"

namespace switchyard::cli {

void AddAuditCommand(CLI::App& app);

// AT, ACTOR, ACTION, ENTITY ("type key"), VERSION (after.version, if any) and CHANGES (what the
// entry changed, in words: DescribeAuditChanges joined by "; ") for the entries.
std::string RenderAuditTable(const nlohmann::json& entries);

// The command that shows the next page: "switchyard audit --before N" plus the --flag, --limit
// and --project the current page was read with.
std::string NextAuditPage(const GlobalOptions& global, const std::string& flag, int limit,
                          std::int64_t next_before);

}  // namespace switchyard::cli
