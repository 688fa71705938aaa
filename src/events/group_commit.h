// GroupCommitter: one writer thread that commits, in one transaction, everything submitted while
// the previous transaction was being written, then tells each submitter the outcome. Under load
// many requests share each fsync; idle, a lone request is committed at once (no waiting for
// company, so no added latency).
//
// Bounded: items and bytes submitted but not yet completed (queued or being committed) are
// counted; a submission that would pass either bound is refused at once (the caller answers 503
// with Retry-After), so memory never grows with load. A submission into an empty committer is
// always taken, however large, so that a request larger than the bounds is not refused forever.
//
// Stop() refuses new submissions, commits everything already taken (clean shutdown drains), then
// joins the writer. Every taken submission's completion runs exactly once, on the writer thread,
// after its transaction: it must be quick (the pipeline's posts a coroutine's resumption back to
// its own executor). Thread-safety: Submit from any thread; Stop from one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/thread_annotations.h"
#include "common/thread_name.h"
#include "switchyard/status.h"

namespace switchyard::events {

// What happens once a submission is committed (or its transaction failed). Move-only, so it can
// hold a coroutine's completion handler.
class Completion {
 public:
  virtual ~Completion() = default;
  virtual void Complete(const Status& outcome) = 0;
};

template <typename F>
std::unique_ptr<Completion> MakeCompletion(F f) {
  struct Impl final : Completion {
    explicit Impl(F fn) : fn_(std::move(fn)) {}
    void Complete(const Status& outcome) override { fn_(outcome); }
    F fn_;
  };
  return std::make_unique<Impl>(std::move(f));
}

struct GroupCommitLimits {
  std::size_t max_items = 100000;
  std::size_t max_bytes = 64 * 1024 * 1024;
};

// What a committer has done so far (for /metrics). Every field is monotonic except the depths.
struct GroupCommitStats {
  std::size_t queued_items = 0;  // submitted, not yet completed
  std::size_t queued_bytes = 0;
  std::uint64_t transactions = 0;  // committed (or failed) transactions
  std::uint64_t failed_transactions = 0;
  std::uint64_t submissions = 0;  // completed submissions
  std::uint64_t items = 0;        // items in completed submissions
  std::uint64_t refused = 0;      // submissions refused because the queue was full or stopping
};

template <typename Item>
class GroupCommitter {
 public:
  // Writes every item of one group in one transaction; Ok means all are durable.
  using CommitFn = std::function<Status(std::span<Item* const>)>;
  // Called after each transaction with its size and how long it took (metrics).
  using OnCommit = std::function<void(std::size_t items, std::chrono::nanoseconds elapsed)>;

  // `thread_name`: what the writer thread is called (NameThisThread), for profiling.
  GroupCommitter(GroupCommitLimits limits, CommitFn commit, OnCommit on_commit = {},
                 std::string thread_name = "sy-commit")
      : limits_(limits), commit_(std::move(commit)), on_commit_(std::move(on_commit)) {
    writer_ = std::thread([this, name = std::move(thread_name)] {
      NameThisThread(name);
      WriterLoop();
    });
  }
  ~GroupCommitter() { Stop(); }
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `item` (which counts as `items` items and `bytes` bytes; it must stay valid until
  // `done` runs), taking `done`. False when full or stopping: nothing is queued and `done` is
  // left with the caller (to answer the refusal its own way).
  bool Submit(Item* item, std::size_t items, std::size_t bytes, std::unique_ptr<Completion>& done)
      EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      const bool empty = queued_items_ == 0 && queued_bytes_ == 0 && pending_.empty();
      if (stopping_ || (!empty && (queued_items_ + items > limits_.max_items ||
                                   queued_bytes_ + bytes > limits_.max_bytes))) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
      queued_items_ += items;
      queued_bytes_ += bytes;
      PublishDepth();
      pending_.push_back(Pending{item, items, bytes, std::move(done)});
    }
    wake_.notify_one();
    return true;
  }

  // Drains what was taken, then joins the writer. Idempotent.
  void Stop() EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (writer_.joinable()) writer_.join();
  }

  GroupCommitStats Stats() const {
    GroupCommitStats stats;
    stats.queued_items = depth_items_.load(std::memory_order_relaxed);
    stats.queued_bytes = depth_bytes_.load(std::memory_order_relaxed);
    stats.transactions = transactions_.load(std::memory_order_relaxed);
    stats.failed_transactions = failed_.load(std::memory_order_relaxed);
    stats.submissions = submissions_.load(std::memory_order_relaxed);
    stats.items = items_.load(std::memory_order_relaxed);
    stats.refused = refused_.load(std::memory_order_relaxed);
    return stats;
  }

 private:
  struct Pending {
    Item* item;
    std::size_t items;
    std::size_t bytes;
    std::unique_ptr<Completion> done;
  };

  void PublishDepth() REQUIRES(mu_) {
    depth_items_.store(queued_items_, std::memory_order_relaxed);
    depth_bytes_.store(queued_bytes_, std::memory_order_relaxed);
  }

  void WriterLoop() EXCLUDES(mu_) {
    for (;;) {
      std::vector<Pending> group;
      {
        MutexLock lock(mu_);
        while (pending_.empty() && !stopping_) wake_.wait(mu_);
        if (pending_.empty()) return;  // stopping, and everything taken is done
        group.swap(pending_);
      }
      std::vector<Item*> items;
      items.reserve(group.size());
      std::size_t item_count = 0;
      for (const Pending& each : group) {
        items.push_back(each.item);
        item_count += each.items;
      }
      const auto started = std::chrono::steady_clock::now();
      Status outcome = commit_(std::span<Item* const>(items));
      const auto elapsed = std::chrono::steady_clock::now() - started;
      transactions_.fetch_add(1, std::memory_order_relaxed);
      if (!outcome.ok()) failed_.fetch_add(1, std::memory_order_relaxed);
      if (on_commit_) on_commit_(item_count, elapsed);
      {
        // Room is made before the submitters hear back, so one that resubmits at once fits.
        MutexLock lock(mu_);
        for (const Pending& each : group) {
          queued_items_ -= each.items;
          queued_bytes_ -= each.bytes;
        }
        PublishDepth();
      }
      submissions_.fetch_add(group.size(), std::memory_order_relaxed);
      items_.fetch_add(item_count, std::memory_order_relaxed);
      for (Pending& each : group) each.done->Complete(outcome);
    }
  }

  const GroupCommitLimits limits_;
  const CommitFn commit_;
  const OnCommit on_commit_;
  Mutex mu_;
  std::condition_variable_any wake_;  // _any: it waits on the annotated Mutex
  std::vector<Pending> pending_ GUARDED_BY(mu_);
  std::size_t queued_items_ GUARDED_BY(mu_) = 0;
  std::size_t queued_bytes_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::atomic<std::size_t> depth_items_{0};
  std::atomic<std::size_t> depth_bytes_{0};
  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> submissions_{0};
  std::atomic<std::uint64_t> items_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::thread writer_;  // last: started once everything it uses exists
};

}  // namespace switchyard::events
