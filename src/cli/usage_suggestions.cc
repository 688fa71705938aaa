#include "cli/usage_suggestions.h"

#include <optional>
#include <vector>

#include "core/closest_name.h"

namespace switchyard::cli {
namespace {

// The subcommand the arguments reached: where an unexpected word or option was meant for.
const CLI::App* DeepestParsed(const CLI::App& app) {
  const CLI::App* current = &app;
  for (;;) {
    std::vector<const CLI::App*> parsed = current->get_subcommands([](const CLI::App*) { return true; });
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : parsed) {
      if (sub->parsed()) next = sub;
    }
    if (next == nullptr) return current;
    current = next;
  }
}

std::vector<std::string> LongOptionNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

std::vector<std::string> SubcommandNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::string NameOfOption(const std::string& argument) {
  return argument.substr(0, argument.find('='));  // "--jsn=1" -> "--jsn"
}

}  // namespace

std::string UsageErrorMessage(const CLI::App& app, const CLI::ParseError& error) {
  const std::string message = error.what();
  const CLI::App* command = DeepestParsed(app);
  for (const std::string& argument : app.remaining(true)) {
    if (argument.rfind("--", 0) == 0) {
      const std::string option = NameOfOption(argument);
      if (auto meant = core::ClosestName(option, LongOptionNames(*command))) {
        return message + "; did you mean '" + *meant + "'?";
      }
    } else if (!argument.empty() && argument[0] != '-') {
      std::vector<std::string> commands = SubcommandNames(*command);
      if (commands.empty()) continue;  // a positional argument, not a command name
      if (auto meant = core::ClosestName(argument, commands)) {
        return "unknown command '" + argument + "'; did you mean '" + *meant + "'?";
      }
    }
  }
  return message;
}

}  // namespace switchyard::cli
