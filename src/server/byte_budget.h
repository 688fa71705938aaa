// ByteBudget: the bytes every connection together may hold in request bodies and responses, so a
// thousand clients that send large bodies, or never read their answers, cannot exhaust memory.
// A reservation that does not fit is refused (the caller answers 503 + Retry-After).
//
// Thread-safety: lock-free; any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

namespace switchyard::server {

class ByteBudget {
 public:
  explicit ByteBudget(std::size_t capacity) : capacity_(capacity) {}

  // RAII: returns its bytes when destroyed or reset.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(ByteBudget* budget, std::size_t bytes) : budget_(budget), bytes_(bytes) {}
    ~Reservation() { reset(); }
    Reservation(Reservation&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
    Reservation& operator=(Reservation&& other) noexcept {
      if (this != &other) {
        reset();
        budget_ = std::exchange(other.budget_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
      }
      return *this;
    }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;

    void reset() {
      if (budget_ != nullptr) budget_->used_.fetch_sub(bytes_, std::memory_order_relaxed);
      budget_ = nullptr;
      bytes_ = 0;
    }

   private:
    ByteBudget* budget_ = nullptr;
    std::size_t bytes_ = 0;
  };

  // True (and `out` holds the bytes) when they fit.
  bool TryReserve(std::size_t bytes, Reservation* out) {
    std::size_t used = used_.fetch_add(bytes, std::memory_order_relaxed);
    if (used + bytes > capacity_) {
      used_.fetch_sub(bytes, std::memory_order_relaxed);
      return false;
    }
    *out = Reservation(this, bytes);
    return true;
  }

  std::size_t used() const { return used_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace switchyard::server
