// Whole-snapshot checks used by FlagSet::Build and FlagSet::With (see flag_compiler.h).
#pragma once

#include <vector>

#include "core/compiled_flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

// Validates every flag and cohort on its own, sorts flags by key and cohorts by id, and refuses
// duplicate keys or ids.
Status SortAndValidate(std::vector<Flag>* flags, std::vector<Cohort>* cohorts);

// After linking: refuses a prerequisite cycle, naming it ("a -> b -> a"), and a flag with a chain
// of more than `max_depth` prerequisites below it, naming the chain. Both name the filter's field.
Status CheckPrerequisites(const FlagSet::Impl& set, std::size_t max_depth);

}  // namespace switchyard::core
