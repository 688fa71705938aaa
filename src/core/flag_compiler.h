// Compilation: one flag or cohort on its own (flag_linker.h then resolves what it refers to), and
// a whole snapshot from scratch (FlagSet::Build): per-flag validation, compilation, linking and
// the cross-flag checks (prerequisites and cohorts that exist, no cycles, bounded depth).
#pragma once

#include <memory>
#include <vector>

#include "core/compiled_flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

// `flag` / `cohort` must be valid on its own (ValidateFlag / ValidateCohort); not yet linked.
std::shared_ptr<CompiledFlag> CompileFlag(std::shared_ptr<const Flag> flag);
std::shared_ptr<CompiledCohort> CompileCohort(std::shared_ptr<const Cohort> cohort);

// One person-type filter on its own (event filters of metric definitions), matched with
// MatchPersonFilter. `filter` must outlive the result (it is its `source`).
CompiledFilter CompilePropertyFilter(const PropertyFilter& filter);

// `max_prerequisite_depth` is a parameter only so that tests can build the deep snapshots that
// writes refuse, to show that evaluation survives them anyway.
Result<std::unique_ptr<FlagSet::Impl>> CompileFlagSet(
    std::vector<Flag> flags, std::vector<Cohort> cohorts,
    std::size_t max_prerequisite_depth = kMaxPrerequisiteDepth);

// Links `flags` and `cohorts` (non-const handles on every element of set->compiled and
// set->compiled_cohorts, in the same order) with a fresh property table, then runs the
// cross-flag checks (flag_set_checks.h).
Status LinkFresh(FlagSet::Impl* set, const std::vector<CompiledFlag*>& flags,
                 const std::vector<CompiledCohort*>& cohorts, std::size_t max_prerequisite_depth);
// LinkFresh on copies of every flag and cohort of `set` (sharing their definitions and regexes):
// renumbers the property slots without recompiling anything.
Status RelinkAll(FlagSet::Impl* set, std::size_t max_prerequisite_depth);

}  // namespace switchyard::core
