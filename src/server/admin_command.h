// `switchyard admin`: offline maintenance run on the host, against the data directory, with no
// server and no API key. Today one command: `admin reset-key`, the way back in when every admin
// key is lost (or was never shown).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "store/store.h"
#include "switchyard/status.h"

namespace switchyard::server {

// Stores a new admin key (its hash; audited as "system:reset-key") and returns its plaintext.
// Every other key, revoked or not, is left as it is.
Result<std::string> IssueRecoveryAdminKey(store::Store& store);

// Registers `admin` and its subcommands on `app`.
void AddAdminCommand(CLI::App& app);

}  // namespace switchyard::server
