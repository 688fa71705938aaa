// `flags export` and `flags apply`: flags-as-code.
//
// apply reads the file and the server's flags, prints the plan, then (unless --dry-run) executes
// it in the plan's order: creates, updates (PUT with the version just read, so a concurrent edit
// fails with 409 instead of being overwritten), deletes (likewise guarded by version). It stops at
// the first failure; what was applied before it stays applied, and re-running apply converges.
// With --env both read and write that environment's targeting (`?environment=ENV`): an export
// holds its active/filters, and an apply changes them there only.
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

Status Execute(const FlagChange& change, const std::string& project, const GlobalOptions& global,
               ApiClient& api) {
  std::string flags_path = ProjectPath(project) + "/flags";
  std::string flag_path = flags_path + "/" + PercentEncode(change.key);
  std::string environment = EnvironmentQuery(global);
  Result<Json> result = Json();
  switch (change.kind) {
    case ChangeKind::kCreate:
      result = api.Post(flags_path + environment, WithoutServerFields(change.desired));
      break;
    case ChangeKind::kUpdate: {
      Json body = WithoutServerFields(change.desired);
      body["version"] = change.base_version;
      result = api.Put(flag_path + environment, body);
      break;
    }
    case ChangeKind::kDelete:
      result = api.Delete(flag_path + "?version=" + std::to_string(change.base_version));
      break;
  }
  if (result.ok()) return Status::Ok();
  static constexpr const char* kVerb[] = {"create", "update", "delete"};
  Status failed = result.status();
  return Status(
      failed.code(),
      std::string(kVerb[static_cast<int>(change.kind)]) + " " + change.key + ": " + failed.message(),
      failed.field());
}

Json PlanJson(const FlagPlan& plan, bool applied) {
  Json out{{"create", Json::array()}, {"update", Json::array()}, {"delete", Json::array()}};
  for (const FlagChange& change : plan.changes) {
    const char* kind = change.kind == ChangeKind::kCreate   ? "create"
                       : change.kind == ChangeKind::kUpdate ? "update"
                                                            : "delete";
    out[kind].push_back(change.key);
  }
  out["unchanged"] = plan.unchanged;
  out["applied"] = applied;
  return out;
}

Status RunApply(const ApplyOptions& o, CommandContext& ctx) {
  Result<std::string> text = ReadInput(o.file);
  if (!text.ok()) return text.status();
  Result<FlagsFile> file = ParseFlagsFile(*text, o.file);
  if (!file.ok()) return file.status();
  std::string project = ApplyProject(o, *file);
  if (o.prune && !o.global.env.empty()) {
    // Refused before anything is applied rather than by the server halfway through the plan.
    throw UsageError("--prune deletes flags from every environment; it cannot be combined with --env");
  }
  Result<Json> current = FetchFlags(ctx.api, project, ctx.global);
  if (!current.ok()) return current.status();
  Result<FlagPlan> plan = PlanApply(file->flags, *current, o.prune);
  if (!plan.ok())
    return Status::InvalidArgument(o.file + ": " + plan.status().message(), plan.status().field());
  if (!ctx.global.json) ctx.out << RenderPlan(*plan);
  bool apply = !o.dry_run && !plan->changes.empty();
  for (std::size_t i = 0; apply && i < plan->changes.size(); ++i) {
    if (Status s = Execute(plan->changes[i], project, ctx.global, ctx.api); !s.ok()) {
      if (!ctx.global.json)
        ctx.out << "applied " << i << " of " << Plural(plan->changes.size(), "change") << "\n";
      return s;
    }
  }
  if (ctx.global.json) {
    PrintJson(ctx.out, PlanJson(*plan, apply));
  } else if (o.dry_run) {
    ctx.out << "dry run: nothing applied\n";
  } else if (apply) {
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
