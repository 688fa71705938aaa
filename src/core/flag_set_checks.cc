// Whole-snapshot checks run before and after linking: every definition valid on its own, unique
// keys, no prerequisite cycles and no chain deeper than the limit. The graph walk keeps its own
// stack: a chain of thousands of prerequisites must not exhaust the call stack of a writer.
#include <algorithm>

#include "core/flag_set_checks.h"
#include "core/flag_validation.h"
#include "core/json_fields.h"

namespace switchyard::core {
namespace {

enum class Visit : unsigned char { kNew, kOnPath, kDone };

class PrerequisiteWalk {
 public:
  PrerequisiteWalk(const FlagSet::Impl& set, std::size_t max_depth)
      : set_(set),
        max_depth_(max_depth),
        state_(set.compiled.size(), Visit::kNew),
        depth_(state_.size(), 0) {}

  Status Check() {
    for (std::size_t root = 0; root < state_.size(); ++root) {
      if (state_[root] != Visit::kNew) continue;
      if (Status s = Walk(root); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  struct Frame {
    std::size_t flag;
    std::size_t next = 0;  // next prerequisite edge to follow
  };

  const std::vector<PrerequisiteEdge>& Edges(std::size_t flag) const {
    return set_.compiled[flag]->prerequisites;
  }
  const std::string& Key(std::size_t flag) const { return set_.compiled[flag]->flag->key; }

  // Depth-first, post-order: a flag's depth is known once all its prerequisites are done.
  Status Walk(std::size_t root) {
    state_[root] = Visit::kOnPath;
    path_.push_back({root});
    while (!path_.empty()) {
      const std::size_t flag = path_.back().flag;
      const std::vector<PrerequisiteEdge>& edges = Edges(flag);
      if (path_.back().next < edges.size()) {
        const PrerequisiteEdge& edge = edges[path_.back().next++];
        if (state_[edge.flag] == Visit::kOnPath) return CycleError(edge);
        if (state_[edge.flag] == Visit::kNew) {
          state_[edge.flag] = Visit::kOnPath;
          path_.push_back({edge.flag});
        }
        continue;
      }
      const PrerequisiteEdge* deepest = Deepest(flag);
      if (deepest != nullptr) depth_[flag] = depth_[deepest->flag] + 1;
      if (depth_[flag] > max_depth_) return DepthError(flag, *deepest);
      state_[flag] = Visit::kDone;
      path_.pop_back();
    }
    return Status::Ok();
  }

  const PrerequisiteEdge* Deepest(std::size_t flag) const {
    const PrerequisiteEdge* deepest = nullptr;
    for (const PrerequisiteEdge& edge : Edges(flag)) {
      if (deepest == nullptr || depth_[edge.flag] > depth_[deepest->flag]) deepest = &edge;
    }
    return deepest;
  }

  static std::string FieldOf(const PrerequisiteEdge& edge) {
    return FieldPath(FilterPath("filters.groups", edge.group, edge.filter), "key");
  }

  Status CycleError(const PrerequisiteEdge& back) const {
    std::string cycle;
    const auto start =
        std::find_if(path_.begin(), path_.end(), [&](const Frame& f) { return f.flag == back.flag; });
    for (auto it = start; it != path_.end(); ++it) cycle += Key(it->flag) + " -> ";
    cycle += Key(back.flag);
    return Status::InvalidArgument("flag \"" + Key(path_.back().flag) + "\": prerequisite cycle: " + cycle,
                                   FieldOf(back));
  }

  Status DepthError(std::size_t flag, const PrerequisiteEdge& first) const {
    std::string chain = Key(flag);
    for (const PrerequisiteEdge* edge = &first; edge != nullptr; edge = Deepest(edge->flag)) {
      chain += " -> " + Key(edge->flag);
    }
    return Status::InvalidArgument("flag \"" + Key(flag) + "\": prerequisite chain is deeper than " +
                                       std::to_string(max_depth_) + " levels: " + chain,
                                   FieldOf(first));
  }

  const FlagSet::Impl& set_;
  const std::size_t max_depth_;
  std::vector<Visit> state_;
  std::vector<std::size_t> depth_;  // for kDone flags: the longest chain of prerequisites below
  std::vector<Frame> path_;         // from the root to the flag being walked
};

}  // namespace

Status CheckPrerequisites(const FlagSet::Impl& set, std::size_t max_depth) {
  return PrerequisiteWalk(set, max_depth).Check();
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
