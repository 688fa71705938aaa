// `switchyard stats compare|srm`: the server's statistics calculator from the command line, for
// numbers gathered elsewhere.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

void AddStatsCommands(CLI::App& app);

// "sum=12.5,sum_squares=80,n=10" -> {"sum":12.5,"sum_squares":80,"n":10}. Names are passed on as
// given (the server refuses unknown ones); every value must be a number. InvalidArgument naming
// `option` otherwise.
Result<nlohmann::json> ParseNumberFields(std::string_view spec, const std::string& option);

// "1000,1200" -> [1000, 1200]; InvalidArgument naming `option` for a value that is not a number.
Result<nlohmann::json> ParseNumberList(std::string_view spec, const std::string& option);

// The human form of a compare answer: one "label  value" line each (percentages for a relative
// difference).
std::string RenderComparison(const nlohmann::json& comparison);

}  // namespace switchyard::cli
