// InstrumentedStore reports each call as its operation, timed with the injected clock, and
// passes results and errors through unchanged (the conformance suite runs it whole as well).
#include "store/instrumented_store.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "store/memory_store.h"
#include "store/store_test_support.h"
#include "support/prometheus_sample.h"

namespace switchyard::store {
namespace {

using test_support::kAlice;
using test_support::Must;

class RecordingObserver : public StoreObserver {
 public:
  void OnStoreOperation(StoreOperation operation, std::chrono::nanoseconds elapsed) override {
    calls.emplace_back(operation, elapsed);
  }
  std::vector<std::pair<StoreOperation, std::chrono::nanoseconds>> calls;
};

TEST(InstrumentedStoreTest, ReportsEachOperationWithItsDuration) {
  RecordingObserver observer;
  switchyard::testing::ManualClock clock;
  int reads = 0;
  // Each clock reading advances the clock 1 ms: every call then measures exactly 1 ms.
  SteadyClock ticking = [&clock, &reads, base = clock.AsClock()] {
    ++reads;
    clock.Advance(std::chrono::milliseconds(1));
    return base();
  };
  InstrumentedStore store(NewMemoryStore(), observer, ticking);
  auto project = Must(store.CreateProject("acme", "Acme", kAlice));
  EXPECT_EQ(Must(store.GetProjectBySlug("acme")).id, project.id);
  EXPECT_EQ(store.GetProject(project.id + 7).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store.Healthy());

  ASSERT_EQ(observer.calls.size(), 4u);
  EXPECT_EQ(observer.calls[0].first, StoreOperation::kCreateProject);
  EXPECT_EQ(observer.calls[1].first, StoreOperation::kGetProjectBySlug);
  EXPECT_EQ(observer.calls[2].first, StoreOperation::kGetProject);
  EXPECT_EQ(observer.calls[3].first, StoreOperation::kHealthy);
  for (const auto& [_, elapsed] : observer.calls) EXPECT_EQ(elapsed, std::chrono::milliseconds(1));
  EXPECT_EQ(reads, 8);
}

TEST(InstrumentedStoreTest, EveryOperationHasADistinctSnakeCaseName) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kStoreOperationCount; ++i) {
    auto name = StoreOperationName(static_cast<StoreOperation>(i));
    EXPECT_NE(name, "unknown");
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), kStoreOperationCount);
  EXPECT_EQ(StoreOperationName(StoreOperation::kGetPerson), "get_person");
}

}  // namespace
}  // namespace switchyard::store
