#include "cli/metrics_commands.h"

#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::string MetricsPath(const GlobalOptions& global) {
  return ProjectPath(global) + "/metrics";
}

// What the metric reads, in one cell: "Σ amount of purchase", "p95 $ai_latency of $ai_generation".
std::string Reads(const Json& metric) {
  const Json value = metric.value("value", Json::object());
  const std::string event = value.value("event", std::string());
  const std::string property = value.value("property", std::string());
  const std::string kind = metric.value("kind", std::string());
  std::string text = property.empty() ? event : property + " of " + event;
  if (kind == "percentile")
    text = "p" + std::to_string(static_cast<int>(metric.value("percentile", 0.0) * 100)) + " " + text;
  if (kind == "ratio")
    text += " / " + metric.value("denominator", Json::object()).value("event", std::string());
  if (!value.value("filters", Json::array()).empty()) text += " (filtered)";
  return text;
}

Status RunMetricList(CommandContext& ctx) {
  Result<Json> response = ctx.api.GetList(MetricsPath(ctx.global), "metrics");
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  if (!response->contains("metrics") || !(*response)["metrics"].is_array())
    return Status::Internal("the server's answer has no \"metrics\" array");
  Table table({"key", "kind", "reads", "direction", "builtin"});
  for (const Json& metric : (*response)["metrics"]) {
    table.AddRow({CellText(metric.value("key", Json())), CellText(metric.value("kind", Json())),
                  Reads(metric), CellText(metric.value("direction", Json())),
                  metric.value("builtin", false) ? "yes" : ""});
  }
  ctx.out << table.Render();
  return Status::Ok();
}

struct KeyOptions {
  GlobalOptions global;
  std::string key;
};

Status RunGet(const KeyOptions& o, CommandContext& ctx) {
  Result<Json> metric = ctx.api.Get(MetricsPath(ctx.global) + "/" + o.key);
  if (!metric.ok()) return metric.status();
  PrintJson(ctx.out, *metric);
  return Status::Ok();
}

Status RunDelete(const KeyOptions& o, CommandContext& ctx) {
  Result<Json> deleted = ctx.api.Delete(MetricsPath(ctx.global) + "/" + o.key);
  if (!deleted.ok()) return deleted.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, Json{{"deleted", o.key}});
  } else {
    ctx.out << "deleted metric " << o.key << "\n";
  }
  return Status::Ok();
}

struct MetricCreateOptions {
  GlobalOptions global;
  std::string file;
};

Status RunMetricCreate(const MetricCreateOptions& o, CommandContext& ctx) {
  Result<std::string> text = ReadInput(o.file);
  if (!text.ok()) return text.status();
  Result<Json> definition = ParseJsonOrYaml(*text, o.file);
  if (!definition.ok()) return definition.status();
  if (!definition->is_object())
    return Status::InvalidArgument("the file must hold one metric object", "--file");
  Result<Json> created = ctx.api.Post(MetricsPath(ctx.global), *definition);
  if (!created.ok()) return created.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *created);
    return Status::Ok();
  }
  ctx.out << "created metric " << created->value("key", std::string()) << " (" << Reads(*created) << ")\n";
  return Status::Ok();
}

}  // namespace

void AddMetricsCommands(CLI::App& app) {
  CLI::App* metrics = app.add_subcommand("metrics", "Manage metric definitions for experiments");
  metrics->require_subcommand(1);

  auto list = std::make_shared<GlobalOptions>();
  CLI::App* cmd = metrics->add_subcommand("list", "List the project's metrics (built-in ones first)");
  AddGlobalOptions(cmd, list.get());
  cmd->callback([list] { RunClientCommand(*list, [](CommandContext& ctx) { return RunMetricList(ctx); }); });

  auto get = std::make_shared<KeyOptions>();
  cmd = metrics->add_subcommand("get", "Show a metric definition (JSON)");
  AddGlobalOptions(cmd, &get->global);
  cmd->add_option("KEY", get->key, "Metric key")->required();
  cmd->callback(
      [get] { RunClientCommand(get->global, [&](CommandContext& ctx) { return RunGet(*get, ctx); }); });

  auto create = std::make_shared<MetricCreateOptions>();
  cmd = metrics->add_subcommand("create", "Create a metric from a definition file");
  AddGlobalOptions(cmd, &create->global);
  cmd->add_option("--file", create->file, "Metric definition (JSON or YAML; '-' for stdin)")->required();
  cmd->callback([create] {
    RunClientCommand(create->global, [&](CommandContext& ctx) { return RunMetricCreate(*create, ctx); });
  });

  auto remove = std::make_shared<KeyOptions>();
  cmd = metrics->add_subcommand("delete", "Delete a metric (built-in ones cannot be)");
  AddGlobalOptions(cmd, &remove->global);
  cmd->add_option("KEY", remove->key, "Metric key")->required();
  cmd->callback([remove] {
    RunClientCommand(remove->global, [&](CommandContext& ctx) { return RunDelete(*remove, ctx); });
  });
}

}  // namespace switchyard::cli
