// The flag algorithm. Decided semantics (PostHog-compatible where PostHog decides):
//
//  * Inactive flag -> disabled (reason kDisabled), before anything else.
//  * Bucketing id: distinct_id, or the flag's bucketing_property (strings as is, numbers and
//    booleans printed like JSON). An absent, null or empty bucketing property -> disabled with
//    kMissingProperty naming it.
//  * Groups are OR'd in order and the first match wins; filters in a group are AND'd. A group
//    with no filters matches everyone. No groups -> kNoConditionMatch.
//  * Rollout: h(key, id, "") <= pct/100 lets the user in; no percentage lets everyone in; 0 %
//    lets nobody in, even a user hashing to exactly 0. A group whose filters match but whose
//    rollout excludes the user does not end the search (PostHog continues to later groups).
//  * On a match: kConditionMatch with the group's index; the variant is the group's override if
//    it names a real variant, else the hashed one (h(key, id, "variant") over cumulative
//    [min, max) ranges, the last variant if float rounding leaves the hash outside all ranges);
//    the payload is payloads["true"] or payloads[variant].
//  * No match -> kOutOfRollout (first such group's index) if any group matched but excluded the
//    user; else kMissingProperty if a filter could not be decided for lack of a property; else
//    kError if a prerequisite failed; else kNoConditionMatch.
//  * In a group, a definite non-match beats an undecided filter: {plan = pro, country missing}
//    for a "free" user is a plain non-match, not a missing property. An undecided group is
//    reported only if no later group matches.
//  * Cohort filters (in / not_in) match when any cohort group matches (rollouts ignored); a
//    missing property inside propagates like in a flag.
//  * Prerequisites (flag_evaluates_to true / false / "variant") evaluate the other flag with the
//    same context, once per call. An inactive prerequisite is false; a prerequisite whose result
//    is kError makes the filter an error; otherwise its enabled/variant is used as is (a
//    prerequisite off for a missing property counts as off).
//
// The rest of the decided semantics lives beside its code: operators, missing properties and the
// numeric-vs-lexicographic rule for gt/gte/lt/lte in property_match.h; how values are printed
// (strings as is, integers without ".0", floats shortest round-trip, true/false, else JSON) in
// text.h; dates in date_value.h; versions in semver.h; the hash in bucket_hash.h.
#include "core/evaluator.h"

#include <algorithm>

#include "core/bucket_hash.h"
#include "core/text.h"

