// `flags list` and `flags get`, and the `flags` command itself.
#include "cli/flags_commands.h"

#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct ListOptions {
  GlobalOptions global;
  std::string tag;
  bool active = false;
  bool inactive = false;
  bool archived = false;
  bool include_archived = false;
  std::string search;
};

std::string ListQuery(const ListOptions& options) {
  std::string query;
  auto add = [&query](const std::string& name, const std::string& value) {
    query += (query.empty() ? "?" : "&") + name + "=" + PercentEncode(value);
  };
  if (!options.tag.empty()) add("tag", options.tag);
  if (options.active) add("active", "true");
  if (options.inactive) add("active", "false");
  if (!options.search.empty()) add("q", options.search);
  if (options.archived) add("archived", "true");
  if (options.include_archived) add("archived", "any");
  return query + EnvironmentQuery(options.global, !query.empty());
}

Status RunList(const ListOptions& options, CommandContext& ctx) {
  Result<Json> response = ctx.api.GetList(ProjectPath(ctx.global) + "/flags" + ListQuery(options), "flags");
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  if (!response->contains("flags") || !(*response)["flags"].is_array()) {
    return Status::Internal("the server's flag list has no \"flags\" array");
  }
  // ACTIVE and ROLLOUT differ between environments: say whose they are.
  if (!ctx.global.env.empty()) ctx.out << "environment: " << ctx.global.env << "\n";
  ctx.out << RenderFlagsTable((*response)["flags"]);
  return Status::Ok();
}

void AddList(CLI::App* flags) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* cmd = flags->add_subcommand("list", "List the project's flags");
  AddGlobalOptions(cmd, &options->global);
  cmd->add_option("--tag", options->tag, "Only flags carrying this tag");
  CLI::Option* active = cmd->add_flag("--active", options->active, "Only active flags");
  cmd->add_flag("--inactive", options->inactive, "Only inactive flags")->excludes(active);
  cmd->add_option("--search", options->search, "Only flags whose key or name contains TEXT");
  CLI::Option* archived = cmd->add_flag("--archived", options->archived, "Only archived flags");
  cmd->add_flag("--include-archived", options->include_archived, "Archived flags too")->excludes(archived);
  cmd->callback([options] {
    RunClientCommand(options->global, [&](CommandContext& ctx) { return RunList(*options, ctx); });
  });
}

struct GetOptions {
  GlobalOptions global;
  std::string key;
};

void AddGet(CLI::App* flags) {
  auto options = std::make_shared<GetOptions>();
  CLI::App* cmd = flags->add_subcommand("get", "Show one flag");
  AddGlobalOptions(cmd, &options->global);
  cmd->add_option("KEY", options->key, "Flag key")->required();
  cmd->callback([options] {
    RunClientCommand(options->global, [&](CommandContext& ctx) {
      Result<Json> flag = ctx.api.Get(ProjectPath(ctx.global) + "/flags/" + PercentEncode(options->key) +
                                      EnvironmentQuery(ctx.global));
      if (!flag.ok()) return flag.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *flag);
      } else {
        ctx.out << RenderFlagDetails(*flag);
      }
      return Status::Ok();
    });
  });
}

}  // namespace

void AddFlagReadCommands(CLI::App* flags) {
  AddList(flags);
  AddGet(flags);
}

void AddFlagsCommands(CLI::App& app) {
  CLI::App* flags = app.add_subcommand("flags", "Manage feature flags");
  flags->require_subcommand(1);
  AddFlagReadCommands(flags);
  AddFlagWriteCommands(flags);
  AddFlagPromoteCommand(flags);
  AddFlagsAsCodeCommands(flags);
  AddFlagLifecycleCommands(flags);
}

}  // namespace switchyard::cli
