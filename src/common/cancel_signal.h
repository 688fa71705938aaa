// CancelSignal: one side says "stop" (the client of a request went away) and the work done on its
// behalf on other threads and strands hears it. Raised at most once, from any thread. Work in
// flight registers what to do then, for as long as it is in flight; work that starts later asks
// raised().
//
// A callback may still be running on the raising thread when its Registration is destroyed on
// another, so callbacks hold what they touch (shared_ptr), never a pointer into a stack frame.
// Boost 1.74's Asio has no per-operation cancellation slots; this is the hand-wired stand-in.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "common/thread_annotations.h"

namespace switchyard {

class CancelSignal : public std::enable_shared_from_this<CancelSignal> {
 public:
  // Unregisters its callback when destroyed or reset.
  class Registration {
   public:
    Registration() = default;
    Registration(Registration&& other) noexcept
        : signal_(std::move(other.signal_)), id_(std::exchange(other.id_, 0)) {}
    Registration& operator=(Registration&& other) noexcept {
      if (this != &other) {
        Reset();
        signal_ = std::move(other.signal_);
        id_ = std::exchange(other.id_, 0);
      }
      return *this;
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration() { Reset(); }

    void Reset() {
      if (signal_) signal_->Remove(id_);
      signal_.reset();
      id_ = 0;
    }

   private:
    friend class CancelSignal;
    Registration(std::shared_ptr<CancelSignal> signal, std::uint64_t id)
        : signal_(std::move(signal)), id_(id) {}

    std::shared_ptr<CancelSignal> signal_;
    std::uint64_t id_ = 0;
  };

  // Signals live in shared_ptrs: registrations keep theirs alive.
  static std::shared_ptr<CancelSignal> Make() { return std::make_shared<CancelSignal>(); }

  bool raised() const { return raised_.load(std::memory_order_acquire); }

  // Runs every registered callback once, here, outside the lock. Later calls do nothing.
  void Raise() {
    std::vector<std::pair<std::uint64_t, std::function<void()>>> callbacks;
    {
      MutexLock lock(mu_);
      if (raised_.exchange(true, std::memory_order_acq_rel)) return;
      callbacks.swap(callbacks_);
    }
    for (auto& [id, callback] : callbacks) callback();
  }

  // `on_raise` runs once when the signal is raised: at once, on this thread, if it already was.
  [[nodiscard]] Registration OnRaise(std::function<void()> on_raise) {
    {
      MutexLock lock(mu_);
      if (!raised_.load(std::memory_order_relaxed)) {
        std::uint64_t id = next_id_++;
        callbacks_.emplace_back(id, std::move(on_raise));
        return Registration(shared_from_this(), id);
      }
    }
    on_raise();
    return Registration();
  }

 private:
  void Remove(std::uint64_t id) {
    MutexLock lock(mu_);
    for (auto it = callbacks_.begin(); it != callbacks_.end(); ++it) {
      if (it->first == id) {
        callbacks_.erase(it);
        return;
      }
    }
  }

  Mutex mu_;
  std::atomic<bool> raised_{false};
  std::uint64_t next_id_ GUARDED_BY(mu_) = 1;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> callbacks_ GUARDED_BY(mu_);
};

}  // namespace switchyard
