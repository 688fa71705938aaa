// SqliteStore: the model registry and gateway routes (migration 7). Versions and routes are stored
// as their JSON (registry/*.h) with the columns ordering and version checks need.
#include "registry/model_reference.h"
#include "store/entity_json.h"
#include "store/model_records.h"
#include "store/sqlite_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using registry::AliasMove;
using registry::ModelAlias;
using registry::ModelVersion;
using registry::RouteDefinition;
using sqlite::Connection;
using sqlite::Statement;

Status RequireProject(Connection& connection, std::int64_t project_id) {
  Result<Statement> exists = connection.Prepare("SELECT 1 FROM projects WHERE id = ?1");
  if (!exists.ok()) return exists.status();
  Result<bool> found = exists->Bind(project_id).Step();
  if (!found.ok()) return found.status();
  return *found ? Status::Ok() : ProjectNotFound(project_id);
}

Result<ModelVersion> ModelFromRow(std::string_view text) {
  auto json = ParseStoredJson(text, "model version");
  if (!json.ok()) return json.status();
  return registry::StoredModelVersionFromJson(*json);
}

Result<RouteDefinition> RouteFromRow(std::string_view text) {
  auto json = ParseStoredJson(text, "route");
  if (!json.ok()) return json.status();
  return registry::StoredRouteFromJson(*json);
}

Result<ModelVersion> LoadModel(Connection& connection, std::int64_t project_id, const std::string& name,
                               const std::string& version) {
  if (Status s = RequireProject(connection, project_id); !s.ok()) return s;
  Result<Statement> select = connection.Prepare(
      "SELECT definition FROM model_versions WHERE project_id = ?1 AND name = ?2 AND version = ?3");
  if (!select.ok()) return select.status();
  return sqlite::SingleRow<ModelVersion>(
      select->Bind(project_id, name, version),
      [](const Statement& row) { return ModelFromRow(row.TextView(0)); },
      [&] { return ModelVersionNotFound(name, version); });
}

Status SaveModel(Connection& writer, std::int64_t project_id, const ModelVersion& model) {
  Result<Statement> update = writer.Prepare(
      "UPDATE model_versions SET state = ?4, definition = ?5 WHERE project_id = ?1 AND name = ?2 AND version "
      "= ?3");
  if (!update.ok()) return update.status();
  return update
      ->Bind(project_id, model.name, model.version, std::string(registry::ModelStateName(model.state)),
             DumpJson(registry::ModelVersionToJson(model)))
      .Run();
}

// The alias's target, or "" when it does not exist.
Result<std::string> AliasTarget(Connection& connection, std::int64_t project_id, const std::string& name,
                                const std::string& alias) {
  Result<Statement> select = connection.Prepare(
      "SELECT version FROM model_aliases WHERE project_id = ?1 AND name = ?2 AND alias = ?3");
  if (!select.ok()) return select.status();
  return sqlite::SingleRow<std::string>(
      select->Bind(project_id, name, alias),
      [](const Statement& row) -> Result<std::string> { return row.Text(0); },
      [] { return Result<std::string>(std::string()); });
}

AliasMove MoveFromRow(const Statement& row) {
  return AliasMove{row.Int64(0), row.Text(1), row.Text(2), row.Text(3),      row.Text(4),
                   row.Text(5),  row.Text(6), row.Text(7), row.Int64(8) != 0};
}

Result<std::vector<AliasMove>> LoadHistory(Connection& connection, std::int64_t project_id,
                                           const std::string& name, const std::string& alias) {
  Result<Statement> select = connection.Prepare(
      "SELECT id, name, alias, from_version, to_version, actor, at, reason, rollback FROM model_alias_moves "
      "WHERE project_id = ?1 AND name = ?2 AND alias = ?3 ORDER BY id");
  if (!select.ok()) return select.status();
  return sqlite::CollectRows<AliasMove>(
      select->Bind(project_id, name, alias),
      [](const Statement& row) -> Result<AliasMove> { return MoveFromRow(row); });
}

