#include "cli/cli_options.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/usage_suggestions.h"
#include "cli/yaml_json.h"

namespace switchyard::cli {

void AddGlobalOptions(CLI::App* command, GlobalOptions* options) {
  command->add_option("--url", options->url, "Server base URL")
      ->envname("SWITCHYARD_URL")
      ->capture_default_str()
      ->group("Connection");
  // The key's value is never echoed: no default is captured for --help.
  command->add_option("--key", options->key, "API key (admin key to manage, project key to evaluate)")
      ->envname("SWITCHYARD_KEY")
      ->group("Connection");
  options->project_option = command->add_option("--project", options->project, "Project slug")
                                ->envname("SWITCHYARD_PROJECT")
                                ->capture_default_str()
                                ->group("Connection");
  command->add_flag("--json", options->json, "Print the server's JSON instead of a table");
}

CLI::Validator PercentValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        bool ok = CLI::detail::lexical_cast(text, value) && value >= 0 && value <= 100;
        return ok ? std::string() : "'" + text + "' is not a percentage from 0 to 100";
      },
      "PCT");
}

std::string Plural(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void RunClientCommand(const GlobalOptions& global, const std::function<Status(CommandContext&)>& body) {
  ApiClient api(global.url, global.key);
  CommandContext context{api, global, std::cout};
  Status status = body(context);
  std::cout.flush();
  if (status.ok()) return;
  std::cerr << FormatErrorLine(status, api.last_error_http_status()) << std::endl;
  throw CLI::RuntimeError(static_cast<int>(ExitCode::kFailure));
}

int RunApp(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // the command already reported why
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string message = UsageErrorMessage(app, e);
    for (char& c : message) {
      if (c == '\n') c = ' ';
    }
    std::cerr << "error: " << message << " (see --help)" << std::endl;
    return static_cast<int>(ExitCode::kUsage);
  }
  return static_cast<int>(ExitCode::kOk);
}

std::string ProjectPath(std::string_view project) {
  return "/api/v1/projects/" + PercentEncode(project);
}

void PrintJson(std::ostream& out, const nlohmann::json& value) {
  out << value.dump(2) << "\n";
}

Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::InvalidArgument("cannot read " + path);
  return text.str();
}

Status WriteOutput(const std::string& path, std::string_view text) {
  if (path == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? Status::Ok() : Status::Internal("cannot write to standard output");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return out ? Status::Ok() : Status::InvalidArgument("cannot write " + path);
}

Result<nlohmann::json> ParseJsonOrYaml(std::string_view text, const std::string& origin) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded()) return parsed;
  Result<nlohmann::json> yaml = ParseYaml(text);
  if (!yaml.ok()) return Status::InvalidArgument(origin + ": " + yaml.status().message());
  return yaml;
}

}  // namespace switchyard::cli
