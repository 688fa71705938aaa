// One evaluation call over a FlagSet snapshot: holds what may be shared between the flags of that
// call (prerequisite results, the digest context) and nothing else. Not thread-safe; create one
// per call (FlagSet does), on the stack.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bucket_hash.h"
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

 private:
  // Why the groups of one flag (or cohort) could not be decided: the first of each kind.
  struct Trace {
    const std::string* missing = nullptr;  // name of a property the user lacks
    std::string error;                     // a prerequisite's failure, empty if none
  };

  FlagResult Compute(std::size_t index);
  const FlagResult& PrerequisiteResult(std::size_t index);
  Match MatchGroup(const CompiledGroup& group, Trace* trace);
  Match MatchFilter(const CompiledFilter& filter, Trace* trace);
  Match MatchCohort(const CompiledFilter& filter, Trace* trace);
  Match MatchPrerequisite(const CompiledFilter& filter, Trace* trace);
  const nlohmann::json* Property(const std::string& name) const;
  bool BucketingId(const Flag& flag, std::string* scratch, std::string_view* id) const;
  bool InRollout(const std::string& key, const CompiledGroup& group, std::string_view id);
  void Unmatched(std::optional<int> out_of_rollout, Trace trace, FlagResult* result);
  void Matched(const CompiledFlag& flag, const CompiledGroup& group, std::string_view id, FlagResult* result);
  std::size_t HashedVariant(const CompiledFlag& flag, std::string_view id);

  const FlagSet::Impl& set_;
  const EvaluationContext& context_;
  BucketHasher hasher_;
  std::vector<std::optional<FlagResult>> memo_;  // sized on first use: most calls never need it
};

}  // namespace switchyard::core
