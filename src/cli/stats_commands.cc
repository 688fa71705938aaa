// `stats compare` posts {"control","treatment","method","difference","alpha","tuning","prior"}
// to /api/v1/stats/compare; `stats srm` posts {"counts","weights"} to /api/v1/stats/srm. Options
// left out are not sent, so the server's defaults (sequential, relative, 0.05, N* 5000) apply.
#include "cli/stats_commands.h"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/cli_options.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    auto comma = text.find(',');
    parts.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

struct CompareOptions {
  GlobalOptions global;
  std::string control;
  std::string treatment;
  std::string method;
  std::string difference;
  std::optional<double> alpha;
  std::optional<double> tuning;
  std::string prior;
};

Json UsageOr(Result<Json> parsed) {
  if (!parsed.ok()) throw UsageError(parsed.status().message());
  return std::move(*parsed);
}

Json CompareBody(const CompareOptions& o) {
  Json body{{"control", UsageOr(ParseNumberFields(o.control, "--control"))},
            {"treatment", UsageOr(ParseNumberFields(o.treatment, "--treatment"))}};
  if (!o.method.empty()) body["method"] = o.method;
  if (!o.difference.empty()) body["difference"] = o.difference;
  if (o.alpha) body["alpha"] = *o.alpha;
  if (o.tuning) body["tuning"] = *o.tuning;
  if (!o.prior.empty()) body["prior"] = UsageOr(ParseNumberFields(o.prior, "--prior"));
  return body;
}

Status RunCompare(const CompareOptions& o, CommandContext& ctx) {
  Json body = CompareBody(o);
  Result<Json> response = ctx.api.Post("/api/v1/stats/compare", body);
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
  } else {
    ctx.out << RenderComparison(*response);
  }
  return Status::Ok();
}

struct SrmOptions {
  GlobalOptions global;
  std::string counts;
  std::string weights;
};

Status RunSrm(const SrmOptions& o, CommandContext& ctx) {
  Json body{{"counts", UsageOr(ParseNumberList(o.counts, "--counts"))},
            {"weights", UsageOr(ParseNumberList(o.weights, "--weights"))}};
  Result<Json> response = ctx.api.Post("/api/v1/stats/srm", body);
  if (!response.ok()) return response.status();
  if (ctx.global.json) {
    PrintJson(ctx.out, *response);
    return Status::Ok();
  }
  const bool mismatch = response->value("mismatch", false);
  std::ostringstream p;
  p << std::setprecision(4) << response->value("p_value", 1.0);
  ctx.out << "p-value    " << p.str() << "\n"
          << "mismatch   "
          << (mismatch ? "yes: the split is not what was configured; do not trust these results" : "no")
          << "\n";
  return Status::Ok();
}

std::string Number(const Json& value, bool percent) {
  if (!value.is_number()) return "-";
  if (value.is_number_integer()) return value.dump();
  std::ostringstream out;
  const double v = value.get<double>();
  if (percent) {
    out << std::showpos << std::fixed << std::setprecision(2) << v * 100 << " %";
  } else {
    out << std::setprecision(6) << v;
  }
  return out.str();
}

}  // namespace

Result<Json> ParseNumberFields(std::string_view spec, const std::string& option) {
  Json fields = Json::object();
  for (std::string_view part : Split(spec)) {
    auto eq = part.find('=');
    std::optional<double> value =
        eq == std::string_view::npos ? std::nullopt : ParseNumber(part.substr(eq + 1));
    if (eq == 0 || !value) {
      return Status::InvalidArgument(option +
                                         " takes NAME=NUMBER,NAME=NUMBER (e.g. sum=12.5,sum_squares=80,n=10 "
                                         "or successes=14,n=28), not '" +
                                         std::string(part) + "'",
                                     option);
    }
    fields[std::string(part.substr(0, eq))] = *value;
  }
  return fields;
}

