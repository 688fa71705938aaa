// `flags export` and `flags apply`: flags-as-code.
//
// apply sends the whole file to the server (POST .../flags/apply), which plans it against the
// stored flags, checks every flag as a flag write would, and writes the plan in one transaction,
// all or nothing. The CLI prints the plan; with problems it lists every one of them, and nothing
// is applied. --dry-run asks the server for the same answer without writing, so it reports exactly
// what the real apply would do, including every error. With --env both export and apply are about
// that environment's targeting (`?environment=ENV`).
#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_diff.h"
#include "cli/flag_edits.h"
#include "cli/flags_commands.h"
#include "cli/flags_file.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

Result<Json> FetchFlags(ApiClient& api, const std::string& project, const GlobalOptions& global) {
  Result<Json> response = api.GetList(ProjectPath(project) + "/flags" + EnvironmentQuery(global), "flags");
  if (!response.ok()) return response.status();
  if (!response->contains("flags") || !(*response)["flags"].is_array()) {
    return Status::Internal("the server's flag list has no \"flags\" array");
  }
  return (*response)["flags"];
}

struct ExportOptions {
  GlobalOptions global;
  std::string file;
};

void AddExport(CLI::App* flags) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = flags->add_subcommand("export", "Write the project's flags as a flags-as-code YAML file");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("FILE", o->file, "Output file ('-' for standard output)")->required();
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      Result<Json> current = FetchFlags(ctx.api, ctx.global.project, ctx.global);
      if (!current.ok()) return current.status();
      std::string text = ctx.global.json
                             ? Json{{"project", ctx.global.project}, {"flags", *current}}.dump(2) + "\n"
                             : RenderFlagsFile(ctx.global.project, *current);
      if (Status s = WriteOutput(o->file, text); !s.ok()) return s;
      if (o->file == "-") return Status::Ok();  // the file is the output
      if (ctx.global.json) {
        PrintJson(ctx.out, Json{{"exported", current->size()}, {"file", o->file}});
      } else {
        ctx.out << "exported " << Plural(current->size(), "flag") << " to " << o->file << "\n";
      }
      return Status::Ok();
    });
  });
}

struct ApplyOptions {
  GlobalOptions global;
  std::string file;
  bool dry_run = false;
  bool prune = false;
};

// The project to apply to: the file's, unless --project names a different one (a mistake).
std::string ApplyProject(const ApplyOptions& o, const FlagsFile& file) {
  if (file.project.empty()) return o.global.project;
  if (o.global.project_given() && o.global.project != file.project) {
    throw UsageError(o.file + " is for project '" + file.project + "' but --project is '" + o.global.project +
                     "'");
  }
  return file.project;
}

// "FILE: flags[1] (checkout): unknown field ... (field flags[1].filters...)".
std::string ProblemLine(const std::string& file, const Json& error) {
  std::string line = file + ": ";
  if (error.contains("key") && error["key"].is_string()) {
    line += "flag '" + error["key"].get<std::string>() + "': ";
  }
  line += error.value("message", "invalid");
  if (error.contains("field") && error["field"].is_string())
    line += " (field " + error["field"].get<std::string>() + ")";
  return line;
}

// The 422 of an apply with problems: each problem listed, then one error line for the first.
Status ReportProblems(const ApplyOptions& o, CommandContext& ctx, const Status& failed) {
  const Json& answer = ctx.api.last_error_body();
  if (!answer.is_object() || !answer.contains("errors") || !answer["errors"].is_array() ||
      answer["errors"].empty()) {
    return failed;
  }
  const Json& errors = answer["errors"];
  if (ctx.global.json) {
    PrintJson(ctx.out, answer);
  } else if (errors.size() > 1) {
    ctx.out << errors.size() << " problems; nothing was applied:\n";
    for (const Json& error : errors) ctx.out << "  " << ProblemLine(o.file, error) << "\n";
  }
  const Json& first = errors[0];
  std::string message = ProblemLine(o.file, first);
  message = message.substr(0, message.rfind(" (field "));  // the error line names the field itself
  if (errors.size() > 1) message += " (and " + Plural(errors.size() - 1, "more problem") + ", listed above)";
  return Status(StatusCode::kInvalidArgument, message, first.value("field", ""));
}

Status RunApply(const ApplyOptions& o, CommandContext& ctx) {
  Result<std::string> text = ReadInput(o.file);
  if (!text.ok()) return text.status();
  Result<FlagsFile> file = ParseFlagsFile(*text, o.file);
  if (!file.ok()) return file.status();
  std::string project = ApplyProject(o, *file);
  if (o.prune && !o.global.env.empty()) {
    throw UsageError("--prune deletes flags from every environment; it cannot be combined with --env");
  }
  Json body{{"flags", file->flags}, {"prune", o.prune}, {"dry_run", o.dry_run}};
  Result<Json> answer =
      ctx.api.Post(ProjectPath(project) + "/flags/apply" + EnvironmentQuery(ctx.global), body);
  if (!answer.ok()) {
    if (ctx.api.last_error_http_status() == 422) return ReportProblems(o, ctx, answer.status());
    return answer.status();
  }
  if (ctx.global.json) {
    PrintJson(ctx.out, *answer);
    return Status::Ok();
  }
  Result<FlagPlan> plan = PlanFromAnswer(*answer);
  if (!plan.ok()) return plan.status();
  ctx.out << RenderPlan(*plan);
  if (o.dry_run) {
    ctx.out << "dry run: nothing applied\n";
  } else if (answer->value("applied", false)) {
    ctx.out << "applied " << Plural(plan->changes.size(), "change") << "\n";
  }
  return Status::Ok();
}

void AddApply(CLI::App* flags) {
  auto o = std::make_shared<ApplyOptions>();
  CLI::App* cmd = flags->add_subcommand("apply", "Make the server's flags match a flags-as-code YAML file");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("FILE", o->file, "Flags-as-code file ('-' for standard input)")->required();
  cmd->add_flag("--dry-run", o->dry_run, "Only print the changes");
  cmd->add_flag("--prune", o->prune, "Also delete flags the file does not define");
  cmd->callback([o] { RunClientCommand(o->global, [&](CommandContext& ctx) { return RunApply(*o, ctx); }); });
}

}  // namespace

void AddFlagsAsCodeCommands(CLI::App* flags) {
  AddExport(flags);
  AddApply(flags);
}

}  // namespace switchyard::cli
