// Generic YAML <-> JSON conversion for flags-as-code files and `--file` flag definitions.
//
// YAML scalars are untyped text, so the conversion decides types with the YAML 1.2 core schema,
// and only for *plain* scalars: `123` is a number, `"123"` (quoted) or `!!str 123` is a string,
// `true`/`false` are booleans (but `yes`/`no` stay strings), `~`/`null`/empty are null.
// Emitting does the reverse: any string that would read back as something else is quoted, and
// numbers are written as nlohmann::json prints them, so a round trip preserves types and values.
#pragma once

#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

// Parses a YAML document (JSON is valid YAML) into JSON. InvalidArgument with the line number on
// syntax errors, duplicate keys, non-scalar keys, or values JSON cannot hold (.inf, .nan).
Result<nlohmann::json> ParseYaml(std::string_view text);
Result<nlohmann::json> YamlToJson(const YAML::Node& node);

// The JSON value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema.
nlohmann::json PlainScalarToJson(std::string_view text);

// Writes `value` into `out` as block-style YAML (short all-scalar lists in flow style: [a, b]).
void EmitJson(YAML::Emitter& out, const nlohmann::json& value);
std::string JsonToYaml(const nlohmann::json& value);

}  // namespace switchyard::cli
