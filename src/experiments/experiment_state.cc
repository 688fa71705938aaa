#include "experiments/experiment_state.h"

#include <algorithm>

#include "experiments/aggregate_json.h"
#include "experiments/metric_json.h"

namespace switchyard::experiments {
namespace {

using nlohmann::json;

bool HasCovariate(const MetricDefinition& metric) {
  return metric.kind == MetricKind::kConversion || metric.kind == MetricKind::kSum ||
         (metric.kind == MetricKind::kMean && metric.unit == MetricUnit::kUser);
}

bool IsPerEventMean(const MetricDefinition& metric) {
  return metric.kind == MetricKind::kMean && metric.unit == MetricUnit::kEvent;
}

MetricSums EmptySums(const MetricDefinition& metric) {
  MetricSums sums;
  if (metric.kind == MetricKind::kPercentile) sums.sketch = stats::QuantileSketch();
  return sums;
}

// Adds every field of `delta` (which carries no sketch) to `sums`.
void AddSums(MetricSums& sums, const MetricSums& delta) {
  sums.n += delta.n;
  sums.sum += delta.sum;
  sums.sum_squares += delta.sum_squares;
  sums.denominator_sum += delta.denominator_sum;
  sums.denominator_sum_squares += delta.denominator_sum_squares;
  sums.cross_sum += delta.cross_sum;
  sums.covariate_sum += delta.covariate_sum;
  sums.covariate_sum_squares += delta.covariate_sum_squares;
  sums.covariate_cross_sum += delta.covariate_cross_sum;
}

Result<json> ParseRow(const std::string& text, const char* what) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded())
    return Status::Corruption(std::string("aggregate checkpoint: unreadable ") + what);
  return parsed;
}

}  // namespace

ExperimentMetric::ExperimentMetric(MetricDefinition def)
    : definition(std::make_unique<const MetricDefinition>(std::move(def))), value(definition->value) {
  if (definition->kind == MetricKind::kRatio) denominator.emplace(definition->denominator);
}

ExperimentState::ExperimentState(std::string key, std::vector<std::string> variants, int cuped_lookback_days,
                                 std::size_t max_users)
    : key_(std::move(key)), cuped_lookback_days_(cuped_lookback_days), max_users_(max_users) {
  for (std::string& variant : variants) AddVariant(variant);
}

std::optional<std::size_t> ExperimentState::VariantIndex(std::string_view variant) const {
  for (std::size_t i = 0; i < variants_.size(); ++i)
    if (variants_[i].key == variant) return i;
  return std::nullopt;
}

void ExperimentState::AddVariant(const std::string& variant) {
  Variant added;
  added.key = variant;
  for (const ExperimentMetric& metric : metrics_) added.totals.push_back(EmptySums(*metric.definition));
  variants_.push_back(std::move(added));
  dirty_ = true;
}

std::optional<std::size_t> ExperimentState::MetricIndex(std::string_view key) const {
  for (std::size_t i = 0; i < metrics_.size(); ++i)
    if (metrics_[i].definition->key == key) return i;
  return std::nullopt;
}

std::size_t ExperimentState::AddMetric(MetricDefinition definition) {
  metrics_.emplace_back(std::move(definition));
  const MetricDefinition& added = *metrics_.back().definition;
  const bool per_user = IsPerUser(added);
  for (Variant& variant : variants_) {
    MetricSums total = EmptySums(added);
    for (auto& [hour, point] : variant.hours) {
      MetricSums sums;
      if (per_user) sums.n = static_cast<double>(point.exposures);  // exposed users count 0
      total.n += sums.n;
      point.metrics.push_back(std::move(sums));
      dirty_hours_.insert(hour);
    }
    variant.totals.push_back(std::move(total));
  }
  for (auto& [user, state] : users_) {
    if (state.variant != kMultiple) state.metrics.emplace_back();
    Touch(user);
  }
  dirty_ = true;
  return metrics_.size() - 1;
}

ExperimentState::Point& ExperimentState::PointAt(std::size_t variant, std::int64_t hour) {
  Point& point = variants_[variant].hours[hour];
  if (point.metrics.size() < metrics_.size()) point.metrics.resize(metrics_.size());
  dirty_hours_.insert(hour);
  return point;
}

void ExperimentState::Book(std::size_t variant, std::size_t metric, std::int64_t hour,
                           const MetricSums& delta) {
  AddSums(variants_[variant].totals[metric], delta);
  AddSums(PointAt(variant, hour).metrics[metric], delta);
  dirty_ = true;
}

