#include "cli/experiments_commands.h"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/api_client.h"
#include "cli/cli_options.h"
#include "cli/experiment_analysis_commands.h"
#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

Json StringList(std::string_view spec) {
  Json list = Json::array();
  for (std::string_view part : SplitOn(spec, ','))
    if (!part.empty()) list.push_back(std::string(part));
  return list;
}

std::string ExperimentPath(const GlobalOptions& global, const std::string& key) {
  return ProjectPath(global) + "/experiments/" + PercentEncode(key);
}

std::string Number(const Json& value) {
  if (!value.is_number()) return "-";
  std::ostringstream out;
  out << value.get<double>();
  return out.str();
}

std::string Splits(const Json& experiment) {
  std::string text;
  for (const Json& v : experiment.value("variants", Json::array())) {
    if (!text.empty()) text += " ";
    text += v.value("key", "") + ":" + Number(v.value("split", Json()));
  }
  return text;
}

struct CreateOptions {
  GlobalOptions global;
  std::string key;
  std::string file;
  std::string name;
  std::string hypothesis;
  std::string owner;
  std::string flag;
  std::string variants;
  std::optional<double> traffic;
  std::string layer;
  std::string primary_metric;
  std::string secondary_metrics;
  std::string guardrail_metrics;
  std::optional<std::int64_t> minimum_sample;
  std::optional<int> duration_days;
  std::string method;
  std::string difference;
  std::optional<double> alpha;
  std::string correction;
};

Result<Json> CreateBody(const CreateOptions& o, const GlobalOptions& global) {
  Json body = Json::object();
  if (!o.file.empty()) {
    Result<std::string> text = ReadInput(o.file);
    if (!text.ok()) return text.status();
    Result<Json> parsed = ParseJsonOrYaml(*text, o.file);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->is_object())
      return Status::InvalidArgument(o.file + ": an experiment must be an object", "file");
    body = std::move(*parsed);
  }
  auto set = [&body](const char* field, const std::string& value) {
    if (!value.empty()) body[field] = value;
  };
  set("key", o.key);
  set("name", o.name);
  set("hypothesis", o.hypothesis);
  set("owner", o.owner);
  set("flag_key", o.flag);
  set("layer", o.layer);
  set("primary_metric", o.primary_metric);
  set("environment", global.env);
  if (!o.variants.empty()) {
    Result<Json> variants = ParseVariantSplits(o.variants);
    if (!variants.ok()) throw UsageError(variants.status().message());
    body["variants"] = std::move(*variants);
  }
  if (o.traffic) body["traffic_percent"] = *o.traffic;
  if (!o.secondary_metrics.empty()) body["secondary_metrics"] = StringList(o.secondary_metrics);
  if (!o.guardrail_metrics.empty()) body["guardrail_metrics"] = StringList(o.guardrail_metrics);
  if (o.minimum_sample) body["minimum_sample_per_variant"] = *o.minimum_sample;
  if (o.duration_days) body["planned_duration_days"] = *o.duration_days;
  Json analysis = body.value("analysis", Json::object());
  if (!o.method.empty()) analysis["method"] = o.method;
  if (!o.difference.empty()) analysis["difference"] = o.difference;
  if (o.alpha) analysis["alpha"] = *o.alpha;
  if (!o.correction.empty()) analysis["correction"] = o.correction;
  if (!analysis.empty()) body["analysis"] = std::move(analysis);
  if (!body.contains("key")) throw UsageError("KEY is required (as an argument or \"key\" in --file)");
  return body;
}

void Report(CommandContext& ctx, const Json& experiment, const std::string& what) {
  if (ctx.global.json) {
    PrintJson(ctx.out, experiment);
    return;
  }
  ctx.out << what << " experiment " << experiment.value("key", "") << " (" << experiment.value("status", "")
          << ", version " << Number(experiment.value("version", Json())) << ")\n";
}

