#include "events/retention_job.h"

#include <spdlog/spdlog.h>

#include "common/thread_name.h"

namespace switchyard::events {

std::int64_t RetentionJob::SystemNowMs() {
  using std::chrono::duration_cast;
  return duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RetentionJob::RetentionJob(EventLog& log, RetentionOptions options, Clock now)
    : log_(log), options_(options), now_(std::move(now)) {
  if (options_.interval.count() > 0)
    thread_ = std::thread([this] {
      NameThisThread("sy-retention");
      Loop();
    });
}

RetentionJob::~RetentionJob() {
  Stop();
}

void RetentionJob::Stop() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool RetentionJob::stopping() {
  MutexLock lock(mu_);
  return stopping_;
}

Result<std::size_t> RetentionJob::RunOnce() {
  const std::int64_t cutoff = now_() - static_cast<std::int64_t>(options_.days) * 24 * 60 * 60 * 1000;
  std::size_t deleted = 0;
  for (;;) {
    auto batch = log_.DeleteReceivedBefore(cutoff, options_.batch);
    if (!batch.ok()) return batch.status();
    deleted += *batch;
    deleted_total_.fetch_add(*batch, std::memory_order_relaxed);
    if (*batch == 0 || stopping()) return deleted;
  }
}

void RetentionJob::Loop() {
  for (;;) {
    {
      MutexLock lock(mu_);
      const auto until = std::chrono::steady_clock::now() + options_.interval;
      while (!stopping_ && wake_.wait_until(mu_, until) != std::cv_status::timeout) {
      }
      if (stopping_) return;
    }
    auto deleted = RunOnce();
    if (!deleted.ok()) {
      spdlog::warn("event retention: {}", deleted.status().message());
    } else if (*deleted > 0) {
      spdlog::info("event retention: deleted {} events received more than {} days ago", *deleted,
                   options_.days);
    }
  }
}

}  // namespace switchyard::events
