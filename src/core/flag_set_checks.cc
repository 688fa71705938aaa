// Whole-snapshot checks run by Build before and after compilation: every definition valid on its
// own, unique keys, and no prerequisite cycles (which would make evaluation recurse forever).
#include <algorithm>

#include "core/flag_set_checks.h"
#include "core/flag_validation.h"
#include "core/json_fields.h"

namespace switchyard::core {
namespace {

enum class Visit : unsigned char { kNew, kOnPath, kDone };

// Depth-first search; `path` holds the flags from the root to the current one.
class CycleFinder {
 public:
  explicit CycleFinder(const FlagSet::Impl& set) : set_(set), state_(set.compiled.size(), Visit::kNew) {}

  Status Check() {
    for (std::size_t i = 0; i < state_.size(); ++i) {
      if (Status s = VisitFlag(i); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  Status VisitFlag(std::size_t index) {
    if (state_[index] == Visit::kDone) return Status::Ok();
    state_[index] = Visit::kOnPath;
    path_.push_back(index);
    const CompiledFlag& flag = set_.compiled[index];
    for (std::size_t g = 0; g < flag.groups.size(); ++g) {
      for (std::size_t f = 0; f < flag.groups[g].filters.size(); ++f) {
        const CompiledFilter& filter = flag.groups[g].filters[f];
        if (filter.source->type != FilterType::kFlag || filter.ref == kNoIndex) continue;
        if (state_[filter.ref] == Visit::kOnPath) return CycleError(filter.ref, g, f);
        if (Status s = VisitFlag(filter.ref); !s.ok()) return s;
      }
    }
    path_.pop_back();
    state_[index] = Visit::kDone;
    return Status::Ok();
  }

  Status CycleError(std::size_t back_to, std::size_t group, std::size_t filter) const {
    std::string cycle;
    const auto start = std::find(path_.begin(), path_.end(), back_to);
    for (auto it = start; it != path_.end(); ++it) cycle += set_.flags[*it].key + " -> ";
    cycle += set_.flags[back_to].key;
    const std::string field = FilterPath("filters.groups", group, filter);
    const std::string& flag = set_.flags[path_.back()].key;
    return Status::InvalidArgument("flag \"" + flag + "\": prerequisite cycle: " + cycle,
                                   FieldPath(field, "key"));
  }

  const FlagSet::Impl& set_;
  std::vector<Visit> state_;
  std::vector<std::size_t> path_;
};

}  // namespace

Status CheckPrerequisiteCycles(const FlagSet::Impl& set) {
  return CycleFinder(set).Check();
}

Status SortAndValidate(std::vector<Flag>* flags, std::vector<Cohort>* cohorts) {
  for (const Flag& flag : *flags) {
    if (Status s = ValidateFlag(flag); !s.ok()) return InContext("flag", flag.key, s);
  }
  for (const Cohort& cohort : *cohorts) {
    if (Status s = ValidateCohort(cohort); !s.ok()) return InContext("cohort", cohort.id, s);
  }
  std::sort(flags->begin(), flags->end(), [](const Flag& a, const Flag& b) { return a.key < b.key; });
  std::sort(cohorts->begin(), cohorts->end(), [](const Cohort& a, const Cohort& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < flags->size(); ++i) {
    if ((*flags)[i].key == (*flags)[i - 1].key) {
      return Status::InvalidArgument("duplicate flag key \"" + (*flags)[i].key + "\"", "key");
    }
  }
  for (std::size_t i = 1; i < cohorts->size(); ++i) {
    if ((*cohorts)[i].id == (*cohorts)[i - 1].id) {
      return Status::InvalidArgument("duplicate cohort id \"" + (*cohorts)[i].id + "\"", "id");
    }
  }
  return Status::Ok();
}

}  // namespace switchyard::core
