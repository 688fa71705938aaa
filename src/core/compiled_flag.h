// The pre-compiled form of flags and cohorts that the evaluator walks. Everything that can be
// worked out without a user is worked out once, when the flag is compiled: lower-cased and
// numeric forms of filter values, regexes, dates, version ranges, variant ranges and payload
// pointers. What depends on the rest of the snapshot (prerequisite and cohort indices, property
// slots) is filled in by linking (flag_linker.h).
//
// Each compiled flag and cohort is its own immutable object behind a shared_ptr, so that a
// snapshot derived from another (FlagSet::With) shares every flag the change does not touch and
// compiles only the changed one. Shared freely across threads.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "core/date_value.h"
#include "core/semver.h"
#include "switchyard/flag.h"
#include "switchyard/flag_set.h"

namespace switchyard::core {

inline constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);

// The longest chain of prerequisites below a flag (a -> b counts 1). Deeper chains are refused
// when a snapshot is built: they are never needed, and each level costs evaluation work.
inline constexpr std::size_t kMaxPrerequisiteDepth = 32;

// One element of a filter's value (a list value gives several).
struct CompiledValue {
  std::string text;              // stringified, as the SDKs print it
  std::string lower;             // ASCII-lower-cased `text`
  std::optional<double> number;  // when `text` is fully numeric
};

struct CompiledFilter {
  const PropertyFilter* source = nullptr;  // key, type, operator
  std::vector<CompiledValue> values;
  bool any_number = false;           // some element of `values` is numeric
  std::shared_ptr<const RE2> regex;  // regex / not_regex; null when the pattern is invalid
  std::optional<DateTarget> date;    // is_date_before / is_date_after
  std::optional<Semver> version;     // semver_eq .. semver_lte
  std::optional<SemverRange> range;  // semver_tilde / caret / wildcard
  std::size_t ref = kNoIndex;        // linked: prerequisite flag index or cohort index
  std::size_t property_slot = 0;     // linked: person filters' per-call lookup cache slot
};

struct CompiledGroup {
  std::vector<CompiledFilter> filters;
  std::optional<double> rollout;   // as given (percent); nullopt = everyone
  std::size_t variant = kNoIndex;  // override, when it names a real variant
};

// One distinct prerequisite of a flag and the first filter that names it (for error paths).
struct PrerequisiteEdge {
  std::size_t flag = kNoIndex;  // linked index
  std::size_t group = 0;
  std::size_t filter = 0;
};

struct CompiledFlag {
  // Shared with re-linked copies of this flag: `flag`, filters' `source` and the payload
  // pointers point into it, so copies stay valid without recompiling anything.
  std::shared_ptr<const Flag> definition;
  const Flag* flag = nullptr;  // definition.get()
  std::vector<CompiledGroup> groups;
  std::vector<double> variant_max;  // cumulative upper bounds; variant i covers [max[i-1], max[i])
  std::vector<const nlohmann::json*> variant_payloads;
  const nlohmann::json* true_payload = nullptr;
  std::vector<PrerequisiteEdge> prerequisites;  // linked, in filter order
  bool names_flags = false;                     // has prerequisite filters
  bool names_cohorts = false;                   // has cohort filters
  std::size_t property_names = 0;               // distinct person property names in its filters
};

struct CompiledCohort {
  std::shared_ptr<const Cohort> definition;
  std::vector<CompiledGroup> groups;
  std::size_t property_names = 0;
};

// Person property name -> slot in the evaluator's per-call lookup cache. Derived snapshots only
// append to it; a full build numbers the names afresh.
using PropertySlots = std::map<std::string, std::size_t, std::less<>>;

}  // namespace switchyard::core

namespace switchyard {

// Defined here rather than in flag_set.cc so that the evaluator and the compiler can share it.
struct FlagSet::Impl {
  std::vector<std::shared_ptr<const core::CompiledFlag>> compiled;            // sorted by key
  std::vector<std::shared_ptr<const core::CompiledCohort>> compiled_cohorts;  // sorted by id
  std::shared_ptr<const core::PropertySlots> slots;                           // never null
  std::size_t property_slots = 0;                                             // slots->size()
  std::size_t live_property_names = 0;  // sum of each flag's and cohort's distinct names

  std::size_t IndexOf(std::string_view key) const;
  std::size_t CohortIndexOf(std::string_view id) const;
};

}  // namespace switchyard
