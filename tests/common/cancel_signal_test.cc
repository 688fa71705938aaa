#include "common/cancel_signal.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace switchyard {
namespace {

TEST(CancelSignalTest, RaiseRunsEachRegisteredCallbackOnce) {
  auto signal = CancelSignal::Make();
  int first = 0, second = 0;
  auto a = signal->OnRaise([&] { ++first; });
  auto b = signal->OnRaise([&] { ++second; });
  EXPECT_FALSE(signal->raised());
  signal->Raise();
  signal->Raise();
  EXPECT_TRUE(signal->raised());
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
}

TEST(CancelSignalTest, ARegistrationAfterTheRaiseRunsAtOnce) {
  auto signal = CancelSignal::Make();
  signal->Raise();
  int calls = 0;
  auto registration = signal->OnRaise([&] { ++calls; });
  EXPECT_EQ(calls, 1);
}

TEST(CancelSignalTest, AResetOrDestroyedRegistrationIsNotCalled) {
  auto signal = CancelSignal::Make();
  int reset = 0, destroyed = 0, kept = 0;
  auto a = signal->OnRaise([&] { ++reset; });
  {
    auto b = signal->OnRaise([&] { ++destroyed; });
  }
  auto c = signal->OnRaise([&] { ++kept; });
  a.Reset();
  signal->Raise();
  EXPECT_EQ(reset, 0);
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(kept, 1);
}

TEST(CancelSignalTest, AMovedRegistrationStaysRegisteredOnce) {
  auto signal = CancelSignal::Make();
  int calls = 0;
  CancelSignal::Registration outer;
  {
    auto inner = signal->OnRaise([&] { ++calls; });
    outer = std::move(inner);
  }  // the moved-from registration unregisters nothing
  signal->Raise();
  EXPECT_EQ(calls, 1);
}

TEST(CancelSignalTest, ConcurrentRaisesAndRegistrationsRunEveryCallbackExactlyOnce) {
  for (int round = 0; round < 50; ++round) {
    auto signal = CancelSignal::Make();
    std::atomic<int> calls{0};
    std::vector<CancelSignal::Registration> registrations(64);
    std::thread registering([&] {
      for (auto& registration : registrations) registration = signal->OnRaise([&] { ++calls; });
    });
    std::vector<std::thread> raising;
    for (int i = 0; i < 4; ++i) raising.emplace_back([&] { signal->Raise(); });
    registering.join();
    for (auto& thread : raising) thread.join();
    EXPECT_EQ(calls.load(), 64);  // registered before the raise: run by it; after: run at once
  }
}

}  // namespace
}  // namespace switchyard
