#include "cli/models_commands.h"

#include <memory>
#include <optional>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/flag_format.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::string ModelsPath(const GlobalOptions& global) {
  return ProjectPath(global) + "/models";
}

// "name@version" -> (name, version); UsageError-like InvalidArgument otherwise.
Result<std::pair<std::string, std::string>> SplitReference(const std::string& reference) {
  std::size_t at = reference.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == reference.size())
    return Status::InvalidArgument("expected NAME@VERSION, e.g. chat@1.2.0, not '" + reference + "'", "REF");
  return std::make_pair(reference.substr(0, at), reference.substr(at + 1));
}

Status PrintOr(CommandContext& ctx, const Json& value, const std::string& text) {
  if (ctx.global.json) {
    PrintJson(ctx.out, value);
  } else {
    ctx.out << text << "\n";
  }
  return Status::Ok();
}

struct RegisterOptions {
  GlobalOptions global;
  std::string file;
  std::optional<std::string> name, version, kind, base_url, upstream_model, credential_env, description;
  std::optional<std::string> artifact_uri, artifact_sha256;
  std::optional<double> input_price, cached_input_price, output_price;
  std::vector<std::string> tags;
};

Status RunRegister(const RegisterOptions& o, CommandContext& ctx) {
  Json body = Json::object();
  if (!o.file.empty()) {
    Result<std::string> text = ReadInput(o.file);
    if (!text.ok()) return text.status();
    Result<Json> parsed = ParseJsonOrYaml(*text, o.file);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->is_object())
      return Status::InvalidArgument("the file must hold one model version object", "--file");
    body = std::move(*parsed);
  }
  auto set = [](Json& object, const char* key, const auto& value) {
    if (value) object[key] = *value;
  };
  set(body, "name", o.name);
  set(body, "version", o.version);
  set(body, "kind", o.kind);
  set(body, "description", o.description);
  if (o.base_url || o.upstream_model || o.credential_env) {
    Json& upstream = body["upstream"];
    if (!upstream.is_object()) upstream = Json::object();
    set(upstream, "base_url", o.base_url);
    set(upstream, "model", o.upstream_model);
    set(upstream, "credential_env", o.credential_env);
  }
  if (o.input_price || o.cached_input_price || o.output_price) {
    Json& prices = body["prices"];
    if (!prices.is_object()) prices = Json::object();
    set(prices, "input_per_1m", o.input_price);
    set(prices, "cached_input_per_1m", o.cached_input_price);
    set(prices, "output_per_1m", o.output_price);
  }
  if (o.artifact_uri || o.artifact_sha256) {
    Json& artifact = body["artifact"];
    if (!artifact.is_object()) artifact = Json::object();
    set(artifact, "uri", o.artifact_uri);
    set(artifact, "sha256", o.artifact_sha256);
  }
  if (!o.tags.empty()) body["tags"] = o.tags;
  Result<Json> created = ctx.api.Post(ModelsPath(ctx.global), body);
  if (!created.ok()) return created.status();
  return PrintOr(ctx, *created, "registered " + created->value("reference", std::string()));
}

struct ModelListOptions {
  GlobalOptions global;
  std::string name, state, tag;
};

Status RunList(const ModelListOptions& o, CommandContext& ctx) {
  std::string query;
  auto add = [&query](const char* key, const std::string& value) {
    if (value.empty()) return;
    query += (query.empty() ? "?" : "&") + std::string(key) + "=" + value;
  };
  add("name", o.name);
  add("state", o.state);
  add("tag", o.tag);
  Result<Json> response = ctx.api.GetList(ModelsPath(ctx.global) + query, "models");
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  Table table({"model", "kind", "state", "upstream", "tags", "created"});
  for (const Json& model : response->value("models", Json::array())) {
    std::string tags;
    for (const Json& tag : model.value("tags", Json::array()))
      tags += (tags.empty() ? "" : ",") + CellText(tag);
    table.AddRow({CellText(model.value("reference", Json())), CellText(model.value("kind", Json())),
                  CellText(model.value("state", Json())),
                  CellText(model.value("upstream", Json::object()).value("model", Json())), tags,
                  CellText(model.value("created_at", Json()))});
  }
  ctx.out << table.Render();
  return Status::Ok();
}

