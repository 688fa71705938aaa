// Compilation of flags, cohorts and whole snapshots. Errors carry the canonical field path of the
// offending filter and a message that names the flag, since Build sees many flags at once.
#include "core/flag_compiler.h"

#include <algorithm>

#include "core/flag_linker.h"
#include "core/flag_set_checks.h"
#include "core/json_fields.h"
#include "core/regex_options.h"
#include "core/text.h"

namespace switchyard::core {
namespace {

CompiledValue CompileValue(const nlohmann::json& value) {
  CompiledValue out;
  out.text = Stringify(value);
  out.lower = AsciiLower(out.text);
  out.number = NumberOf(value);
  return out;
}

void CompilePersonFilter(const PropertyFilter& filter, CompiledFilter* out) {
  if (filter.value.is_array()) {
    for (const auto& element : filter.value) out->values.push_back(CompileValue(element));
  } else if (!filter.value.is_null()) {
    out->values.push_back(CompileValue(filter.value));
  }
  for (const CompiledValue& value : out->values)
    out->any_number = out->any_number || value.number.has_value();
  const std::string text = filter.value.is_string() ? filter.value.get<std::string>() : std::string();
  switch (filter.op) {
    case Operator::kRegex:
    case Operator::kNotRegex: {
      auto regex = std::make_unique<RE2>(text, RegexOptions());
      if (regex->ok()) out->regex = std::move(regex);  // invalid: both operators stay false
      break;
    }
    case Operator::kIsDateBefore:
    case Operator::kIsDateAfter: out->date = DateTarget::Parse(text); break;
    case Operator::kSemverTilde: out->range = TildeRange(text); break;
    case Operator::kSemverCaret: out->range = CaretRange(text); break;
    case Operator::kSemverWildcard: out->range = WildcardRange(text); break;
    case Operator::kSemverEq:
    case Operator::kSemverNeq:
    case Operator::kSemverGt:
    case Operator::kSemverGte:
    case Operator::kSemverLt:
    case Operator::kSemverLte: out->version = ParseSemver(text); break;
    default: break;
  }
}

void CompileGroups(const std::vector<ConditionGroup>& groups, const Flag* flag,
                   std::vector<CompiledGroup>* out) {
  out->resize(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    CompiledGroup& compiled = (*out)[i];
    compiled.rollout = groups[i].rollout_percentage;
    compiled.filters.resize(groups[i].properties.size());
    for (std::size_t j = 0; j < groups[i].properties.size(); ++j) {
      const PropertyFilter& filter = groups[i].properties[j];
      compiled.filters[j].source = &filter;
      if (filter.type == FilterType::kPerson) CompilePersonFilter(filter, &compiled.filters[j]);
    }
    if (flag == nullptr || !groups[i].variant) continue;
    for (std::size_t v = 0; v < flag->variants.size(); ++v) {
      if (flag->variants[v].key == *groups[i].variant) compiled.variant = v;
    }
  }
}

std::size_t DistinctPropertyNames(const std::vector<ConditionGroup>& groups) {
  std::vector<std::string_view> names;
  for (const ConditionGroup& group : groups) {
    for (const PropertyFilter& filter : group.properties) {
      if (filter.type == FilterType::kPerson) names.push_back(filter.key);
    }
  }
  std::sort(names.begin(), names.end());
  return static_cast<std::size_t>(std::unique(names.begin(), names.end()) - names.begin());
}

const nlohmann::json* PayloadOf(const Flag& flag, const std::string& key) {
  const auto it = flag.payloads.find(key);
  return it == flag.payloads.end() ? nullptr : &it->second;
}

}  // namespace

CompiledFilter CompilePropertyFilter(const PropertyFilter& filter) {
  CompiledFilter out;
  out.source = &filter;
  CompilePersonFilter(filter, &out);
  return out;
}

std::shared_ptr<CompiledFlag> CompileFlag(std::shared_ptr<const Flag> flag) {
  auto out = std::make_shared<CompiledFlag>();
  out->definition = std::move(flag);
  const Flag& definition = *out->definition;
  out->flag = &definition;
  CompileGroups(definition.groups, &definition, &out->groups);
  // Cumulative sums in declaration order, exactly as PostHog adds them, so that boundaries agree.
  double max = 0;
  for (const Variant& variant : definition.variants) {
    max += variant.rollout_percentage / 100.0;
    out->variant_max.push_back(max);
    out->variant_payloads.push_back(PayloadOf(definition, variant.key));
  }
  out->true_payload = PayloadOf(definition, "true");
  for (const ConditionGroup& group : definition.groups) {
    for (const PropertyFilter& filter : group.properties) {
      out->names_flags = out->names_flags || filter.type == FilterType::kFlag;
      out->names_cohorts = out->names_cohorts || filter.type == FilterType::kCohort;
    }
  }
  out->property_names = DistinctPropertyNames(definition.groups);
  return out;
}

std::shared_ptr<CompiledCohort> CompileCohort(std::shared_ptr<const Cohort> cohort) {
  auto out = std::make_shared<CompiledCohort>();
  out->definition = std::move(cohort);
  CompileGroups(out->definition->groups, nullptr, &out->groups);
  out->property_names = DistinctPropertyNames(out->definition->groups);
  return out;
}

Status LinkFresh(FlagSet::Impl* set, const std::vector<CompiledFlag*>& flags,
                 const std::vector<CompiledCohort*>& cohorts, std::size_t max_prerequisite_depth) {
  SlotAssigner slots(std::make_shared<const PropertySlots>());
  set->live_property_names = 0;
  for (CompiledCohort* cohort : cohorts) {
    LinkCohort(&slots, cohort);
    set->live_property_names += cohort->property_names;
  }
  for (CompiledFlag* flag : flags) {
    if (Status s = LinkFlag(*set, &slots, flag); !s.ok()) return s;
    set->live_property_names += flag->property_names;
  }
  set->slots = slots.table();
  set->property_slots = set->slots->size();
  return CheckPrerequisites(*set, max_prerequisite_depth);
}

Status RelinkAll(FlagSet::Impl* set, std::size_t max_prerequisite_depth) {
  std::vector<CompiledFlag*> flags;
  for (auto& flag : set->compiled) {
    auto copy = std::make_shared<CompiledFlag>(*flag);
    flags.push_back(copy.get());
    flag = std::move(copy);
  }
  std::vector<CompiledCohort*> cohorts;
  for (auto& cohort : set->compiled_cohorts) {
    auto copy = std::make_shared<CompiledCohort>(*cohort);
    cohorts.push_back(copy.get());
    cohort = std::move(copy);
  }
  return LinkFresh(set, flags, cohorts, max_prerequisite_depth);
}

Result<std::unique_ptr<FlagSet::Impl>> CompileFlagSet(std::vector<Flag> flags, std::vector<Cohort> cohorts,
                                                      std::size_t max_prerequisite_depth) {
  if (Status s = SortAndValidate(&flags, &cohorts); !s.ok()) return s;
  auto set = std::make_unique<FlagSet::Impl>();
  std::vector<CompiledCohort*> fresh_cohorts;
  for (Cohort& cohort : cohorts) {
    auto compiled = CompileCohort(std::make_shared<const Cohort>(std::move(cohort)));
    fresh_cohorts.push_back(compiled.get());
    set->compiled_cohorts.push_back(std::move(compiled));
  }
  std::vector<CompiledFlag*> fresh_flags;
  for (Flag& flag : flags) {
    auto compiled = CompileFlag(std::make_shared<const Flag>(std::move(flag)));
    fresh_flags.push_back(compiled.get());
    set->compiled.push_back(std::move(compiled));
  }
  if (Status s = LinkFresh(set.get(), fresh_flags, fresh_cohorts, max_prerequisite_depth); !s.ok()) return s;
  return set;
}

}  // namespace switchyard::core
