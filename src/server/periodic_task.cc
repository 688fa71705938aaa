#include "server/periodic_task.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "common/thread_name.h"

namespace switchyard::server {

PeriodicTask::PeriodicTask(std::string thread_name, std::chrono::milliseconds period,
                           std::function<void()> task)
    : period_(period),
      thread_name_(std::move(thread_name)),
      task_(std::move(task)),
      thread_([this] { Loop(); }) {}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  NameThisThread(thread_name_);
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      task_();
    } catch (const std::exception& e) {
      // A background task must not take the server down; the next period tries again.
      spdlog::error("background task failed: {}", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace switchyard::server
