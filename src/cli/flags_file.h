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

}  // namespace switchyard::cli
