// FlagEdits: the changes `flags create` and `flags update` make to a flag's JSON.
//
// Both commands share one path: create starts from NewFlag(key) (or a --file definition), update
// from the flag as read from the server, and both apply the command-line edits on top. Working on
// JSON keeps any fields this client does not model intact across an update.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

struct FlagEdits {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> tags;  // replaces all tags
  std::optional<double> rollout;                 // every group's rollout_percentage
  std::vector<std::string> variants;             // "KEY=PCT"; non-empty makes the flag multivariate
  std::vector<std::string> payloads;             // "VARIANT=JSON" ("true=JSON", or bare JSON, when boolean)
  std::optional<bool> active;

  bool empty() const {
    return !name && !description && !tags && !rollout && variants.empty() && payloads.empty() && !active;
  }
};

// A boolean flag with one group (no properties, no rollout percentage: everyone) and no payload.
nlohmann::json NewFlag(const std::string& key);

// A percentage as JSON: 50 rather than 50.0 when integral, so files and diffs stay tidy.
nlohmann::json PercentJson(double percent);

// {"key","name","rollout_percentage"} from "KEY=PCT"; InvalidArgument naming the problem.
Result<nlohmann::json> ParseVariant(std::string_view spec);

// One --payload: "VARIANT=JSON" names the variant (or "true" on a boolean flag) whose payload
// JSON is; text that is JSON on its own (it starts with '{', '[' or '"', or has no '=') is the
// boolean flag's payload, with an empty variant. InvalidArgument naming --payload when the JSON
// does not parse.
struct PayloadEdit {
  std::string variant;  // empty: the boolean flag's "true"
  nlohmann::json value;
};
Result<PayloadEdit> ParsePayload(std::string_view spec);

// Applies `edits` to `flag`. InvalidArgument (with the option as field) for malformed values,
// e.g. a --payload that is not JSON or names no variant of the flag (after --variant). A payload
// of null removes that variant's payload.
Status ApplyEdits(const FlagEdits& edits, nlohmann::json* flag);

// The flag definition for `key` from a --file document: a single flag object (whose key must be
// `key` or absent, then filled in) or a flags-as-code document {"flags":[...]} holding `key`.
Result<nlohmann::json> SelectFlagDefinition(nlohmann::json document, const std::string& key);

// `flag` without the fields the server manages (version, timestamps, author).
nlohmann::json WithoutServerFields(nlohmann::json flag);

}  // namespace switchyard::cli
