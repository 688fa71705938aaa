// Helpers for the core tests: flags from JSON text, snapshots, and one-line evaluations.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "switchyard/flag_json.h"
#include "switchyard/flag_set.h"

namespace switchyard::testing_util {

inline Flag ParseFlag(const nlohmann::json& json) {
  Result<Flag> flag = FlagFromJson(json);
  EXPECT_TRUE(flag.ok()) << flag.status().ToString() << "\n" << json.dump();
  return flag.ok() ? *flag : Flag{};
}

inline Cohort ParseCohort(const nlohmann::json& json) {
  Result<Cohort> cohort = CohortFromJson(json);
  EXPECT_TRUE(cohort.ok()) << cohort.status().ToString();
  return cohort.ok() ? *cohort : Cohort{};
}

inline std::shared_ptr<const FlagSet> BuildSet(const std::vector<nlohmann::json>& flags,
                                               const std::vector<nlohmann::json>& cohorts = {}) {
  std::vector<Flag> parsed;
  for (const auto& json : flags) parsed.push_back(ParseFlag(json));
  std::vector<Cohort> parsed_cohorts;
  for (const auto& json : cohorts) parsed_cohorts.push_back(ParseCohort(json));
  Result<std::shared_ptr<const FlagSet>> set = FlagSet::Build(std::move(parsed), std::move(parsed_cohorts));
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? *set : FlagSet::Empty();
}

inline EvaluationContext Context(std::string distinct_id,
                                 nlohmann::json properties = nlohmann::json::object()) {
  EvaluationContext context;
  context.distinct_id = std::move(distinct_id);
  context.properties = std::move(properties);
  return context;
}

// A flag with one group holding the given filters, rollout and variant override.
inline nlohmann::json OneGroupFlag(const std::string& key, nlohmann::json properties,
                                   nlohmann::json rollout = nullptr, nlohmann::json variant = nullptr) {
  return {{"key", key},
          {"filters",
           {{"groups",
             {{{"properties", std::move(properties)},
               {"rollout_percentage", std::move(rollout)},
               {"variant", std::move(variant)}}}}}}};
}

}  // namespace switchyard::testing_util
