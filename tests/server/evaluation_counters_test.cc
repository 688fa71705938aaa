// EvaluationCounters: counts and the last minute per environment and flag, flushed as deltas
// (kept on a failed flush), merged with the store for reading, and safe under concurrent records.
#include "server/evaluation_counters.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/memory_store.h"
#include "store/timestamp.h"
#include "support/forwarding_store.h"

namespace switchyard::server {
namespace {

using Clock = EvaluationCounters::Clock;

std::vector<FlagResult> Results(std::initializer_list<const char*> keys) {
  std::vector<FlagResult> results;
  for (const char* key : keys) {
    FlagResult result;
    result.key = key;
    result.reason = Reason::kConditionMatch;
    results.push_back(result);
  }
  return results;
}

Clock::time_point At(int minutes) {
  return Clock::time_point(std::chrono::minutes(29000000 + minutes));  // 2025, give or take
}

class FailingWrites : public test_doubles::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  bool fail = true;
  Status RecordFlagEvaluations(const std::vector<store::FlagEvaluationStats>& deltas) override {
    if (fail) return Status::Unavailable("disk on fire");
    return ForwardingStore::RecordFlagEvaluations(deltas);
  }
};

struct Fixture {
  Fixture() {
    project = store->CreateProject("acme", "Acme", {"test"}).value().id;
    production = store->ListEnvironments(project).value().back().id;
  }
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  std::int64_t project = 0;
  std::int64_t production = 0;
};

TEST(EvaluationCountersTest, CountsFlushesAsDeltasAndReadsMerged) {
  Fixture f;
  EvaluationCounters counters;
  counters.Record(f.production, Results({"a", "b"}), At(1));
  counters.Record(f.production, Results({"a"}), At(3));
  std::vector<FlagResult> missing = Results({"ghost"});
  missing[0].reason = Reason::kFlagNotFound;
  counters.Record(f.production, missing, At(3));

  auto before_flush = counters.Read(*f.store, f.production).value();
  ASSERT_EQ(before_flush.size(), 2u);  // not the flag that does not exist
  EXPECT_EQ(before_flush["a"].count, 2);
  EXPECT_EQ(before_flush["a"].last_evaluated_at, store::FormatTimestamp(At(3)));
  EXPECT_TRUE(f.store->ListFlagEvaluations(f.production).value().empty());  // nothing written yet

  ASSERT_TRUE(counters.Flush(*f.store).ok());
  auto stored = f.store->ListFlagEvaluations(f.production).value();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].count, 2);
  EXPECT_EQ(stored[1].count, 1);

  counters.Record(f.production, Results({"a"}), At(2));  // an older minute never moves it back
  ASSERT_TRUE(counters.Flush(*f.store).ok());
  auto merged = counters.Read(*f.store, f.production).value();
  EXPECT_EQ(merged["a"].count, 3);  // 2 flushed + 1, not counted twice
  EXPECT_EQ(merged["a"].last_evaluated_at, store::FormatTimestamp(At(3)));
  EXPECT_TRUE(counters.Read(*f.store, f.production + 1).value().empty());
}

TEST(EvaluationCountersTest, AFailedFlushKeepsTheCountsForTheNext) {
  Fixture f;
  FailingWrites failing(*f.store);
  EvaluationCounters counters;
  counters.Record(f.production, Results({"a"}), At(1));
  EXPECT_FALSE(counters.Flush(failing).ok());
  counters.Record(f.production, Results({"a"}), At(1));
  failing.fail = false;
  ASSERT_TRUE(counters.Flush(failing).ok());
  EXPECT_EQ(f.store->ListFlagEvaluations(f.production).value().at(0).count, 2);
}

TEST(EvaluationCountersTest, ConcurrentRecordsAndFlushesLoseNoCount) {
  Fixture f;
  EvaluationCounters counters;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        counters.Record(f.production, Results({"shared", t % 2 == 0 ? "even" : "odd"}), At(i % 5));
    });
  }
  std::thread flusher([&] {
    for (int i = 0; i < 50; ++i) EXPECT_TRUE(counters.Flush(*f.store).ok());
  });
  for (auto& thread : threads) thread.join();
  flusher.join();
  ASSERT_TRUE(counters.Flush(*f.store).ok());
  auto stored = f.store->ListFlagEvaluations(f.production).value();
  std::map<std::string, std::int64_t> counts;
  for (const auto& stats : stored) counts[stats.flag_key] = stats.count;
  EXPECT_EQ(counts["shared"], kThreads * kPerThread);
  EXPECT_EQ(counts["even"], kThreads / 2 * kPerThread);
  EXPECT_EQ(counts["odd"], kThreads / 2 * kPerThread);
}

}  // namespace
}  // namespace switchyard::server
