// First start: an empty store gets the "default" project, an admin key and a project key.
#pragma once

#include <optional>
#include <string>

#include "server/server_config.h"
#include "store/store.h"

namespace switchyard::server {

struct BootstrapResult {
  bool first_start = false;
  // Plaintext of keys this start generated (absent when the key came from the configuration).
  std::optional<std::string> generated_admin_key;
  std::optional<std::string> generated_project_key;
};

Result<BootstrapResult> BootstrapIfEmpty(store::Store& store, const ServerConfig& config);

// The first-start banner for stdout (not the log): the generated keys, shown once.
std::string BootstrapBanner(const BootstrapResult& result);

}  // namespace switchyard::server