// Points the alias at `to` (which must exist and not be archived) and appends the move.
Result<AliasMove> MoveAlias(Connection& writer, std::int64_t project_id, const std::string& name,
                            const std::string& alias, const std::string& to, const std::string& reason,
                            const std::string& actor, bool rollback) {
  auto target = LoadModel(writer, project_id, name, to);
  if (!target.ok()) return target.status();
  if (Status s = registry::CheckAliasTarget(*target); !s.ok()) return s;
  auto from = AliasTarget(writer, project_id, name, alias);
  if (!from.ok()) return from.status();
  const std::string now = NowTimestamp();
  Result<Statement> upsert = writer.Prepare(
      "INSERT INTO model_aliases (project_id, name, alias, version, updated_at, updated_by) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (project_id, name, alias) DO UPDATE SET "
      "version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by");
  if (!upsert.ok()) return upsert.status();
  if (Status s = upsert->Bind(project_id, name, alias, to, now, actor).Run(); !s.ok()) return s;
  Result<Statement> insert = writer.Prepare(
      "INSERT INTO model_alias_moves (project_id, name, alias, from_version, to_version, actor, at, reason, "
      "rollback) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert.ok()) return insert.status();
  if (Status s = insert->Bind(project_id, name, alias, *from, to, actor, now, reason, rollback).Run();
      !s.ok())
    return s;
  return AliasMove{writer.LastInsertId(), name, alias, *from, to, actor, now, reason, rollback};
}

Result<RouteDefinition> LoadRoute(Connection& connection, std::int64_t project_id, const std::string& key) {
  if (Status s = RequireProject(connection, project_id); !s.ok()) return s;
  Result<Statement> select =
      connection.Prepare("SELECT definition FROM gateway_routes WHERE project_id = ?1 AND key = ?2");
  if (!select.ok()) return select.status();
  return sqlite::SingleRow<RouteDefinition>(
      select->Bind(project_id, key), [](const Statement& row) { return RouteFromRow(row.TextView(0)); },
      [&] { return RouteNotFound(key); });
}

}  // namespace

Result<ModelVersion> SqliteStore::CreateModelVersion(std::int64_t project_id, const ModelVersion& model,
                                                     const Actor& actor) {
  auto stored = NewModelVersion(model, actor.name, NowTimestamp());
  if (!stored.ok()) return stored.status();
  return Write([&](Connection& writer) -> Result<ModelVersion> {
    const core::Semver order = registry::VersionOrder(stored->version);
    const nlohmann::json json = registry::ModelVersionToJson(*stored);
    Result<Statement> insert = writer.Prepare(
        "INSERT INTO model_versions (project_id, name, version, major, minor, patch, state, definition) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert.ok()) return insert.status();
    Status s = insert
                   ->Bind(project_id, stored->name, stored->version, order.major, order.minor, order.patch,
                          std::string(registry::ModelStateName(stored->state)), DumpJson(json))
                   .Run();
    if (s.code() == StatusCode::kAlreadyExists) return ModelVersionExists(stored->name, stored->version);
    if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
    if (!s.ok()) return s;
    s = AppendAudit(writer, actor,
                    {project_id, "model.register", "model", stored->Reference(), nullptr, json});
    if (!s.ok()) return s;
    auto latest = AliasTarget(writer, project_id, stored->name, registry::kLatestAlias);
    if (!latest.ok()) return latest.status();
    if (registry::MovesLatest(*latest, stored->version)) {
      auto move = MoveAlias(writer, project_id, stored->name, registry::kLatestAlias, stored->version,
                            "registered " + stored->Reference(), actor.name, false);
      if (!move.ok()) return move.status();
      s = AppendAudit(writer, actor,
                      {project_id, "model.alias", "model_alias", stored->name + "@" + registry::kLatestAlias,
                       nullptr, AliasAuditJson(*move)});
      if (!s.ok()) return s;
    }
    return *stored;
  });
}

Result<ModelVersion> SqliteStore::GetModelVersion(std::int64_t project_id, const std::string& name,
                                                  const std::string& version) {
  return Read([&](Connection& reader) { return LoadModel(reader, project_id, name, version); });
}

Result<std::vector<ModelVersion>> SqliteStore::ListModelVersions(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<ModelVersion>> {
    if (Status s = RequireProject(reader, project_id); !s.ok()) return s;
    Result<Statement> select = reader.Prepare(
        "SELECT definition FROM model_versions WHERE project_id = ?1 ORDER BY name, major, minor, patch");
    if (!select.ok()) return select.status();
    return sqlite::CollectRows<ModelVersion>(
        select->Bind(project_id), [](const Statement& row) { return ModelFromRow(row.TextView(0)); });
  });
}

