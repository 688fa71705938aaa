#include "server/serve_command.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/run_server.h"
#include "server/server_config.h"

extern char** environ;

namespace switchyard::server {
namespace {

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

struct ServeOptions {
  std::string config_file;
  std::vector<std::pair<std::string, std::string>> flags;  // name, value (stable addresses)
};

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto* serve = app.add_subcommand("serve", "Run the Switchyard server");
  auto options = std::make_shared<ServeOptions>();
  auto specs = ConfigFlags();
  options->flags.reserve(specs.size());
  auto* config_option =
      serve->add_option("--config", options->config_file, "YAML configuration file [SWITCHYARD_CONFIG]");
  std::vector<CLI::Option*> flag_options;
  for (const auto& spec : specs) {
    options->flags.emplace_back(spec.name, "");
    flag_options.push_back(serve->add_option("--" + spec.name, options->flags.back().second, spec.help));
  }
  serve->callback([options, config_option, flag_options] {
    ConfigSources sources;
    if (config_option->count() > 0) sources.config_file = options->config_file;
    sources.environment = ProcessEnvironment();
    for (size_t i = 0; i < flag_options.size(); ++i) {
      if (flag_options[i]->count() > 0) sources.flags[options->flags[i].first] = options->flags[i].second;
    }
    auto config = ResolveServerConfig(sources);
    if (!config.ok()) {
      std::fprintf(stderr, "switchyard: invalid configuration: %s\n", config.status().message().c_str());
      throw CLI::RuntimeError(2);
    }
    int code = RunServer(*config);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace switchyard::server
