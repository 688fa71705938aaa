#include "cli/version_command.h"

#include <iostream>
#include <memory>

#include "cli/cli_options.h"
#include "server/version.h"

namespace switchyard::cli {

std::string VersionLine() {
  return std::string("switchyard ") + server::kVersion;
}

void AddVersionCommand(CLI::App& app) {
  app.set_version_flag("--version", VersionLine(), "Print the version and exit");
  auto global = std::make_shared<GlobalOptions>();
  CLI::App* cmd = app.add_subcommand("version", "Print the version of this binary");
  AddGlobalOptions(cmd, global.get());
  cmd->callback([global] {
    if (global->json) {
      PrintJson(std::cout, nlohmann::json{{"version", server::kVersion}});
    } else {
      std::cout << VersionLine() << "\n";
    }
  });
}

}  // namespace switchyard::cli
