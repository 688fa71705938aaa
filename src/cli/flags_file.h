// The flags-as-code file: what `flags export` writes and `flags apply` reads.
//
//   # switchyard flags-as-code
//   project: default
//   flags:
//     - key: new-checkout
//       name: New checkout
//       tags: [checkout]
//       active: true
//       filters: {...}        # PostHog's filters shape, as the API returns it
//
// Only definition fields are written (see DefinitionFields()), in a fixed order, so exports diff
// cleanly in version control; server-managed fields (version, timestamps) are left out.
//
// Reading is strict: a key the file or a flag does not know (a typo such as `rolout_percentage`)
// is refused with the file, the flag, the field and the closest known name, before anything is
// sent, since the server would otherwise be asked to apply a definition that means something else.
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

// InvalidArgument (naming `origin` and the field) for malformed YAML, a wrong shape, or a flag
// that is not a valid definition (CheckFlagDefinition).
Result<FlagsFile> ParseFlagsFile(std::string_view text, const std::string& origin);

// Ok when `flag` is a definition the server would accept on its own (the same parser: unknown
// fields, types, values); otherwise "<origin>: flag '<key>': <problem>" with the field under
// `field_prefix` (e.g. "flags[2]").
Status CheckFlagDefinition(const nlohmann::json& flag, const std::string& origin,
                           const std::string& field_prefix);

}  // namespace switchyard::cli
