// PeriodicTask: runs at once on its own thread, again each period, and never after Stop returns.
#include "server/periodic_task.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace switchyard::server {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicTaskTest, RunsAtOnceOffTheCallersThreadAndRepeats) {
  std::mutex mu;
  std::condition_variable ran;
  int runs = 0;
  std::thread::id where;
  PeriodicTask task("sy-test-task", 1ms, [&] {
    std::lock_guard lock(mu);
    ++runs;
    where = std::this_thread::get_id();
    ran.notify_all();
  });
  std::unique_lock lock(mu);
  // A deadline for the event, not a timing assertion: three runs happen well within it.
  ASSERT_TRUE(ran.wait_for(lock, 30s, [&] { return runs >= 3; }));
  EXPECT_NE(where, std::this_thread::get_id());
}

TEST(PeriodicTaskTest, StopWaitsForTheRunInProgressAndNoRunFollows) {
  std::atomic<int> runs{0};
  std::atomic<bool> started{false};
  {
    // A period far longer than the test: only the first, immediate run can happen.
    PeriodicTask task("sy-test-task", std::chrono::hours(1), [&] {
      started = true;
      ++runs;
    });
    while (!started) std::this_thread::yield();
    task.Stop();
    const int after_stop = runs;
    task.Stop();  // idempotent
    EXPECT_EQ(runs, after_stop);
  }
  EXPECT_EQ(runs, 1);
}

TEST(PeriodicTaskTest, AThrowingRunIsContainedAndTheNextRunHappens) {
  std::mutex mu;
  std::condition_variable ran;
  int runs = 0;
  PeriodicTask task("sy-test-task", 1ms, [&] {
    std::lock_guard lock(mu);
    ++runs;
    ran.notify_all();
    if (runs == 1) throw std::runtime_error("transient");
  });
  std::unique_lock lock(mu);
  EXPECT_TRUE(ran.wait_for(lock, 30s, [&] { return runs >= 2; }));
}

// What the task's thread is called, as `top -H` and perf show it: the name given, cut to Linux's
// 15 bytes rather than refused.
std::string NameOfTaskThread(const std::string& given) {
  std::mutex mu;
  std::condition_variable ran;
  std::string seen;
  bool done = false;
  {
    PeriodicTask task(given, std::chrono::hours(1), [&] {
      char name[16] = {};
      pthread_getname_np(pthread_self(), name, sizeof name);
      std::lock_guard lock(mu);
      seen = name;
      done = true;
      ran.notify_all();
    });
    std::unique_lock lock(mu);
    EXPECT_TRUE(ran.wait_for(lock, 30s, [&] { return done; }));
  }
  return seen;
}

TEST(PeriodicTaskTest, ItsThreadCarriesItsName) {
  EXPECT_EQ(NameOfTaskThread("sy-gw-events"), "sy-gw-events");
  EXPECT_EQ(NameOfTaskThread("sy-a-name-longer-than-linux-keeps"), "sy-a-name-longe");
}

}  // namespace
}  // namespace switchyard::server
