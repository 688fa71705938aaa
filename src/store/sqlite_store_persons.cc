// SqliteStore: persons. GetPerson is on the evaluate hot path: one cached statement from a pooled
// reader (a point lookup of the id in person_distinct_ids, then of the person). Updates read, merge and write
// inside one write transaction on the single writer, so concurrent merges into the same person never lose
// each other's keys.
#include <optional>
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

// The person any of its ids names, with every other id of it (a JSON array).
constexpr char kSelectPerson[] =
    "SELECT p.properties, p.created_at, p.updated_at, p.distinct_id,"
    " (SELECT json_group_array(o.distinct_id) FROM person_distinct_ids o"
    "  WHERE o.project_id = ?1 AND o.person_id = p.distinct_id)"
    " FROM persons p WHERE p.project_id = ?1 AND p.distinct_id = coalesce("
    "(SELECT person_id FROM person_distinct_ids WHERE project_id = ?1 AND distinct_id = ?2), ?2)";
constexpr char kInsertDistinctId[] =
    "INSERT INTO person_distinct_ids (project_id, distinct_id, person_id) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (project_id, distinct_id) DO UPDATE SET person_id = excluded.person_id";
constexpr char kMoveDistinctIds[] =
    "UPDATE person_distinct_ids SET person_id = ?3 WHERE project_id = ?1 AND person_id = ?2";
constexpr char kDeleteDistinctIds[] =
    "DELETE FROM person_distinct_ids WHERE project_id = ?1 AND person_id = ?2";
// Each person with its other ids (as kSelectPerson), so a listing shows who was merged into whom.
constexpr char kListPersons[] =
    "SELECT p.distinct_id, p.properties, p.created_at, p.updated_at,"
    " (SELECT json_group_array(o.distinct_id) FROM person_distinct_ids o"
    "  WHERE o.project_id = ?1 AND o.person_id = p.distinct_id)"
    " FROM persons p WHERE p.project_id = ?1 ORDER BY p.distinct_id LIMIT ?2 OFFSET ?3";
// Keyset paging: a range scan of the primary key from `after`, however deep the page.
constexpr char kListPersonsAfter[] =
    "SELECT p.distinct_id, p.properties, p.created_at, p.updated_at,"
    " (SELECT json_group_array(o.distinct_id) FROM person_distinct_ids o"
    "  WHERE o.project_id = ?1 AND o.person_id = p.distinct_id)"
    " FROM persons p WHERE p.project_id = ?1 AND p.distinct_id > ?4 ORDER BY p.distinct_id LIMIT ?2 OFFSET "
    "?3";
// created_at is only written by the insert; an existing row keeps its own, which RETURNING reports.
constexpr char kUpsertPerson[] =
    "INSERT INTO persons (project_id, distinct_id, properties, created_at, updated_at) VALUES (?1, ?2, ?3, "
    "?4, ?4)"
    " ON CONFLICT (project_id, distinct_id) DO UPDATE SET properties = excluded.properties,"
    " updated_at = excluded.updated_at RETURNING created_at";
constexpr char kDeletePerson[] = "DELETE FROM persons WHERE project_id = ?1 AND distinct_id = ?2";

Result<json> ReadProperties(const Statement& row, int column, const std::string& distinct_id) {
  Result<json> properties =
      ParseStoredJson(row.TextView(column), "properties of person '" + distinct_id + "'");
  if (properties.ok() && !properties->is_object()) {
    return Status::Corruption("stored properties of person '" + distinct_id + "' are not an object");
  }
  return properties;
}

// person.distinct_ids: its own id first, then the JSON array of the others in `column`.
Status ReadDistinctIds(const Statement& row, int column, Person* person) {
  person->distinct_ids = {person->distinct_id};
  Result<json> others =
      ParseStoredJson(row.TextView(column), "distinct ids of person '" + person->distinct_id + "'");
  if (!others.ok()) return others.status();
  for (const json& id : *others) {
    if (id.is_string()) person->distinct_ids.push_back(id.get<std::string>());
  }
  return Status::Ok();
}