void AddCreate(CLI::App* experiments) {
  auto o = std::make_shared<CreateOptions>();
  CLI::App* cmd = experiments->add_subcommand("create", "Create an experiment (a draft) in --env");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Experiment key (also its flag's, unless --flag)");
  cmd->add_option("--file", o->file,
                  "A JSON or YAML experiment (options given too override it; - for stdin)");
  cmd->add_option("--name", o->name, "Display name");
  cmd->add_option("--hypothesis", o->hypothesis, "What the experiment should show");
  cmd->add_option("--owner", o->owner, "Who owns it");
  cmd->add_option("--flag", o->flag, "Run on this existing flag (default: create one named KEY)");
  cmd->add_option("--variants", o->variants, "KEY:SPLIT,... control first, splits summing to 100");
  cmd->add_option("--traffic", o->traffic, "Percent of eligible users in the experiment (default 100)")
      ->check(PercentValidator());
  cmd->add_option("--layer", o->layer, "Layer: experiments in one layer never share a user");
  cmd->add_option("--primary-metric", o->primary_metric, "The metric key the verdict is about");
  cmd->add_option("--secondary-metrics", o->secondary_metrics, "Metric keys, comma-separated");
  cmd->add_option("--guardrail-metrics", o->guardrail_metrics, "Metric keys, comma-separated");
  cmd->add_option("--min-sample", o->minimum_sample, "Exposures each variant needs before a verdict");
  cmd->add_option("--duration-days", o->duration_days, "Planned duration in days");
  cmd->add_option("--method", o->method, "sequential (default), frequentist or bayesian")
      ->check(CLI::IsMember({"sequential", "frequentist", "bayesian"}));
  cmd->add_option("--difference", o->difference, "relative (default) or absolute")
      ->check(CLI::IsMember({"relative", "absolute"}));
  cmd->add_option("--alpha", o->alpha, "Significance level (default 0.05)");
  cmd->add_option("--correction", o->correction, "holm (default), benjamini_hochberg or none")
      ->check(CLI::IsMember({"holm", "benjamini_hochberg", "none"}));
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) -> Status {
      Result<Json> body = CreateBody(*o, ctx.global);
      if (!body.ok()) return body.status();
      Result<Json> created = ctx.api.Post(ProjectPath(ctx.global) + "/experiments", *body);
      if (!created.ok()) return created.status();
      Report(ctx, *created, "created");
      return Status::Ok();
    });
  });
}

struct ListOptions {
  GlobalOptions global;
  std::string status;
};

void AddList(CLI::App* experiments) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = experiments->add_subcommand("list", "List the project's experiments");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("--status", o->status, "Only experiments in this status")
      ->check(CLI::IsMember({"draft", "running", "paused", "stopped"}));
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) -> Status {
      std::string target = ProjectPath(ctx.global) + "/experiments";
      if (!o->status.empty()) target += "?status=" + o->status;
      Result<Json> listed = ctx.api.Get(target);
      if (!listed.ok()) return listed.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *listed);
        return Status::Ok();
      }
      Table table({"KEY", "STATUS", "ENV", "FLAG", "VARIANTS", "TRAFFIC", "PRIMARY METRIC"});
      for (const Json& e : listed->value("experiments", Json::array())) {
        table.AddRow({e.value("key", ""), e.value("status", ""), e.value("environment", ""),
                      e.value("flag_key", ""), Splits(e), Number(e.value("traffic_percent", Json())) + " %",
                      e.value("primary_metric", "")});
      }
      ctx.out << table.Render();
      return Status::Ok();
    });
  });
}

struct KeyOptions {
  GlobalOptions global;
  std::string key;
  std::string variant;
};

void AddGet(CLI::App* experiments) {
  auto o = std::make_shared<KeyOptions>();
  CLI::App* cmd = experiments->add_subcommand("get", "Show one experiment");
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Experiment key")->required();
  cmd->callback([o] {
    RunClientCommand(o->global, [&](CommandContext& ctx) -> Status {
      Result<Json> experiment = ctx.api.Get(ExperimentPath(ctx.global, o->key));
      if (!experiment.ok()) return experiment.status();
      if (ctx.global.json) {
        PrintJson(ctx.out, *experiment);
      } else {
        ctx.out << RenderExperiment(*experiment);
      }
      return Status::Ok();
    });
  });
}

