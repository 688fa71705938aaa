#include "cli/audit_command.h"

#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct AuditOptions {
  GlobalOptions global;
  std::string flag;
  int limit = 50;
};

std::string AuditPath(const AuditOptions& o) {
  std::string path = ProjectPath(o.global) + "/audit?limit=" + std::to_string(o.limit);
  if (!o.flag.empty()) path += "&entity_type=flag&entity_key=" + PercentEncode(o.flag);
  return path;
}

Status RunAudit(const AuditOptions& o, CommandContext& ctx) {
  Result<Json> response = ctx.api.Get(AuditPath(o));
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  if (!response->contains("entries") || !(*response)["entries"].is_array()) {
    return Status::Internal("the server's audit log has no \"entries\" array");
  }
  ctx.out << RenderAuditTable((*response)["entries"]);
  return Status::Ok();
}

}  // namespace

std::string RenderAuditTable(const Json& entries) {
  Table table({"at", "actor", "action", "entity", "version"});
  for (const auto& entry : entries) {
    if (!entry.is_object()) continue;
    std::string entity = CellText(entry.value("entity_type", Json()));
    std::string key = CellText(entry.value("entity_key", Json()));
    if (!key.empty()) entity += (entity.empty() ? "" : " ") + key;
    Json after = entry.value("after", Json());
    Json version = after.is_object() ? after.value("version", Json()) : Json();
    table.AddRow({CellText(entry.value("at", Json())), CellText(entry.value("actor", Json())),
                  CellText(entry.value("action", Json())), entity, CellText(version)});
  }
  return table.Render();
}

void AddAuditCommand(CLI::App& app) {
  auto o = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "Show the project's audit log, newest first");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("--flag", o->flag, "Only changes to this flag");
  cmd->add_option("--limit", o->limit, "At most N entries")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->callback([o] { RunClientCommand(o->global, [&](CommandContext& ctx) { return RunAudit(*o, ctx); }); });
}

}  // namespace switchyard::cli
