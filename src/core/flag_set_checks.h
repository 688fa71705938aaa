// Whole-snapshot checks used by FlagSet::Build (see flag_compiler.h).
#pragma once

#include <vector>

#include "core/compiled_flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

// Validates every flag and cohort on its own, sorts flags by key and cohorts by id, and refuses
// duplicate keys or ids.
Status SortAndValidate(std::vector<Flag>* flags, std::vector<Cohort>* cohorts);

// After compilation (prerequisites resolved): refuses a cycle, naming it ("a -> b -> a").
Status CheckPrerequisiteCycles(const FlagSet::Impl& set);

}  // namespace switchyard::core
