#include "cli/envs_commands.h"

#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

Status RunList(CommandContext& ctx) {
  Result<Json> response = ctx.api.GetList(ProjectPath(ctx.global) + "/environments", "environments");
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  if (!response->contains("environments") || !(*response)["environments"].is_array()) {
    return Status::Internal("the server's answer has no \"environments\" array");
  }
  Table table({"key", "name", "id", "created_at"});
  for (const Json& environment : (*response)["environments"]) {
    table.AddRow({CellText(environment.value("key", Json())), CellText(environment.value("name", Json())),
                  CellText(environment.value("id", Json())),
                  CellText(environment.value("created_at", Json()))});
  }
  ctx.out << table.Render();
  return Status::Ok();
}

struct CreateOptions {
  GlobalOptions global;
  std::string key, name, copy_from;
};

Status RunCreate(const CreateOptions& o, CommandContext& ctx) {
  Json body{{"key", o.key}};
  if (!o.name.empty()) body["name"] = o.name;
  if (!o.copy_from.empty()) body["copy_from"] = o.copy_from;
  Result<Json> created = ctx.api.Post(ProjectPath(ctx.global) + "/environments", body);
  if (!created.ok()) return created.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *created);
    return Status::Ok();
  }
  ctx.out << "created environment " << o.key << " in project " << ctx.global.project << "\n";
  // Say what its flags do now: a new environment is either a copy or entirely off.
  if (o.copy_from.empty()) {
    ctx.out << "every flag is off there; turn flags on with --env " << o.key << " or promote to it\n";
  } else {
    ctx.out << "every flag has " << o.copy_from << "'s targeting there\n";
  }
  ctx.out << "issue a key for it with: switchyard keys create --env " << o.key << "\n";
  return Status::Ok();
}

}  // namespace

void AddEnvsCommands(CLI::App& app) {
  CLI::App* envs = app.add_subcommand("envs", "Manage a project's environments");
  envs->require_subcommand(1);

  auto list = std::make_shared<GlobalOptions>();
  CLI::App* cmd = envs->add_subcommand("list", "List the project's environments");
  AddGlobalOptions(cmd, list.get());
  cmd->callback([list] { RunClientCommand(*list, [](CommandContext& ctx) { return RunList(ctx); }); });

  auto create = std::make_shared<CreateOptions>();
  cmd = envs->add_subcommand("create", "Add an environment (its flags start off, or as --copy-from's)");
  AddGlobalOptions(cmd, &create->global);
  cmd->add_option("KEY", create->key, "Environment key ([a-z0-9-], never changes)")->required();
  cmd->add_option("--name", create->name, "Human-readable name");
  cmd->add_option("--copy-from", create->copy_from, "Give every flag this environment's targeting");
  cmd->callback([create] {
    RunClientCommand(create->global, [&](CommandContext& ctx) { return RunCreate(*create, ctx); });
  });
}

}  // namespace switchyard::cli
