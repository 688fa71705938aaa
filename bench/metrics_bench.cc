// What /metrics costs on the hot path, side by side in one run: recording one request, the
// evaluate endpoint (20 flags) through the router with and without metrics, and a store read
// with and without the timing decorator; and the evaluation counters the stale report reads. Run from a
// Release build:
//   ./build/bench/sy_bench_metrics --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "server/api_harness.h"
#include "server/evaluation_counters.h"
#include "server/server_metrics.h"
#include "store/instrumented_store.h"
#include "store/memory_store.h"

namespace switchyard::server {
namespace {

using testing::ApiHarness;

ServerMetrics& SharedMetrics() {
  // One instance shared by the benchmark's threads, as the server's I/O threads share theirs.
  static ServerMetrics metrics;
  static const bool declared = [] {
    metrics.DeclareRoutes({"/healthz", "/api/v1/evaluate", "/api/v1/projects/{project}/flags/{key}"});
    return true;
  }();
  (void)declared;
  return metrics;
}

void BM_RecordRequest(benchmark::State& state) {
  ServerMetrics& metrics = SharedMetrics();
  for (auto _ : state) {
    auto started = metrics.OnRequestStarted();
    metrics.OnRequestFinished("/api/v1/evaluate", "POST", 200, started);
  }
}
BENCHMARK(BM_RecordRequest)->Threads(1)->Threads(2)->UseRealTime();

nlohmann::json BenchFlag(int i) {
  nlohmann::json props = {{{"key", "plan"}, {"operator", "exact"}, {"value", {"pro", "enterprise"}}},
                          {{"key", "email"}, {"operator", "icontains"}, {"value", "@example.com"}}};
  return {{"key", "flag-" + std::to_string(i)},
          {"filters", {{"groups", {{{"properties", props}, {"rollout_percentage", 50}}}}}}};
}

// Arg: 0 = no metrics, 1 = metrics (as served).
void BM_EvaluateEndpoint20Flags(benchmark::State& state) {
  ApiHarness api;
  for (int i = 0; i < 20; ++i) {
    if (api.Call("POST", "/api/v1/projects/default/flags", BenchFlag(i)).status != 201) {
      state.SkipWithError("seeding failed");
      return;
    }
  }
  if (state.range(0) == 0) api.router().SetMetrics(nullptr);
  const std::string body =
      R"({"distinct_id":"user-42","properties":{"plan":"pro","email":"u42@example.com","app_version":"2.3.0"}})";
  for (auto _ : state) {
    Response response = api.Call("POST", "/api/v1/evaluate", body, testing::kProjectKey);
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_EvaluateEndpoint20Flags)->Arg(0)->Arg(1);

// Arg: 0 = MemoryStore, 1 = the same behind InstrumentedStore.
void BM_GetPerson(benchmark::State& state) {
  ServerMetrics metrics;
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  if (state.range(0) == 1) store = std::make_unique<store::InstrumentedStore>(std::move(store), metrics);
  auto project = store->CreateProject("p", "P", {"bench"});
  if (!project.ok() || !store
                            ->UpdatePerson(project->id, "u", {{"plan", "pro"}}, nlohmann::json::object(),
                                           nlohmann::json::array())
                            .ok()) {
    state.SkipWithError("seeding failed");
    return;
  }
  for (auto _ : state) {
    auto person = store->GetPerson(project->id, "u");
    benchmark::DoNotOptimize(person);
  }
}
BENCHMARK(BM_GetPerson)->Arg(0)->Arg(1);

// The stale report's evaluation counters: recording one request's 20 flags (steady state: every
// slot exists), 1 and 2 threads on the same flags as two I/O threads would.
void BM_RecordEvaluations20Flags(benchmark::State& state) {
  static EvaluationCounters counters;  // shared by the benchmark's threads
  std::vector<FlagResult> results(20);
  for (int i = 0; i < 20; ++i) results[static_cast<size_t>(i)].key = "flag-" + std::to_string(i);
  for (auto _ : state) counters.Record(1, results, std::chrono::system_clock::now());
}
BENCHMARK(BM_RecordEvaluations20Flags)->Threads(1)->Threads(2)->UseRealTime();

// Arg: 0 = evaluations not counted, 1 = counted (as served).
void BM_EvaluateEndpointCounted(benchmark::State& state) {
  ApiHarness api;
  for (int i = 0; i < 20; ++i) {
    if (api.Call("POST", "/api/v1/projects/default/flags", BenchFlag(i)).status != 201) {
      state.SkipWithError("seeding failed");
      return;
    }
  }
  EvaluationCounters counters;
  if (state.range(0) == 1) api.context().counters = &counters;
  const std::string body =
      R"({"distinct_id":"user-42","properties":{"plan":"pro","email":"u42@example.com","app_version":"2.3.0"}})";
  for (auto _ : state) {
    Response response = api.Call("POST", "/api/v1/evaluate", body, testing::kProjectKey);
    benchmark::DoNotOptimize(response.body.data());
  }
}
BENCHMARK(BM_EvaluateEndpointCounted)->Arg(0)->Arg(1);

}  // namespace
}  // namespace switchyard::server

BENCHMARK_MAIN();
