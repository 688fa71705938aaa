// GroupCommitter with a commit function the test controls: it can hold a transaction open until
// the test has lined up more submissions, so grouping, the bounds and draining are exact rather
// than dependent on timing.
#include "events/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace switchyard::events {
namespace {

// A commit function that records each group and, while the gate is closed, blocks in it.
class Recorder {
 public:
  Status Commit(std::span<int* const> items) {
    std::unique_lock lock(mu_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    std::vector<int> group;
    for (int* item : items) group.push_back(*item);
    groups_.push_back(group);
    return fail_ ? Status::Unavailable("disk full") : Status::Ok();
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }
  void WaitEntered(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return entered_ >= n; });
  }
  std::vector<std::vector<int>> groups() {
    std::lock_guard lock(mu_);
    return groups_;
  }
  void set_fail() { fail_ = true; }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool open_ = false;
  int entered_ = 0;
  std::atomic<bool> fail_{false};
  std::vector<std::vector<int>> groups_;
};

// Counts completions and their outcomes.
struct Outcomes {
  std::mutex mu;
  std::condition_variable done;
  int ok = 0;
  int failed = 0;
  std::unique_ptr<Completion> Track() {
    return MakeCompletion([this](const Status& s) {
      std::lock_guard lock(mu);
      (s.ok() ? ok : failed) += 1;
      done.notify_all();
    });
  }
  void WaitFor(int n) {
    std::unique_lock lock(mu);
    done.wait(lock, [&] { return ok + failed >= n; });
  }
};

// Submits with a tracked completion; a refused one is not counted.
bool Submit(GroupCommitter<int>& committer, int* item, std::size_t items, std::size_t bytes,
            Outcomes& outcomes) {
  std::unique_ptr<Completion> done = outcomes.Track();
  return committer.Submit(item, items, bytes, done);
}

template <typename Pred>
void WaitUntil(Pred pred) {
  while (!pred()) std::this_thread::yield();
}

TEST(GroupCommitter, CommitsEverythingQueuedMeanwhileInOneTransaction) {
  Recorder recorder;
  Outcomes outcomes;
  std::vector<int> values(41);
  for (int i = 0; i < 41; ++i) values[i] = i;
  {
    GroupCommitter<int> committer({1000, 1 << 20},
                                  [&](std::span<int* const> items) { return recorder.Commit(items); });
    ASSERT_TRUE(Submit(committer, &values[0], 1, 10, outcomes));
    recorder.WaitEntered(1);  // the first transaction is open and blocked
    std::vector<std::thread> appenders;
    for (int t = 0; t < 4; ++t) {
      appenders.emplace_back([&, t] {
        for (int i = 1 + t * 10; i <= 10 + t * 10; ++i) {
          EXPECT_TRUE(Submit(committer, &values[i], 1, 10, outcomes));
        }
      });
    }
    for (auto& thread : appenders) thread.join();
    EXPECT_EQ(committer.Stats().queued_items, 41u);
    recorder.Open();
    outcomes.WaitFor(41);
    GroupCommitStats stats = committer.Stats();
    EXPECT_EQ(stats.transactions, 2u);
    EXPECT_EQ(stats.submissions, 41u);
    EXPECT_EQ(stats.items, 41u);
    EXPECT_EQ(stats.queued_items, 0u);
    EXPECT_EQ(stats.queued_bytes, 0u);
  }
  auto groups = recorder.groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], std::vector<int>{0});
  EXPECT_EQ(groups[1].size(), 40u);
  EXPECT_EQ(outcomes.ok, 41);
}

TEST(GroupCommitter, TakesAnOversizedSubmissionOnlyIntoAnEmptyQueue) {
  Recorder recorder;
  Outcomes outcomes;
  int a = 1, b = 2;
  GroupCommitter<int> committer({10, 1000},
                                [&](std::span<int* const> items) { return recorder.Commit(items); });
  ASSERT_TRUE(Submit(committer, &a, 50, 5000, outcomes));  // past both bounds, queue empty
  recorder.WaitEntered(1);
  EXPECT_FALSE(Submit(committer, &b, 1, 1, outcomes));  // being committed still counts
  recorder.Open();
  outcomes.WaitFor(1);
  EXPECT_EQ(outcomes.ok, 1);
}

TEST(GroupCommitter, RefusesPastTheByteBound) {
  Recorder recorder;
  Outcomes outcomes;
  int a = 1, b = 2, c = 3;
  GroupCommitter<int> committer({100, 1000},
                                [&](std::span<int* const> items) { return recorder.Commit(items); });
  ASSERT_TRUE(Submit(committer, &a, 1, 600, outcomes));
  recorder.WaitEntered(1);
  EXPECT_FALSE(Submit(committer, &b, 1, 401, outcomes));
  EXPECT_TRUE(Submit(committer, &c, 1, 400, outcomes));
  EXPECT_EQ(committer.Stats().queued_bytes, 1000u);
  EXPECT_EQ(committer.Stats().refused, 1u);
  recorder.Open();
  outcomes.WaitFor(2);
  EXPECT_EQ(outcomes.ok, 2);
}

TEST(GroupCommitter, FullQueueRefusesUntilTheGroupCompletes) {
  Recorder recorder;
  Outcomes outcomes;
  int a = 1, b = 2, c = 3;
  GroupCommitter<int> committer({2, 1000},
                                [&](std::span<int* const> items) { return recorder.Commit(items); });
  ASSERT_TRUE(Submit(committer, &a, 1, 1, outcomes));
  recorder.WaitEntered(1);
  ASSERT_TRUE(Submit(committer, &b, 1, 1, outcomes));
  EXPECT_FALSE(Submit(committer, &c, 1, 1, outcomes));  // 2 of 2 outstanding
  EXPECT_EQ(committer.Stats().refused, 1u);
  recorder.Open();
  outcomes.WaitFor(2);
  WaitUntil([&] { return committer.Stats().queued_items == 0; });
  EXPECT_TRUE(Submit(committer, &c, 1, 1, outcomes));
  outcomes.WaitFor(3);
  EXPECT_EQ(outcomes.ok, 3);
}

TEST(GroupCommitter, StopDrainsWhatWasTakenAndRefusesAfter) {
  Recorder recorder;
  Outcomes outcomes;
  std::vector<int> values(20, 7);
  GroupCommitter<int> committer({1000, 1 << 20},
                                [&](std::span<int* const> items) { return recorder.Commit(items); });
  ASSERT_TRUE(Submit(committer, &values[0], 1, 1, outcomes));
  recorder.WaitEntered(1);
  for (int i = 1; i < 20; ++i) ASSERT_TRUE(Submit(committer, &values[i], 1, 1, outcomes));
  std::thread stopper([&] { committer.Stop(); });
  recorder.Open();
  stopper.join();  // returns only once everything taken is committed and completed
  EXPECT_EQ(outcomes.ok, 20);
  EXPECT_FALSE(Submit(committer, &values[0], 1, 1, outcomes));
}

TEST(GroupCommitter, TellsEverySubmitterOfAFailedTransaction) {
  Recorder recorder;
  recorder.set_fail();
  recorder.Open();
  Outcomes outcomes;
  int a = 1;
  GroupCommitter<int> committer({10, 10},
                                [&](std::span<int* const> items) { return recorder.Commit(items); });
  ASSERT_TRUE(Submit(committer, &a, 1, 1, outcomes));
  outcomes.WaitFor(1);
  EXPECT_EQ(outcomes.failed, 1);
  EXPECT_EQ(committer.Stats().failed_transactions, 1u);
}

}  // namespace
}  // namespace switchyard::events
