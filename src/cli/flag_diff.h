// Flags-as-code planning: what `flags apply` would change to make the server match a file.
//
// Design: flags are compared on their definition fields only (key, name, description, tags,
// active, filters, bucketing_property), after normalisation, so server-managed fields (version,
// timestamps, author) and fields a newer server adds never show up as changes. Normalisation
// treats a member that is null, {} or [] as absent, "" as absent for name/description, and a
// missing `active` as true -- the server's defaults -- so a hand-written file that omits
// defaults is unchanged against the server's canonical form. Numbers compare by value (50 ==
// 50.0). The plan orders creates, updates, deletes, each by key, which is also the apply order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

enum class ChangeKind { kCreate, kUpdate, kDelete };

struct FieldChange {
  std::string path;                      // e.g. "filters.groups[0].rollout_percentage"
  std::optional<nlohmann::json> before;  // nullopt: absent
  std::optional<nlohmann::json> after;
};

struct FlagChange {
  ChangeKind kind = ChangeKind::kCreate;
  std::string key;
  nlohmann::json desired;           // the file's flag (create/update); null for delete
  std::int64_t base_version = 0;    // the server's version (update/delete)
  std::vector<FieldChange> fields;  // update only
};

struct FlagPlan {
  std::vector<FlagChange> changes;
  int unchanged = 0;

  int Count(ChangeKind kind) const;
};

// The fields that define a flag (what export writes and apply compares), in file order.
const std::vector<std::string>& DefinitionFields();

// The definition fields of `flag`, normalised for comparison.
nlohmann::json ComparableFlag(const nlohmann::json& flag);

// Field-level differences between two normalised flags, in path order.
std::vector<FieldChange> DiffFlags(const nlohmann::json& before, const nlohmann::json& after);

// Plans the changes from `current` (the server's flags) to `desired` (the file's), both arrays.
// Deletes are planned only with `prune`. InvalidArgument for a file flag without a string key or
// for duplicate keys (field "flags[i].key").
Result<FlagPlan> PlanApply(const nlohmann::json& desired, const nlohmann::json& current, bool prune);

// "+ create KEY", "~ update KEY" with "  field: old -> new" lines, "- delete KEY", then the
// summary "N to create, N to update, N to delete, N unchanged".
std::string RenderPlan(const FlagPlan& plan);

}  // namespace switchyard::cli
