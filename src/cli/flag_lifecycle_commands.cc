// `flags archive|unarchive|stale|schedule|schedules|unschedule`: a flag's life after launch.
#include <charconv>
#include <chrono>
#include <ctime>
#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/flags_commands.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::string FlagPath(const GlobalOptions& global, const std::string& key) {
  return ProjectPath(global) + "/flags/" + PercentEncode(key);
}

struct ArchiveOptions {
  GlobalOptions global;
  std::string key;
};

void AddArchive(CLI::App* flags, bool archive) {
  auto o = std::make_shared<ArchiveOptions>();
  const std::string action = archive ? "archive" : "unarchive";
  CLI::App* cmd = flags->add_subcommand(
      action, archive ? "Archive a flag: it evaluates to false everywhere and leaves `flags list`"
                      : "Bring an archived flag back (it serves its targeting again)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Flag key")->required();
  cmd->callback([o, action] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      Result<Json> flag = ctx.api.Call("POST", FlagPath(ctx.global, o->key) + "/" + action);
      if (!flag.ok()) return flag.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *flag);
      } else if (flag->value("changed", true) == false) {
        ctx.out << "no change: flag " << o->key << " is already " << action << "d\n";
      } else {
        ctx.out << action << "d flag " << o->key << " (version " << CellText(flag->value("version", Json()))
                << ")\n";
      }
      return Status::Ok();
    });
  });
}

struct StaleOptions {
  GlobalOptions global;
  int days = 30;
};

void AddStale(CLI::App* flags) {
  auto o = std::make_shared<StaleOptions>();
  CLI::App* cmd = flags->add_subcommand(
      "stale", "Flags fully rolled out or off, or not evaluated, for N days (in --env, default production)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("--days", o->days, "Days without a change or an evaluation (default 30)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      const std::string environment = ctx.global.env.empty() ? "production" : ctx.global.env;
      const std::string path = ProjectPath(ctx.global) + "/flags/stale?days=" + std::to_string(o->days) +
                               "&environment=" + PercentEncode(environment);
      Result<Json> listed = ctx.api.GetList(path, "flags");  // every page
      if (!listed.ok()) return listed.status();
      const Json report{{"environment", environment}, {"days", o->days}, {"flags", (*listed)["flags"]}};
      if (ctx.global.json) {
        PrintJson(ctx.out, report);
        return Status::Ok();
      }
      ctx.out << "environment: " << environment << ", " << o->days << " days\n";
      Table table({"KEY", "REASON", "SINCE"});
      for (const Json& flag : report["flags"]) {
        for (const Json& reason : flag.value("reasons", Json::array())) {
          std::string text = reason.value("reason", "");
          for (char& c : text) c = c == '_' ? ' ' : c;
          table.AddRow({CellText(flag.value("key", Json())), text, CellText(reason.value("since", Json()))});
        }
      }
      if (table.row_count() == 0) {
        ctx.out << "no stale flags\n";
      } else {
        ctx.out << table.Render();
      }
      return Status::Ok();
    });
  });
}

// "+90s", "+10m", "+2h", "+1d" from now, or the text as given (an RFC 3339 time the server checks).
Result<std::string> ResolveAt(const std::string& text) {
  if (text.empty() || text[0] != '+') return text;
  std::int64_t count = 0;
  const char* begin = text.data() + 1;
  const char* end = text.data() + text.size() - 1;
  auto [stop, error] = std::from_chars(begin, end, count);
  const char unit = text.back();
  const std::int64_t seconds_per = unit == 's'   ? 1
                                   : unit == 'm' ? 60
                                   : unit == 'h' ? 3600
                                   : unit == 'd' ? 86400
                                                 : 0;
  if (error != std::errc() || stop != end || count < 0 || seconds_per == 0 ||
      count > 3650LL * 86400 / seconds_per) {
    return Status::InvalidArgument(
        "--at takes an RFC 3339 time (2026-12-01T09:00:00Z) or +N followed by s, m, h or d", "at");
  }
  const auto when = std::chrono::system_clock::now() + std::chrono::seconds(count * seconds_per);
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer);
}

std::string ChangeText(const Json& change) {
  if (change.contains("active")) return change["active"] == true ? "enable" : "disable";
  if (change.contains("rollout_percentage") && change["rollout_percentage"].is_number())
    return "rollout " + FormatPercent(change["rollout_percentage"].get<double>());
  return change.dump();
}

struct ScheduleOptions {
  GlobalOptions global;
  std::string key, at;
  bool enable = false, disable = false;
  double rollout = 0;
  CLI::Option* rollout_option = nullptr;
};

