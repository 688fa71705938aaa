// What every client command shares: the global options, the API client built from them, the
// one-line error report, and the mapping of outcomes to exit codes.
//
// Design: `--url`/`--key`/`--project`/`--env`/`--json` are defined once, in an option group of the root
// app, and every client command falls through to it (CLI11's fallthrough), so they work before or
// after the subcommand (`switchyard --json flags list`, `switchyard flags list --json`). Each leaf
// command still owns a GlobalOptions (held by its callback through a shared_ptr): the group copies
// what was parsed into all of them before any command runs, so command code reads its own struct.
// A command body returns a Status; RunClientCommand prints a failure as the single stderr line
// "error: <message> (field <f>) [HTTP <status>]" -- or, with --json, the JSON error object
// {"error":{"code","message",...}} -- and ends with exit code 1. Usage mistakes found by the
// command itself throw UsageError, which main() treats like CLI11's own: exit code 2.
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
  std::string env;  // empty: the server's default (flag reads show every environment)
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

// Makes `command` a client command: the global options (created on the root app by the first
// call) work anywhere on its command line, fill `*options` after parsing, and are listed in its
// --help footer. `options` must outlive the app (commands keep theirs in a shared_ptr).
void AddGlobalOptions(CLI::App* command, GlobalOptions* options);

// Whether --json was given (a usage error is then reported as a JSON object too).
bool JsonRequested(const CLI::App& app);

// Accepts a number from 0 to 100 (fractions allowed), with a message that says so.
CLI::Validator PercentValidator();

// "1 change", "2 changes".
std::string Plural(std::size_t count, const std::string& noun);

struct CommandContext {
  ApiClient& api;
  const GlobalOptions& global;
  std::ostream& out;
};

// Builds the ApiClient, runs `body`, and on failure prints the error line (or the JSON error
// object with --json) and throws CLI::RuntimeError(1), which main() turns into the exit code.
// Without a key it throws UsageError naming SWITCHYARD_KEY and --key: no request is sent.
void RunClientCommand(const GlobalOptions& global, const std::function<Status(CommandContext&)>& body);

// Parses argv with `app` and maps every outcome to an exit code (help: 0, usage: 2, failure: 1).
int RunApp(CLI::App& app, int argc, char** argv);

// "/api/v1/projects/<project>" with the slug percent-encoded.
std::string ProjectPath(std::string_view project);
inline std::string ProjectPath(const GlobalOptions& global) {
  return ProjectPath(global.project);
}

// "?environment=ENV" (or "&..." when `more` is true, to follow other parameters) when --env was
// given, else "": the flag routes then apply to that environment only.
std::string EnvironmentQuery(const GlobalOptions& global, bool more = false);

// " in ENV" when --env was given, else "": appended to what a write command reports.
std::string InEnvironment(const GlobalOptions& global);

// Prints `value` as indented JSON (the --json output).
void PrintJson(std::ostream& out, const nlohmann::json& value);

// Reads a whole file, or standard input for "-".
Result<std::string> ReadInput(const std::string& path);
// Writes a whole file (replacing it), or standard output for "-".
Status WriteOutput(const std::string& path, std::string_view text);

// Parses a JSON document, or YAML when it is not JSON; errors name `origin` (a file name).
Result<nlohmann::json> ParseJsonOrYaml(std::string_view text, const std::string& origin);

}  // namespace switchyard::cli
