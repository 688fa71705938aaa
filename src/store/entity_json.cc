#include "store/entity_json.h"

#include "switchyard/flag_json.h"

namespace switchyard::store {

using nlohmann::json;

std::string_view KeyScopeName(KeyScope scope) {
  switch (scope) {
    case KeyScope::kAdmin: return "admin";
    case KeyScope::kProject: return "project";
    case KeyScope::kSecret: return "secret";
  }
  return "project";
}

Result<KeyScope> KeyScopeFromName(std::string_view name) {
  if (name == "admin") return KeyScope::kAdmin;
  if (name == "project") return KeyScope::kProject;
  if (name == "secret") return KeyScope::kSecret;
  return Status::Corruption("unknown API key scope '" + std::string(name) + "'");
}

json ProjectAuditJson(const Project& project) {
  return json{{"id", project.id}, {"slug", project.slug}, {"name", project.name}};
}

json ApiKeyAuditJson(const ApiKey& key) {
  json out{{"id", key.id},          {"label", key.label},
           {"prefix", key.prefix},  {"scope", KeyScopeName(key.scope)},
           {"project_id", nullptr}, {"revoked", key.revoked}};
  if (key.project_id) out["project_id"] = *key.project_id;
  if (key.environment_id) out["environment_id"] = *key.environment_id;
  return out;
}

json FlagAuditJson(const FlagRecord& record) {
  json out = FlagToJson(record.flag);
  out.erase("active");
  out.erase("filters");
  json environments = json::object();
  for (const auto& [key, targeting] : record.environments) environments[key] = TargetingToJson(targeting);
  out["environments"] = std::move(environments);
  if (record.archived) {
    out["archived"] = true;
    out["archived_at"] = record.archived_at;
  }
  return out;
}

std::string FlagUpdateAction(bool was_archived, bool archived) {
  if (was_archived == archived) return "flag.update";
  return archived ? "flag.archive" : "flag.unarchive";
}

Status ReadStoredFlag(const json& stored, std::string_view what, FlagRecord* record) {
  auto corrupt = [&](const Status& status) {
    return Status::Corruption("stored " + std::string(what) + " cannot be read: " + status.ToString());
  };
  if (!stored.is_object()) return corrupt(Status::InvalidArgument("not an object"));
  json definition = stored;
  json environments = json::object();
  if (auto it = definition.find("environments"); it != definition.end()) {
    environments = std::move(*it);
    definition.erase(it);
  }
  const json archived = definition.value("archived", json());
  const json archived_at = definition.value("archived_at", json());
  record->archived = archived.is_boolean() && archived.get<bool>();
  record->archived_at = record->archived && archived_at.is_string() ? archived_at.get<std::string>() : "";
  definition.erase("archived");
  definition.erase("archived_at");
  Result<Flag> flag = FlagFromJson(definition);
  if (!flag.ok()) return corrupt(flag.status());
  record->flag = DefinitionOf(std::move(*flag));
  record->environments.clear();
  if (!environments.is_object()) return corrupt(Status::InvalidArgument("environments is not an object"));
  for (const auto& [key, value] : environments.items()) {
    Result<FlagTargeting> targeting = TargetingFromJson(value, "environments." + key);
    if (!targeting.ok()) return corrupt(targeting.status());
    record->environments.emplace(key, std::move(*targeting));
  }
  return Status::Ok();
}

json FlagScheduleAuditJson(const FlagSchedule& schedule) {
  return json{{"id", schedule.id},
              {"environment", schedule.environment.empty() ? json() : json(schedule.environment)},
              {"at", schedule.at},
              {"change", schedule.change},
              {"status", schedule.status}};
}

json EnvironmentAuditJson(const Environment& environment) {
  return json{{"id", environment.id}, {"key", environment.key}, {"name", environment.name}};
}

json CohortAuditJson(const Cohort& cohort, std::int64_t version) {
  json out = CohortToJson(cohort);
  out["version"] = version;
  return out;
}

std::string DumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<json> ParseStoredJson(std::string_view text, std::string_view what) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Corruption("stored " + std::string(what) + " is not valid JSON");
  return parsed;
}

}  // namespace switchyard::store
