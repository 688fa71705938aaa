// ExperimentState: the ingest-time aggregate of one experiment, as a per-user state machine over
// exposures and metric values, kept as sufficient statistics (experiment_aggregate.h) per variant,
// per metric and per UTC hour. Every call is O(1) in the number of users and events (O(metrics)
// for an exposure): per-user accumulators let each event update n/Σx/Σx²/Σxy by the change of
// that user's value, never by recomputing anything.
//
// Rules (docs/DESIGN-NOTES.md, "Experiment aggregation", says the same for users):
// - The first exposure of a user assigns the variant and the exposure time; the user then counts
//   in every per-user metric with value 0 until events say otherwise. A later exposure to another
//   variant moves the user to multiple_exposure_users and subtracts everything they contributed
//   (the change is booked in that exposure's hour). Percentile sketches are the one exception: a
//   sketch cannot forget a value, so values such a user added before the second exposure stay.
// - A value whose event time is before the user's first exposure does not count toward the
//   metric; within cuped_lookback_days before it, it counts toward the user's covariate
//   (conversion, sum and per-user mean metrics; booked in the exposure's hour).
// - Conversion: the user converted when the event time is within conversion_window_hours after
//   the first exposure; later events do not convert.
// - Capping applies to each value (numerators; denominators are counts or sizes) before summing.
// - Each change goes into the UTC hour of its event time, however late it arrives.
// - At most `max_users` users are tracked; past that, new users' exposures are refused and
//   counted in users_over_limit.
//
// Pure: no I/O, no clock. Not thread-safe: the owner serializes calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/event_value_reader.h"
#include "experiments/experiment_aggregate.h"
#include "experiments/metric_definition.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;

// The UTC hour an instant falls in (ms since the epoch).
inline std::int64_t HourOf(std::int64_t timestamp_ms) {
  const std::int64_t hour = timestamp_ms / kHourMs * kHourMs;
  return hour > timestamp_ms ? hour - kHourMs : hour;  // floor for instants before 1970
}

enum class ValueSide : std::uint8_t { kValue, kDenominator };

// One number an event contributed to one metric of this experiment (index into metrics()).
struct MetricValue {
  std::size_t metric = 0;
  ValueSide side = ValueSide::kValue;
  double value = 0;
  std::int64_t timestamp_ms = 0;
};

enum class ExposureOutcome { kFirst, kRepeat, kMultiple, kOverLimit };

// A metric as this experiment aggregates it: the definition captured when the experiment first
// used it (later edits of the definition do not change a running experiment's sums), with its
// compiled readers.
struct ExperimentMetric {
  explicit ExperimentMetric(MetricDefinition def);
  std::unique_ptr<const MetricDefinition> definition;  // stable address: the readers point into it
  EventValueReader value;
  std::optional<EventValueReader> denominator;  // ratio metrics
};

// The rows a checkpoint writes for one experiment (JSON text), only what changed since the last
// one: the header (totals and settings) always, and the hours and users that changed.
struct ExperimentCheckpointRows {
  std::string header;
  std::vector<std::pair<std::int64_t, std::string>> hours;  // hour_start_ms -> point
  std::vector<std::pair<std::string, std::string>> users;   // distinct_id -> state
};

class ExperimentState {
 public:
  ExperimentState(std::string key, std::vector<std::string> variants, int cuped_lookback_days,
                  std::size_t max_users);

  const std::string& key() const { return key_; }
  // The variant's index, or nullopt when the experiment has none by that key.
  std::optional<std::size_t> VariantIndex(std::string_view variant) const;
  // Adds a variant the experiment gained (appended; exposures to it count from now on).
  void AddVariant(const std::string& variant);

  const std::vector<ExperimentMetric>& metrics() const { return metrics_; }
  std::optional<std::size_t> MetricIndex(std::string_view key) const;
  // Adds a metric; users already exposed count 0 in it (per-user metrics), hour by hour.
  std::size_t AddMetric(MetricDefinition definition);

  // An exposure of `user` to variant `variant` (an index) at `timestamp_ms`. On a first exposure
  // `history` (the user's values from before the exposure was seen, in any order) is applied as
  // if each value had arrived now: before the exposure as covariate, after it as metric values.
  ExposureOutcome Expose(const std::string& user, std::size_t variant, std::int64_t timestamp_ms,
                         std::span<const MetricValue> history);
  // A value of an exposed user; false (nothing counted) when the user is not exposed (or was
  // excluded as a multiple exposure).
  bool Add(const std::string& user, const MetricValue& value);

  std::size_t tracked_users() const { return users_.size(); }
  std::int64_t last_event_ms() const { return last_event_ms_; }
  ExperimentAggregate Aggregate() const;

  // Checkpoints: the changed rows (and forget that they changed), and the inverse.
  ExperimentCheckpointRows TakeCheckpointRows();
  bool dirty() const { return dirty_; }
  static Result<std::unique_ptr<ExperimentState>> Restore(
      const std::string& header, const std::vector<std::pair<std::int64_t, std::string>>& hours,
      const std::vector<std::pair<std::string, std::string>>& users, std::size_t max_users);

 private:
  struct UserMetric {
    double value = 0;        // y: capped numerator sum, or 0/1 (conversion); per-event mean: Σx
    double denominator = 0;  // ratio: Σ denominator; per-event mean: Σx²
    double count = 0;        // per-event mean: events
    double covariate = 0;    // x: the same metric before the first exposure (CUPED)
  };
  static constexpr std::int32_t kMultiple = -1;
  struct UserState {
    std::int32_t variant = kMultiple;
    std::int64_t first_exposure_ms = 0;
    std::vector<UserMetric> metrics;
  };
  struct Point {
    std::int64_t exposures = 0;
    std::vector<MetricSums> metrics;
  };
  struct Variant {
    std::string key;
    std::int64_t exposures = 0;
    std::vector<MetricSums> totals;  // by metric index
    std::map<std::int64_t, Point> hours;
  };

  void Apply(UserState& user, const MetricValue& value);
  void ApplyCovariate(UserState& user, const MetricValue& value);
  void SetUserValue(UserState& user, std::size_t metric, double value, double denominator, std::int64_t hour);
  void Book(std::size_t variant, std::size_t metric, std::int64_t hour, const MetricSums& delta);
  Point& PointAt(std::size_t variant, std::int64_t hour);
  void RemoveUser(UserState& user, std::int64_t hour);
  void Touch(const std::string& user) { dirty_users_.insert(user); }
  nlohmann::json HeaderJson() const;
  nlohmann::json HourJson(std::int64_t hour) const;
  static nlohmann::json UserJson(const UserState& user);

  std::string key_;
  int cuped_lookback_days_;
  std::size_t max_users_;
  std::vector<ExperimentMetric> metrics_;
  std::vector<Variant> variants_;
  std::unordered_map<std::string, UserState> users_;
  std::int64_t multiple_exposure_users_ = 0;
  std::int64_t users_over_limit_ = 0;
  std::int64_t first_exposure_ms_ = 0;
  std::int64_t last_event_ms_ = 0;

  bool dirty_ = true;
  std::set<std::int64_t> dirty_hours_;
  std::unordered_set<std::string> dirty_users_;
};

}  // namespace switchyard::experiments
