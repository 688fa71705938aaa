// Flags-as-code plans as the CLI shows them. The server plans an apply (POST .../flags/apply) and
// answers each change with the flag before and after; this file turns that answer into the lines
// a reviewer reads: "+ create KEY", "~ update KEY" with one line per changed field, "- delete KEY".
//
// Design: flags are compared on their definition fields only (key, name, description, tags,
// bucketing_property, and the targeting: active/filters, or per environment under
// "environments"), after normalisation, so server-managed fields (version, timestamps, author)
// never show up as changes. A change made alike in every environment is said once.
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
  std::vector<FieldChange> fields;    // update only
  std::size_t environment_count = 0;  // update: how many environments the flag has (0: one, scoped)
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

// The plan in a flags/apply answer ({"changes": [{"action","key","before","after"}], "unchanged"}).
// Internal when the answer does not have that shape.
Result<FlagPlan> PlanFromAnswer(const nlohmann::json& answer);

// "+ create KEY", "~ update KEY" with "  field: old -> new" lines ("(in staging)" after a change
// made in some environments only), "- delete KEY", then the summary "N to create, N to update, N to delete, N
// unchanged".
std::string RenderPlan(const FlagPlan& plan);

}  // namespace switchyard::cli
