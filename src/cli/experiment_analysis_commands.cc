// `results` and `report` read GET {project}/experiments/{key}/results; `plan` posts its options
// to /api/v1/stats/sample-size (options left out are not sent: the server's defaults apply).
#include "cli/experiment_analysis_commands.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <ostream>

#include "cli/cli_options.h"
#include "cli/experiment_report.h"
#include "cli/experiment_results_table.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

struct ResultsOptions {
  GlobalOptions global;
  std::string key;
  std::string out;  // report only
};

std::string ResultsPath(const ResultsOptions& o) {
  return ProjectPath(o.global) + "/experiments/" + PercentEncode(o.key) + "/results";
}

Status RunResults(const ResultsOptions& o, CommandContext& ctx) {
  Result<Json> results = ctx.api.Get(ResultsPath(o));
  if (!results.ok()) return results.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *results);
  } else {
    ctx.out << RenderResultsTable(*results);
  }
  return Status::Ok();
}

Status RunReport(const ResultsOptions& o, CommandContext& ctx) {
  Result<Json> results = ctx.api.Get(ResultsPath(o));
  if (!results.ok()) return results.status();
  const std::string html = RenderResultsReport(*results);
  if (Status s = WriteOutput(o.out, html); !s.ok()) return s;
  if (o.out == "-") return Status::Ok();
  if (ctx.global.json) {
    PrintJson(ctx.out, {{"out", o.out}, {"bytes", html.size()}});
  } else {
    ctx.out << "wrote " << o.out << " (" << (html.size() + 1023) / 1024 << " KiB)\n";
  }
  return Status::Ok();
}

struct PlanOptions {
  GlobalOptions global;
  std::string metric;
  double baseline = 0;
  double mde = 0;
  std::optional<double> standard_deviation;
  std::optional<double> alpha;
  std::optional<double> power;
  std::optional<int> variants;
  std::optional<double> daily_traffic;
};

Status RunPlan(const PlanOptions& o, CommandContext& ctx) {
  Json body{{"baseline", o.baseline}, {"relative_mde", o.mde}};
  if (!o.metric.empty()) body["metric"] = o.metric;
  if (o.standard_deviation) body["standard_deviation"] = *o.standard_deviation;
  if (o.alpha) body["alpha"] = *o.alpha;
  if (o.power) body["power"] = *o.power;
  if (o.variants) body["variants"] = *o.variants;
  if (o.daily_traffic) body["daily_traffic"] = *o.daily_traffic;
  Result<Json> plan = ctx.api.Post("/api/v1/stats/sample-size", body);
  if (!plan.ok()) return plan.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *plan);
  } else {
    ctx.out << RenderPlan(*plan);
  }
  return Status::Ok();
}

std::string Printf(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// 14749 -> "14,749".
std::string Thousands(double value) {
  std::string digits = Printf("%.0f", value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
    digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

double NumberOr(const Json& plan, const char* key, double fallback) {
  auto it = plan.find(key);
  return it != plan.end() && it->is_number() ? it->get<double>() : fallback;
}

}  // namespace

std::string RenderPlan(const Json& plan) {
  const bool mean = plan.value("metric", "") == "mean";
  const double baseline = NumberOr(plan, "baseline", 0);
  const double mde = NumberOr(plan, "relative_mde", 0);
  const double variants = NumberOr(plan, "variants", 2);
  auto value = [&](double v) { return mean ? Printf("%.4g", v) : Printf("%.2f %%", v * 100); };
  std::string out;
  out +=
      "metric               " + std::string(mean ? "mean" : "proportion") + ", baseline " + value(baseline);
  if (mean) out += ", standard deviation " + Printf("%.4g", NumberOr(plan, "standard_deviation", 0));
  out += "\nminimum effect       " + Printf("%+.2f %%", mde * 100) + " relative (" + value(baseline) +
         " -> " + value(baseline * (1 + mde)) + ")\n";
  out += "alpha                " + Printf("%g", NumberOr(plan, "alpha", 0.05));
  if (variants > 2)
    out += " (" + Printf("%.4g", NumberOr(plan, "alpha_per_comparison", 0)) + " per comparison)";
  out += "\npower                " + Printf("%g %%", NumberOr(plan, "power", 0.8) * 100) + "\n";
  out += "per variant          " + Thousands(NumberOr(plan, "per_variant", 0)) + "\n";
  out += "total                " + Thousands(NumberOr(plan, "total", 0)) + " (" + Printf("%.0f", variants) +
         " variants)\n";
  if (plan.contains("days") && plan["days"].is_number()) {
    const double days = plan["days"].get<double>();
    out += "duration             " + Printf("%.0f", days) + (days == 1 ? " day" : " days") + " at " +
           Thousands(NumberOr(plan, "daily_traffic", 0)) + " users a day";
    // Weekly cycles (weekday and weekend users differ) bias a shorter run.
    if (days < 7) out += " (run at least 7 days to cover a weekly cycle)";
    out += "\n";
  }
  return out;
}

void RegisterExperimentAnalysisCommands(CLI::App& experiments) {
  auto r = std::make_shared<ResultsOptions>();
  CLI::App* cmd = experiments.add_subcommand("results", "An experiment's results, health checks and verdict");
  AddGlobalOptions(cmd, &r->global);
  cmd->add_option("key", r->key, "Experiment key")->required();
  cmd->callback(
      [r] { RunClientCommand(r->global, [&](CommandContext& ctx) { return RunResults(*r, ctx); }); });

  auto p = std::make_shared<ResultsOptions>();
  cmd = experiments.add_subcommand("report", "Write an experiment's results as a self-contained HTML page");
  AddGlobalOptions(cmd, &p->global);
  cmd->add_option("key", p->key, "Experiment key")->required();
  cmd->add_option("--out", p->out, "The HTML file to write ('-': standard output)")->required();
  cmd->callback(
      [p] { RunClientCommand(p->global, [&](CommandContext& ctx) { return RunReport(*p, ctx); }); });

  auto plan = std::make_shared<PlanOptions>();
  cmd = experiments.add_subcommand("plan", "Sample size and duration to detect an effect");
  AddGlobalOptions(cmd, &plan->global);
  cmd->add_option("--baseline", plan->baseline, "The control's rate (e.g. 0.1) or mean")->required();
  cmd->add_option("--mde", plan->mde, "Minimum detectable effect, relative (e.g. 0.05 for +5 %)")->required();
  cmd->add_option("--metric", plan->metric, "proportion (default) or mean")
      ->check(CLI::IsMember({"proportion", "mean"}));
  cmd->add_option("--sd", plan->standard_deviation, "Mean metrics: the per-user standard deviation");
  cmd->add_option("--variants", plan->variants, "Variants, control included (default 2)");
  cmd->add_option("--daily-traffic", plan->daily_traffic, "Users entering the experiment per day");
  cmd->add_option("--alpha", plan->alpha, "Two-sided level (default 0.05)");
  cmd->add_option("--power", plan->power, "Power (default 0.8)");
  cmd->callback(
      [plan] { RunClientCommand(plan->global, [&](CommandContext& ctx) { return RunPlan(*plan, ctx); }); });
}

}  // namespace switchyard::cli
