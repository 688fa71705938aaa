// MemoryStore: persons (several distinct ids each, merged by aliases) and groups.
#include <utility>

#include "store/memory_store.h"
#include "store/person_properties.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using nlohmann::json;

// The mapped value for `key`, or nullptr.
template <typename Map>
const auto* Find(const Map& map, const typename Map::key_type& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

// --- Persons ---------------------------------------------------------------------------------

const std::string& MemoryStore::PersonIdOf(const ProjectState& state, const std::string& distinct_id) {
  auto it = state.person_aliases.find(distinct_id);
  return it == state.person_aliases.end() ? distinct_id : it->second;
}

Person& MemoryStore::PersonFor(ProjectState& state, const std::string& distinct_id, const std::string& now) {
  const std::string id = PersonIdOf(state, distinct_id);
  auto [it, created] = state.persons.try_emplace(id);
  if (created) it->second = Person{state.project.id, id, json::object(), now, now, {id}};
  return it->second;
}

void MemoryStore::MergePersons(ProjectState& state, const std::string& distinct_id, const std::string& alias,
                               const std::string& now) {
  const std::string into_id = PersonIdOf(state, distinct_id);
  const std::string absorbed_id = PersonIdOf(state, alias);
  Person& into = PersonFor(state, into_id, now);
  if (absorbed_id == into_id) return;
  auto absorbed = state.persons.find(absorbed_id);
  if (absorbed == state.persons.end()) {
    into.distinct_ids.push_back(absorbed_id);
    state.person_aliases[absorbed_id] = into_id;
    return;
  }
  MergePersonProperties(absorbed->second.properties, &into.properties);
  for (const std::string& id : absorbed->second.distinct_ids) {
    into.distinct_ids.push_back(id);
    state.person_aliases[id] = into_id;
  }
  into.updated_at = now;
  state.persons.erase(absorbed);
}

Result<Person> MemoryStore::UpdatePerson(std::int64_t project_id, const std::string& distinct_id,
                                         const json& set, const json& set_once, const json& unset) {
  if (Status s = ValidateDistinctId(distinct_id); !s.ok()) return s;
  if (Status s = ValidatePersonUpdate(set, set_once, unset); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  const std::string now = NowTimestamp();
  Person& person = PersonFor(*state, distinct_id, now);
  ApplyPersonUpdate(set, set_once, unset, &person.properties);
  person.updated_at = now;
  return person;
}

Result<Person> MemoryStore::ReplacePerson(std::int64_t project_id, const std::string& distinct_id,
                                          const json& properties) {
  if (Status s = ValidateDistinctId(distinct_id); !s.ok()) return s;
  if (Status s = ValidatePersonProperties(properties); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  const std::string now = NowTimestamp();
  Person& person = PersonFor(*state, distinct_id, now);
  person.properties = properties;
  person.updated_at = now;
  return person;
}

Result<Person> MemoryStore::GetPerson(std::int64_t project_id, const std::string& distinct_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  const Person* person = state == nullptr ? nullptr : Find(state->persons, PersonIdOf(*state, distinct_id));
  if (person == nullptr) return PersonNotFound(distinct_id);
  return *person;
}

Status MemoryStore::DeletePerson(std::int64_t project_id, const std::string& distinct_id) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return PersonNotFound(distinct_id);
  auto it = state->persons.find(PersonIdOf(*state, distinct_id));
  if (it == state->persons.end()) return PersonNotFound(distinct_id);
  for (const std::string& id : it->second.distinct_ids) state->person_aliases.erase(id);
  state->persons.erase(it);
  return Status::Ok();
}

Result<std::vector<Person>> MemoryStore::ListPersons(std::int64_t project_id, const PersonQuery& query) {
  const auto wanted = static_cast<std::size_t>(ClampLimit(query.limit));
  auto skip = static_cast<std::size_t>(ClampOffset(query.offset));
  ReaderLock lock(mu_);
  std::vector<Person> out;
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return out;
  auto it = query.after ? state->persons.upper_bound(*query.after) : state->persons.begin();
  for (; it != state->persons.end() && skip > 0; ++it) --skip;
  for (; it != state->persons.end() && out.size() < wanted; ++it) out.push_back(it->second);
  return out;
}

Status MemoryStore::UpdatePersons(const std::vector<PersonUpdate>& updates) {
  if (Status s = ValidatePersonUpdates(updates); !s.ok()) return s;
  WriterLock lock(mu_);
  // Every project first, so that an unknown one changes nothing.
  for (const PersonUpdate& update : updates) {
    if (FindProject(update.project_id) == nullptr) return ProjectNotFound(update.project_id);
  }
  const std::string now = NowTimestamp();
  for (const PersonUpdate& update : updates) {
    ProjectState& state = *FindProject(update.project_id);
    if (!update.alias.empty()) MergePersons(state, update.distinct_id, update.alias, now);
    Person& person = PersonFor(state, update.distinct_id, now);
    ApplyPersonUpdate(update.set, update.set_once, update.unset, &person.properties);
    person.updated_at = now;
  }
  return Status::Ok();
}

// --- Groups ----------------------------------------------------------------------------------

Status MemoryStore::UpdateGroups(const std::vector<GroupUpdate>& updates) {
  if (Status s = ValidateGroupUpdates(updates); !s.ok()) return s;
  WriterLock lock(mu_);
  for (const GroupUpdate& update : updates) {
    if (FindProject(update.project_id) == nullptr) return ProjectNotFound(update.project_id);
  }
  const std::string now = NowTimestamp();
  for (const GroupUpdate& update : updates) {
    ProjectState& state = *FindProject(update.project_id);
    auto known = std::find_if(state.group_types.begin(), state.group_types.end(),
                              [&](const GroupType& type) { return type.name == update.group_type; });
    if (known == state.group_types.end()) {
      if (state.group_types.size() >= static_cast<std::size_t>(kMaxGroupTypes)) continue;
      state.group_types.push_back(
          GroupType{update.project_id, update.group_type, static_cast<int>(state.group_types.size())});
    }
    auto [it, created] = state.groups.try_emplace({update.group_type, update.group_key});
    Group& group = it->second;
    if (created)
      group = Group{update.project_id, update.group_type, update.group_key, json::object(), now, now};
    ApplyPersonUpdate(update.set, json(), json(), &group.properties);
    group.updated_at = now;
  }
  return Status::Ok();
}

Result<std::vector<GroupType>> MemoryStore::ListGroupTypes(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  return state->group_types;
}

Result<GroupType> MemoryStore::CreateGroupType(std::int64_t project_id, const std::string& name,
                                               const Actor& actor) {
  if (Status s = ValidateGroupTypeName(name); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  for (const GroupType& type : state->group_types) {
    if (type.name == name) return GroupTypeExists(name);
  }
  if (state->group_types.size() >= static_cast<std::size_t>(kMaxGroupTypes)) return NoGroupTypeIndexLeft();
  GroupType type{project_id, name, static_cast<int>(state->group_types.size())};
  state->group_types.push_back(type);
  AppendAudit(project_id, actor, "group_type.create", "group_type", name, nullptr,
              json{{"name", name}, {"index", type.index}});
  return type;
}

Result<Group> MemoryStore::GetGroup(std::int64_t project_id, const std::string& group_type,
                                    const std::string& group_key) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  const Group* group = state == nullptr ? nullptr : Find(state->groups, {group_type, group_key});
  if (group == nullptr) return GroupNotFound(group_type, group_key);
  return *group;
}

}  // namespace switchyard::store
