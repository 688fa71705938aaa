// `switchyard experiments report KEY --out FILE.html`: the results as one self-contained HTML page
// (inline CSS and SVG; no scripts, fonts or images from anywhere), to attach to a launch
// decision: the verdict and its reasons, the variants and health checks, and per metric its
// table, its value over time with the interval band of each variant, its lift over time, and a
// comparison chart of each treatment's lift with its interval around a zero line.
// Every string from the data is escaped. Pure: the results JSON (docs/API.md) in, the page out.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace switchyard::cli {

std::string RenderResultsReport(const nlohmann::json& results);

}  // namespace switchyard::cli
