#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace switchyard::server {

RateLimiter::RateLimiter(double per_second, double burst)
    : per_second_(per_second), burst_(std::max(1.0, burst)) {}

bool RateLimiter::Allow(const std::string& key, Clock::time_point now, int* retry_after_seconds) {
  MutexLock lock(mutex_);
  if (buckets_.size() >= kMaxKeys) ForgetRefilled(now);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  *retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second_)));
  return false;
}

void RateLimiter::ForgetRefilled(Clock::time_point now) {
  // A bucket that has refilled completely behaves exactly like a new one, so dropping it changes
  // nothing; this bounds memory when the keys are client addresses.
  std::erase_if(buckets_, [&](const auto& entry) {
    double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
    return entry.second.tokens + elapsed * per_second_ >= burst_;
  });
}

}  // namespace switchyard::server
