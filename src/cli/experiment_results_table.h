// `switchyard experiments results KEY` without --json: the results as the terminal shows them,
// from the JSON the server answers (docs/API.md, "Experiment results"):
//
//   experiment checkout (running): sequential, relative lift, 95 % intervals, holm correction
//   verdict: SHIP treatment
//     - treatment raises conversion by 35.0 % (95 % interval +10.1 % to +59.9 %)
//     - no guardrail is worse
//
//   VARIANT    SPLIT  EXPOSURES  MINIMUM SAMPLE
//   ...
//   METRIC      ROLE     VARIANT    VALUE    95 % INTERVAL  LIFT  LIFT INTERVAL  P-VALUE  ADJ. P  CHANCE TO
//   WIN  SIGNIFICANT
//   ...
//   health
//     ...
//
// Pure: JSON in, text out; aligned by cli::Table.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchyard::cli {

std::string RenderResultsTable(const nlohmann::json& results);

}  // namespace switchyard::cli
