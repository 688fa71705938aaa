#include "server/bootstrap.h"

#include "server/api_key.h"

namespace switchyard::server {
namespace {

const store::Actor kBootstrapActor{"system:bootstrap"};

store::ApiKey NewKey(store::KeyScope scope, const std::string& plaintext, const std::string& label) {
  store::ApiKey key;
  key.scope = scope;
  key.label = label;
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  return key;
}

}  // namespace

Result<BootstrapResult> BootstrapIfEmpty(store::Store& store, const ServerConfig& config) {
  BootstrapResult result;
  auto projects = store.ListProjects();
  if (!projects.ok()) return projects.status();
  auto keys = store.ListApiKeys();
  if (!keys.ok()) return keys.status();
  if (!projects->empty() || !keys->empty()) return result;

  std::string admin_key = config.admin_key.value_or(GenerateApiKey(store::KeyScope::kAdmin));
  std::string project_key = config.project_key.value_or(GenerateApiKey(store::KeyScope::kProject));
  store::BootstrapRequest request{NewKey(store::KeyScope::kAdmin, admin_key, "bootstrap admin"), "default",
                                  "Default project",
                                  NewKey(store::KeyScope::kProject, project_key, "default")};
  // One transaction: if it fails, nothing is stored and the next start bootstraps again, so a
  // generated key that was never shown can never be the only admin key.
  auto written = store.Bootstrap(request, kBootstrapActor);
  if (written.status().code() == StatusCode::kConflict) return result;  // another process was first
  if (!written.ok()) return written.status();
  result.first_start = true;
  if (!config.admin_key) result.generated_admin_key = admin_key;
  if (!config.project_key) result.generated_project_key = project_key;
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
