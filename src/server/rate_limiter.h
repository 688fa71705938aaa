// RateLimiter: a token bucket per API key (by its prefix), so that one misbehaving client gets
// 429 + Retry-After instead of starving everyone else. Off unless `rate_limit` is configured.
//
// Also used per client address. Thread-safety: Allow may be called from any thread. Memory is
// bounded: past kMaxKeys buckets, the ones that have refilled (indistinguishable from new) are
// forgotten.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "common/thread_annotations.h"

namespace switchyard::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second` tokens are added each second, up to `burst`.
  RateLimiter(double per_second, double burst);

  // Takes one token for `key`. When none is left, returns false and the whole seconds until one is.
  bool Allow(const std::string& key, Clock::time_point now, int* retry_after_seconds) EXCLUDES(mutex_);

 private:
  static constexpr std::size_t kMaxKeys = 100000;

  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };

  void ForgetRefilled(Clock::time_point now) REQUIRES(mutex_);

  const double per_second_;
  const double burst_;
  Mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mutex_);
};

}  // namespace switchyard::server
