#include "cli/import_commands.h"

#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_options.h"
#include "cli/flag_diff.h"
#include "cli/posthog_import.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct ImportOptions {
  GlobalOptions global;
  std::string file;
  std::string environment;
  std::vector<std::string> cohorts;  // "POSTHOG_ID=OUR_ID"
  bool dry_run = false;
  bool allow_unsupported = false;
};

Result<std::set<std::string>> OurCohorts(ApiClient& api, const std::string& project) {
  Result<Json> listed = api.GetList(ProjectPath(project) + "/cohorts", "cohorts");
  if (!listed.ok()) return listed.status();
  std::set<std::string> ids;
  for (const Json& cohort : listed->value("cohorts", Json::array())) {
    if (cohort.contains("id") && cohort["id"].is_string()) ids.insert(cohort["id"].get<std::string>());
  }
  return ids;
}

std::map<std::string, std::string> CohortMap(const std::vector<std::string>& pairs) {
  std::map<std::string, std::string> map;
  for (const std::string& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
      throw UsageError("--cohort takes POSTHOG_ID=OUR_COHORT_ID, not '" + pair + "'");
    }
    map[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return map;
}

void PrintList(std::ostream& out, const std::string& title, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  out << title << ":\n";
  for (const std::string& line : lines) out << "  " << line << "\n";
}

// Why the import cannot go ahead: every unresolved reference and unsupported feature, listed.
Status Refuse(const ImportOptions& o, CommandContext& ctx, const PostHogImport& translated) {
  if (ctx.global.json) {
    PrintJson(ctx.out, Json{{"missing", translated.missing}, {"unsupported", translated.unsupported}});
  } else {
    PrintList(ctx.out, "not found on this server (create them first, or map cohorts with --cohort)",
              translated.missing);
    PrintList(ctx.out, "not supported by Switchyard", translated.unsupported);
  }
  std::size_t problems = translated.missing.size() + translated.unsupported.size();
  return Status::InvalidArgument(
      o.file + ": " + Plural(problems, "problem") + " listed above; nothing was imported", "file");
}

// The server's 422: every problem of the translated flags (as flags apply reports them).
Status ReportRejected(const ImportOptions& o, CommandContext& ctx, const Status& failed) {
  const Json& answer = ctx.api.last_error_body();
  if (!answer.is_object() || !answer.contains("errors") || !answer["errors"].is_array()) return failed;
  if (ctx.global.json) {
    PrintJson(ctx.out, answer);
  } else {
    ctx.out << "the server refused the translated flags; nothing was imported:\n";
    for (const Json& error : answer["errors"]) {
      ctx.out << "  " << (error.contains("key") ? "flag '" + error.value("key", "") + "': " : "")
              << error.value("message", "invalid") << " (field " << error.value("field", "-") << ")\n";
    }
  }
  return Status::InvalidArgument(o.file + ": " + Plural(answer["errors"].size(), "problem") + " listed above",
                                 "file");
}

Status RunImport(const ImportOptions& o, CommandContext& ctx) {
  Result<std::string> text = ReadInput(o.file);
  if (!text.ok()) return text.status();
  Json exported = Json::parse(*text, nullptr, false);
  if (exported.is_discarded())
    return Status::InvalidArgument(o.file + " is not JSON (a PostHog flags export)", "file");

  PostHogImportOptions options;
  options.cohort_map = CohortMap(o.cohorts);
  options.allow_unsupported = o.allow_unsupported;
  auto cohorts = OurCohorts(ctx.api, ctx.global.project);
  if (!cohorts.ok()) return cohorts.status();
  options.our_cohorts = std::move(*cohorts);
  Result<PostHogImport> translated = TranslatePostHogFlags(exported, options);
  if (!translated.ok()) {
    return Status::InvalidArgument(o.file + ": " + translated.status().message(),
                                   translated.status().field());
  }
  if (!translated->ok()) return Refuse(o, ctx, *translated);

  Json body{{"flags", translated->flags}, {"prune", false}, {"dry_run", o.dry_run}};
  Result<Json> answer =
      ctx.api.Post(ProjectPath(ctx.global.project) + "/flags/apply" + EnvironmentQuery(ctx.global), body);
  if (!answer.ok()) {
    if (ctx.api.last_error_http_status() == 422) return ReportRejected(o, ctx, answer.status());
    return answer.status();
  }
  if (ctx.global.json) {
    Json out = *answer;
    out["skipped"] = translated->skipped;
    out["dropped"] = translated->dropped;
    PrintJson(ctx.out, out);
    return Status::Ok();
  }
  PrintList(ctx.out, "skipped", translated->skipped);
  PrintList(ctx.out, "left out (--allow-unsupported)", translated->dropped);
  Result<FlagPlan> plan = PlanFromAnswer(*answer);
  if (!plan.ok()) return plan.status();
  ctx.out << RenderPlan(*plan);
  if (o.dry_run) {
    ctx.out << "dry run: nothing imported\n";
  } else {
    ctx.out << "imported " << Plural(translated->flags.size(), "flag") << " from PostHog ("
            << Plural(plan->changes.size(), "change") << ")\n";
  }
  return Status::Ok();
}

void AddPostHog(CLI::App* import) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = import->add_subcommand(
      "posthog", "Create the flags of a PostHog flags export (its feature-flags API JSON), all or nothing");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("FILE", o->file,
                  "The export: {\"results\": [...]} or an array of flags ('-' for standard input)")
      ->required();
  cmd->add_option("--environment", o->environment,
                  "Import the targeting into this environment only (as --env)");
  cmd->add_option("--cohort", o->cohorts, "POSTHOG_ID=OUR_COHORT_ID: the cohort of ours a PostHog cohort is")
      ->allow_extra_args(false);  // one pair per --cohort: FILE is never taken for one
  cmd->add_flag("--dry-run", o->dry_run, "Only print the plan");
  cmd->add_flag("--allow-unsupported", o->allow_unsupported,
                "Leave out (and list) PostHog features that do not change whom a flag serves");
  cmd->callback([o] {
    if (!o->environment.empty()) {
      if (!o->global.env.empty() && o->global.env != o->environment) {
        throw UsageError("--env '" + o->global.env + "' and --environment '" + o->environment + "' disagree");
      }
      o->global.env = o->environment;
    }
    RunClientCommand(o->global, [&](CommandContext& ctx) { return RunImport(*o, ctx); });
  });
}

}  // namespace

void AddImportCommands(CLI::App& app) {
  CLI::App* import = app.add_subcommand("import", "Import flags from another system");
  import->require_subcommand(1);
  AddPostHog(import);
}

}  // namespace switchyard::cli