Result<ModelVersion> SqliteStore::TransitionModelVersion(std::int64_t project_id, const std::string& name,
                                                         const std::string& version, registry::ModelState to,
                                                         const std::string& reason, const Actor& actor) {
  return Write([&](Connection& writer) -> Result<ModelVersion> {
    auto model = LoadModel(writer, project_id, name, version);
    if (!model.ok()) return model.status();
    if (Status s = registry::CheckTransition(model->state, to); !s.ok()) return s;
    if (to == registry::ModelState::kArchived) {
      Result<Statement> select = writer.Prepare(
          "SELECT alias FROM model_aliases WHERE project_id = ?1 AND name = ?2 AND version = ?3 ORDER BY "
          "alias");
      if (!select.ok()) return select.status();
      auto aliases = sqlite::CollectRows<std::string>(
          select->Bind(project_id, name, version),
          [](const Statement& row) -> Result<std::string> { return row.Text(0); });
      if (!aliases.ok()) return aliases.status();
      if (!aliases->empty()) return ArchivingAliasTarget(*model, aliases->front());
    }
    nlohmann::json before = TransitionAuditJson(*model, "");
    model->state = to;
    model->state_changed_at = NowTimestamp();
    if (Status s = SaveModel(writer, project_id, *model); !s.ok()) return s;
    Status s = AppendAudit(writer, actor,
                           {project_id, "model.transition", "model", model->Reference(), std::move(before),
                            TransitionAuditJson(*model, reason)});
    if (!s.ok()) return s;
    return model;
  });
}

Result<std::vector<ModelAlias>> SqliteStore::ListModelAliases(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<ModelAlias>> {
    if (Status s = RequireProject(reader, project_id); !s.ok()) return s;
    Result<Statement> select = reader.Prepare(
        "SELECT name, alias, version, updated_at, updated_by FROM model_aliases WHERE project_id = ?1 "
        "ORDER BY name, alias");
    if (!select.ok()) return select.status();
    return sqlite::CollectRows<ModelAlias>(
        select->Bind(project_id), [](const Statement& row) -> Result<ModelAlias> {
          return ModelAlias{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)};
        });
  });
}

Result<AliasMove> SqliteStore::MoveModelAlias(std::int64_t project_id, const std::string& name,
                                              const std::string& alias,
                                              const std::optional<std::string>& version,
                                              const std::string& reason, const Actor& actor) {
  return Write([&](Connection& writer) -> Result<AliasMove> {
    if (Status s = RequireProject(writer, project_id); !s.ok()) return s;
    std::string to;
    if (version) {
      to = *version;
    } else {
      auto history = LoadHistory(writer, project_id, name, alias);
      if (!history.ok()) return history.status();
      if (history->empty()) return ModelAliasNotFound(name, alias);
      auto target = registry::RollbackTarget(name, alias, *history);
      if (!target.ok()) return target.status();
      to = *target;
    }
    auto move = MoveAlias(writer, project_id, name, alias, to, reason, actor.name, !version.has_value());
    if (!move.ok()) return move.status();
    Status s = AppendAudit(writer, actor,
                           {project_id, version ? "model.alias" : "model.rollback", "model_alias",
                            name + "@" + alias, nullptr, AliasAuditJson(*move)});
    if (!s.ok()) return s;
    return move;
  });
}

Result<std::vector<AliasMove>> SqliteStore::ListModelAliasHistory(std::int64_t project_id,
                                                                  const std::string& name,
                                                                  const std::string& alias) {
  return Read([&](Connection& reader) -> Result<std::vector<AliasMove>> {
    if (Status s = RequireProject(reader, project_id); !s.ok()) return s;
    auto history = LoadHistory(reader, project_id, name, alias);
    if (history.ok() && history->empty()) return ModelAliasNotFound(name, alias);
    return history;
  });
}

