// POST /api/v1/evaluate through the router with no socket: what the server adds around the
// engine (auth, JSON parse, person read, response JSON). Run from a Release build:
//   ./build/bench/sy_bench_server --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "server/api_harness.h"

namespace switchyard::server {
namespace {

using testing::ApiHarness;

nlohmann::json BenchFlag(int i) {
  nlohmann::json props = {{{"key", "plan"}, {"operator", "exact"}, {"value", {"pro", "enterprise"}}},
                          {{"key", "email"}, {"operator", "icontains"}, {"value", "@example.com"}}};
  return {{"key", "flag-" + std::to_string(i)},
          {"filters", {{"groups", {{{"properties", props}, {"rollout_percentage", 50}}}}}}};
}

void BM_EvaluateEndpoint(benchmark::State& state) {
  ApiHarness api;
  for (int i = 0; i < state.range(0); ++i) {
    if (api.Call("POST", "/api/v1/projects/default/flags", BenchFlag(i)).status != 201) {
      state.SkipWithError("seeding failed");
      return;
    }
  }
  const std::string body =
      R"({"distinct_id":"user-42","properties":{"plan":"pro","email":"u42@example.com","app_version":"2.3.0"}})";
  for (auto _ : state) {
    Response response = api.Call("POST", "/api/v1/evaluate", body, testing::kProjectKey);
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_EvaluateEndpoint)->Arg(1)->Arg(20)->Arg(50);

// PostHog's POST /flags/?v=2 for the same user and flags, as posthog-node sends it (the token in
// the body, no Authorization header): what the PostHog projection costs over evaluate.
void BM_PostHogFlagsEndpoint(benchmark::State& state) {
  ApiHarness api;
  for (int i = 0; i < state.range(0); ++i) {
    if (api.Call("POST", "/api/v1/projects/default/flags", BenchFlag(i)).status != 201) {
      state.SkipWithError("seeding failed");
      return;
    }
  }
  const std::string body = std::string(R"({"token":")") + testing::kProjectKey +
                           R"(","distinct_id":"user-42","groups":{},"person_properties":{"plan":"pro",)"
                           R"("email":"u42@example.com","app_version":"2.3.0"},"group_properties":{}})";
  for (auto _ : state) {
    Response response = api.Call("POST", "/flags/?v=2", body, "");
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_PostHogFlagsEndpoint)->Arg(1)->Arg(20)->Arg(50);

}  // namespace
}  // namespace switchyard::server

BENCHMARK_MAIN();
