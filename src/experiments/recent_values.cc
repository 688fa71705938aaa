#include "experiments/recent_values.h"

#include <algorithm>

namespace switchyard::experiments {

void RecentValues::Add(const std::string& user, const RecentValue& value) {
  auto it = values_.find(user);
  if (it == values_.end()) {
    if (values_.size() >= max_users_) {
      ++dropped_users_;
      return;
    }
    it = values_.emplace(user, std::vector<RecentValue>{}).first;
  }
  std::vector<RecentValue>& values = it->second;
  if (values.size() >= max_values_per_user_ && !values.empty()) values.erase(values.begin());
  values.push_back(value);
  dirty_.insert(user);
}

std::span<const RecentValue> RecentValues::Get(const std::string& user) const {
  auto it = values_.find(user);
  if (it == values_.end()) return {};
  return it->second;
}

void RecentValues::Sweep(std::int64_t newest_ms) {
  const std::int64_t cutoff = newest_ms - horizon_ms_;
  for (auto it = values_.begin(); it != values_.end();) {
    std::vector<RecentValue>& values = it->second;
    const auto old = std::remove_if(values.begin(), values.end(), [cutoff](const RecentValue& value) {
      return value.timestamp_ms < cutoff;
    });
    if (old != values.end()) {
      values.erase(old, values.end());
      dirty_.insert(it->first);
    }
    it = values.empty() ? values_.erase(it) : std::next(it);
  }
}

}  // namespace switchyard::experiments