Result<RouteDefinition> SqliteStore::CreateRoute(std::int64_t project_id, const RouteDefinition& route,
                                                 const Actor& actor) {
  auto canonical = CanonicalRoute(route);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<RouteDefinition> {
    RouteDefinition stored = *canonical;
    stored.version = 1;
    stored.created_at = stored.updated_at = NowTimestamp();
    stored.updated_by = actor.name;
    const nlohmann::json json = registry::RouteToJson(stored);
    Result<Statement> insert = writer.Prepare(
        "INSERT INTO gateway_routes (project_id, key, version, definition) VALUES (?1, ?2, 1, ?3)");
    if (!insert.ok()) return insert.status();
    Status s = insert->Bind(project_id, stored.key, DumpJson(json)).Run();
    if (s.code() == StatusCode::kAlreadyExists) return RouteExists(stored.key);
    if (s.code() == StatusCode::kNotFound) return ProjectNotFound(project_id);
    if (!s.ok()) return s;
    s = AppendAudit(writer, actor, {project_id, "route.create", "route", stored.key, nullptr, json});
    if (!s.ok()) return s;
    return stored;
  });
}

Result<RouteDefinition> SqliteStore::UpdateRoute(std::int64_t project_id, const RouteDefinition& route,
                                                 std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  auto canonical = CanonicalRoute(route);
  if (!canonical.ok()) return canonical.status();
  return Write([&](Connection& writer) -> Result<RouteDefinition> {
    auto before = LoadRoute(writer, project_id, route.key);
    if (!before.ok()) return before.status();
    if (before->version != expected_version)
      return RouteVersionConflict(route.key, before->version, expected_version);
    RouteDefinition stored = *canonical;
    stored.version = before->version + 1;
    stored.created_at = before->created_at;
    stored.updated_at = NowTimestamp();
    stored.updated_by = actor.name;
    const nlohmann::json json = registry::RouteToJson(stored);
    Result<Statement> update = writer.Prepare(
        "UPDATE gateway_routes SET version = ?3, definition = ?4 WHERE project_id = ?1 AND key = ?2");
    if (!update.ok()) return update.status();
    if (Status s = update->Bind(project_id, stored.key, stored.version, DumpJson(json)).Run(); !s.ok())
      return s;
    Status s =
        AppendAudit(writer, actor,
                    {project_id, "route.update", "route", stored.key, registry::RouteToJson(*before), json});
    if (!s.ok()) return s;
    return stored;
  });
}

Status SqliteStore::DeleteRoute(std::int64_t project_id, const std::string& key,
                                std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  return Write([&](Connection& writer) -> Status {
    auto before = LoadRoute(writer, project_id, key);
    if (!before.ok()) return before.status();
    if (before->version != expected_version)
      return RouteVersionConflict(key, before->version, expected_version);
    Result<Statement> remove =
        writer.Prepare("DELETE FROM gateway_routes WHERE project_id = ?1 AND key = ?2");
    if (!remove.ok()) return remove.status();
    if (Status s = remove->Bind(project_id, key).Run(); !s.ok()) return s;
    return AppendAudit(writer, actor,
                       {project_id, "route.delete", "route", key, registry::RouteToJson(*before), nullptr});
  });
}

Result<RouteDefinition> SqliteStore::GetRoute(std::int64_t project_id, const std::string& key) {
  return Read([&](Connection& reader) { return LoadRoute(reader, project_id, key); });
}

Result<std::vector<RouteDefinition>> SqliteStore::ListRoutes(std::int64_t project_id) {
  return Read([&](Connection& reader) -> Result<std::vector<RouteDefinition>> {
    if (Status s = RequireProject(reader, project_id); !s.ok()) return s;
    Result<Statement> select =
        reader.Prepare("SELECT definition FROM gateway_routes WHERE project_id = ?1 ORDER BY key");
    if (!select.ok()) return select.status();
    return sqlite::CollectRows<RouteDefinition>(
        select->Bind(project_id), [](const Statement& row) { return RouteFromRow(row.TextView(0)); });
  });
}

}  // namespace switchyard::store