struct RefOptions {
  GlobalOptions global;
  std::string reference;
  std::string to;
  std::string reason;
};

Result<std::string> VersionPath(const GlobalOptions& global, const std::string& reference) {
  auto parts = SplitReference(reference);
  if (!parts.ok()) return parts.status();
  return ModelsPath(global) + "/" + parts->first + "/versions/" + parts->second;
}

Status RunGet(const RefOptions& o, CommandContext& ctx) {
  auto path = VersionPath(ctx.global, o.reference);
  if (!path.ok()) return path.status();
  Result<Json> model = ctx.api.Get(*path);
  if (!model.ok()) return model.status();
  PrintJson(ctx.out, *model);
  return Status::Ok();
}

Status RunTransition(const RefOptions& o, CommandContext& ctx) {
  auto path = VersionPath(ctx.global, o.reference);
  if (!path.ok()) return path.status();
  Result<Json> moved = ctx.api.Post(*path + "/transition", Json{{"to", o.to}, {"reason", o.reason}});
  if (!moved.ok()) return moved.status();
  return PrintOr(ctx, *moved, o.reference + " is now " + moved->value("state", std::string()));
}

struct AliasOptions {
  GlobalOptions global;
  std::string name, alias, version, reason;
};

std::string AliasPath(const GlobalOptions& global, const AliasOptions& o) {
  return ModelsPath(global) + "/" + o.name + "/aliases/" + o.alias;
}

std::string MoveText(const Json& move) {
  const Json from = move.value("from", Json());
  return move.value("name", std::string()) + "@" + move.value("alias", std::string()) + " -> " +
         move.value("to", std::string()) + (from.is_string() ? " (was " + from.get<std::string>() + ")" : "");
}

Status RunAlias(const AliasOptions& o, CommandContext& ctx) {
  Result<Json> move =
      ctx.api.Put(AliasPath(ctx.global, o), Json{{"version", o.version}, {"reason", o.reason}});
  if (!move.ok()) return move.status();
  return PrintOr(ctx, *move, MoveText(*move));
}

Status RunRollback(const AliasOptions& o, CommandContext& ctx) {
  Result<Json> move = ctx.api.Post(AliasPath(ctx.global, o) + "/rollback", Json{{"reason", o.reason}});
  if (!move.ok()) return move.status();
  return PrintOr(ctx, *move, "rolled back " + MoveText(*move));
}

Status RunHistory(const AliasOptions& o, CommandContext& ctx) {
  Result<Json> history = ctx.api.GetList(AliasPath(ctx.global, o) + "/history", "history");
  if (!history.ok()) return history.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *history);
    return Status::Ok();
  }
  Table table({"at", "actor", "from", "to", "rollback", "reason"});
  for (const Json& move : history->value("history", Json::array()))
    table.AddRow({CellText(move.value("at", Json())), CellText(move.value("actor", Json())),
                  CellText(move.value("from", Json())), CellText(move.value("to", Json())),
                  move.value("rollback", false) ? "yes" : "", CellText(move.value("reason", Json()))});
  ctx.out << table.Render();
  return Status::Ok();
}

template <typename Options, typename Run>
void OnRun(CLI::App* cmd, std::shared_ptr<Options> options, Run run) {
  cmd->callback([options, run] {
    RunClientCommand(options->global, [&](CommandContext& ctx) { return run(*options, ctx); });
  });
}

void AddAliasArguments(CLI::App* cmd, AliasOptions* o) {
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("NAME", o->name, "Model name")->required();
  cmd->add_option("ALIAS", o->alias, "Alias (stable, canary, or a custom name)")->required();
}

}  // namespace

