// FlagSet::With's work: a snapshot derived from another by one change, compiling only what
// changed (see flag_set.h for the contract).
#pragma once

#include <memory>

#include "core/compiled_flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

Result<std::unique_ptr<FlagSet::Impl>> ApplyChange(const FlagSet::Impl& base, const FlagSet::Change& change);

}  // namespace switchyard::core
