// Runs the server with a resolved configuration until SIGTERM/SIGINT; returns the exit code.
#pragma once

#include <string>

#include "server/server_config.h"

namespace switchyard::server {

// The SQLite database inside a data directory (shared with `switchyard admin`).
std::string DatabasePath(const std::string& data_dir);

int RunServer(const ServerConfig& config);

}  // namespace switchyard::server