// The person, or nullopt when absent.
Result<std::optional<Person>> LoadPerson(Connection& connection, std::int64_t project_id,
                                         const std::string& distinct_id) {
  Result<Statement> query = connection.Prepare(kSelectPerson);
  if (!query.ok()) return query.status();
  Result<bool> row = query->Bind(project_id, distinct_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Person>();
  Result<json> properties = ReadProperties(*query, 0, distinct_id);
  if (!properties.ok()) return properties.status();
  Person person{project_id, query->Text(3), std::move(*properties), query->Text(1), query->Text(2), {}};
  if (Status s = ReadDistinctIds(*query, 4, &person); !s.ok()) return s;
  return std::optional<Person>(std::move(person));
}

// The stored person `distinct_id` names, or a new one under that id.
Result<Person> LoadOrNewPerson(Connection& writer, std::int64_t project_id, const std::string& distinct_id) {
  Result<std::optional<Person>> existing = LoadPerson(writer, project_id, distinct_id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return std::move(**existing);
  return Person{project_id, distinct_id, json::object(), "", "", {distinct_id}};
}

Status SavePerson(Connection& writer, Person& person);

// Makes `alias`'s person (if any) part of `distinct_id`'s: its ids now name the kept person, its
// properties fill the kept one's gaps, its row goes. `into` is the kept person, saved.
Status MergeInto(Connection& writer, const std::string& alias, Person& into) {
  if (alias == into.distinct_id) return Status::Ok();
  Result<std::optional<Person>> absorbed = LoadPerson(writer, into.project_id, alias);
  if (!absorbed.ok()) return absorbed.status();
  if (absorbed->has_value() && (*absorbed)->distinct_id == into.distinct_id) return Status::Ok();
  // The kept person's row first: its insert is what reports an unknown project.
  if (absorbed->has_value()) MergePersonProperties((*absorbed)->properties, &into.properties);
  if (Status s = SavePerson(writer, into); !s.ok()) return s;
  const std::string absorbed_id = absorbed->has_value() ? (*absorbed)->distinct_id : alias;
  if (absorbed->has_value()) {
    Result<Statement> move = writer.Prepare(kMoveDistinctIds);
    if (!move.ok()) return move.status();
    if (Status s = move->Bind(into.project_id, absorbed_id, into.distinct_id).Run(); !s.ok()) return s;
    Result<Statement> remove = writer.Prepare(kDeletePerson);
    if (!remove.ok()) return remove.status();
    if (Status s = remove->Bind(into.project_id, absorbed_id).Run(); !s.ok()) return s;
    for (std::size_t i = 1; i < (*absorbed)->distinct_ids.size(); ++i) {
      into.distinct_ids.push_back((*absorbed)->distinct_ids[i]);
    }
  }
  Result<Statement> insert = writer.Prepare(kInsertDistinctId);
  if (!insert.ok()) return insert.status();
  if (Status s = insert->Bind(into.project_id, absorbed_id, into.distinct_id).Run(); !s.ok()) return s;
  into.distinct_ids.push_back(absorbed_id);
  return Status::Ok();
}

// Inserts or overwrites the person's properties; fills in created_at/updated_at.
Status SavePerson(Connection& writer, Person& person) {
  Result<Statement> upsert = writer.Prepare(kUpsertPerson);
  if (!upsert.ok()) return upsert.status();
  person.updated_at = NowTimestamp();
  upsert->Bind(person.project_id, person.distinct_id, DumpJson(person.properties), person.updated_at);
  Result<std::string> created_at = sqlite::SingleRow<std::string>(
      *upsert, [](const Statement& row) { return row.Text(0); },
      [] { return Status::Internal("person upsert returned no row"); });
  if (!created_at.ok()) {
    Status s = created_at.status();
    return s.code() == StatusCode::kNotFound ? ProjectNotFound(person.project_id) : s;
  }
  person.created_at = std::move(*created_at);
  return Status::Ok();
}

}  // namespace

Result<Person> SqliteStore::UpdatePerson(std::int64_t project_id, const std::string& distinct_id,
                                         const json& set, const json& set_once, const json& unset) {
  if (Status s = ValidateDistinctId(distinct_id); !s.ok()) return s;
  if (Status s = ValidatePersonUpdate(set, set_once, unset); !s.ok()) return s;
  return Write([&](Connection& writer) -> Result<Person> {
    Result<Person> person = LoadOrNewPerson(writer, project_id, distinct_id);
    if (!person.ok()) return person.status();
    ApplyPersonUpdate(set, set_once, unset, &person->properties);
    if (Status s = SavePerson(writer, *person); !s.ok()) return s;
    return person;
  });
}

Status SqliteStore::UpdatePersons(const std::vector<PersonUpdate>& updates) {
  if (Status s = ValidatePersonUpdates(updates); !s.ok()) return s;
  if (updates.empty()) return Status::Ok();
  Result<bool> written = Write([&](Connection& writer) -> Result<bool> {
    // Each update reads what the one before it wrote (same transaction), so repeated updates of
    // one person compose exactly as separate UpdatePerson calls would.
    for (const PersonUpdate& update : updates) {
      Result<Person> person = LoadOrNewPerson(writer, update.project_id, update.distinct_id);
      if (!person.ok()) return person.status();
      if (!update.alias.empty()) {
        if (Status s = MergeInto(writer, update.alias, *person); !s.ok()) return s;
      }
      ApplyPersonUpdate(update.set, update.set_once, update.unset, &person->properties);
      if (Status s = SavePerson(writer, *person); !s.ok()) return s;
    }
    return true;
  });
  return written.ok() ? Status::Ok() : written.status();
}

Result<Person> SqliteStore::ReplacePerson(std::int64_t project_id, const std::string& distinct_id,
                                          const json& properties) {
  if (Status s = ValidateDistinctId(distinct_id); !s.ok()) return s;
  if (Status s = ValidatePersonProperties(properties); !s.ok()) return s;
  return Write([&](Connection& writer) -> Result<Person> {
    Result<Person> person = LoadOrNewPerson(writer, project_id, distinct_id);
    if (!person.ok()) return person.status();
    person->properties = properties;
    if (Status s = SavePerson(writer, *person); !s.ok()) return s;
    return person;
  });
}

Result<Person> SqliteStore::GetPerson(std::int64_t project_id, const std::string& distinct_id) {
  Result<std::optional<Person>> person =
      Read([&](Connection& reader) { return LoadPerson(reader, project_id, distinct_id); });
  if (!person.ok()) return person.status();
  if (!person->has_value()) return PersonNotFound(distinct_id);
  return std::move(**person);
}

Status SqliteStore::DeletePerson(std::int64_t project_id, const std::string& distinct_id) {
  return Write([&](Connection& writer) -> Status {
    Result<std::optional<Person>> person = LoadPerson(writer, project_id, distinct_id);
    if (!person.ok()) return person.status();
    if (!person->has_value()) return PersonNotFound(distinct_id);
    Result<Statement> ids = writer.Prepare(kDeleteDistinctIds);
    if (!ids.ok()) return ids.status();
    if (Status s = ids->Bind(project_id, (*person)->distinct_id).Run(); !s.ok()) return s;
    Result<Statement> remove = writer.Prepare(kDeletePerson);
    if (!remove.ok()) return remove.status();
    return remove->Bind(project_id, (*person)->distinct_id).Run();
  });
}

Result<std::vector<Person>> SqliteStore::ListPersons(std::int64_t project_id, const PersonQuery& query) {
  return Read([&](Connection& reader) -> Result<std::vector<Person>> {
    Result<Statement> select = reader.Prepare(query.after ? kListPersonsAfter : kListPersons);
    if (!select.ok()) return select.status();
    if (query.after) {
      select->Bind(project_id, ClampLimit(query.limit), ClampOffset(query.offset), *query.after);
    } else {
      select->Bind(project_id, ClampLimit(query.limit), ClampOffset(query.offset));
    }
    return sqlite::CollectRows<Person>(*select, [&](const Statement& row) -> Result<Person> {
      std::string distinct_id = row.Text(0);
      Result<json> properties = ReadProperties(row, 1, distinct_id);
      if (!properties.ok()) return properties.status();
      Person person{project_id, std::move(distinct_id), std::move(*properties), row.Text(2), row.Text(3), {}};
      if (Status s = ReadDistinctIds(row, 4, &person); !s.ok()) return s;
      return person;
    });
  });
}

}  // namespace switchyard::store
