// The `switchyard` binary: `serve` and `admin` (src/server) plus the client commands (src/cli).
//
// Exit codes: 0 success, 1 a server or network failure (reported as one stderr line, or a JSON
// object with --json), 2 a usage error. `serve` exits the process itself with the server's status.
// The client commands' global options (--url, --key, --project, --env, --json) may come before or after
// the command; `serve` and `admin` run on the server's host and take none of them.
#include <CLI/CLI.hpp>

#include "cli/audit_command.h"
#include "cli/cli_options.h"
#include "cli/envs_commands.h"
#include "cli/evaluate_command.h"
#include "cli/events_commands.h"
#include "cli/experiments_commands.h"
#include "cli/flags_commands.h"
#include "cli/import_commands.h"
#include "cli/metrics_commands.h"
#include "cli/models_commands.h"
#include "cli/projects_commands.h"
#include "cli/routes_commands.h"
#include "cli/stats_commands.h"
#include "cli/top_command.h"
#include "cli/version_command.h"
#include "server/admin_command.h"
#include "server/serve_command.h"

int main(int argc, char** argv) {
  CLI::App app{"switchyard: a self-hosted feature-flag server and its command-line client", "switchyard"};
  app.require_subcommand(1);
  switchyard::server::AddServeCommand(app);
  switchyard::server::AddAdminCommand(app);
  switchyard::cli::AddFlagsCommands(app);
  switchyard::cli::AddEvaluateCommand(app);
  switchyard::cli::AddAuditCommand(app);
  switchyard::cli::AddProjectsCommands(app);
  switchyard::cli::AddKeysCommands(app);
  switchyard::cli::AddEnvsCommands(app);
  switchyard::cli::AddMetricsCommands(app);
  switchyard::cli::AddEventsCommands(app);
  switchyard::cli::AddStatsCommands(app);
  switchyard::cli::AddExperimentsCommands(app);
  switchyard::cli::AddVersionCommand(app);
  switchyard::cli::AddImportCommands(app);
  switchyard::cli::AddTopCommand(app);
  switchyard::cli::AddModelsCommands(app);
  switchyard::cli::AddRoutesCommands(app);
  return switchyard::cli::RunApp(app, argc, argv);
}
