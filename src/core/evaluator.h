// One evaluation call over a FlagSet snapshot: holds what may be shared between the flags of that
// call (results of flags already computed, property lookups) and nothing else. Not thread-safe;
// create one per call (FlagSet does), on the stack.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/compiled_flag.h"
#include "core/property_match.h"
#include "switchyard/evaluation.h"

namespace switchyard::core {

class Evaluator {
 public:
  Evaluator(const FlagSet::Impl& set, const EvaluationContext& context);

  // The result for flag `index`; prerequisites it needs are computed once and remembered.
  FlagResult Evaluate(std::size_t index);
  // Every flag, in index (= key) order, each computed once.
  std::vector<FlagResult> EvaluateAll();
  // Remember property lookups across flags: worth it when several flags are evaluated.
  void CacheProperties();

 private:
  // Why the groups of one flag (or cohort) could not be decided: the first of each kind.
  // Pointers only, so that tracing costs nothing until a reason is actually written.
  struct Trace {
    const std::string* missing = nullptr;    // name of a property the user lacks
    const CompiledFilter* failed = nullptr;  // a prerequisite filter that could not be decided

    void Merge(const Trace& other) {
      if (missing == nullptr) missing = other.missing;
      if (failed == nullptr) failed = other.failed;
    }
  };
  // One property lookup, remembered for the rest of an EvaluateAll call.
  struct PropertySlot {
    const nlohmann::json* value = nullptr;
    bool known = false;
  };

  // position_ of a flag whose prerequisites are being computed.
  static constexpr std::uint32_t kOnPath = static_cast<std::uint32_t>(-1);

  FlagResult Compute(std::size_t index);
  std::size_t Remember(std::size_t root);
  std::size_t Store(std::size_t index);  // computes and remembers; returns its place in memo_
  bool Remembered(std::size_t index) const;
  Match MatchGroup(const CompiledGroup& group, Trace* trace);
  Match MatchFilter(const CompiledFilter& filter, Trace* trace);
  Match MatchCohort(const CompiledFilter& filter, Trace* trace);
  Match MatchPrerequisite(const CompiledFilter& filter, Trace* trace);
  const nlohmann::json* Property(const std::string& name) const;
  const nlohmann::json* Property(const CompiledFilter& filter);
  std::string FailureDetail(const CompiledFilter& failed) const;
  bool BucketingId(const Flag& flag, std::string* scratch, std::string_view* id) const;
  void Unmatched(std::optional<int> out_of_rollout, const Trace& trace, FlagResult* result);
  void Matched(const CompiledFlag& flag, const CompiledGroup& group, std::string_view id, FlagResult* result);

  const FlagSet::Impl& set_;
  const EvaluationContext& context_;
  // What property filters read: the user's properties, or while a group flag is computed its
  // group's (then the per-call property cache is bypassed: its slots hold the user's).
  const nlohmann::json* properties_source_;
  bool in_group_flag_ = false;
  // Flags computed in this call, in computation order; position_[flag] = 1 + its place in
  // memo_, 0 = not yet, kOnPath = being computed. Sized on first use: a flag without
  // prerequisites needs neither.
  std::vector<FlagResult> memo_;
  std::vector<std::uint32_t> position_;
  std::vector<PropertySlot> properties_;  // empty = no caching
  // Remember's walk: flags whose prerequisites are being computed, and the next edge of each.
  struct Frame {
    std::size_t flag;
    std::size_t next = 0;
  };
  std::vector<Frame> path_;
};

}  // namespace switchyard::core
