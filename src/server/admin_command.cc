#include "server/admin_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "server/api_key.h"
#include "server/run_server.h"
#include "store/sqlite_store.h"

namespace switchyard::server {

Result<std::string> IssueRecoveryAdminKey(store::Store& store) {
  std::string plaintext = GenerateApiKey(store::KeyScope::kAdmin);
  store::ApiKey key;
  key.scope = store::KeyScope::kAdmin;
  key.label = "reset-key";
  key.prefix = ApiKeyPrefix(plaintext);
  key.hash_hex = HashApiKey(plaintext);
  auto created = store.CreateApiKey(key, store::Actor{"system:reset-key"});
  if (!created.ok()) return created.status();
  return plaintext;
}

namespace {

int ResetKey(const std::string& data_dir) {
  const std::string path = DatabasePath(data_dir);
  // Opening would create an empty database: a mistyped directory must not look like success.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::fprintf(stderr, "switchyard: no database at %s (is --data-dir the server's data directory?)\n",
                 path.c_str());
    return 1;
  }
  auto store = store::OpenSqliteStore(path);
  if (!store.ok()) {
    std::fprintf(stderr, "switchyard: cannot open %s: %s\n", path.c_str(), store.status().ToString().c_str());
    return 1;
  }
  auto key = IssueRecoveryAdminKey(**store);
  if (!key.ok()) {
    std::fprintf(stderr, "switchyard: cannot store a new admin key: %s\n", key.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "New admin key: %s\n"
      "Only its hash is stored: copy it now, it is not shown again. Other keys are unchanged.\n"
      "A running server loads keys at start: restart it to accept the new key.\n",
      key->c_str());
  return 0;
}

}  // namespace

void AddAdminCommand(CLI::App& app) {
  auto* admin =
      app.add_subcommand("admin", "Offline maintenance on the server's data directory (run on the host)");
  admin->require_subcommand(1);
  auto* reset = admin->add_subcommand("reset-key", "Issue a new admin key (when every admin key is lost)");
  auto data_dir = std::make_shared<std::string>("./data");
  reset->add_option("--data-dir", *data_dir, "the server's data directory [SWITCHYARD_DATA_DIR]")
      ->envname("SWITCHYARD_DATA_DIR")
      ->capture_default_str();
  reset->callback([data_dir] {
    int code = ResetKey(*data_dir);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace switchyard::server
