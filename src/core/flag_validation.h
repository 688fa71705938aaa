// Semantic validation of one flag or cohort on its own (no cross-flag checks: see flag_set.h).
// Shared by FlagFromJson and FlagSet::Build so that both refuse exactly the same definitions.
// Errors are InvalidArgument with the canonical JSON path of the field, e.g.
// "filters.groups[1].properties[0].operator".
#pragma once

#include <string>

#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

Status ValidateFlag(const Flag& flag);
// Only what lives under `filters` (groups, variants, payloads).
Status ValidateFilters(const Flag& flag);
Status ValidateCohort(const Cohort& cohort);
Status ValidateFilter(const PropertyFilter& filter, const std::string& path, bool in_cohort);

}  // namespace switchyard::core
