// `evaluate` posts {"distinct_id","properties","flags","project"} to /api/v1/evaluate. The project
// is always sent: a project key's own project wins on the server, an admin key needs it. --env
// adds "environment" (an admin key evaluates production without it; a project key evaluates its
// own environment, and naming another is refused).
#include "cli/evaluate_command.h"

#include <cctype>
#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct EvaluateOptions {
  GlobalOptions global;
  std::string user;
  std::vector<std::string> props;
  std::vector<std::string> flags;
};

Json RequestBody(const EvaluateOptions& o) {
  Json body{{"distinct_id", o.user}, {"project", o.global.project}};
  if (!o.props.empty()) {
    Json properties = Json::object();
    for (const std::string& spec : o.props) {
      Result<std::pair<std::string, Json>> prop = ParseProp(spec);
      if (!prop.ok()) throw UsageError(prop.status().message());
      properties[prop->first] = prop->second;
    }
    body["properties"] = std::move(properties);
  }
  if (!o.flags.empty()) body["flags"] = o.flags;
  if (!o.global.env.empty()) body["environment"] = o.global.env;
  return body;
}

Status RunEvaluate(const EvaluateOptions& o, CommandContext& ctx) {
  Json body = RequestBody(o);
  Result<Json> response = ctx.api.Post("/api/v1/evaluate", body);
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  if (!response->contains("flags") || !(*response)["flags"].is_object()) {
    return Status::Internal("the server's evaluation has no \"flags\" object");
  }
  ctx.out << RenderEvaluationTable((*response)["flags"]);
  return Status::Ok();
}

}  // namespace

Json ParsePropValue(std::string_view text) {
  bool padded = text.empty() || std::isspace(static_cast<unsigned char>(text.front())) ||
                std::isspace(static_cast<unsigned char>(text.back()));
  if (!padded) {
    Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_number() || parsed.is_boolean() || parsed.is_null()) return parsed;
  }
  return Json(std::string(text));
}

Result<std::pair<std::string, Json>> ParseProp(std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Status::InvalidArgument("property '" + std::string(spec) + "' is not KEY=VALUE", "--prop");
  }
  return std::pair<std::string, Json>(std::string(spec.substr(0, eq)), ParsePropValue(spec.substr(eq + 1)));
}

std::string RenderEvaluationTable(const Json& flags) {
  Table table({"key", "value", "reason", "group", "payload"});
  for (const auto& [key, result] : flags.items()) {
    if (!result.is_object()) continue;
    table.AddRow({key, CellText(result.value("value", Json())), CellText(result.value("reason", Json())),
                  CellText(result.value("condition_index", Json())),
                  CellText(result.value("payload", Json()))});
  }
  return table.Render();
}

void AddEvaluateCommand(CLI::App& app) {
  auto o = std::make_shared<EvaluateOptions>();
  CLI::App* cmd = app.add_subcommand("evaluate", "Evaluate flags for a user");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("--user", o->user, "The user's distinct_id")->required();
  cmd->add_option("--prop", o->props,
                  "Person property KEY=VALUE (repeatable; numbers/true/false/null are typed)");
  cmd->add_option("--flag", o->flags, "Only this flag (repeatable; default: all)");
  cmd->callback(
      [o] { RunClientCommand(o->global, [&](CommandContext& ctx) { return RunEvaluate(*o, ctx); }); });
}

}  // namespace switchyard::cli
