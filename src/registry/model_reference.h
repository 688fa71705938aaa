// Names in the registry and references to model versions.
//
// A reference is `name@alias` or `name@version`; `name` alone means `name@latest`. Versions are
// strict MAJOR.MINOR.PATCH (digits only), so "1.0" and "1.0.0" can never be two versions of one
// model, and an alias (which starts with a letter) is never mistaken for a version.
#pragma once

#include <string>
#include <string_view>

#include "core/semver.h"
#include "switchyard/status.h"

namespace switchyard::registry {

inline constexpr char kLatestAlias[] = "latest";

// [a-z0-9][a-z0-9._-]{0,63}; InvalidArgument on `field`.
Status ValidateModelName(std::string_view name, const std::string& field = "name");
// MAJOR.MINOR.PATCH, each part digits without a leading zero (0 itself is fine), at most 9
// digits; InvalidArgument on `field`.
Status ValidateModelVersionString(std::string_view version, const std::string& field = "version");
// [a-z][a-z0-9-]{0,63}; InvalidArgument on `field`.
Status ValidateAliasName(std::string_view alias, const std::string& field = "alias");
// The version's order (ValidateModelVersionString must have accepted it).
core::Semver VersionOrder(std::string_view version);

struct ModelReference {
  std::string name;
  std::string version;  // set for name@version
  std::string alias;    // set for name@alias (latest when the reference names only the model)

  std::string ToString() const { return name + "@" + (version.empty() ? alias : version); }
};

// InvalidArgument on `field` naming what is wrong with `text`.
Result<ModelReference> ParseModelReference(std::string_view text, const std::string& field = "model");

}  // namespace switchyard::registry
