// `flags create|update|delete|enable|disable|rollout`: commands that change one flag.
//
// With --env each sends `?environment=ENV`: the shared definition (name, tags, ...) changes
// everywhere, active and targeting in that environment only. Without it a write gives every
// environment the targeting it carries (the server's rule for writes that name none).
//
// Every change is optimistic-concurrency safe: update sends the version it read, and
// `--if-version N` (on every command here) makes the change conditional on the flag still being
// at version N, so scripts can detect concurrent edits; the server answers a stale version with
// 409, shown as the usual one-line error.
#include <memory>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_edits.h"
#include "cli/flag_format.h"
#include "cli/flags_commands.h"
#include "cli/flags_file.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// The target flag plus the optional --if-version guard, shared by every command here.
struct FlagTarget {
  GlobalOptions global;
  std::string key;
  std::int64_t if_version = 0;
  const CLI::Option* if_version_option = nullptr;

  std::optional<std::int64_t> guard() const {
    return if_version_option != nullptr && if_version_option->count() > 0 ? std::optional(if_version)
                                                                          : std::nullopt;
  }
};

void AddTarget(CLI::App* cmd, FlagTarget* target) {
  AddGlobalOptions(cmd, &target->global);
  cmd->add_option("KEY", target->key, "Flag key")->required();
  target->if_version_option =
      cmd->add_option("--if-version", target->if_version, "Only change the flag if it is still at version N")
          ->check(CLI::PositiveNumber);
}

std::string FlagPath(const FlagTarget& target) {
  return ProjectPath(target.global) + "/flags/" + PercentEncode(target.key);
}

// FlagPath with --env's "?environment=": the write then changes that environment's targeting only.
std::string FlagPathInEnvironment(const FlagTarget& target, const std::string& action = "") {
  return FlagPath(target) + action + EnvironmentQuery(target.global);
}

// `what` happened, or "no change" when the server wrote nothing ("changed": false: the flag was
// already so), in which case its version did not move either.
void PrintFlagResult(CommandContext& ctx, const Json& flag, const std::string& what) {
  if (ctx.global.json) {
    PrintJson(ctx.out, flag);
  } else if (flag.value("changed", true) == false) {
    ctx.out << "no change to flag " << CellText(flag.value("key", Json())) << InEnvironment(ctx.global)
            << " (version " << CellText(flag.value("version", Json())) << ")\n";
  } else {
    ctx.out << what << InEnvironment(ctx.global) << " (version " << CellText(flag.value("version", Json()))
            << ")\n";
  }
}

struct EditOptions {
  FlagTarget target;
  std::string name, description, file;
  std::vector<std::string> tags, variants, payloads;
  double rollout = 0;
  bool active = false, inactive = false;
  const CLI::Option *name_opt = nullptr, *description_opt = nullptr, *tags_opt = nullptr,
                    *rollout_opt = nullptr;

  FlagEdits ToEdits() const {
    FlagEdits edits;
    if (name_opt->count() > 0) edits.name = name;
    if (description_opt->count() > 0) edits.description = description;
    if (tags_opt->count() > 0) edits.tags = tags;
    if (rollout_opt->count() > 0) edits.rollout = rollout;
    edits.variants = variants;
    edits.payloads = payloads;
    if (active) edits.active = true;
    if (inactive) edits.active = false;
    return edits;
  }
};

