// RetentionJob: deletes raw events older than the retention period, on a thread of its own,
// every `interval`, in small batches (each its own short transaction) so that the ingest writer
// waits at most one batch for the log's write lock. Counted from received_at: an event sent late
// is still kept for the whole period. Stop() (or destruction) ends it promptly, between batches.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>

#include "common/thread_annotations.h"
#include "events/event_log.h"

namespace switchyard::events {

struct RetentionOptions {
  int days = 30;
  std::chrono::milliseconds interval = std::chrono::minutes(10);
  std::size_t batch = 1000;  // events per delete transaction
};

class RetentionJob {
 public:
  // The wall clock in ms since the epoch (tests pass their own).
  using Clock = std::function<std::int64_t()>;

  RetentionJob(EventLog& log, RetentionOptions options, Clock now = SystemNowMs);
  ~RetentionJob();
  RetentionJob(const RetentionJob&) = delete;
  RetentionJob& operator=(const RetentionJob&) = delete;

  // One pass now, on the calling thread: deletes every event received before now - days, batch
  // by batch; returns how many (the thread calls this every interval).
  Result<std::size_t> RunOnce();
  void Stop() EXCLUDES(mu_);

  std::uint64_t deleted_total() const { return deleted_total_.load(std::memory_order_relaxed); }

  static std::int64_t SystemNowMs();

 private:
  void Loop() EXCLUDES(mu_);
  bool stopping() EXCLUDES(mu_);

  EventLog& log_;
  const RetentionOptions options_;
  const Clock now_;
  Mutex mu_;
  std::condition_variable_any wake_;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::atomic<std::uint64_t> deleted_total_{0};
  std::thread thread_;  // last: started once everything it uses exists
};

}  // namespace switchyard::events
