#include "cli/projects_commands.h"

#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr char kShownOnce[] = "store this key now: it cannot be shown again";

Status PrintArray(CommandContext& ctx, const Result<Json>& response, const char* member,
                  const std::vector<std::string>& columns) {
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  if (!response->contains(member) || !(*response)[member].is_array()) {
    return Status::Internal(std::string("the server's response has no \"") + member + "\" array");
  }
  Table table(columns);
  for (const auto& item : (*response)[member]) {
    std::vector<std::string> row;
    for (const std::string& column : columns) row.push_back(CellText(item.value(column, Json())));
    table.AddRow(std::move(row));
  }
  ctx.out << table.Render();
  return Status::Ok();
}

struct ProjectCreateOptions {
  GlobalOptions global;
  std::string slug;
  std::string name;
};

void AddProjectCreate(CLI::App* projects) {
  auto o = std::make_shared<ProjectCreateOptions>();
  CLI::App* cmd = projects->add_subcommand("create", "Create a project (prints its first project key)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("SLUG", o->slug, "Project slug")->required();
  cmd->add_option("--name", o->name, "Human-readable name (default: the slug)");
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      Json body{{"slug", o->slug}, {"name", o->name.empty() ? o->slug : o->name}};
      Result<Json> project = ctx.api.Post("/api/v1/projects", body);
      if (!project.ok()) return project.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *project);
      } else {
        ctx.out << "created project " << o->slug << "\n"
                << "project key: " << CellText(project->value("api_key", Json())) << "\n"
                << kShownOnce << "\n";
      }
      return Status::Ok();
    });
  });
}

struct KeyCreateOptions {
  GlobalOptions global;
  std::string label;
};

struct KeyRevokeOptions {
  GlobalOptions global;
  std::string id;
};

void AddKeyCreateAndRevoke(CLI::App* keys) {
  auto o = std::make_shared<KeyCreateOptions>();
  CLI::App* cmd = keys->add_subcommand(
      "create", "Issue a project key for --env's environment, default production (prints it once)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("--label", o->label, "What the key is for");
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      // A project key evaluates one environment: the one --env names (the global option, so a
      // shell that exported SWITCHYARD_ENV=staging issues staging keys), else production.
      std::string environment = ctx.global.env.empty() ? "production" : ctx.global.env;
      Json body{{"label", o->label}, {"environment", environment}};
      Result<Json> key = ctx.api.Post(ProjectPath(ctx.global) + "/keys", body);
      if (!key.ok()) return key.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *key);
      } else {
        ctx.out << "key id: " << CellText(key->value("id", Json())) << "\n"
                << "environment: " << CellText(key->value("environment", Json(environment))) << "\n"
                << "key: " << CellText(key->value("key", Json())) << "\n"
                << kShownOnce << "\n";
      }
      return Status::Ok();
    });
  });

  auto revoke = std::make_shared<KeyRevokeOptions>();
  cmd = keys->add_subcommand("revoke", "Revoke a project key by id");
  AddGlobalOptions(cmd, &revoke->global);
  cmd->add_option("ID", revoke->id, "Key id (see `keys list`)")->required();
  cmd->callback([revoke] {
    RunClientCommand(revoke->global, [&](CommandContext& ctx) {
      Result<Json> done = ctx.api.Delete(ProjectPath(ctx.global) + "/keys/" + PercentEncode(revoke->id));
      if (!done.ok()) return done.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, Json{{"revoked", revoke->id}});
      } else {
        ctx.out << "revoked key " << revoke->id << "\n";
      }
      return Status::Ok();
    });
  });
}

}  // namespace

void AddProjectsCommands(CLI::App& app) {
  CLI::App* projects = app.add_subcommand("projects", "Manage projects");
  projects->require_subcommand(1);
  auto list = std::make_shared<GlobalOptions>();
  CLI::App* cmd = projects->add_subcommand("list", "List projects");
  AddGlobalOptions(cmd, list.get());
  cmd->callback([list] {
    RunClientCommand(*list, [](CommandContext& ctx) {
      return PrintArray(ctx, ctx.api.GetList("/api/v1/projects", "projects"), "projects",
                        {"slug", "name", "id", "created_at"});
    });
  });
  AddProjectCreate(projects);
}

void AddKeysCommands(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "Manage a project's API keys");
  keys->require_subcommand(1);
  auto list = std::make_shared<GlobalOptions>();
  CLI::App* cmd = keys->add_subcommand("list", "List a project's keys (prefixes only)");
  AddGlobalOptions(cmd, list.get());
  cmd->callback([list] {
    RunClientCommand(*list, [](CommandContext& ctx) {
      return PrintArray(ctx, ctx.api.GetList(ProjectPath(ctx.global) + "/keys", "keys"), "keys",
                        {"id", "label", "environment", "prefix", "scope", "created_at", "revoked"});
    });
  });
  AddKeyCreateAndRevoke(keys);
}

}  // namespace switchyard::cli
