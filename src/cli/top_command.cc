#include "cli/top_command.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <ostream>
#include <thread>

#include "cli/cli_options.h"
#include "cli/gateway_top.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr char kStatsPath[] = "/api/v1/gateway/stats";
constexpr char kClearScreen[] = "\x1b[H\x1b[2J";

struct TopOptions {
  GlobalOptions global;
  TopThresholds thresholds;
  double interval_seconds = 2;
  int count = 0;
  bool once = false;
};

std::string Clock() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &local);
  return text;
}

void PrintFrame(const TopOptions& o, CommandContext& ctx, const Result<Json>& stats, bool terminal) {
  if (o.global.json) {
    if (stats.ok()) ctx.out << WithHealth(*stats, o.thresholds).dump() << "\n";
    return;  // a failed poll has no JSON line; the next one may succeed
  }
  if (terminal) ctx.out << kClearScreen;
  ctx.out << "switchyard top  " << o.global.url << "  every " << o.interval_seconds << " s  " << Clock();
  if (stats.ok()) {
    ctx.out << "  (last " << stats->value("window_seconds", 60) << " s; req and cost: whole run)\n\n"
            << RenderTop(*stats, o.thresholds, terminal);
  } else {
    ctx.out << "\n\nerror: " << stats.status().message() << "\n";
  }
  if (!terminal) ctx.out << "\n";
}

Status RunTop(const TopOptions& o, CommandContext& ctx) {
  Result<Json> stats = ctx.api.Get(kStatsPath);
  // The first poll decides whether the command can work at all (URL, key): fail at once.
  if (!stats.ok()) return stats.status();
  if (o.once) {
    if (o.global.json) {
      PrintJson(ctx.out, WithHealth(*stats, o.thresholds));
    } else {
      ctx.out << RenderTop(*stats, o.thresholds, false);
    }
    return Status::Ok();
  }
  const bool terminal = !o.global.json && isatty(STDOUT_FILENO) != 0;
  const auto interval = std::chrono::duration<double>(o.interval_seconds);
  for (int frame = 1;; ++frame) {
    PrintFrame(o, ctx, stats, terminal);
    ctx.out.flush();
    if (o.count > 0 && frame >= o.count) return Status::Ok();
    std::this_thread::sleep_for(interval);
    // A later failure (the server restarting) is shown in the frame, and polling goes on.
    stats = ctx.api.Get(kStatsPath);
  }
}

}  // namespace

void AddTopCommand(CLI::App& app) {
  auto top = std::make_shared<TopOptions>();
  CLI::App* cmd = app.add_subcommand(
      "top", "Live dashboard of the model gateway's routes and variants (requests, success, latency, cost)");
  AddGlobalOptions(cmd, &top->global);
  cmd->add_flag("--once", top->once, "Print one table (or --json the stats with health) and exit");
  cmd->add_option("--interval", top->interval_seconds, "Seconds between refreshes (default 2)")
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--count", top->count, "Exit after this many refreshes (default 0: never)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-error-rate", top->thresholds.max_error_rate,
                  "Error rate (0-1) over which a row is bad (default 0.05; 0: not checked)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-p95-ms", top->thresholds.max_p95_ms,
                  "P95 latency over which a row is bad (default 10000; 0: not checked)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-p99-ms", top->thresholds.max_p99_ms,
                  "P99 latency over which a row is bad (default 0: not checked)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-ttft-p95-ms", top->thresholds.max_ttft_p95_ms,
                  "P95 time to first token over which a row is bad (default 0: not checked)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--warn-at", top->thresholds.warn_at,
                  "Fraction of a threshold past which a row is warn (default 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback(
      [top] { RunClientCommand(top->global, [&](CommandContext& ctx) { return RunTop(*top, ctx); }); });
}

}  // namespace switchyard::cli
