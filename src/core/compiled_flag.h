// The pre-compiled form of flags and cohorts that the evaluator walks. Everything that can be
// worked out without a user is worked out once at FlagSet::Build: lower-cased and numeric forms
// of filter values, regexes, dates, version ranges, prerequisite and cohort indices, variant
// ranges and payload pointers. Immutable after Build, so it is shared freely across threads.
#pragma once

#include <cstddef>
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
  std::unique_ptr<RE2> regex;        // regex / not_regex; null when the pattern is invalid
  std::optional<DateTarget> date;    // is_date_before / is_date_after
  std::optional<Semver> version;     // semver_eq .. semver_lte
  std::optional<SemverRange> range;  // semver_tilde / caret / wildcard
  std::size_t ref = kNoIndex;        // prerequisite flag index or cohort index
  std::size_t property_slot = 0;     // person filters: the property's per-call lookup cache slot
};

struct CompiledGroup {
  std::vector<CompiledFilter> filters;
  std::optional<double> rollout;   // as given (percent); nullopt = everyone
  std::size_t variant = kNoIndex;  // override, when it names a real variant
};

struct CompiledFlag {
  const Flag* flag = nullptr;
  std::vector<CompiledGroup> groups;
  std::vector<double> variant_max;  // cumulative upper bounds; variant i covers [max[i-1], max[i])
  std::vector<const nlohmann::json*> variant_payloads;
  const nlohmann::json* true_payload = nullptr;
};

struct CompiledCohort {
  std::vector<CompiledGroup> groups;
};

}  // namespace switchyard::core

namespace switchyard {

// Defined here rather than in flag_set.cc so that the evaluator and the compiler can share it.
struct FlagSet::Impl {
  std::vector<Flag> flags;  // sorted by key; never resized after Build (compiled parts point in)
  std::vector<Cohort> cohorts;
  std::vector<core::CompiledFlag> compiled;
  std::vector<core::CompiledCohort> compiled_cohorts;
  std::size_t property_slots = 0;  // distinct person property names in all filters

  std::size_t IndexOf(std::string_view key) const;
};

}  // namespace switchyard
