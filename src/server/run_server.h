// Runs the server with a resolved configuration until SIGTERM/SIGINT; returns the exit code.
#pragma once

#include "server/server_config.h"

namespace switchyard::server {

int RunServer(const ServerConfig& config);

}  // namespace switchyard::server
