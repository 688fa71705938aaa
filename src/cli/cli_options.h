// What every client command shares: the global options, the API client built from them, the
// one-line error report, and the mapping of outcomes to exit codes.
//
// Design: each leaf command owns its own GlobalOptions (held by its callback through a
// shared_ptr), so `--url`/`--key`/`--project`/`--json` appear in that command's --help and
// whether `--project` was given explicitly is known per command. A command body returns a
// Status; RunClientCommand prints a failure as the single stderr line
// "error: <message> (field <f>) [HTTP <status>]" and ends with exit code 1. Usage mistakes found
// by the command itself throw UsageError, which main() treats like CLI11's own: exit code 2.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/api_client.h"
#include "switchyard/status.h"

namespace switchyard::cli {

inline constexpr char kDefaultUrl[] = "http://127.0.0.1:8000";
inline constexpr char kDefaultProject[] = "default";

enum class ExitCode : int { kOk = 0, kFailure = 1, kUsage = 2 };

struct GlobalOptions {
  std::string url = kDefaultUrl;
  std::string key;
  std::string project = kDefaultProject;
  bool json = false;
  const CLI::Option* project_option = nullptr;

  // True when --project or SWITCHYARD_PROJECT was given rather than defaulted.
  bool project_given() const { return project_option != nullptr && project_option->count() > 0; }
};

// A mistake in how the command was invoked that CLI11 itself cannot see (e.g. "--variant a=x").
class UsageError : public CLI::ValidationError {
 public:
  explicit UsageError(std::string message) : CLI::ValidationError(std::move(message)) {}
};

void AddGlobalOptions(CLI::App* command, GlobalOptions* options);

// Accepts a number from 0 to 100 (fractions allowed), with a message that says so.
CLI::Validator PercentValidator();

// "1 change", "2 changes".
std::string Plural(std::size_t count, const std::string& noun);

struct CommandContext {
  ApiClient& api;
  const GlobalOptions& global;
  std::ostream& out;
};

// Builds the ApiClient, runs `body`, and on failure prints the error line and throws
// CLI::RuntimeError(1), which main() turns into the exit code.
void RunClientCommand(const GlobalOptions& global, const std::function<Status(CommandContext&)>& body);

// Parses argv with `app` and maps every outcome to an exit code (help: 0, usage: 2, failure: 1).
int RunApp(CLI::App& app, int argc, char** argv);

// "/api/v1/projects/<project>" with the slug percent-encoded.
std::string ProjectPath(std::string_view project);
inline std::string ProjectPath(const GlobalOptions& global) {
  return ProjectPath(global.project);
}

// Prints `value` as indented JSON (the --json output).
void PrintJson(std::ostream& out, const nlohmann::json& value);

// Reads a whole file, or standard input for "-".
Result<std::string> ReadInput(const std::string& path);
// Writes a whole file (replacing it), or standard output for "-".
Status WriteOutput(const std::string& path, std::string_view text);

// Parses a JSON document, or YAML when it is not JSON; errors name `origin` (a file name).
Result<nlohmann::json> ParseJsonOrYaml(std::string_view text, const std::string& origin);

}  // namespace switchyard::cli