void AddEditOptions(CLI::App* cmd, EditOptions* o, bool is_update) {
  AddTarget(cmd, &o->target);
  o->name_opt = cmd->add_option("--name", o->name, "Human-readable name");
  o->description_opt = cmd->add_option("--description", o->description, "Description");
  // Repeatable options take one value each, so `create --tag web KEY` still reads KEY.
  o->tags_opt = cmd->add_option("--tag", o->tags, "Tag (repeatable; replaces the flag's tags)")
                    ->allow_extra_args(false);
  o->rollout_opt = cmd->add_option("--rollout", o->rollout, "Rollout percentage for every condition group")
                       ->check(PercentValidator());
  cmd->add_option("--variant", o->variants, "Variant KEY=PCT (repeatable; makes the flag multivariate)")
      ->allow_extra_args(false);
  cmd->add_option("--payload", o->payloads,
                  "Payload VARIANT=JSON served with that variant (repeatable; a boolean flag's is "
                  "true=JSON; VARIANT=null removes one)")
      ->allow_extra_args(false);
  CLI::Option* inactive = cmd->add_flag("--inactive", o->inactive, "Make the flag inactive");
  if (is_update) cmd->add_flag("--active", o->active, "Make the flag active")->excludes(inactive);
  cmd->add_option("--file", o->file, "Flag definition (JSON or YAML; '-' for stdin)");
}

// The --file definition for the target key (server fields dropped); an unreadable or unparsable
// file is a failure, a file for another key a UsageError.
Result<Json> LoadDefinition(const EditOptions& o) {
  Result<std::string> text = ReadInput(o.file);
  if (!text.ok()) return text.status();
  Result<Json> document = ParseJsonOrYaml(*text, o.file);
  if (!document.ok()) return document.status();
  Result<Json> flag = SelectFlagDefinition(std::move(document).value(), o.target.key);
  // The file does not fit the KEY argument: a usage mistake rather than a failure.
  if (!flag.ok()) throw UsageError(flag.status().message());
  if (Status s = CheckFlagDefinition(*flag, o.file, ""); !s.ok()) return s;
  return WithoutServerFields(std::move(flag).value());
}

void ApplyEditsOrThrow(const FlagEdits& edits, Json* flag) {
  Status status = ApplyEdits(edits, flag);
  if (status.ok()) return;
  // The field is the option at fault (--payload, --variant): name it first, as CLI11 does.
  throw UsageError(status.field().empty() ? status.message() : status.field() + ": " + status.message());
}

Status RunCreate(const EditOptions& o, CommandContext& ctx) {
  Json flag = NewFlag(o.target.key);
  if (!o.file.empty()) {
    Result<Json> loaded = LoadDefinition(o);
    if (!loaded.ok()) return loaded.status();
    flag = std::move(loaded).value();
  }
  ApplyEditsOrThrow(o.ToEdits(), &flag);
  Result<Json> created =
      ctx.api.Post(ProjectPath(ctx.global) + "/flags" + EnvironmentQuery(ctx.global), flag);
  if (!created.ok()) return created.status();
  PrintFlagResult(ctx, *created, "created flag " + o.target.key);
  return Status::Ok();
}

Status RunUpdate(const EditOptions& o, CommandContext& ctx) {
  FlagEdits edits = o.ToEdits();
  if (edits.empty() && o.file.empty())
    throw UsageError("nothing to update: give --file or an option to change");
  Result<Json> current = ctx.api.Get(FlagPathInEnvironment(o.target));
  if (!current.ok()) return current.status();
  Json flag = WithoutServerFields(*current);
  // The edits apply to the flag as shown (production's, or --env's); the per-environment
  // breakdown would override them, so the write names what it changes instead.
  flag.erase("environments");
  if (!o.file.empty()) {
    Result<Json> loaded = LoadDefinition(o);
    if (!loaded.ok()) return loaded.status();
    flag = std::move(loaded).value();
  }
  ApplyEditsOrThrow(edits, &flag);
  flag["version"] = o.target.guard() ? Json(*o.target.guard()) : current->value("version", Json());
  Result<Json> updated = ctx.api.Put(FlagPathInEnvironment(o.target), flag);
  if (!updated.ok()) return updated.status();
  PrintFlagResult(ctx, *updated, "updated flag " + o.target.key);
  return Status::Ok();
}

