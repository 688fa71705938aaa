// A gateway route: a flag or an experiment decides each user's variant, and each variant names
// the model reference that serves it. `default` serves users the flag gives nothing and takes
// over when a variant's model fails; `shadow` optionally mirrors a sample of traffic to a
// candidate. Versioned like flags (the store assigns version and timestamps).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::registry {

struct ShadowConfig {
  std::string model;          // a model reference
  double sample_percent = 0;  // 0..100
};

struct RouteDefinition {
  std::string key;   // [a-z0-9][a-z0-9-]{0,63}, e.g. chat-default
  std::string flag;  // exactly one of flag and experiment is set
  std::string experiment;
  std::map<std::string, std::string>
      variants;               // variant key ("true"/"false" for a boolean flag) -> reference
  std::string default_model;  // a model reference
  std::optional<ShadowConfig> shadow;
  std::string description;
  std::int64_t version = 0;  // set by the store
  std::string created_at;
  std::string updated_at;
  std::string updated_by;

  // Every model reference with the field that holds it ("variants.true", "default", "shadow.model").
  std::vector<std::pair<std::string, std::string>> References() const;
};

inline constexpr std::size_t kMaxRouteVariants = 64;

// Syntax: the key, exactly one of flag/experiment, every reference parses, bounds.
// InvalidArgument naming the field.
Status ValidateRoute(const RouteDefinition& route);
Status ValidateShadow(const ShadowConfig& shadow, const std::string& path = "shadow");

// A write's body (strict), validated; `version` in it is the caller's business (BaseVersion).
Result<RouteDefinition> RouteFromJson(const nlohmann::json& json);
Result<ShadowConfig> ShadowFromJson(const nlohmann::json& json, const std::string& path = "shadow");
nlohmann::json RouteToJson(const RouteDefinition& route);
nlohmann::json ShadowToJson(const ShadowConfig& shadow);
// RouteFromJson plus version and timestamps, for the stores (Corruption when unreadable).
Result<RouteDefinition> StoredRouteFromJson(const nlohmann::json& json);

}  // namespace switchyard::registry