Result<Json> ParseNumberList(std::string_view spec, const std::string& option) {
  Json list = Json::array();
  for (std::string_view part : Split(spec)) {
    std::optional<double> value = ParseNumber(part);
    if (!value) {
      return Status::InvalidArgument(
          option + " takes numbers separated by commas, not '" + std::string(part) + "'", option);
    }
    list.push_back(*value);
  }
  return list;
}

std::string RenderComparison(const Json& c) {
  const bool relative = c.value("difference", "") == "relative";
  const std::string method = c.value("method", "");
  std::ostringstream out;
  out << "method          " << method;
  if (method == "sequential" && c.contains("tuning")) out << " (N* " << c["tuning"].get<double>() << ")";
  out << ", " << c.value("difference", "") << " difference\n";
  for (const char* variant : {"control", "treatment"}) {
    const Json& v = c.value(variant, Json::object());
    out << std::left << std::setw(16) << variant << "mean " << Number(v.value("mean", Json()), false)
        << ", n " << Number(v.value("n", Json()), false) << "\n";
  }
  const double alpha = c.value("alpha", 0.05);
  std::ostringstream level;
  level << (1 - alpha) * 100 << " % " << (method == "bayesian" ? "credible" : "interval");
  out << std::setw(16) << "expected" << Number(c.value("expected", Json()), relative) << "\n";
  const Json& ci = c.value("ci", Json::array());
  if (ci.is_array() && ci.size() == 2) {
    out << std::setw(16) << level.str() << "[" << Number(ci[0], relative) << ", " << Number(ci[1], relative)
        << "]\n";
  }
  if (c.value("p_value", Json()).is_number()) {
    out << std::setw(16) << "p-value" << Number(c["p_value"], false) << "\n";
  }
  if (c.value("chance_to_win", Json()).is_number()) {
    std::ostringstream chance;
    chance << std::fixed << std::setprecision(2) << c["chance_to_win"].get<double>() * 100 << " %";
    out << std::setw(16) << "chance to win" << chance.str() << "\n";
  }
  out << std::setw(16) << "significant" << (c.value("is_significant", false) ? "yes" : "no") << "\n";
  return out.str();
}

void AddStatsCommands(CLI::App& app) {
  CLI::App* stats = app.add_subcommand("stats", "Statistics calculator for numbers gathered elsewhere");
  stats->require_subcommand(1);

  auto c = std::make_shared<CompareOptions>();
  CLI::App* cmd = stats->add_subcommand("compare", "Compare a treatment with its control");
  AddGlobalOptions(cmd, &c->global);
  cmd->add_option("--control", c->control,
                  "sum=..,sum_squares=..,n=.. (a mean) or successes=..,n=.. (a rate)")
      ->required();
  cmd->add_option("--treatment", c->treatment, "The treatment, in the same form as --control")->required();
  cmd->add_option("--method", c->method, "sequential (default), frequentist or bayesian")
      ->check(CLI::IsMember({"sequential", "frequentist", "bayesian"}));
  cmd->add_option("--difference", c->difference, "relative (default) or absolute")
      ->check(CLI::IsMember({"relative", "absolute"}));
  cmd->add_option("--alpha", c->alpha, "Two-sided level (default 0.05)");
  cmd->add_option("--tuning", c->tuning,
                  "Sequential: N*, the total sample size where the interval is tightest");
  cmd->add_option("--prior", c->prior, "Bayesian: mean=..,variance=.. of a Gaussian prior on the difference");
  cmd->callback(
      [c] { RunClientCommand(c->global, [&](CommandContext& ctx) { return RunCompare(*c, ctx); }); });

  auto s = std::make_shared<SrmOptions>();
  cmd = stats->add_subcommand("srm", "Sample-ratio mismatch: observed units against the configured split");
  AddGlobalOptions(cmd, &s->global);
  cmd->add_option("--counts", s->counts, "Units per variant, e.g. 1000,1200")->required();
  cmd->add_option("--weights", s->weights, "The configured split, e.g. 0.5,0.5")->required();
  cmd->callback([s] { RunClientCommand(s->global, [&](CommandContext& ctx) { return RunSrm(*s, ctx); }); });
}

}  // namespace switchyard::cli