void AddSchedule(CLI::App* flags) {
  auto o = std::make_shared<ScheduleOptions>();
  CLI::App* cmd = flags->add_subcommand(
      "schedule", "Schedule a change of a flag (--enable, --disable or --rollout) at a time (--at)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Flag key")->required();
  cmd->add_option("--at", o->at, "When: an RFC 3339 time (2026-12-01T09:00:00Z) or +N[s|m|h|d] from now")
      ->required();
  CLI::Option* enable = cmd->add_flag("--enable", o->enable, "Make the flag active then");
  CLI::Option* disable = cmd->add_flag("--disable", o->disable, "Make the flag inactive then");
  o->rollout_option = cmd->add_option("--rollout", o->rollout, "Set every group's rollout to PCT then")
                          ->check(PercentValidator());
  enable->excludes(disable)->excludes(o->rollout_option);
  disable->excludes(o->rollout_option);
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      Json change;
      if (o->enable) change = {{"active", true}};
      if (o->disable) change = {{"active", false}};
      if (o->rollout_option->count() > 0) change = {{"rollout_percentage", o->rollout}};
      if (change.is_null())
        return Status::InvalidArgument("say what to change: --enable, --disable or --rollout PCT", "change");
      Result<std::string> at = ResolveAt(o->at);
      if (!at.ok()) return at.status();
      Json body{{"at", *at}, {"change", change}};
      if (!ctx.global.env.empty()) body["environment"] = ctx.global.env;
      Result<Json> schedule = ctx.api.Post(FlagPath(ctx.global, o->key) + "/schedules", body);
      if (!schedule.ok()) return schedule.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *schedule);
      } else {
        ctx.out << "scheduled change " << CellText(schedule->value("id", Json())) << ": "
                << ChangeText(change) << " flag " << o->key << InEnvironment(ctx.global) << " at "
                << CellText(schedule->value("at", Json())) << "\n";
      }
      return Status::Ok();
    });
  });
}

struct SchedulesOptions {
  GlobalOptions global;
  std::string key;
  std::int64_t id = 0;
};

void AddSchedules(CLI::App* flags) {
  auto o = std::make_shared<SchedulesOptions>();
  CLI::App* cmd = flags->add_subcommand("schedules", "List a flag's scheduled changes (pending and past)");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Flag key")->required();
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) {
      Result<Json> listed = ctx.api.GetList(FlagPath(ctx.global, o->key) + "/schedules", "schedules");
      if (!listed.ok()) return listed.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *listed);
        return Status::Ok();
      }
      Table table({"ID", "AT", "CHANGE", "ENVIRONMENT", "STATUS", "RESULT"});
      for (const Json& schedule : listed->value("schedules", Json::array())) {
        const Json environment = schedule.value("environment", Json());
        table.AddRow({CellText(schedule.value("id", Json())), CellText(schedule.value("at", Json())),
                      ChangeText(schedule.value("change", Json::object())),
                      environment.is_null() ? "all" : CellText(environment),
                      CellText(schedule.value("status", Json())),
                      CellText(schedule.value("result", Json()))});
      }
      if (table.row_count() == 0) {
        ctx.out << "no scheduled changes for flag " << o->key << "\n";
      } else {
        ctx.out << table.Render();
      }
      return Status::Ok();
    });
  });

  auto cancel = std::make_shared<SchedulesOptions>();
  cmd = flags->add_subcommand("unschedule", "Cancel a pending scheduled change");
  AddGlobalOptions(cmd, &cancel->global);
  cmd->add_option("KEY", cancel->key, "Flag key")->required();
  cmd->add_option("ID", cancel->id, "The change's id (see `flags schedules KEY`)")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->callback([cancel] {
    RunClientCommand(cancel->global, [&](CommandContext& ctx) {
      Result<Json> cancelled =
          ctx.api.Delete(FlagPath(ctx.global, cancel->key) + "/schedules/" + std::to_string(cancel->id));
      if (!cancelled.ok()) return cancelled.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *cancelled);
      } else {
        ctx.out << "cancelled scheduled change " << cancel->id << " of flag " << cancel->key << "\n";
      }
      return Status::Ok();
    });
  });
}

}  // namespace

void AddFlagLifecycleCommands(CLI::App* flags) {
  AddArchive(flags, true);
  AddArchive(flags, false);
  AddStale(flags);
  AddSchedule(flags);
  AddSchedules(flags);
}

}  // namespace switchyard::cli
