#include "store/entity_json.h"

#include "switchyard/flag_json.h"

namespace switchyard::store {

using nlohmann::json;

std::string_view KeyScopeName(KeyScope scope) {
  switch (scope) {
    case KeyScope::kAdmin: return "admin";
    case KeyScope::kProject: return "project";
  }
  return "project";
}

Result<KeyScope> KeyScopeFromName(std::string_view name) {
  if (name == "admin") return KeyScope::kAdmin;
  if (name == "project") return KeyScope::kProject;
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
  return out;
}

json FlagAuditJson(const Flag& flag) {
  return FlagToJson(flag);
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
