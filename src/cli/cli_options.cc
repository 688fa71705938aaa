#include "cli/cli_options.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>

#include "cli/usage_suggestions.h"
#include "cli/yaml_json.h"

namespace switchyard::cli {

namespace {

constexpr char kGlobalGroup[] = "Global options";

// Shown under every client command's --help, whose own option list does not include them.
constexpr char kGlobalFooter[] =
    "Global options (before or after the command; see switchyard --help):\n"
    "  --url URL [SWITCHYARD_URL], --key KEY [SWITCHYARD_KEY], --project SLUG [SWITCHYARD_PROJECT],\n"
    "  --env ENV [SWITCHYARD_ENV], --json";

// The one definition of the global options, on the root app. Once they are parsed -- before
// any command's callback runs -- it copies them into every client command's GlobalOptions.
class GlobalOptionGroup : public CLI::Option_group {
 public:
  GlobalOptionGroup(std::string description, std::string name, CLI::App* parent)
      : CLI::Option_group(std::move(description), std::move(name), parent) {
    add_option("--url", values_.url, "Server base URL")->envname("SWITCHYARD_URL")->capture_default_str();
    // The key's value is never echoed: no default is captured for --help.
    add_option("--key", values_.key, "API key (admin key to manage, project key to evaluate)")
        ->envname("SWITCHYARD_KEY");
    project_ = add_option("--project", values_.project, "Project slug")
                   ->envname("SWITCHYARD_PROJECT")
                   ->capture_default_str();
    add_option("--env", values_.env,
               "Environment the flag commands read and change (development, staging, production, ...)")
        ->envname("SWITCHYARD_ENV");
    add_flag("--json", values_.json, "Print one JSON document (errors: a JSON object on stderr)");
    parse_complete_callback([this] { Publish(); });
  }

  void Attach(GlobalOptions* view) {
    views_.push_back(view);
    view->project_option = project_;
  }

 private:
  void Publish() {
    for (GlobalOptions* view : views_) {
      *view = values_;
      view->project_option = project_;
    }
  }

  GlobalOptions values_;
  const CLI::Option* project_ = nullptr;
  std::vector<GlobalOptions*> views_;
};

CLI::App* Root(CLI::App* command) {
  while (command->get_parent() != nullptr) command = command->get_parent();
  return command;
}

GlobalOptionGroup* FindGlobalGroup(CLI::App* root) {
  auto found = root->get_subcommands(
      [](CLI::App* sub) { return sub->get_name().empty() && sub->get_group() == kGlobalGroup; });
  return found.empty() ? nullptr : dynamic_cast<GlobalOptionGroup*>(found.front());
}

}  // namespace

void AddGlobalOptions(CLI::App* command, GlobalOptions* options) {
  CLI::App* root = Root(command);
  GlobalOptionGroup* group = FindGlobalGroup(root);
  if (group == nullptr) group = root->add_option_group<GlobalOptionGroup>(kGlobalGroup);
  group->Attach(options);
  // Options the command does not know go up to the root's group, however deep the command is.
  for (CLI::App* app = command; app->get_parent() != nullptr; app = app->get_parent()) app->fallthrough();
  command->footer(kGlobalFooter);
}

bool JsonRequested(const CLI::App& app) {
  const CLI::Option* json = app.get_option_no_throw("--json");
  return json != nullptr && json->count() > 0;
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
  if (global.key.empty()) {
    throw UsageError(
        "no API key: set SWITCHYARD_KEY or pass --key (the server prints its keys on first start)");
  }
  ApiClient api(global.url, global.key);
  CommandContext context{api, global, std::cout};
  Status status = body(context);
  std::cout.flush();
  if (status.ok()) return;
  int http_status = api.last_error_http_status();
  // Say where the setting at fault comes from: the server never saw the request, or refused the key.
  std::string hint;
  if (api.last_call_unanswered()) hint = " (server URL from --url or SWITCHYARD_URL)";
  if (http_status == 401) hint = " (API key from --key or SWITCHYARD_KEY)";
  if (!hint.empty()) status = Status(status.code(), status.message() + hint, status.field());
  if (global.json) {
    std::cerr << ErrorJson(status, http_status).dump() << std::endl;
  } else {
    std::cerr << FormatErrorLine(status, http_status) << std::endl;
  }
  throw CLI::RuntimeError(static_cast<int>(ExitCode::kFailure));
}

int RunApp(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // the command already reported why
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string message = UsageErrorMessage(app, e, std::vector<std::string>(argv + 1, argv + argc));
    if (JsonRequested(app)) {
      std::cerr << nlohmann::json{{"error", {{"code", "usage"}, {"message", message}}}}.dump() << std::endl;
      return static_cast<int>(ExitCode::kUsage);
    }
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

std::string EnvironmentQuery(const GlobalOptions& global, bool more) {
  if (global.env.empty()) return "";
  return std::string(more ? "&" : "?") + "environment=" + PercentEncode(global.env);
}

std::string InEnvironment(const GlobalOptions& global) {
  return global.env.empty() ? "" : " in " + global.env;
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
