// Compilation of a snapshot. Errors carry the canonical field path of the offending filter and a
// message that names the flag, since Build sees many flags at once.
#include "core/flag_compiler.h"

#include <algorithm>
#include <map>

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

std::size_t CohortIndex(const std::vector<Cohort>& cohorts, std::string_view id) {
  const auto it = std::lower_bound(cohorts.begin(), cohorts.end(), id,
                                   [](const Cohort& c, std::string_view v) { return c.id < v; });
  return it != cohorts.end() && it->id == id ? static_cast<std::size_t>(it - cohorts.begin()) : kNoIndex;
}

Status CompileFilter(const PropertyFilter& filter, const FlagSet::Impl& set, const std::string& path,
                     CompiledFilter* out) {
  out->source = &filter;
  switch (filter.type) {
    case FilterType::kFlag:
      out->ref = set.IndexOf(filter.key);
      if (out->ref != kNoIndex) return Status::Ok();
      return Invalid(FieldPath(path, "key"),
                     "names prerequisite flag \"" + filter.key + "\", which does not exist");
    case FilterType::kCohort:
      out->ref = CohortIndex(set.cohorts, filter.key);
      if (out->ref != kNoIndex) return Status::Ok();
      return Invalid(FieldPath(path, "key"), "names cohort \"" + filter.key + "\", which does not exist");
    case FilterType::kPerson: CompilePersonFilter(filter, out); return Status::Ok();
  }
  return Status::Ok();
}

Status CompileGroups(const std::vector<ConditionGroup>& groups, const Flag* flag, const FlagSet::Impl& set,
                     std::vector<CompiledGroup>* out) {
  out->resize(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    CompiledGroup& compiled = (*out)[i];
    compiled.rollout = groups[i].rollout_percentage;
    compiled.filters.resize(groups[i].properties.size());
    for (std::size_t j = 0; j < groups[i].properties.size(); ++j) {
      const std::string path = FilterPath("filters.groups", i, j);
      if (Status s = CompileFilter(groups[i].properties[j], set, path, &compiled.filters[j]); !s.ok())
        return s;
    }
    if (flag == nullptr || !groups[i].variant) continue;
    for (std::size_t v = 0; v < flag->variants.size(); ++v) {
      if (flag->variants[v].key == *groups[i].variant) compiled.variant = v;
    }
  }
  return Status::Ok();
}

const nlohmann::json* PayloadOf(const Flag& flag, const std::string& key) {
  const auto it = flag.payloads.find(key);
  return it == flag.payloads.end() ? nullptr : &it->second;
}

Status CompileFlag(const Flag& flag, const FlagSet::Impl& set, CompiledFlag* out) {
  out->flag = &flag;
  if (Status s = CompileGroups(flag.groups, &flag, set, &out->groups); !s.ok())
    return InContext("flag", flag.key, s);
  // Cumulative sums in declaration order, exactly as PostHog adds them, so that boundaries agree.
  double max = 0;
  for (const Variant& variant : flag.variants) {
    max += variant.rollout_percentage / 100.0;
    out->variant_max.push_back(max);
    out->variant_payloads.push_back(PayloadOf(flag, variant.key));
  }
  out->true_payload = PayloadOf(flag, "true");
  return Status::Ok();
}

// Numbers every distinct person property name, so that one EvaluateAll call looks each property
// up once however many flags test it.
void AssignPropertySlots(FlagSet::Impl* set) {
  std::map<std::string_view, std::size_t> slots;
  auto assign = [&slots](std::vector<CompiledGroup>& groups) {
    for (CompiledGroup& group : groups) {
      for (CompiledFilter& filter : group.filters) {
        if (filter.source->type != FilterType::kPerson) continue;
        filter.property_slot = slots.emplace(filter.source->key, slots.size()).first->second;
      }
    }
  };
  for (CompiledFlag& flag : set->compiled) assign(flag.groups);
  for (CompiledCohort& cohort : set->compiled_cohorts) assign(cohort.groups);
  set->property_slots = slots.size();
}

}  // namespace

Result<std::unique_ptr<FlagSet::Impl>> CompileFlagSet(std::vector<Flag> flags, std::vector<Cohort> cohorts) {
  if (Status s = SortAndValidate(&flags, &cohorts); !s.ok()) return s;
  auto set = std::make_unique<FlagSet::Impl>();
  set->flags = std::move(flags);
  set->cohorts = std::move(cohorts);
  set->compiled_cohorts.resize(set->cohorts.size());
  for (std::size_t i = 0; i < set->cohorts.size(); ++i) {
    const Cohort& cohort = set->cohorts[i];
    Status s = CompileGroups(cohort.groups, nullptr, *set, &set->compiled_cohorts[i].groups);
    if (!s.ok()) return InContext("cohort", cohort.id, s);
  }
  set->compiled.resize(set->flags.size());
  for (std::size_t i = 0; i < set->flags.size(); ++i) {
    if (Status s = CompileFlag(set->flags[i], *set, &set->compiled[i]); !s.ok()) return s;
  }
  if (Status s = CheckPrerequisiteCycles(*set); !s.ok()) return s;
  AssignPropertySlots(set.get());
  return set;
}

}  // namespace switchyard::core
