// Deriving a snapshot. The changed flag or cohort is validated and compiled alone; the others are
// shared with the base snapshot. Indices are positions in key order, so they move only when a key
// is added or removed: then the flags that name other flags (or cohorts) get a re-linked copy.
// A replaced flag keeps its index, so the flags that name it stay valid as they are.
#include "core/flag_set_change.h"

#include <algorithm>

#include "core/flag_compiler.h"
#include "core/flag_linker.h"
#include "core/flag_set_checks.h"
#include "core/flag_validation.h"
#include "core/json_fields.h"

namespace switchyard::core {
namespace {

// Stale slots (names no flag uses any more) only cost the evaluator's per-call cache; renumber
// when they outgrow the live ones, so that churn cannot grow that cache without bound.
bool SlotsNeedRenumbering(const FlagSet::Impl& set) {
  constexpr std::size_t kSlack = 64;
  return set.property_slots > 2 * set.live_property_names + kSlack;
}

template <typename Unit, typename KeyOf>
typename std::vector<std::shared_ptr<const Unit>>::iterator Position(
    std::vector<std::shared_ptr<const Unit>>& units, std::string_view key, KeyOf key_of) {
  return std::lower_bound(
      units.begin(), units.end(), key,
      [&](const std::shared_ptr<const Unit>& unit, std::string_view k) { return key_of(*unit) < k; });
}

const std::string& FlagKey(const CompiledFlag& flag) {
  return flag.flag->key;
}

const std::string& CohortId(const CompiledCohort& cohort) {
  return cohort.definition->id;
}

// Puts `unit` at its key's place (replacing an existing one); true when indices moved. Keeps the
// live name count in step.
template <typename Unit, typename KeyOf>
bool Upsert(std::vector<std::shared_ptr<const Unit>>& units, std::shared_ptr<const Unit> unit, KeyOf key_of,
            std::size_t* live_names) {
  *live_names += unit->property_names;
  const auto it = Position(units, key_of(*unit), key_of);
  if (it != units.end() && key_of(**it) == key_of(*unit)) {
    *live_names -= (*it)->property_names;
    *it = std::move(unit);
    return false;
  }
  units.insert(it, std::move(unit));
  return true;
}

template <typename Unit, typename KeyOf>
bool Remove(std::vector<std::shared_ptr<const Unit>>& units, std::string_view key, KeyOf key_of,
            std::size_t* live_names) {
  const auto it = Position(units, key, key_of);
  if (it == units.end() || key_of(**it) != key) return false;
  *live_names -= (*it)->property_names;
  units.erase(it);
  return true;
}

class Derivation {
 public:
  explicit Derivation(const FlagSet::Impl& base)
      : set_(std::make_unique<FlagSet::Impl>(base)), slots_(base.slots) {}

  Result<std::unique_ptr<FlagSet::Impl>> Apply(const FlagSet::Change& change) {
    if (Status s = ApplyCohorts(change); !s.ok()) return s;
    if (Status s = ApplyFlags(change); !s.ok()) return s;
    if (Status s = Relink(); !s.ok()) return s;
    set_->slots = slots_.table();
    set_->property_slots = set_->slots->size();
    if (SlotsNeedRenumbering(*set_)) {
      if (Status s = RelinkAll(set_.get(), kMaxPrerequisiteDepth); !s.ok()) return s;
    } else if (Status s = CheckPrerequisites(*set_, kMaxPrerequisiteDepth); !s.ok()) {
      return s;
    }
    return std::move(set_);
  }

 private:
  Status ApplyCohorts(const FlagSet::Change& change) {
    if (change.removed_cohort) {
      cohorts_moved_ =
          Remove(set_->compiled_cohorts, *change.removed_cohort, CohortId, &set_->live_property_names);
    }
    if (!change.upsert_cohort) return Status::Ok();
    const Cohort& cohort = *change.upsert_cohort;
    if (Status s = ValidateCohort(cohort); !s.ok()) return InContext("cohort", cohort.id, s);
    auto compiled = CompileCohort(std::make_shared<const Cohort>(cohort));
    LinkCohort(&slots_, compiled.get());
    cohorts_moved_ = Upsert<CompiledCohort>(set_->compiled_cohorts, std::move(compiled), CohortId,
                                            &set_->live_property_names) ||
                     cohorts_moved_;
    return Status::Ok();
  }

  Status ApplyFlags(const FlagSet::Change& change) {
    if (change.removed_flag) {
      flags_moved_ = Remove(set_->compiled, *change.removed_flag, FlagKey, &set_->live_property_names);
    }
    if (!change.upsert_flag) return Status::Ok();
    const Flag& flag = *change.upsert_flag;
    if (Status s = ValidateFlag(flag); !s.ok()) return InContext("flag", flag.key, s);
    auto compiled = CompileFlag(std::make_shared<const Flag>(flag));
    changed_ = compiled.get();
    flags_moved_ =
        Upsert<CompiledFlag>(set_->compiled, std::move(compiled), FlagKey, &set_->live_property_names) ||
        flags_moved_;
    return Status::Ok();
  }

  // Links the changed flag, and copies of the flags whose references moved.
  Status Relink() {
    for (auto& unit : set_->compiled) {
      if (unit.get() == changed_) {
        if (Status s = LinkFlag(*set_, &slots_, changed_); !s.ok()) return s;
        continue;
      }
      if (!(flags_moved_ && unit->names_flags) && !(cohorts_moved_ && unit->names_cohorts)) continue;
      auto copy = std::make_shared<CompiledFlag>(*unit);
      if (Status s = LinkFlag(*set_, &slots_, copy.get()); !s.ok()) return s;
      unit = std::move(copy);
    }
    return Status::Ok();
  }

  std::unique_ptr<FlagSet::Impl> set_;
  SlotAssigner slots_;
  CompiledFlag* changed_ = nullptr;  // the compiled upsert, still ours to link
  bool flags_moved_ = false;
  bool cohorts_moved_ = false;
};

}  // namespace

Result<std::unique_ptr<FlagSet::Impl>> ApplyChange(const FlagSet::Impl& base, const FlagSet::Change& change) {
  return Derivation(base).Apply(change);
}

}  // namespace switchyard::core