ExposureOutcome ExperimentState::Expose(const std::string& user, std::size_t variant,
                                        std::int64_t timestamp_ms, std::span<const MetricValue> history) {
  last_event_ms_ = std::max(last_event_ms_, timestamp_ms);
  auto it = users_.find(user);
  if (it != users_.end()) {
    UserState& state = it->second;
    if (state.variant == kMultiple || state.variant == static_cast<std::int32_t>(variant))
      return ExposureOutcome::kRepeat;
    RemoveUser(state, HourOf(timestamp_ms));
    Touch(user);
    return ExposureOutcome::kMultiple;
  }
  if (users_.size() >= max_users_) {
    ++users_over_limit_;
    dirty_ = true;
    return ExposureOutcome::kOverLimit;
  }
  UserState& state = users_[user];
  state.variant = static_cast<std::int32_t>(variant);
  state.first_exposure_ms = timestamp_ms;
  state.metrics.resize(metrics_.size());
  Touch(user);
  dirty_ = true;
  first_exposure_ms_ = first_exposure_ms_ == 0 ? timestamp_ms : std::min(first_exposure_ms_, timestamp_ms);
  const std::int64_t hour = HourOf(timestamp_ms);
  ++variants_[variant].exposures;
  ++PointAt(variant, hour).exposures;
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    if (!IsPerUser(*metrics_[m].definition)) continue;
    MetricSums delta;
    delta.n = 1;
    Book(variant, m, hour, delta);
  }
  for (const MetricValue& value : history) Apply(state, value);
  return ExposureOutcome::kFirst;
}

bool ExperimentState::Add(const std::string& user, const MetricValue& value) {
  auto it = users_.find(user);
  if (it == users_.end() || it->second.variant == kMultiple) return false;
  last_event_ms_ = std::max(last_event_ms_, value.timestamp_ms);
  Apply(it->second, value);
  Touch(user);
  return true;
}

void ExperimentState::Apply(UserState& user, const MetricValue& input) {
  if (input.metric >= metrics_.size()) return;
  if (input.timestamp_ms < user.first_exposure_ms) {
    ApplyCovariate(user, input);
    return;
  }
  const MetricDefinition& metric = *metrics_[input.metric].definition;
  UserMetric& state = user.metrics[input.metric];
  const std::size_t variant = static_cast<std::size_t>(user.variant);
  const std::int64_t hour = HourOf(input.timestamp_ms);
  const double capped =
      input.side == ValueSide::kValue ? stats::Capped(input.value, metric.capping) : input.value;
  switch (metric.kind) {
    case MetricKind::kConversion: {
      const std::int64_t window_end =
          user.first_exposure_ms + static_cast<std::int64_t>(metric.conversion_window_hours) * kHourMs;
      if (input.timestamp_ms >= window_end || state.value >= 1) return;
      SetUserValue(user, input.metric, 1, state.denominator, hour);
      return;
    }
    case MetricKind::kSum:
    case MetricKind::kRatio:
    case MetricKind::kMean:
      if (IsPerEventMean(metric)) break;
      if (input.side == ValueSide::kValue) {
        SetUserValue(user, input.metric, state.value + capped, state.denominator, hour);
      } else {
        SetUserValue(user, input.metric, state.value, state.denominator + capped, hour);
      }
      return;
    case MetricKind::kPercentile: break;
  }
  // Per-event units: the event is one more unit of the variant.
  MetricSums delta;
  delta.n = 1;
  delta.sum = capped;
  delta.sum_squares = capped * capped;
  Book(variant, input.metric, hour, delta);
  if (metric.kind == MetricKind::kPercentile) {
    auto& total = variants_[variant].totals[input.metric].sketch;
    if (!total) total.emplace();
    total->Add(capped);
    auto& hourly = PointAt(variant, hour).metrics[input.metric].sketch;
    if (!hourly) hourly.emplace();
    hourly->Add(capped);
  } else {
    state.count += 1;
    state.value += capped;
    state.denominator += capped * capped;
  }
}

void ExperimentState::ApplyCovariate(UserState& user, const MetricValue& input) {
  const MetricDefinition& metric = *metrics_[input.metric].definition;
  const std::int64_t lookback_start = user.first_exposure_ms - cuped_lookback_days_ * kDayMs;
  if (!HasCovariate(metric) || input.side != ValueSide::kValue || input.timestamp_ms < lookback_start) return;
  UserMetric& state = user.metrics[input.metric];
  const double before = state.covariate;
  const double after =
      metric.kind == MetricKind::kConversion ? 1.0 : before + stats::Capped(input.value, metric.capping);
  if (after == before) return;
  MetricSums delta;
  delta.covariate_sum = after - before;
  delta.covariate_sum_squares = after * after - before * before;
  delta.covariate_cross_sum = state.value * (after - before);
  state.covariate = after;
  Book(static_cast<std::size_t>(user.variant), input.metric, HourOf(user.first_exposure_ms), delta);
}

