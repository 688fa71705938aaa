// What one flag write costs in a project that also holds a large flag: one with 10,000 regex
// groups. A write used to rebuild the whole project twice (validation, then publishing), so its
// cost grew with the large flag; it now derives both snapshots from the published one
// (FlagSet::With) and compiles only the written flag. Run from a Release build:
//   ./build/bench/sy_bench_write --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
//  * BM_WriteSmallFlag_Api: enable/disable of a small flag through the router and FlagService
//    (MemoryStore): the end-to-end write.
//  * BM_SnapshotAfterWrite_Derive / _FullBuild: the engine's part of one write, the new way and
//    the old way (the old write did the full build twice).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "server/api_harness.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

constexpr int kRegexGroups = 10'000;

Flag MustParse(const json& definition) {
  Result<Flag> flag = FlagFromJson(definition);
  if (!flag.ok()) throw std::runtime_error(flag.status().ToString());
  return *flag;
}

Flag LargeRegexFlag() {
  json groups = json::array();
  for (int i = 0; i < kRegexGroups; ++i) {
    const std::string pattern = "^user-" + std::to_string(i) + "-[a-z]+@example\\.com$";
    groups.push_back({{"properties", {{{"key", "email"}, {"operator", "regex"}, {"value", pattern}}}}});
  }
  return MustParse({{"key", "large-regex"}, {"filters", {{"groups", groups}}}});
}

json SmallFlag(const std::string& key) {
  return {
      {"key", key},
      {"filters",
       {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}}}}, {"rollout_percentage", 50}}}}}}};
}

void BM_WriteSmallFlag_Api(benchmark::State& state) {
  testing::ApiHarness api;
  auto project = api.store().GetProjectBySlug("default");
  if (!project.ok() ||
      !api.store().CreateFlag(project->id, store::Everywhere(LargeRegexFlag()), {"bench"}).ok() ||
      !api.snapshots().Reload(api.store(), project->id).ok() ||
      api.Call("POST", "/api/v1/projects/default/flags", SmallFlag("small")).status != 201) {
    state.SkipWithError("seeding failed");
    return;
  }
  bool enable = false;
  for (auto _ : state) {
    const std::string action = enable ? "/enable" : "/disable";
    Response response = api.Call("POST", "/api/v1/projects/default/flags/small" + action);
    if (response.status != 200) state.SkipWithError(response.body.c_str());
    enable = !enable;
  }
}
BENCHMARK(BM_WriteSmallFlag_Api)->Unit(benchmark::kMillisecond);

std::shared_ptr<const FlagSet> Project() {
  Result<std::shared_ptr<const FlagSet>> set =
      FlagSet::Build({LargeRegexFlag(), MustParse(SmallFlag("small"))});
  if (!set.ok()) throw std::runtime_error(set.status().ToString());
  return *set;
}

void BM_SnapshotAfterWrite_Derive(benchmark::State& state) {
  const auto base = Project();
  const Flag small = MustParse(SmallFlag("small"));
  for (auto _ : state) {
    auto next = base->With({.upsert_flag = small});
    benchmark::DoNotOptimize(next.ok());
  }
}
BENCHMARK(BM_SnapshotAfterWrite_Derive)->Unit(benchmark::kMillisecond);

void BM_SnapshotAfterWrite_FullBuild(benchmark::State& state) {
  const Flag large = LargeRegexFlag();
  const Flag small = MustParse(SmallFlag("small"));
  for (auto _ : state) {
    auto next = FlagSet::Build({large, small});
    benchmark::DoNotOptimize(next.ok());
  }
}
BENCHMARK(BM_SnapshotAfterWrite_FullBuild)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace switchyard::server

BENCHMARK_MAIN();
