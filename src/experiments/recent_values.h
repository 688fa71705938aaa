// RecentValues: one project's recent metric values per user, kept so that an exposure seen after
// the user's events still finds them: values from before the exposure become the CUPED covariate,
// values from after it (events that arrived before their exposure, e.g. a client that batches)
// count as if they had arrived after it.
//
// Bounded (AggregationLimits): at most `max_users` users and `max_values_per_user` values each
// (a user's oldest value goes first); values older than `horizon_ms` before the newest event
// time seen are swept. A new user past max_users is not buffered (counted in dropped_users): an
// exposure of theirs then gets no covariate and no early values. Pure; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "experiments/experiment_state.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

struct RecentValue {
  std::int64_t timestamp_ms = 0;
  std::uint32_t metric = 0;  // the owner's metric id (MetricIds)
  ValueSide side = ValueSide::kValue;
  double value = 0;
};

class RecentValues {
 public:
  RecentValues(std::size_t max_users, std::size_t max_values_per_user, std::int64_t horizon_ms)
      : max_users_(max_users), max_values_per_user_(max_values_per_user), horizon_ms_(horizon_ms) {}

  void Add(const std::string& user, const RecentValue& value);
  std::span<const RecentValue> Get(const std::string& user) const;
  // Drops values older than horizon before `newest_ms`, and users left with none.
  void Sweep(std::int64_t newest_ms);

  std::size_t users() const { return values_.size(); }
  std::uint64_t dropped_users() const { return dropped_users_; }

  // Checkpoint rows of the users that changed: their values as JSON (metric ids written as keys
  // with `metric_key`), or nullopt for a user that is gone. Restore reads them back.
  template <typename KeyOf>
  std::vector<std::pair<std::string, std::optional<std::string>>> TakeCheckpointRows(KeyOf metric_key);
  template <typename IdOf>
  Status Restore(const std::string& user, const std::string& row, IdOf metric_id);

 private:
  std::size_t max_users_;
  std::size_t max_values_per_user_;
  std::int64_t horizon_ms_;
  std::unordered_map<std::string, std::vector<RecentValue>> values_;
  std::unordered_set<std::string> dirty_;
  std::uint64_t dropped_users_ = 0;
};

}  // namespace switchyard::experiments

#include "experiments/recent_values_checkpoint.h"  // the templates' definitions
