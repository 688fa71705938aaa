// The experiment gate on the evaluate hot path: POST /api/v1/evaluate with 20 flags through the
// router (memory store), without the gate, with it and no experiment, and with a running
// experiment on one of the flags (holdout, layer slice and the exposure de-duplication, which
// after the first request is a hash lookup under a mutex).
//   build/bench/sy_bench_experiments --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "server/api_harness.h"

namespace switchyard::server {
namespace {

using testing::ApiHarness;

nlohmann::json BenchFlag(int i) {
  return {{"key", "flag-" + std::to_string(i)},
          {"filters",
           {{"groups",
             {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}}},
               {"rollout_percentage", 50}}}}}}};
}

// Arg: 0 = no gate, 1 = gate without experiments, 2 = gate with a running experiment (in a layer,
// with a holdout) on one of the 20 flags.
void BM_EvaluateEndpointGated(benchmark::State& state) {
  ApiHarness api;
  for (int i = 0; i < 19; ++i) {
    if (api.Call("POST", "/api/v1/projects/default/flags", BenchFlag(i)).status != 201) {
      state.SkipWithError("seeding failed");
      return;
    }
  }
  const nlohmann::json experiment{
      {"key", "exp"},
      {"environment", "production"},
      {"variants", {{{"key", "control"}, {"split", 50}}, {{"key", "treatment"}, {"split", 50}}}},
      {"layer", "l"},
      {"primary_metric", "m"}};
  if (api.Call("POST", "/api/v1/projects/default/experiments", experiment).status != 201 ||
      api.Call("PUT", "/api/v1/projects/default/holdout", nlohmann::json{{"percent", 5}}).status != 200) {
    state.SkipWithError("seeding failed");
    return;
  }
  if (state.range(0) == 2 &&
      api.Call("POST", "/api/v1/projects/default/experiments/exp/start").status != 200) {
    state.SkipWithError("start failed");
    return;
  }
  if (state.range(0) == 0) api.context().experiment_gate = nullptr;
  const std::string body =
      R"({"distinct_id":"user-42","properties":{"plan":"pro","email":"u42@example.com","app_version":"2.3.0"}})";
  for (auto _ : state) {
    Response response = api.Call("POST", "/api/v1/evaluate", body, testing::kProjectKey);
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_EvaluateEndpointGated)->Arg(0)->Arg(1)->Arg(2);

}  // namespace
}  // namespace switchyard::server

BENCHMARK_MAIN();
