// RecentValues' checkpoint rows (templates: the owner maps its metric ids to stable keys).
#pragma once

#include <nlohmann/json.hpp>

#include "experiments/recent_values.h"

namespace switchyard::experiments {

template <typename KeyOf>
std::vector<std::pair<std::string, std::optional<std::string>>> RecentValues::TakeCheckpointRows(
    KeyOf metric_key) {
  std::vector<std::pair<std::string, std::optional<std::string>>> rows;
  for (const std::string& user : dirty_) {
    auto it = values_.find(user);
    if (it == values_.end()) {
      rows.emplace_back(user, std::nullopt);
      continue;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const RecentValue& value : it->second)
      out.push_back(
          {value.timestamp_ms, metric_key(value.metric), static_cast<int>(value.side), value.value});
    rows.emplace_back(user, out.dump());
  }
  dirty_.clear();
  return rows;
}

template <typename IdOf>
Status RecentValues::Restore(const std::string& user, const std::string& row, IdOf metric_id) {
  nlohmann::json parsed = nlohmann::json::parse(row, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Status::Corruption("aggregate checkpoint: unreadable recent values");
  std::vector<RecentValue> restored;
  try {
    for (const nlohmann::json& value : parsed) {
      restored.push_back({value.at(0).get<std::int64_t>(), metric_id(value.at(1).get<std::string>()),
                          value.at(2).get<int>() == 1 ? ValueSide::kDenominator : ValueSide::kValue,
                          value.at(3).get<double>()});
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("aggregate checkpoint: recent values: ") + e.what());
  }
  values_[user] = std::move(restored);
  return Status::Ok();
}

}  // namespace switchyard::experiments
