#include "server/bootstrap.h"

#include "server/api_key.h"

namespace switchyard::server {
namespace {

const store::Actor kBootstrapActor{"system:bootstrap"};

Result<store::ApiKey> CreateKey(store::Store& store, store::KeyScope scope,
                                std::optional<std::int64_t> project_id, const std::string& plaintext,
                                const std::string& label) {
  store::ApiKey key;
  key.scope = scope;
  key.project_id = project_id;
  key.label = label;
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  return store.CreateApiKey(key, kBootstrapActor);
}

}  // namespace

Result<BootstrapResult> BootstrapIfEmpty(store::Store& store, const ServerConfig& config) {
  BootstrapResult result;
  auto projects = store.ListProjects();
  if (!projects.ok()) return projects.status();
  auto keys = store.ListApiKeys();
  if (!keys.ok()) return keys.status();
  if (!projects->empty() || !keys->empty()) return result;

  result.first_start = true;
  std::string admin_key = config.admin_key.value_or(GenerateApiKey(store::KeyScope::kAdmin));
  std::string project_key = config.project_key.value_or(GenerateApiKey(store::KeyScope::kProject));
  if (!config.admin_key) result.generated_admin_key = admin_key;
  if (!config.project_key) result.generated_project_key = project_key;

  auto admin = CreateKey(store, store::KeyScope::kAdmin, std::nullopt, admin_key, "bootstrap admin");
  if (!admin.ok()) return admin.status();
  auto project = store.CreateProject("default", "Default project", kBootstrapActor);
  if (!project.ok()) return project.status();
  auto project_api_key = CreateKey(store, store::KeyScope::kProject, project->id, project_key, "default");
  if (!project_api_key.ok()) return project_api_key.status();
  return result;
}

std::string BootstrapBanner(const BootstrapResult& result) {
  if (!result.first_start) return {};
  std::string out = "First start: created the project \"default\" with an admin key and a project key.\n";
  auto line = [](const char* what, const std::optional<std::string>& key, const char* env) {
    return std::string("  ") + what + (key ? *key : std::string("(the one in ") + env + ")") + "\n";
  };
  out += line("admin key:           ", result.generated_admin_key, "SWITCHYARD_ADMIN_KEY");
  out += line("default project key: ", result.generated_project_key, "SWITCHYARD_PROJECT_KEY");
  if (result.generated_admin_key || result.generated_project_key) {
    out += "Only their hashes are stored: copy them now, they are not shown again.\n";
  }
  return out;
}

}  // namespace switchyard::server
