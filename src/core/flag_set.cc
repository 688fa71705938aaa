// FlagSet: the snapshot's public face. Build compiles (flag_compiler.cc); every Evaluate* call
// runs on a fresh core::Evaluator on the stack, so calls share nothing mutable and any number
// of threads may evaluate one snapshot at once. Semantics: see evaluator.cc.
#include "switchyard/flag_set.h"

#include <algorithm>

#include "core/compiled_flag.h"
#include "core/evaluator.h"
#include "core/flag_compiler.h"
#include "core/flag_set_change.h"

namespace switchyard {
namespace {

FlagResult NotFound(std::string_view key) {
  FlagResult result;
  result.key = std::string(key);
  result.reason = Reason::kFlagNotFound;
  result.detail = "no flag with key \"" + result.key + "\"";
  return result;
}

}  // namespace

std::size_t FlagSet::Impl::IndexOf(std::string_view key) const {
  const auto it = std::lower_bound(compiled.begin(), compiled.end(), key,
                                   [](const auto& flag, std::string_view k) { return flag->flag->key < k; });
  return it != compiled.end() && (*it)->flag->key == key ? static_cast<std::size_t>(it - compiled.begin())
                                                         : core::kNoIndex;
}

std::size_t FlagSet::Impl::CohortIndexOf(std::string_view id) const {
  const auto it =
      std::lower_bound(compiled_cohorts.begin(), compiled_cohorts.end(), id,
                       [](const auto& cohort, std::string_view k) { return cohort->definition->id < k; });
  return it != compiled_cohorts.end() && (*it)->definition->id == id
             ? static_cast<std::size_t>(it - compiled_cohorts.begin())
             : core::kNoIndex;
}

Result<std::shared_ptr<const FlagSet>> FlagSet::Build(std::vector<Flag> flags, std::vector<Cohort> cohorts) {
  Result<std::unique_ptr<Impl>> impl = core::CompileFlagSet(std::move(flags), std::move(cohorts));
  if (!impl.ok()) return impl.status();
  return std::shared_ptr<const FlagSet>(new FlagSet(std::move(impl).value()));
}

Result<std::shared_ptr<const FlagSet>> FlagSet::With(const Change& change) const {
  Result<std::unique_ptr<Impl>> impl = core::ApplyChange(*impl_, change);
  if (!impl.ok()) return impl.status();
  return std::shared_ptr<const FlagSet>(new FlagSet(std::move(impl).value()));
}

std::shared_ptr<const FlagSet> FlagSet::Empty() {
  return Build({}, {}).value();
}

FlagSet::FlagSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

FlagSet::~FlagSet() = default;

FlagResult FlagSet::Evaluate(std::string_view key, const EvaluationContext& context) const {
  const std::size_t index = impl_->IndexOf(key);
  if (index == core::kNoIndex) return NotFound(key);
  return core::Evaluator(*impl_, context).Evaluate(index);
}

std::vector<FlagResult> FlagSet::EvaluateAll(const EvaluationContext& context) const {
  return core::Evaluator(*impl_, context).EvaluateAll();
}

std::vector<FlagResult> FlagSet::EvaluateSome(const std::vector<std::string>& keys,
                                              const EvaluationContext& context) const {
  core::Evaluator evaluator(*impl_, context);
  if (keys.size() > 1) evaluator.CacheProperties();
  std::vector<FlagResult> results;
  results.reserve(keys.size());
  for (const std::string& key : keys) {
    const std::size_t index = impl_->IndexOf(key);
    results.push_back(index == core::kNoIndex ? NotFound(key) : evaluator.Evaluate(index));
  }
  return results;
}

const Flag& FlagSet::flag(std::size_t index) const {
  return *impl_->compiled[index]->flag;
}

const Cohort& FlagSet::cohort(std::size_t index) const {
  return *impl_->compiled_cohorts[index]->definition;
}

const Flag* FlagSet::Find(std::string_view key) const {
  const std::size_t index = impl_->IndexOf(key);
  return index == core::kNoIndex ? nullptr : impl_->compiled[index]->flag;
}

std::size_t FlagSet::size() const {
  return impl_->compiled.size();
}

std::size_t FlagSet::cohort_count() const {
  return impl_->compiled_cohorts.size();
}

}  // namespace switchyard
