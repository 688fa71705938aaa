// FlagSet: the snapshot's public face. Build compiles (flag_compiler.cc); every Evaluate* call
// runs on a fresh core::Evaluator on the stack, so calls share nothing mutable and any number
// of threads may evaluate one snapshot at once. Semantics: see evaluator.cc.
#include "switchyard/flag_set.h"

#include <algorithm>

#include "core/compiled_flag.h"
#include "core/evaluator.h"
#include "core/flag_compiler.h"

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
  const auto it = std::lower_bound(flags.begin(), flags.end(), key,
                                   [](const Flag& flag, std::string_view k) { return flag.key < k; });
  return it != flags.end() && it->key == key ? static_cast<std::size_t>(it - flags.begin()) : core::kNoIndex;
}

Result<std::shared_ptr<const FlagSet>> FlagSet::Build(std::vector<Flag> flags, std::vector<Cohort> cohorts) {
  Result<std::unique_ptr<Impl>> impl = core::CompileFlagSet(std::move(flags), std::move(cohorts));
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

const std::vector<Flag>& FlagSet::flags() const {
  return impl_->flags;
}

const std::vector<Cohort>& FlagSet::cohorts() const {
  return impl_->cohorts;
}

const Flag* FlagSet::Find(std::string_view key) const {
  const std::size_t index = impl_->IndexOf(key);
  return index == core::kNoIndex ? nullptr : &impl_->flags[index];
}

std::size_t FlagSet::size() const {
  return impl_->flags.size();
}

}  // namespace switchyard
