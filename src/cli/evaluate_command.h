// `switchyard evaluate`: ask the server which flags a user gets, and why.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

void AddEvaluateCommand(CLI::App& app);

// A --prop value: a JSON number, true, false or null when it is exactly one of those, otherwise
// the text as a string (so "007" and "1.2.3" stay strings, and "[1]" is not an array).
nlohmann::json ParsePropValue(std::string_view text);

// "key=value" -> {key, ParsePropValue(value)}; InvalidArgument without '=' or with an empty key.
Result<std::pair<std::string, nlohmann::json>> ParseProp(std::string_view spec);

// KEY, VALUE, REASON, GROUP, PAYLOAD for the response's "flags" object.
std::string RenderEvaluationTable(const nlohmann::json& flags);

}  // namespace switchyard::cli
