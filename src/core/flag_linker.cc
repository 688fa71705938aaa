#include "core/flag_linker.h"

#include <algorithm>

#include "core/json_fields.h"

namespace switchyard::core {
namespace {

Status LinkFilter(const FlagSet::Impl& set, SlotAssigner* slots, const std::string& path,
                  CompiledFilter* out) {
  const PropertyFilter& filter = *out->source;
  switch (filter.type) {
    case FilterType::kFlag:
      out->ref = set.IndexOf(filter.key);
      if (out->ref != kNoIndex) return Status::Ok();
      return Invalid(FieldPath(path, "key"),
                     "names prerequisite flag \"" + filter.key + "\", which does not exist");
    case FilterType::kCohort:
      out->ref = set.CohortIndexOf(filter.key);
      if (out->ref != kNoIndex) return Status::Ok();
      return Invalid(FieldPath(path, "key"), "names cohort \"" + filter.key + "\", which does not exist");
    case FilterType::kPerson: out->property_slot = slots->SlotOf(filter.key); return Status::Ok();
  }
  return Status::Ok();
}

// One edge per distinct prerequisite, the first filter naming it: sorting keeps a flag with
// thousands of prerequisite filters linear-logarithmic.
void DistinctPrerequisites(std::vector<PrerequisiteEdge>* edges) {
  std::stable_sort(edges->begin(), edges->end(),
                   [](const PrerequisiteEdge& a, const PrerequisiteEdge& b) { return a.flag < b.flag; });
  edges->erase(
      std::unique(edges->begin(), edges->end(),
                  [](const PrerequisiteEdge& a, const PrerequisiteEdge& b) { return a.flag == b.flag; }),
      edges->end());
}

}  // namespace

std::size_t SlotAssigner::SlotOf(const std::string& name) {
  const auto it = table_->find(name);
  if (it != table_->end()) return it->second;
  if (!own_) {
    own_ = std::make_shared<PropertySlots>(*table_);
    table_ = own_;
  }
  const std::size_t slot = own_->size();
  own_->emplace(name, slot);
  return slot;
}

Status LinkFlag(const FlagSet::Impl& set, SlotAssigner* slots, CompiledFlag* flag) {
  flag->prerequisites.clear();
  for (std::size_t g = 0; g < flag->groups.size(); ++g) {
    std::vector<CompiledFilter>& filters = flag->groups[g].filters;
    for (std::size_t f = 0; f < filters.size(); ++f) {
      const std::string path = FilterPath("filters.groups", g, f);
      if (Status s = LinkFilter(set, slots, path, &filters[f]); !s.ok())
        return InContext("flag", flag->flag->key, s);
      if (filters[f].source->type == FilterType::kFlag) flag->prerequisites.push_back({filters[f].ref, g, f});
    }
  }
  DistinctPrerequisites(&flag->prerequisites);
  return Status::Ok();
}

void LinkCohort(SlotAssigner* slots, CompiledCohort* cohort) {
  // Cohort filters are person filters only (validation refuses the rest), so nothing can fail.
  for (CompiledGroup& group : cohort->groups) {
    for (CompiledFilter& filter : group.filters) {
      if (filter.source->type == FilterType::kPerson)
        filter.property_slot = slots->SlotOf(filter.source->key);
    }
  }
}

}  // namespace switchyard::core
