// `audit` reads one page of GET /projects/{p}/audit; the server's next_before becomes the
// `--before` of the command printed for the next page.
#include "cli/audit_command.h"

#include <memory>
#include <ostream>

#include "cli/audit_changes.h"
#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr int kDefaultLimit = 50;

struct AuditOptions {
  GlobalOptions global;
  std::string flag;
  int limit = kDefaultLimit;
  std::int64_t before = 0;
  const CLI::Option* before_option = nullptr;
};

std::string AuditPath(const AuditOptions& o) {
  std::string path = ProjectPath(o.global) + "/audit?limit=" + std::to_string(o.limit);
  if (!o.flag.empty()) path += "&entity_type=flag&entity_key=" + PercentEncode(o.flag);
  if (o.before_option->count() > 0) path += "&before=" + std::to_string(o.before);
  return path;
}

Status RunAudit(const AuditOptions& o, CommandContext& ctx) {
  Result<Json> response = ctx.api.Get(AuditPath(o));
  if (!response.ok()) return response.status();
  if (!response->contains("entries") || !(*response)["entries"].is_array()) {
    return Status::Internal("the server's audit log has no \"entries\" array");
  }
  Json& entries = (*response)["entries"];
  Json next_before = response->value("next_before", Json());
  std::string next_page = next_before.is_number_integer()
                              ? NextAuditPage(o.global, o.flag, o.limit, next_before.get<std::int64_t>())
                              : "";
  if (ctx.global.json) {
    for (Json& entry : entries) {
      if (entry.is_object()) entry["changes"] = DescribeAuditChanges(entry);
    }
    (*response)["next_page"] = next_page.empty() ? Json() : Json(next_page);
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  ctx.out << RenderAuditTable(entries);
  if (!next_page.empty()) ctx.out << "next page: " << next_page << "\n";
  return Status::Ok();
}

}  // namespace

std::string NextAuditPage(const GlobalOptions& global, const std::string& flag, int limit,
                          std::int64_t next_before) {
  std::string command = "switchyard audit --before " + std::to_string(next_before);
  if (!flag.empty()) command += " --flag " + flag;
  if (limit != kDefaultLimit) command += " --limit " + std::to_string(limit);
  if (global.project_given()) command += " --project " + global.project;
  return command;
}

std::string RenderAuditTable(const Json& entries) {
  Table table({"at", "actor", "action", "entity", "version", "changes"});
  for (const auto& entry : entries) {
    if (!entry.is_object()) continue;
    std::string entity = CellText(entry.value("entity_type", Json()));
    std::string key = CellText(entry.value("entity_key", Json()));
    if (!key.empty()) entity += (entity.empty() ? "" : " ") + key;
    Json after = entry.value("after", Json());
    Json version = after.is_object() ? after.value("version", Json()) : Json();
    std::string changes;
    for (const std::string& change : DescribeAuditChanges(entry))
      changes += (changes.empty() ? "" : "; ") + change;
    table.AddRow({CellText(entry.value("at", Json())), CellText(entry.value("actor", Json())),
                  CellText(entry.value("action", Json())), entity, CellText(version), changes});
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
  o->before_option =
      cmd->add_option("--before", o->before, "Only entries older than entry ID (the next page)")
          ->check(CLI::PositiveNumber);
  cmd->callback([o] { RunClientCommand(o->global, [&](CommandContext& ctx) { return RunAudit(*o, ctx); }); });
}

}  // namespace switchyard::cli