void AddMove(CLI::App* experiments, const std::string& name, const std::string& help,
             const std::string& done) {
  auto o = std::make_shared<KeyOptions>();
  CLI::App* cmd = experiments->add_subcommand(name, help);
  AddGlobalOptions(cmd, &o->global);
  cmd->add_option("KEY", o->key, "Experiment key")->required();
  if (name == "ship") cmd->add_option("VARIANT", o->variant, "The variant to serve to everyone")->required();
  cmd->callback([o, name, done] {
    RunClientCommand(o->global, [&](CommandContext& ctx) -> Status {
      Json body = Json::object();
      if (name == "ship") body["variant"] = o->variant;
      Result<Json> changed = ctx.api.Post(ExperimentPath(ctx.global, o->key) + "/" + name, body);
      if (!changed.ok()) return changed.status();
      Report(ctx, *changed, name == "ship" ? "shipped " + o->variant + " of" : done);
      return Status::Ok();
    });
  });
}

}  // namespace

Result<Json> ParseVariantSplits(std::string_view spec) {
  Json variants = Json::array();
  for (std::string_view part : SplitOn(spec, ',')) {
    auto colon = part.rfind(':');
    double split = 0;
    bool number = false;
    if (colon != std::string_view::npos && colon > 0) {
      std::string_view text = part.substr(colon + 1);
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), split);
      number = ec == std::errc() && end == text.data() + text.size() && std::isfinite(split);
    }
    if (!number) {
      return Status::InvalidArgument(
          "--variants takes KEY:SPLIT,KEY:SPLIT (e.g. control:50,treatment:50), not '" + std::string(part) +
              "'",
          "--variants");
    }
    variants.push_back({{"key", std::string(part.substr(0, colon))}, {"split", split}});
  }
  return variants;
}

std::string RenderExperiment(const Json& e) {
  std::ostringstream out;
  auto line = [&out](const std::string& label, const std::string& value) {
    if (!value.empty()) out << std::left << std::setw(18) << label << value << "\n";
  };
  line("key", e.value("key", ""));
  line("name", e.value("name", ""));
  line("status", e.value("status", "") + (e.value("shipped_variant", "").empty()
                                              ? ""
                                              : " (shipped " + e.value("shipped_variant", "") + ")"));
  line("hypothesis", e.value("hypothesis", ""));
  line("owner", e.value("owner", ""));
  line("environment", e.value("environment", ""));
  line("flag", e.value("flag_key", ""));
  line("variants", Splits(e));
  line("traffic", Number(e.value("traffic_percent", Json())) + " %");
  if (!e.value("layer", "").empty()) {
    line("layer", e.value("layer", "") + " [" + Number(e.value("layer_from", Json())) + ", " +
                      Number(e.value("layer_to", Json())) + ")");
  }
  line("primary metric", e.value("primary_metric", ""));
  std::string secondary;
  for (const Json& m : e.value("secondary_metrics", Json::array()))
    secondary += (secondary.empty() ? "" : ", ") + m.get<std::string>();
  line("secondary", secondary);
  std::string guardrails;
  for (const Json& m : e.value("guardrail_metrics", Json::array()))
    guardrails += (guardrails.empty() ? "" : ", ") + m.get<std::string>();
  line("guardrails", guardrails);
  const Json analysis = e.value("analysis", Json::object());
  line("analysis", analysis.value("method", "") + ", " + analysis.value("difference", "") + ", alpha " +
                       Number(analysis.value("alpha", Json())) + ", " + analysis.value("correction", ""));
  line("started", e.value("started_at", ""));
  line("stopped", e.value("stopped_at", ""));
  line("version", Number(e.value("version", Json())));
  return out.str();
}

void AddExperimentsCommands(CLI::App& app) {
  CLI::App* experiments = app.add_subcommand("experiments", "A/B/n experiments on multivariate flags");
  experiments->require_subcommand(1);
  AddCreate(experiments);
  AddList(experiments);
  AddGet(experiments);
  AddMove(experiments, "start", "Start (or resume) an experiment: its flag serves the variants", "started");
  AddMove(experiments, "pause", "Pause a running experiment (its flag off)", "paused");
  AddMove(experiments, "stop", "Stop an experiment (its flag off)", "stopped");
  AddMove(experiments, "ship", "Ship a variant: stop the experiment and serve VARIANT to everyone",
          "shipped");
  RegisterExperimentAnalysisCommands(*experiments);  // results, report, plan
}

}  // namespace switchyard::cli
