// The `switchyard` binary: `serve` (src/server) plus the client commands (src/cli).
#include <CLI/CLI.hpp>

#include "server/serve_command.h"

int main(int argc, char** argv) {
  CLI::App app{"switchyard: a self-hosted feature-flag server and its command-line client", "switchyard"};
  app.require_subcommand(1);
  switchyard::server::AddServeCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
