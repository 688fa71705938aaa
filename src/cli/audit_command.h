// `switchyard audit`: who changed what, newest first.
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace switchyard::cli {

void AddAuditCommand(CLI::App& app);

// AT, ACTOR, ACTION, ENTITY ("type key"), VERSION (after.version, if any) for the entries.
std::string RenderAuditTable(const nlohmann::json& entries);

}  // namespace switchyard::cli
