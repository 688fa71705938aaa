// FlagSet: an immutable, pre-compiled snapshot of one project's flags and cohorts, and the pure
// evaluation functions over it.
//
// Thread-safety: a FlagSet is never modified after Build(); any number of threads may evaluate
// against the same snapshot concurrently. Writers build a new FlagSet and publish it (the server
// swaps a std::shared_ptr<const FlagSet>), so readers never block and never see a half-update.
//
// Determinism: for the same snapshot, context (including `now`) and key the result is always the
// same; bucketing is PostHog's SHA-1 scheme, so assignments match PostHog's SDKs exactly.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/evaluation.h"
#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard {

class FlagSet {
 public:
  // Compiles regexes, dates and versions once. Fails (InvalidArgument, with the field path) on a
  // flag that FlagFromJson would refuse, a prerequisite naming a missing flag, a cohort filter
  // naming a missing cohort, or a prerequisite cycle.
  static Result<std::shared_ptr<const FlagSet>> Build(std::vector<Flag> flags,
                                                      std::vector<Cohort> cohorts = {});
  static std::shared_ptr<const FlagSet> Empty();

  // One write to a project's definitions (any combination; removals of absent keys do nothing).
  struct Change {
    std::optional<Flag> upsert_flag = std::nullopt;
    std::optional<std::string> removed_flag = std::nullopt;
    std::optional<Cohort> upsert_cohort = std::nullopt;
    std::optional<std::string> removed_cohort = std::nullopt;
  };
  // This snapshot with `change` applied: the same checks and errors as Build on the whole
  // result, but only the changed flag or cohort is compiled. Every other flag is shared with
  // this snapshot; when keys come or go, the flags that name others are re-linked (indices
  // updated, nothing recompiled). This snapshot is left untouched.
  Result<std::shared_ptr<const FlagSet>> With(const Change& change) const;

  ~FlagSet();
  FlagSet(const FlagSet&) = delete;
  FlagSet& operator=(const FlagSet&) = delete;

  // Evaluates one flag; an unknown key gives reason kFlagNotFound.
  FlagResult Evaluate(std::string_view key, const EvaluationContext& context) const;

  // Evaluates every flag, in key order; prerequisites are computed once per call.
  std::vector<FlagResult> EvaluateAll(const EvaluationContext& context) const;

  // Evaluates the named flags (unknown keys give kFlagNotFound), in the order given.
  std::vector<FlagResult> EvaluateSome(const std::vector<std::string>& keys,
                                       const EvaluationContext& context) const;

  // Flags sorted by key, cohorts by id; index < size() / cohort_count().
  const Flag& flag(std::size_t index) const;
  const Cohort& cohort(std::size_t index) const;
  const Flag* Find(std::string_view key) const;
  std::size_t size() const;
  std::size_t cohort_count() const;

  struct Impl;

 private:
  explicit FlagSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// PostHog's bucketing hash: int(first 15 hex digits of SHA1("{key}.{id}{salt}"), 16) / 0xFFFFFFFFFFFFFFF.
double BucketHash(std::string_view flag_key, std::string_view bucketing_id, std::string_view salt = {});

}  // namespace switchyard
