// FlagSet::Build's work: per-flag validation, cross-flag checks (prerequisites and cohorts that
// exist, no prerequisite cycles) and compilation into the form the evaluator walks.
#pragma once

#include <memory>
#include <vector>

#include "core/compiled_flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

Result<std::unique_ptr<FlagSet::Impl>> CompileFlagSet(std::vector<Flag> flags, std::vector<Cohort> cohorts);

}  // namespace switchyard::core
