// Human-readable views of flags for the CLI: the `flags list` table and the `flags get` page.
//
// These work on the server's JSON rather than on switchyard::Flag so that the CLI shows what the
// server sent even when it carries fields this client does not know yet.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchyard::cli {

// "50%", "12.5%": integral percentages without a decimal point.
std::string FormatPercent(double percent);

// A value for a table cell: strings bare, null as "", anything else as compact JSON.
std::string CellText(const nlohmann::json& value);

// "boolean" or "multivariate".
std::string FlagType(const nlohmann::json& flag);

// "50%" for one group, "N groups" otherwise, "100%" for one group without a percentage.
std::string RolloutSummary(const nlohmann::json& flag);

// KEY, ACTIVE, TYPE, ROLLOUT, VERSION, TAGS, NAME for each flag of the array.
std::string RenderFlagsTable(const nlohmann::json& flags);

// "key: value" lines (with "environment: ENV" for a flag read for one environment), then, for a
// flag that carries "environments", a table of each one's active and rollout, then "filters:"
// and the filters as indented JSON.
std::string RenderFlagDetails(const nlohmann::json& flag);

}  // namespace switchyard::cli
