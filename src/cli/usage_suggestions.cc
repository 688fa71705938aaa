#include "cli/usage_suggestions.h"

#include <optional>
#include <vector>

#include "core/closest_name.h"

namespace switchyard::cli {
namespace {

// Options of `command`, including those of its option groups (CLI11 keeps a group as a nameless
// subcommand).
std::vector<const CLI::Option*> OptionsOf(const CLI::App& command) {
  std::vector<const CLI::Option*> options = command.get_options();
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) continue;
    for (const CLI::Option* option : OptionsOf(*sub)) options.push_back(option);
  }
  return options;
}

std::vector<std::string> LongOptionNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : OptionsOf(command)) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

std::vector<std::string> SubcommandNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  }
  return names;
}

std::string NameOfOption(const std::string& argument) {
  return argument.substr(0, argument.find('='));  // "--jsn=1" -> "--jsn"
}

}  // namespace

// The option named `name` on `command` or, as global options fall through, on the root.
const CLI::Option* FindLongOption(const CLI::App& command, const CLI::App& root, const std::string& name) {
  for (const CLI::App* where : {&command, &root}) {
    for (const CLI::Option* option : OptionsOf(*where)) {
      for (const std::string& long_name : option->get_lnames()) {
        if ("--" + long_name == name) return option;
      }
    }
  }
  return nullptr;
}

std::string UsageErrorMessage(const CLI::App& app, const CLI::ParseError& error,
                              const std::vector<std::string>& arguments) {
  const std::string message = error.what();
  const CLI::App* command = &app;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--") break;
    if (argument.rfind("--", 0) == 0) {
      const std::string option = NameOfOption(argument);
      const CLI::Option* known = FindLongOption(*command, app, option);
      if (known == nullptr) {
        std::vector<std::string> names = LongOptionNames(*command);
        for (std::string& name : LongOptionNames(app)) names.push_back(std::move(name));
        if (auto meant = core::ClosestName(option, names)) {
          return "unknown option " + option + "; did you mean '" + *meant + "'?";
        }
        continue;
      }
      // Skip the option's value when it takes one and it was not given with '='.
      if (known->get_expected_min() > 0 && argument.find('=') == std::string::npos) ++i;
      continue;
    }
    if (argument.empty() || argument[0] == '-') continue;
    std::vector<std::string> commands = SubcommandNames(*command);
    if (commands.empty()) continue;  // a positional argument, not a command name
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == argument) next = sub;
    }
    if (next != nullptr) {
      command = next;
      continue;
    }
    if (auto meant = core::ClosestName(argument, commands)) {
      return "unknown command '" + argument + "'; did you mean '" + *meant + "'?";
    }
    return message;
  }
  return message;
}

}  // namespace switchyard::cli