void AddModelsCommands(CLI::App& app) {
  CLI::App* models = app.add_subcommand("models", "Manage the model registry (versions, lifecycle, aliases)");
  models->require_subcommand(1);

  auto reg = std::make_shared<RegisterOptions>();
  CLI::App* cmd = models->add_subcommand("register", "Register a model version (from --file and/or options)");
  AddGlobalOptions(cmd, &reg->global);
  cmd->add_option("--file", reg->file, "Model version (JSON or YAML; '-' for stdin)");
  cmd->add_option("--name", reg->name, "Model name");
  cmd->add_option("--version", reg->version, "Version (MAJOR.MINOR.PATCH)");
  cmd->add_option("--kind", reg->kind, "openai_chat (default) or http_json");
  cmd->add_option("--base-url", reg->base_url, "Upstream base URL (http/https)");
  cmd->add_option("--upstream-model", reg->upstream_model, "The model id the upstream knows");
  cmd->add_option("--credential-env", reg->credential_env,
                  "NAME of the environment variable holding the upstream's key (never the key)");
  cmd->add_option("--input-price", reg->input_price, "Price per 1M input tokens");
  cmd->add_option("--cached-input-price", reg->cached_input_price, "Price per 1M cached input tokens");
  cmd->add_option("--output-price", reg->output_price, "Price per 1M output tokens");
  cmd->add_option("--artifact-uri", reg->artifact_uri, "Where the artifact is");
  cmd->add_option("--artifact-sha256", reg->artifact_sha256, "The artifact's SHA-256 (64 hex)");
  cmd->add_option("--tag", reg->tags, "A tag (repeatable)");
  cmd->add_option("--description", reg->description, "Description");
  OnRun(cmd, reg, RunRegister);

  auto list = std::make_shared<ModelListOptions>();
  cmd = models->add_subcommand("list", "List model versions");
  AddGlobalOptions(cmd, &list->global);
  cmd->add_option("--name", list->name, "Only this model");
  cmd->add_option("--state", list->state, "Only versions in this state");
  cmd->add_option("--tag", list->tag, "Only versions with this tag");
  OnRun(cmd, list, RunList);

  auto get = std::make_shared<RefOptions>();
  cmd = models->add_subcommand("get", "Show a model version (JSON)");
  AddGlobalOptions(cmd, &get->global);
  cmd->add_option("REF", get->reference, "NAME@VERSION")->required();
  OnRun(cmd, get, RunGet);

  auto transition = std::make_shared<RefOptions>();
  cmd = models->add_subcommand("transition", "Move a version through its lifecycle");
  AddGlobalOptions(cmd, &transition->global);
  cmd->add_option("REF", transition->reference, "NAME@VERSION")->required();
  cmd->add_option("STATE", transition->to, "validated, canary, deployed, deprecated or archived")->required();
  cmd->add_option("--reason", transition->reason, "Why (kept in the audit log)");
  OnRun(cmd, transition, RunTransition);

  auto alias = std::make_shared<AliasOptions>();
  cmd = models->add_subcommand("alias", "Point an alias at a version");
  AddAliasArguments(cmd, alias.get());
  cmd->add_option("VERSION", alias->version, "The version it points at")->required();
  cmd->add_option("--reason", alias->reason, "Why (kept in the alias's history)");
  OnRun(cmd, alias, RunAlias);

  auto rollback = std::make_shared<AliasOptions>();
  cmd = models->add_subcommand("rollback", "Move an alias back to its previous target");
  AddAliasArguments(cmd, rollback.get());
  cmd->add_option("--reason", rollback->reason, "Why (kept in the alias's history)");
  OnRun(cmd, rollback, RunRollback);

  auto history = std::make_shared<AliasOptions>();
  cmd = models->add_subcommand("history", "Show an alias's moves, oldest first");
  AddAliasArguments(cmd, history.get());
  OnRun(cmd, history, RunHistory);
}

}  // namespace switchyard::cli
