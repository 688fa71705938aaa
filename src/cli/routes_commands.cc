#include "cli/routes_commands.h"

#include <memory>
#include <optional>
#include <ostream>
#include <sstream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::string RoutesPath(const GlobalOptions& global) {
  return ProjectPath(global) + "/routes";
}

std::string Summary(const Json& route) {
  std::string text;
  const Json variants = route.value("variants", Json::object());  // items() must not outlive it
  for (const auto& [variant, model] : variants.items())
    text += (text.empty() ? "" : ", ") + variant + "=" + CellText(model);
  return text;
}

struct RouteCreateOptions {
  GlobalOptions global;
  std::string file;
  std::optional<std::string> key, flag, experiment, default_model, description;
  std::vector<std::string> variants;  // VARIANT=REFERENCE
};

Status RunCreate(const RouteCreateOptions& o, CommandContext& ctx) {
  Json body = Json::object();
  if (!o.file.empty()) {
    Result<std::string> text = ReadInput(o.file);
    if (!text.ok()) return text.status();
    Result<Json> parsed = ParseJsonOrYaml(*text, o.file);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->is_object()) return Status::InvalidArgument("the file must hold one route object", "--file");
    body = std::move(*parsed);
  }
  if (o.key) body["key"] = *o.key;
  if (o.flag) body["flag"] = *o.flag;
  if (o.experiment) body["experiment"] = *o.experiment;
  if (o.default_model) body["default"] = *o.default_model;
  if (o.description) body["description"] = *o.description;
  for (const std::string& mapping : o.variants) {
    std::size_t eq = mapping.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument("--variant takes VARIANT=MODEL, e.g. true=chat@canary", "--variant");
    if (!body["variants"].is_object()) body["variants"] = Json::object();
    body["variants"][mapping.substr(0, eq)] = mapping.substr(eq + 1);
  }
  Result<Json> created = ctx.api.Post(RoutesPath(ctx.global), body);
  if (!created.ok()) return created.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *created);
  } else {
    ctx.out << "created route " << created->value("key", std::string()) << " (" << Summary(*created)
            << "; default " << created->value("default", std::string()) << ")\n";
  }
  return Status::Ok();
}

Status RunList(CommandContext& ctx) {
  Result<Json> response = ctx.api.GetList(RoutesPath(ctx.global), "routes");
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  Table table({"key", "decided by", "variants", "default", "shadow"});
  for (const Json& route : response->value("routes", Json::array())) {
    const Json flag = route.value("flag", Json());
    const std::string by = flag.is_string() ? "flag " + flag.get<std::string>()
                                            : "experiment " + CellText(route.value("experiment", Json()));
    const Json shadow = route.value("shadow", Json());
    std::ostringstream shadow_text;  // "chat@2.0.0 5%": a percent reads best without ".0"
    if (shadow.is_object())
      shadow_text << CellText(shadow.value("model", Json())) << " " << shadow.value("sample_percent", 0.0)
                  << "%";
    table.AddRow({CellText(route.value("key", Json())), by, Summary(route),
                  CellText(route.value("default", Json())), shadow_text.str()});
  }
  ctx.out << table.Render();
  return Status::Ok();
}

struct RouteKeyOptions {
  GlobalOptions global;
  std::string key;
  std::string model;
  double percent = -1;
  bool clear = false;
};

Status RunGet(const RouteKeyOptions& o, CommandContext& ctx) {
  Result<Json> route = ctx.api.Get(RoutesPath(ctx.global) + "/" + o.key);
  if (!route.ok()) return route.status();
  PrintJson(ctx.out, *route);
  return Status::Ok();
}

Status RunShadow(const RouteKeyOptions& o, CommandContext& ctx) {
  const std::string path = RoutesPath(ctx.global) + "/" + o.key + "/shadow";
  if (!o.clear && (o.model.empty() || o.percent < 0))
    return Status::InvalidArgument("give --model and --percent, or --clear", "--model");
  Result<Json> route = o.clear ? ctx.api.Delete(path)
                               : ctx.api.Put(path, Json{{"model", o.model}, {"sample_percent", o.percent}});
  if (!route.ok()) return route.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *route);
  } else if (o.clear) {
    ctx.out << "route " << o.key << " has no shadow\n";
  } else {
    ctx.out << "route " << o.key << " shadows " << o.percent << "% of requests to " << o.model << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddRoutesCommands(CLI::App& app) {
  CLI::App* routes = app.add_subcommand("routes", "Manage the gateway's routes (variant -> model)");
  routes->require_subcommand(1);

  auto create = std::make_shared<RouteCreateOptions>();
  CLI::App* cmd = routes->add_subcommand("create", "Create a route (from --file and/or options)");
  AddGlobalOptions(cmd, &create->global);
  cmd->add_option("--file", create->file, "Route (JSON or YAML; '-' for stdin)");
  cmd->add_option("--key", create->key, "Route key, e.g. chat-default");
  cmd->add_option("--flag", create->flag, "The flag that picks the variant");
  cmd->add_option("--experiment", create->experiment, "The experiment that picks the variant");
  cmd->add_option("--variant", create->variants, "VARIANT=MODEL (repeatable), e.g. true=chat@canary");
  cmd->add_option("--default", create->default_model, "The fallback model reference");
  cmd->add_option("--description", create->description, "Description");
  cmd->callback([create] {
    RunClientCommand(create->global, [&](CommandContext& ctx) { return RunCreate(*create, ctx); });
  });

  auto list = std::make_shared<GlobalOptions>();
  cmd = routes->add_subcommand("list", "List routes");
  AddGlobalOptions(cmd, list.get());
  cmd->callback([list] { RunClientCommand(*list, [](CommandContext& ctx) { return RunList(ctx); }); });

  auto get = std::make_shared<RouteKeyOptions>();
  cmd = routes->add_subcommand("get", "Show a route (JSON)");
  AddGlobalOptions(cmd, &get->global);
  cmd->add_option("KEY", get->key, "Route key")->required();
  cmd->callback(
      [get] { RunClientCommand(get->global, [&](CommandContext& ctx) { return RunGet(*get, ctx); }); });

  auto shadow = std::make_shared<RouteKeyOptions>();
  cmd = routes->add_subcommand("shadow", "Set (or --clear) a route's shadow model");
  AddGlobalOptions(cmd, &shadow->global);
  cmd->add_option("KEY", shadow->key, "Route key")->required();
  cmd->add_option("--model", shadow->model, "The shadow's model reference");
  cmd->add_option("--percent", shadow->percent, "Percent of requests also sent to the shadow")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_flag("--clear", shadow->clear, "Stop shadowing");
  cmd->callback([shadow] {
    RunClientCommand(shadow->global, [&](CommandContext& ctx) { return RunShadow(*shadow, ctx); });
  });
}

}  // namespace switchyard::cli
