// Linking: resolving what a compiled flag or cohort refers to within one snapshot (prerequisite
// flag and cohort indices, property slots). Kept apart from compilation so that a derived
// snapshot can re-link the flags whose indices moved without recompiling them.
#pragma once

#include <memory>

#include "core/compiled_flag.h"
#include "switchyard/status.h"

namespace switchyard::core {

// Numbers property names for one snapshot; copies the base table only when a name is new, so
// that snapshots that add no property names share one table.
class SlotAssigner {
 public:
  explicit SlotAssigner(std::shared_ptr<const PropertySlots> base) : table_(std::move(base)) {}

  std::size_t SlotOf(const std::string& name);
  std::shared_ptr<const PropertySlots> table() const { return table_; }

 private:
  std::shared_ptr<const PropertySlots> table_;
  std::shared_ptr<PropertySlots> own_;  // table_ once copied
};

// Fills in `flag`'s indices, prerequisite edges and property slots against `set`'s keys and ids;
// refuses a prerequisite or cohort that does not exist (InvalidArgument naming the flag and field).
Status LinkFlag(const FlagSet::Impl& set, SlotAssigner* slots, CompiledFlag* flag);
void LinkCohort(SlotAssigner* slots, CompiledCohort* cohort);

}  // namespace switchyard::core
