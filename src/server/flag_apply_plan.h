// The plan of a bulk flag apply (flags as code): what making a project's flags match a whole file
// would create, update and delete, or every reason it cannot.
//
// Each flag is read exactly as a POST/PUT of it would be (flag_body.h), on top of the stored record
// (so a file scoped to one environment keeps the others), then made canonical the way the store
// keeps it: defaults are filled in before comparing, so a hand-written file that leaves them out
// plans no change once applied. The plan is checked as a whole against the state it would leave:
// prerequisites and cohorts must exist there (a prerequisite created by the same file counts), and
// every environment must still compile (no cycles, bounded depth). Problems are collected rather
// than stopping at the first, so one dry run lists everything a real apply would refuse.
//
// Order: creates first, a flag after the flags it uses as prerequisites, then updates, then
// deletes, each group by key. The store applies the plan in that order in one transaction.
//
// Pure: no I/O; the caller passes the stored state.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/flag_body.h"
#include "store/store.h"

namespace switchyard::server {

// The most flags one apply takes: a file is reviewed by people, and each flag is compiled once
// per environment in the plan's check.
inline constexpr std::size_t kMaxFlagsPerApply = 2000;

struct ApplyProblem {
  std::optional<std::size_t> index;  // the file's flag it is about; none for a flag not in the file
  std::string key;                   // that flag's key, when known
  Status status;                     // its field is the path in the request ("flags[2].filters...")
};

struct PlannedChange {
  store::FlagWrite write;
  std::optional<store::FlagRecord> before;  // update, delete
  std::optional<store::FlagRecord> after;   // create, update: as it will be stored (but its version)
};

struct ApplyPlan {
  std::vector<PlannedChange> changes;  // in apply order
  std::vector<std::string> unchanged;  // by key
  std::vector<ApplyProblem> problems;  // by index, then the plan-wide ones

  bool ok() const { return problems.empty(); }
};

struct ApplyRequest {
  nlohmann::json flags = nlohmann::json::array();  // the file's flags, as POST bodies
  bool prune = false;  // also delete stored flags the file leaves out (archived ones excepted)
};

ApplyPlan PlanFlagApply(const ApplyRequest& request, const FlagScope& scope,
                        const std::vector<store::FlagRecord>& current, const std::vector<Cohort>& cohorts);

}  // namespace switchyard::server