namespace switchyard::core {
namespace {

constexpr std::string_view kVariantSalt = "variant";

std::string MissingDetail(std::string_view what, const std::string& name) {
  std::string detail(what);
  detail += " \"";
  detail += name;
  detail += "\" is missing";
  return detail;
}

bool InRollout(const std::string& key, const CompiledGroup& group, std::string_view id) {
  if (!group.rollout) return true;
  if (*group.rollout <= 0) return false;  // 0 % is nobody, even a user hashing to exactly 0
  return PostHogHash(key, id, {}) <= *group.rollout / 100.0;
}

std::size_t HashedVariant(const CompiledFlag& flag, std::string_view id) {
  const double h = PostHogHash(flag.flag->key, id, kVariantSalt);
  double min = 0;
  for (std::size_t i = 0; i < flag.variant_max.size(); ++i) {
    if (h >= min && h < flag.variant_max[i]) return i;
    min = flag.variant_max[i];
  }
  return flag.variant_max.size() - 1;
}

}  // namespace

Evaluator::Evaluator(const FlagSet::Impl& set, const EvaluationContext& context)
    : set_(set), context_(context), properties_source_(&context.properties) {}

FlagResult Evaluator::Evaluate(std::size_t index) {
  if (!position_.empty() && position_[index] != 0) return memo_[position_[index] - 1];
  if (set_.compiled[index]->prerequisites.empty()) return Compute(index);
  return memo_[Remember(index)];
}

std::vector<FlagResult> Evaluator::EvaluateAll() {
  const std::size_t count = set_.compiled.size();
  memo_.reserve(count);
  CacheProperties();
  bool in_order = true;  // no prerequisite was computed ahead of its turn
  for (std::size_t i = 0; i < count; ++i) in_order = Remember(i) == i && in_order;
  if (in_order) return std::move(memo_);
  std::vector<FlagResult> results;
  results.reserve(count);
  for (std::size_t i = 0; i < count; ++i) results.push_back(std::move(memo_[position_[i] - 1]));
  return results;
}

void Evaluator::CacheProperties() {
  properties_.resize(set_.property_slots);
}

// Computes `root` after every prerequisite below it, walking the prerequisite graph with an
// explicit stack: a chain as deep as an input can make it costs heap, never the call stack. Build
// refuses cycles; in a snapshot that had one anyway, the flag that closes it sees its
// prerequisite unfinished (kOnPath) and reports an error instead of looping.
std::size_t Evaluator::Remember(std::size_t root) {
  if (position_.empty()) position_.assign(set_.compiled.size(), 0);
  if (position_[root] != 0) return position_[root] - 1;
  // Most flags have no prerequisites, or only ones already computed: no walk, no allocation.
  const std::vector<PrerequisiteEdge>& root_edges = set_.compiled[root]->prerequisites;
  if (std::all_of(root_edges.begin(), root_edges.end(),
                  [this](const PrerequisiteEdge& edge) { return position_[edge.flag] != 0; })) {
    return Store(root);
  }
  path_.push_back({root});
  position_[root] = kOnPath;
  while (!path_.empty()) {
    const std::size_t flag = path_.back().flag;
    const std::vector<PrerequisiteEdge>& edges = set_.compiled[flag]->prerequisites;
    if (path_.back().next < edges.size()) {
      const std::size_t prerequisite = edges[path_.back().next++].flag;
      if (position_[prerequisite] == 0) {
        position_[prerequisite] = kOnPath;
        path_.push_back({prerequisite});
      }
      continue;
    }
    path_.pop_back();
    Store(flag);  // its prerequisites are all remembered by now
  }
  return position_[root] - 1;
}

std::size_t Evaluator::Store(std::size_t index) {
  FlagResult result = Compute(index);
  memo_.push_back(std::move(result));
  position_[index] = static_cast<std::uint32_t>(memo_.size());
  return memo_.size() - 1;
}

bool Evaluator::Remembered(std::size_t index) const {
  return !position_.empty() && position_[index] != 0 && position_[index] != kOnPath;
}

const nlohmann::json* Evaluator::Property(const CompiledFilter& filter) {
  if (properties_.empty() || in_group_flag_) return Property(filter.source->key);
  PropertySlot& slot = properties_[filter.property_slot];
  if (!slot.known) {
    slot.value = Property(filter.source->key);
    slot.known = true;
  }
  return slot.value;
}

const nlohmann::json* Evaluator::Property(const std::string& name) const {
  const nlohmann::json& properties = *properties_source_;
  if (!properties.is_object()) return nullptr;
  const auto it = properties.find(name);
  if (it == properties.end() || it->is_null()) return nullptr;
  return &*it;
}

bool Evaluator::BucketingId(const Flag& flag, std::string* scratch, std::string_view* id) const {
  if (!flag.bucketing_property) {
    *id = context_.distinct_id;
    return true;
  }
  const nlohmann::json* value = Property(*flag.bucketing_property);
  if (value == nullptr) return false;
  if (value->is_string()) {
    *id = value->get_ref<const std::string&>();
  } else {
    AppendStringified(*value, scratch);
    *id = *scratch;
  }
  return !id->empty();
}

FlagResult Evaluator::Compute(std::size_t index) {
  const CompiledFlag& compiled = *set_.compiled[index];
  const Flag& flag = *compiled.flag;
  FlagResult result;
  result.key = flag.key;
  result.version = flag.version;
  if (!flag.active) {
    result.reason = Reason::kDisabled;
    return result;
  }
  std::string scratch;
  std::string_view id;
  // A group flag evaluates for the request's group of its type: its key buckets, its properties
  // match. Prerequisites computed meanwhile switch back to the user (and restore this on return).
  const nlohmann::json* saved_source = properties_source_;
  const bool saved_in_group = in_group_flag_;
  struct Restore {
    Evaluator* self;
    const nlohmann::json* source;
    bool in_group;
    ~Restore() {
      self->properties_source_ = source;
      self->in_group_flag_ = in_group;
    }
  } restore{this, saved_source, saved_in_group};
  if (flag.aggregation_group_type_index) {
    auto group = context_.groups.find(*flag.aggregation_group_type_index);
    if (group == context_.groups.end() || group->second.key.empty()) {
      result.reason = Reason::kMissingProperty;
      result.detail = "a group flag (group type index " + std::to_string(*flag.aggregation_group_type_index) +
                      ") needs the request's group of that type in `groups`";
      return result;
    }
    properties_source_ = &group->second.properties;
    in_group_flag_ = true;
    id = group->second.key;
  } else {
    properties_source_ = &context_.properties;
    in_group_flag_ = false;
  }
  if (!flag.aggregation_group_type_index && !BucketingId(flag, &scratch, &id)) {
    result.reason = Reason::kMissingProperty;
    result.detail = MissingDetail("bucketing property", *flag.bucketing_property);
    return result;
  }
  Trace trace;
  std::optional<int> out_of_rollout;
  for (std::size_t i = 0; i < compiled.groups.size(); ++i) {
    const CompiledGroup& group = compiled.groups[i];
    if (MatchGroup(group, &trace) != Match::kMatch) continue;
    if (!InRollout(flag.key, group, id)) {
      if (!out_of_rollout) out_of_rollout = static_cast<int>(i);
      continue;
    }
    result.condition_index = static_cast<int>(i);
    Matched(compiled, group, id, &result);
    return result;
  }
  Unmatched(out_of_rollout, trace, &result);
  return result;
}

std::string Evaluator::FailureDetail(const CompiledFilter& failed) const {
  std::string detail = "prerequisite flag \"" + failed.source->key + "\"";
  if (failed.ref == kNoIndex) return detail + " does not exist";
  if (!Remembered(failed.ref)) return detail + " is part of a prerequisite cycle";
  return detail + " failed: " + memo_[position_[failed.ref] - 1].detail;
}

void Evaluator::Unmatched(std::optional<int> out_of_rollout, const Trace& trace, FlagResult* result) {
  if (out_of_rollout) {
    result->reason = Reason::kOutOfRollout;
    result->condition_index = out_of_rollout;
  } else if (trace.missing != nullptr) {
    result->reason = Reason::kMissingProperty;
    result->detail = MissingDetail("property", *trace.missing);
  } else if (trace.failed != nullptr) {
    result->reason = Reason::kError;
    result->detail = FailureDetail(*trace.failed);
  } else {
    result->reason = Reason::kNoConditionMatch;
  }
}

void Evaluator::Matched(const CompiledFlag& flag, const CompiledGroup& group, std::string_view id,
                        FlagResult* result) {
  result->enabled = true;
  result->reason = Reason::kConditionMatch;
  if (flag.variant_max.empty()) {
    if (flag.true_payload != nullptr) result->payload = *flag.true_payload;
    return;
  }
  const std::size_t variant = group.variant != kNoIndex ? group.variant : HashedVariant(flag, id);
  result->variant = flag.flag->variants[variant].key;
  if (flag.variant_payloads[variant] != nullptr) result->payload = *flag.variant_payloads[variant];
}

Match Evaluator::MatchGroup(const CompiledGroup& group, Trace* trace) {
  Trace local;
  for (const CompiledFilter& filter : group.filters) {
    if (MatchFilter(filter, &local) == Match::kNoMatch) return Match::kNoMatch;
  }
  if (local.missing == nullptr && local.failed == nullptr) return Match::kMatch;
  trace->Merge(local);
  return local.missing != nullptr ? Match::kMissing : Match::kError;
}

Match Evaluator::MatchFilter(const CompiledFilter& filter, Trace* trace) {
  switch (filter.source->type) {
    case FilterType::kCohort: return MatchCohort(filter, trace);
    case FilterType::kFlag: return MatchPrerequisite(filter, trace);
    case FilterType::kPerson: break;
  }
  const Match match = MatchPersonFilter(filter, Property(filter), context_.now);
  if (match == Match::kMissing && trace->missing == nullptr) trace->missing = &filter.source->key;
  return match;
}

Match Evaluator::MatchCohort(const CompiledFilter& filter, Trace* trace) {
  const Cohort& cohort = *set_.compiled_cohorts[filter.ref]->definition;
  if (cohort.is_static) {
    const bool listed =
        std::binary_search(cohort.members.begin(), cohort.members.end(), context_.distinct_id);
    return listed == (filter.source->op == Operator::kIn) ? Match::kMatch : Match::kNoMatch;
  }
  Match in = Match::kNoMatch;
  Trace cohort_trace;
  for (const CompiledGroup& group : set_.compiled_cohorts[filter.ref]->groups) {
    const Match match = MatchGroup(group, &cohort_trace);
    if (match == Match::kMatch) {
      in = Match::kMatch;
      break;
    }
    if (match != Match::kNoMatch) in = match;
  }
  if (in == Match::kMissing || in == Match::kError) {
    trace->Merge(cohort_trace);
    return in;
  }
  const bool member = in == Match::kMatch;
  return member == (filter.source->op == Operator::kIn) ? Match::kMatch : Match::kNoMatch;
}

Match Evaluator::MatchPrerequisite(const CompiledFilter& filter, Trace* trace) {
  // Remember computed every prerequisite first. Build refuses unknown prerequisites and cycles;
  // the checks keep a damaged snapshot from crashing.
  if (filter.ref == kNoIndex || !Remembered(filter.ref) ||
      memo_[position_[filter.ref] - 1].reason == Reason::kError) {
    if (trace->failed == nullptr) trace->failed = &filter;
    return Match::kError;
  }
  const FlagResult& other = memo_[position_[filter.ref] - 1];
  const nlohmann::json& expected = filter.source->value;
  bool match = false;
  if (expected.is_boolean()) {
    match = other.enabled == expected.get<bool>();
  } else if (expected.is_string()) {
    match = other.enabled && other.variant == expected.get_ref<const std::string&>();
  }
  return match ? Match::kMatch : Match::kNoMatch;
}

}  // namespace switchyard::core