void AddCreateAndUpdate(CLI::App* flags) {
  auto create = std::make_shared<EditOptions>();
  CLI::App* cmd = flags->add_subcommand("create", "Create a flag");
  AddEditOptions(cmd, create.get(), /*is_update=*/false);
  cmd->callback([create] {
    RunClientCommand(create->target.global, [&](CommandContext& ctx) { return RunCreate(*create, ctx); });
  });

  auto update = std::make_shared<EditOptions>();
  cmd = flags->add_subcommand("update", "Change a flag (read, edit, write back with its version)");
  AddEditOptions(cmd, update.get(), /*is_update=*/true);
  cmd->callback([update] {
    RunClientCommand(update->target.global, [&](CommandContext& ctx) { return RunUpdate(*update, ctx); });
  });
}

void AddDelete(CLI::App* flags) {
  auto target = std::make_shared<FlagTarget>();
  CLI::App* cmd = flags->add_subcommand("delete", "Delete a flag");
  AddTarget(cmd, target.get());
  cmd->callback([target] {
    RunClientCommand(target->global, [&](CommandContext& ctx) {
      // --env is passed on for the server to refuse: a flag is deleted from every environment.
      std::string path = FlagPath(*target);
      if (target->guard()) path += "?version=" + std::to_string(*target->guard());
      path += EnvironmentQuery(target->global, target->guard().has_value());
      Result<Json> deleted = ctx.api.Delete(path);
      if (!deleted.ok()) return deleted.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, Json{{"deleted", target->key}});
      } else {
        ctx.out << "deleted flag " << target->key << "\n";
      }
      return Status::Ok();
    });
  });
}

// enable / disable: POST .../{action} with the optional version guard.
void AddToggle(CLI::App* flags, const std::string& action, const std::string& help, const std::string& done) {
  auto target = std::make_shared<FlagTarget>();
  CLI::App* cmd = flags->add_subcommand(action, help);
  AddTarget(cmd, target.get());
  cmd->callback([target, action, done] {
    RunClientCommand(target->global, [&](CommandContext& ctx) {
      Json body = target->guard() ? Json{{"version", *target->guard()}} : Json();
      std::string path = FlagPathInEnvironment(*target, "/" + action);
      Result<Json> flag = target->guard() ? ctx.api.Post(path, body) : ctx.api.Call("POST", path);
      if (!flag.ok()) return flag.status();
      PrintFlagResult(ctx, *flag, done + " flag " + target->key);
      return Status::Ok();
    });
  });
}

struct RolloutOptions {
  FlagTarget target;
  double percentage = 0;
  int group = 0;
  const CLI::Option* group_option = nullptr;
};

void AddRollout(CLI::App* flags) {
  auto o = std::make_shared<RolloutOptions>();
  CLI::App* cmd = flags->add_subcommand("rollout", "Set a flag's rollout percentage");
  AddTarget(cmd, &o->target);
  cmd->add_option("PCT", o->percentage, "Percentage 0-100")->required()->check(PercentValidator());
  o->group_option = cmd->add_option("--group", o->group, "Only this condition group (index from 0)")
                        ->check(CLI::NonNegativeNumber);
  cmd->callback([o] {
    RunClientCommand(o->target.global, [&](CommandContext& ctx) {
      Json body{{"percentage", PercentJson(o->percentage)}};
      if (o->group_option->count() > 0) body["group"] = o->group;
      if (o->target.guard()) body["version"] = *o->target.guard();
      Result<Json> flag = ctx.api.Post(FlagPathInEnvironment(o->target, "/rollout"), body);
      if (!flag.ok()) return flag.status();
      PrintFlagResult(ctx, *flag, "flag " + o->target.key + " rolled out to " + FormatPercent(o->percentage));
      return Status::Ok();
    });
  });
}

}  // namespace

void AddFlagWriteCommands(CLI::App* flags) {
  AddCreateAndUpdate(flags);
  AddDelete(flags);
  AddToggle(flags, "enable", "Make a flag active", "enabled");
  AddToggle(flags, "disable", "Make a flag inactive (it then evaluates to false for everyone)", "disabled");
  AddRollout(flags);
}

}  // namespace switchyard::cli
