// SqliteStore: group analytics (group types and each group's properties). Written by the event
// pipeline's group commit, read by evaluation and the definitions route.
#include <string>

#include "store/entity_json.h"
#include "store/person_properties.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using nlohmann::json;
using sqlite::Connection;
using sqlite::Statement;

constexpr char kSelectTypeIndex[] = "SELECT type_index FROM group_types WHERE project_id = ?1 AND name = ?2";
constexpr char kCountTypes[] = "SELECT count(*) FROM group_types WHERE project_id = ?1";
constexpr char kInsertType[] = "INSERT INTO group_types (project_id, name, type_index) VALUES (?1, ?2, ?3)";
constexpr char kListTypes[] =
    "SELECT name, type_index FROM group_types WHERE project_id = ?1 ORDER BY type_index";
constexpr char kSelectGroup[] =
    "SELECT properties, created_at, updated_at FROM group_entities"
    " WHERE project_id = ?1 AND group_type = ?2 AND group_key = ?3";
constexpr char kUpsertGroup[] =
    "INSERT INTO group_entities (project_id, group_type, group_key, properties, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (project_id, group_type, group_key)"
    " DO UPDATE SET properties = excluded.properties, updated_at = excluded.updated_at";

// True when the type is (now) registered; false when the project has no index left for it.
Result<bool> RegisterType(Connection& writer, std::int64_t project_id, const std::string& name) {
  Result<Statement> known = writer.Prepare(kSelectTypeIndex);
  if (!known.ok()) return known.status();
  Result<bool> row = known->Bind(project_id, name).Step();
  if (!row.ok()) return row.status();
  if (*row) return true;
  Result<Statement> count = writer.Prepare(kCountTypes);
  if (!count.ok()) return count.status();
  Result<std::int64_t> types = sqlite::SingleRow<std::int64_t>(
      count->Bind(project_id), [](const Statement& r) { return r.Int64(0); },
      [] { return Status::Internal("count returned no row"); });
  if (!types.ok()) return types.status();
  if (*types >= kMaxGroupTypes) return false;
  Result<Statement> insert = writer.Prepare(kInsertType);
  if (!insert.ok()) return insert.status();
  if (Status s = insert->Bind(project_id, name, *types).Run(); !s.ok()) {
    return s.code() == StatusCode::kNotFound ? ProjectNotFound(project_id) : s;
  }
  return true;
}

Result<std::optional<Group>> LoadGroup(Connection& connection, std::int64_t project_id,
                                       const std::string& type, const std::string& key) {
  Result<Statement> select = connection.Prepare(kSelectGroup);
  if (!select.ok()) return select.status();
  Result<bool> row = select->Bind(project_id, type, key).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Group>();
  Result<json> properties = ParseStoredJson(select->TextView(0), "properties of group '" + key + "'");
  if (!properties.ok()) return properties.status();
  return std::optional<Group>(
      Group{project_id, type, key, std::move(*properties), select->Text(1), select->Text(2)});
}

}  // namespace

Status SqliteStore::UpdateGroups(const std::vector<GroupUpdate>& updates) {
  if (Status s = ValidateGroupUpdates(updates); !s.ok()) return s;
  if (updates.empty()) return Status::Ok();
  Result<bool> written = Write([&](Connection& writer) -> Result<bool> {
    const std::string now = NowTimestamp();
    for (const GroupUpdate& update : updates) {
      Result<bool> registered = RegisterType(writer, update.project_id, update.group_type);
      if (!registered.ok()) return registered.status();
      if (!*registered) continue;
      Result<std::optional<Group>> existing =
          LoadGroup(writer, update.project_id, update.group_type, update.group_key);
      if (!existing.ok()) return existing.status();
      json properties = existing->has_value() ? (*existing)->properties : json::object();
      ApplyPersonUpdate(update.set, json(), json(), &properties);
      Result<Statement> upsert = writer.Prepare(kUpsertGroup);
      if (!upsert.ok()) return upsert.status();
      upsert->Bind(update.project_id, update.group_type, update.group_key, DumpJson(properties), now);
      if (Status s = upsert->Run(); !s.ok()) return s;
    }
    return true;
  });
  return written.ok() ? Status::Ok() : written.status();
}

Result<std::vector<GroupType>> SqliteStore::ListGroupTypes(std::int64_t project_id) {
  Result<Project> project = GetProject(project_id);
  if (!project.ok()) return project.status();
  return Read([&](Connection& reader) -> Result<std::vector<GroupType>> {
    Result<Statement> select = reader.Prepare(kListTypes);
    if (!select.ok()) return select.status();
    select->Bind(project_id);
    return sqlite::CollectRows<GroupType>(*select, [&](const Statement& row) {
      return GroupType{project_id, row.Text(0), static_cast<int>(row.Int64(1))};
    });
  });
}

Result<GroupType> SqliteStore::CreateGroupType(std::int64_t project_id, const std::string& name,
                                               const Actor& actor) {
  if (Status s = ValidateGroupTypeName(name); !s.ok()) return s;
  if (Result<Project> project = GetProject(project_id); !project.ok()) {
    return project.status().code() == StatusCode::kNotFound ? ProjectNotFound(project_id) : project.status();
  }
  // The connection caches one statement for kSelectTypeIndex, which RegisterType uses too: each
  // read lets go of it (a Statement resets on destruction) before the next begins.
  auto index_of = [&](Connection& writer) -> Result<std::optional<std::int64_t>> {
    Result<Statement> select = writer.Prepare(kSelectTypeIndex);
    if (!select.ok()) return select.status();
    return sqlite::SingleRow<std::optional<std::int64_t>>(
        select->Bind(project_id, name), [](const Statement& r) { return std::optional(r.Int64(0)); },
        [] { return std::optional<std::int64_t>(); });
  };
  return Write([&](Connection& writer) -> Result<GroupType> {
    Result<std::optional<std::int64_t>> known = index_of(writer);
    if (!known.ok()) return known.status();
    if (known->has_value()) return GroupTypeExists(name);
    Result<bool> registered = RegisterType(writer, project_id, name);
    if (!registered.ok()) return registered.status();
    if (!*registered) return NoGroupTypeIndexLeft();
    Result<std::optional<std::int64_t>> assigned = index_of(writer);
    if (!assigned.ok()) return assigned.status();
    if (!assigned->has_value()) return Status::Internal("a registered group type has no index");
    GroupType type{project_id, name, static_cast<int>(**assigned)};
    if (Status s = AppendAudit(writer, actor,
                               {project_id, "group_type.create", "group_type", name, nullptr,
                                json{{"name", name}, {"index", type.index}}});
        !s.ok()) {
      return s;
    }
    return type;
  });
}

Result<Group> SqliteStore::GetGroup(std::int64_t project_id, const std::string& group_type,
                                    const std::string& group_key) {
  Result<std::optional<Group>> group =
      Read([&](Connection& reader) { return LoadGroup(reader, project_id, group_type, group_key); });
  if (!group.ok()) return group.status();
  if (!group->has_value()) return GroupNotFound(group_type, group_key);
  return std::move(**group);
}

}  // namespace switchyard::store
