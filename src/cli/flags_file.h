// The flags-as-code file: what `flags export` writes and `flags apply` reads.
//
//   # switchyard flags-as-code
//   project: default
//   flags:
//     - key: new-checkout
//       name: New checkout
//       tags: [checkout]
//       environments:           # each environment's targeting, as the API returns it
//         staging: {active: true, filters: {...}}
//         production: {active: false, filters: {...}}
//
// Only definition fields are written (see DefinitionFields()), in a fixed order, so exports diff
// cleanly in version control; server-managed fields (version, timestamps) are left out. An export
// scoped to one environment (--env) writes that environment's `active` and `filters` instead of
// `environments`; so may a hand-written file, whose targeting then applies to every environment
// (or to the one --env names).
//
// The file is checked here for its shape only (YAML, `project`, a `flags` list, no unknown
// top-level key); each flag is checked by the server, which reads it exactly as a flag write and
// reports every problem of the file at once (see `flags apply`).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

struct FlagsFile {
  std::string project;  // empty when the file names none
  nlohmann::json flags = nlohmann::json::array();
};

std::string RenderFlagsFile(const std::string& project, const nlohmann::json& flags);

// InvalidArgument (naming `origin` and the field) for malformed YAML or a wrong shape.
Result<FlagsFile> ParseFlagsFile(std::string_view text, const std::string& origin);

// Ok when `flag` is a definition the server would accept on its own (the same parser: unknown
// fields, types, values); otherwise "<origin>: flag '<key>': <problem>" with the field under
// `field_prefix` (e.g. "flags[2]").
Status CheckFlagDefinition(const nlohmann::json& flag, const std::string& origin,
                           const std::string& field_prefix);

}  // namespace switchyard::cli
