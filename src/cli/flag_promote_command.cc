// `flags promote KEY --from ENV --to ENV [--dry-run]`: copies one environment's targeting of a
// flag (active, groups, rollouts, variants, payloads) to another, showing what the target
// environment had and gets -- in words (as `audit` says it) and as a line diff of the JSON -- so a
// dry run can be reviewed and the real run checked. The server computes both sides; the client
// only renders its answer.
#include <memory>
#include <ostream>

#include "cli/audit_changes.h"
#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/flags_commands.h"
#include "cli/text_diff.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct PromoteOptions {
  GlobalOptions global;
  std::string key, from, to;
  bool dry_run = false;
  std::int64_t if_version = 0;
  const CLI::Option* if_version_option = nullptr;
};

void PrintPromotion(std::ostream& out, const PromoteOptions& o, const Json& answer) {
  const Json before = answer.value("before", Json());
  const Json after = answer.value("after", Json());
  bool changed = answer.value("changed", false);
  if (!changed) {
    out << "no change: " << o.to << " already has " << o.from << "'s targeting of flag " << o.key << "\n";
    return;
  }
  std::string words;
  for (const std::string& change : DescribeAuditChanges(Json{{"before", before}, {"after", after}})) {
    words += (words.empty() ? "" : ", ") + change;
  }
  out << "flag " << o.key << " in " << o.to << ": " << (words.empty() ? "targeting changed" : words) << "\n"
      << "--- " << o.to << " (before)\n"
      << "+++ " << o.to << " (after, from " << o.from << ")\n"
      << LineDiff(before.dump(2), after.dump(2));
  if (o.dry_run) {
    out << "dry run: nothing promoted\n";
  } else {
    out << "promoted flag " << o.key << " from " << o.from << " to " << o.to << " (version "
        << CellText(answer.value("version", Json())) << ")\n";
  }
}

}  // namespace

void AddFlagPromoteCommand(CLI::App* flags) {
  auto o = std::make_shared<PromoteOptions>();
  CLI::App* cmd = flags->add_subcommand(
      "promote", "Copy a flag's targeting from one environment to another (prints the diff)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Flag key")->required();
  cmd->add_option("--from", o->from, "Environment whose targeting is copied (e.g. staging)")->required();
  cmd->add_option("--to", o->to, "Environment that receives it (e.g. production)")->required();
  cmd->add_flag("--dry-run", o->dry_run, "Only show what would change");
  o->if_version_option =
      cmd->add_option("--if-version", o->if_version, "Only promote if the flag is still at version N")
          ->check(CLI::PositiveNumber);
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      Json body{{"from", o->from}, {"to", o->to}, {"dry_run", o->dry_run}};
      if (o->if_version_option->count() > 0) body["version"] = o->if_version;
      Result<Json> answer =
          ctx.api.Post(ProjectPath(ctx.global) + "/flags/" + PercentEncode(o->key) + "/promote", body);
      if (!answer.ok()) return answer.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *answer);
      } else {
        PrintPromotion(ctx.out, *o, *answer);
      }
      return Status::Ok();
    });
  });
}

}  // namespace switchyard::cli
