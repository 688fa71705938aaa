// Readers evaluate a shared snapshot while a writer builds and publishes new ones, the way the
// server does (std::atomic<std::shared_ptr<const FlagSet>>). Every answer must come from one
// consistent snapshot: all flags of one EvaluateAll carry the same version and that version's
// outcome, and a reader never sees versions go backwards.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "core/flag_test_util.h"

namespace switchyard {
namespace {

using nlohmann::json;

constexpr int kFlags = 20;
constexpr int kSnapshots = 200;
constexpr int kReaders = 3;

// Snapshot v: every flag has version v; even versions enable everyone with variant "v<v % 3>",
// odd versions require a property nobody has.
std::shared_ptr<const FlagSet> Snapshot(int v) {
  std::vector<Flag> flags;
  for (int i = 0; i < kFlags; ++i) {
    json flag = testing_util::OneGroupFlag(
        "flag-" + std::to_string(i), v % 2 == 0 ? json::array() : json{{{"key", "nobody"}, {"value", "x"}}},
        nullptr, "v" + std::to_string(v % 3));
    flag["version"] = v;
    flag["filters"]["multivariate"] = {{"variants",
                                        {{{"key", "v0"}, {"rollout_percentage", 34}},
                                         {{"key", "v1"}, {"rollout_percentage", 33}},
                                         {{"key", "v2"}, {"rollout_percentage", 33}}}}};
    flags.push_back(testing_util::ParseFlag(flag));
  }
  return FlagSet::Build(std::move(flags)).value();
}

void CheckConsistent(const std::vector<FlagResult>& results, std::int64_t* last_version) {
  if (results.size() != static_cast<std::size_t>(kFlags)) {
    ADD_FAILURE() << "got " << results.size() << " results";
    *last_version = kSnapshots;  // stop this reader
    return;
  }
  const std::int64_t version = results[0].version;
  EXPECT_GE(version, *last_version);
  *last_version = version;
  for (const FlagResult& result : results) {
    EXPECT_EQ(result.version, version);
    EXPECT_EQ(result.enabled, version % 2 == 0);
    if (result.enabled) {
      EXPECT_EQ(result.variant, "v" + std::to_string(version % 3));
    }
  }
}

TEST(FlagSetConcurrencyTest, ReadersAlwaysSeeOneSnapshot) {
  std::atomic<std::shared_ptr<const FlagSet>> current(Snapshot(0));
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      std::int64_t last_version = 0;
      const EvaluationContext context = testing_util::Context("reader-" + std::to_string(r));
      // Each reader runs until it has seen the final snapshot.
      while (last_version < kSnapshots) {
        const std::shared_ptr<const FlagSet> snapshot = current.load();
        CheckConsistent(snapshot->EvaluateAll(context), &last_version);
        const FlagResult one = snapshot->Evaluate("flag-7", context);
        EXPECT_EQ(one.version, snapshot->Find("flag-7")->version);
      }
    });
  }
  for (int v = 1; v <= kSnapshots; ++v) current.store(Snapshot(v));
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(current.load()->flag(0).version, kSnapshots);
}

}  // namespace
}  // namespace switchyard