void ExperimentState::SetUserValue(UserState& user, std::size_t metric, double value, double denominator,
                                   std::int64_t hour) {
  UserMetric& state = user.metrics[metric];
  MetricSums delta;
  delta.sum = value - state.value;
  delta.sum_squares = value * value - state.value * state.value;
  delta.denominator_sum = denominator - state.denominator;
  delta.denominator_sum_squares = denominator * denominator - state.denominator * state.denominator;
  delta.cross_sum = value * denominator - state.value * state.denominator;
  delta.covariate_cross_sum = (value - state.value) * state.covariate;
  state.value = value;
  state.denominator = denominator;
  Book(static_cast<std::size_t>(user.variant), metric, hour, delta);
}

void ExperimentState::RemoveUser(UserState& user, std::int64_t hour) {
  const auto variant = static_cast<std::size_t>(user.variant);
  --variants_[variant].exposures;
  --PointAt(variant, hour).exposures;
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    const MetricDefinition& metric = *metrics_[m].definition;
    const UserMetric& state = user.metrics[m];
    MetricSums delta;
    if (IsPerUser(metric)) {
      delta.n = -1;
      delta.sum = -state.value;
      delta.sum_squares = -state.value * state.value;
      delta.denominator_sum = -state.denominator;
      delta.denominator_sum_squares = -state.denominator * state.denominator;
      delta.cross_sum = -state.value * state.denominator;
      delta.covariate_sum = -state.covariate;
      delta.covariate_sum_squares = -state.covariate * state.covariate;
      delta.covariate_cross_sum = -state.value * state.covariate;
    } else if (IsPerEventMean(metric)) {
      delta.n = -state.count;
      delta.sum = -state.value;
      delta.sum_squares = -state.denominator;
    } else {
      continue;  // percentile: see the header
    }
    Book(variant, m, hour, delta);
  }
  user.variant = kMultiple;
  user.metrics.clear();
  user.metrics.shrink_to_fit();
  ++multiple_exposure_users_;
  dirty_ = true;
}

ExperimentAggregate ExperimentState::Aggregate() const {
  ExperimentAggregate out;
  out.experiment_key = key_;
  out.multiple_exposure_users = multiple_exposure_users_;
  out.users_over_limit = users_over_limit_;
  out.first_exposure_ms = first_exposure_ms_;
  out.last_event_ms = last_event_ms_;
  for (const Variant& variant : variants_) {
    VariantAggregate aggregate;
    aggregate.variant = variant.key;
    aggregate.exposures = variant.exposures;
    for (std::size_t m = 0; m < metrics_.size(); ++m)
      aggregate.metrics[metrics_[m].definition->key] = variant.totals[m];
    for (const auto& [hour, point] : variant.hours) {
      HourlyPoint hourly;
      hourly.hour_start_ms = hour;
      hourly.exposures = point.exposures;
      for (std::size_t m = 0; m < point.metrics.size() && m < metrics_.size(); ++m)
        hourly.metrics[metrics_[m].definition->key] = point.metrics[m];
      aggregate.hourly.push_back(std::move(hourly));
    }
    out.variants.push_back(std::move(aggregate));
  }
  return out;
}

// --- Checkpoints -------------------------------------------------------------------------------

json ExperimentState::HeaderJson() const {
  json metrics = json::array();
  for (const ExperimentMetric& metric : metrics_) metrics.push_back(MetricToJson(*metric.definition));
  json variants = json::array();
  for (const Variant& variant : variants_) {
    json totals = json::array();
    for (const MetricSums& sums : variant.totals) totals.push_back(MetricSumsToJson(sums));
    variants.push_back(
        {{"key", variant.key}, {"exposures", variant.exposures}, {"totals", std::move(totals)}});
  }
  return {{"key", key_},
          {"cuped_lookback_days", cuped_lookback_days_},
          {"metrics", std::move(metrics)},
          {"variants", std::move(variants)},
          {"multiple_exposure_users", multiple_exposure_users_},
          {"users_over_limit", users_over_limit_},
          {"first_exposure_ms", first_exposure_ms_},
          {"last_event_ms", last_event_ms_}};
}

