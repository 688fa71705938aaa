// The statistics calculator: numbers gathered elsewhere in, the engine's comparison out. Pure
// computation of a few microseconds, so it runs inline on the I/O thread; any valid key may call
// it (it reads nothing of any project).
#include <cmath>
#include <cstdint>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/stats_request.h"
#include "switchyard/stats.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// Both bodies are a handful of numbers (SRM: one count and weight per variant).
constexpr std::size_t kMaxStatsBodyBytes = 64 * 1024;

const char* MethodName(stats::Method method) {
  switch (method) {
    case stats::Method::kFrequentist: return "frequentist";
    case stats::Method::kSequential: return "sequential";
    case stats::Method::kBayesian: return "bayesian";
  }
  return "";
}

// Counts are whole numbers (the parser checks n), so they print as integers.
std::int64_t Count(double n) {
  return static_cast<std::int64_t>(n);
}

// Absent values are null, so every answer has the same keys whatever the method.
json OrNull(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json ComparisonJson(const CompareRequest& request, const stats::Comparison& c) {
  const stats::CompareOptions& o = request.options;
  json out{
      {"method", MethodName(o.method)},
      {"difference", o.difference == stats::Difference::kRelative ? "relative" : "absolute"},
      {"alpha", o.alpha},
      {"control", {{"mean", c.control_mean}, {"n", Count(request.control.n)}}},
      {"treatment", {{"mean", c.treatment_mean}, {"n", Count(request.treatment.n)}}},
      {"expected", c.expected},
      {"ci", {c.ci.lower, c.ci.upper}},
      {"standard_error", c.standard_error},
      {"p_value", OrNull(c.p_value)},
      {"chance_to_win", OrNull(c.chance_to_win)},
      {"expected_loss", nullptr},
      {"degrees_of_freedom", OrNull(c.degrees_of_freedom)},
      {"is_significant", c.significant},
  };
  if (c.expected_loss_treatment) {
    out["expected_loss"] = {{"treatment", *c.expected_loss_treatment}, {"control", *c.expected_loss_control}};
  }
  if (o.method == stats::Method::kSequential) out["tuning"] = o.tuning;
  if (o.prior) out["prior"] = {{"mean", o.prior->mean}, {"variance", o.prior->variance}};
  return out;
}

Response Compare(RequestContext& req) {
  Result<json> body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  Result<CompareRequest> request = ParseCompareRequest(*body);
  if (!request.ok()) return ErrorResponse(request.status());
  Result<stats::Comparison> comparison =
      stats::Compare(request->control, request->treatment, request->options);
  if (!comparison.ok()) return ErrorResponse(comparison.status());
  return JsonResponse(200, ComparisonJson(*request, *comparison));
}

Response Srm(RequestContext& req) {
  Result<json> body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  Result<SrmRequest> request = ParseSrmRequest(*body);
  if (!request.ok()) return ErrorResponse(request.status());
  Result<stats::SrmResult> srm = stats::SampleRatioMismatch(request->counts, request->weights);
  if (!srm.ok()) return ErrorResponse(srm.status());
  return JsonResponse(200, {{"p_value", srm->p_value},
                            {"mismatch", srm->mismatch},
                            {"chi_square", srm->chi_square},
                            {"degrees_of_freedom", Count(srm->degrees_of_freedom)},
                            {"threshold", stats::kSrmThreshold}});
}

Response SampleSize(RequestContext& req) {
  Result<json> body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  Result<SampleSizeRequest> request = ParseSampleSizeRequest(*body);
  if (!request.ok()) return ErrorResponse(request.status());
  Result<stats::PowerResult> size = stats::SampleSize(request->inputs);
  if (!size.ok()) return ErrorResponse(size.status());
  const stats::PowerInputs& in = request->inputs;
  const bool mean = in.metric == stats::PowerInputs::Metric::kMean;
  json out{{"metric", mean ? "mean" : "proportion"},
           {"baseline", in.baseline},
           {"standard_deviation", mean ? json(in.standard_deviation) : json(nullptr)},
           {"relative_mde", in.relative_mde},
           {"alpha", in.alpha},
           {"power", in.power},
           {"variants", in.variants},
           {"per_variant", Count(size->per_variant)},
           {"total", Count(size->total)},
           {"alpha_per_comparison", size->alpha_per_comparison},
           {"daily_traffic", nullptr},
           {"days", nullptr}};
  if (request->daily_traffic) {
    // Whole days, rounded up: the last partial day still has to run.
    out["daily_traffic"] = *request->daily_traffic;
    out["days"] = Count(std::ceil(size->total / *request->daily_traffic));
  }
  return JsonResponse(200, out);
}

}  // namespace

void RegisterStatsRoutes(Router& router, ServerContext&) {
  RoutePolicy policy;
  policy.execution = Execution::kInline;
  policy.max_body_bytes = kMaxStatsBodyBytes;
  router.Add("POST", "/api/v1/stats/compare", Access::kProject,
             "Compare two variants' sufficient statistics (sequential, frequentist or Bayesian)", policy,
             Compare);
  router.Add("POST", "/api/v1/stats/srm", Access::kProject,
             "Sample-ratio mismatch: chi-square of observed counts against configured weights", policy, Srm);
  router.Add("POST", "/api/v1/stats/sample-size", Access::kProject,
             "Sample size per variant (and days, given daily traffic) to detect a relative effect", policy,
             SampleSize);
}

}  // namespace switchyard::server
