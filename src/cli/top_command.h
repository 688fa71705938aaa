// `switchyard top`: a live terminal dashboard of the model gateway's routes and variants, polling
// GET /api/v1/gateway/stats (admin key). On a terminal each refresh redraws the screen in place
// (ANSI); otherwise each refresh is appended (one table, or with --json one line). --once prints
// one table (or, with --json, the stats with each row's health) and exits; --count N stops after
// N refreshes. The health thresholds are options (see gateway_top.h).
#pragma once

#include <CLI/CLI.hpp>

namespace switchyard::cli {

void AddTopCommand(CLI::App& app);

}  // namespace switchyard::cli