json ExperimentState::HourJson(std::int64_t hour) const {
  json out = json::array();  // per variant: [exposures, [sums per metric]]
  for (const Variant& variant : variants_) {
    auto it = variant.hours.find(hour);
    if (it == variant.hours.end()) {
      out.push_back(nullptr);
      continue;
    }
    json metrics = json::array();
    for (const MetricSums& sums : it->second.metrics) metrics.push_back(MetricSumsToJson(sums));
    out.push_back({it->second.exposures, std::move(metrics)});
  }
  return out;
}

json ExperimentState::UserJson(const UserState& user) {
  json metrics = json::array();
  for (const UserMetric& metric : user.metrics)
    metrics.push_back({metric.value, metric.denominator, metric.count, metric.covariate});
  return {user.variant, user.first_exposure_ms, std::move(metrics)};
}

ExperimentCheckpointRows ExperimentState::TakeCheckpointRows() {
  ExperimentCheckpointRows rows;
  rows.header = HeaderJson().dump();
  for (std::int64_t hour : dirty_hours_) rows.hours.emplace_back(hour, HourJson(hour).dump());
  for (const std::string& user : dirty_users_) {
    auto it = users_.find(user);
    if (it != users_.end()) rows.users.emplace_back(user, UserJson(it->second).dump());
  }
  dirty_ = false;
  dirty_hours_.clear();
  dirty_users_.clear();
  return rows;
}

Result<std::unique_ptr<ExperimentState>> ExperimentState::Restore(
    const std::string& header_text, const std::vector<std::pair<std::int64_t, std::string>>& hours,
    const std::vector<std::pair<std::string, std::string>>& users, std::size_t max_users) {
  auto header = ParseRow(header_text, "experiment header");
  if (!header.ok()) return header.status();
  try {
    auto state =
        std::make_unique<ExperimentState>(header->at("key").get<std::string>(), std::vector<std::string>{},
                                          header->at("cuped_lookback_days").get<int>(), max_users);
    for (const json& metric : header->at("metrics")) {
      auto definition = MetricFromJson(metric);
      if (!definition.ok())
        return Status::Corruption("aggregate checkpoint metric: " + definition.status().message());
      state->metrics_.emplace_back(std::move(*definition));
    }
    for (const json& stored : header->at("variants")) {
      Variant variant;
      variant.key = stored.at("key").get<std::string>();
      variant.exposures = stored.at("exposures").get<std::int64_t>();
      for (const json& sums : stored.at("totals")) {
        auto parsed = MetricSumsFromJson(sums);
        if (!parsed.ok()) return parsed.status();
        variant.totals.push_back(std::move(*parsed));
      }
      if (variant.totals.size() != state->metrics_.size())
        return Status::Corruption("aggregate checkpoint: totals do not match the metrics");
      state->variants_.push_back(std::move(variant));
    }
    state->multiple_exposure_users_ = header->at("multiple_exposure_users").get<std::int64_t>();
    state->users_over_limit_ = header->at("users_over_limit").get<std::int64_t>();
    state->first_exposure_ms_ = header->at("first_exposure_ms").get<std::int64_t>();
    state->last_event_ms_ = header->at("last_event_ms").get<std::int64_t>();
    for (const auto& [hour, text] : hours) {
      auto row = ParseRow(text, "hour");
      if (!row.ok()) return row.status();
      for (std::size_t v = 0; v < row->size() && v < state->variants_.size(); ++v) {
        const json& stored = (*row)[v];
        if (stored.is_null()) continue;
        Point point;
        point.exposures = stored.at(0).get<std::int64_t>();
        for (const json& sums : stored.at(1)) {
          auto parsed = MetricSumsFromJson(sums);
          if (!parsed.ok()) return parsed.status();
          point.metrics.push_back(std::move(*parsed));
        }
        state->variants_[v].hours[hour] = std::move(point);
      }
    }
    for (const auto& [user, text] : users) {
      auto row = ParseRow(text, "user");
      if (!row.ok()) return row.status();
      UserState restored;
      restored.variant = row->at(0).get<std::int32_t>();
      restored.first_exposure_ms = row->at(1).get<std::int64_t>();
      for (const json& metric : row->at(2)) {
        restored.metrics.push_back({metric.at(0).get<double>(), metric.at(1).get<double>(),
                                    metric.at(2).get<double>(), metric.at(3).get<double>()});
      }
      if (restored.variant != kMultiple &&
          (restored.variant < 0 || static_cast<std::size_t>(restored.variant) >= state->variants_.size() ||
           restored.metrics.size() != state->metrics_.size()))
        return Status::Corruption("aggregate checkpoint: user state does not match the experiment");
      state->users_.emplace(user, std::move(restored));
    }
    state->dirty_ = false;
    return state;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("aggregate checkpoint: ") + e.what());
  }
}

}  // namespace switchyard::experiments
