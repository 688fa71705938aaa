#include "registry/route_definition.h"

#include <cmath>

#include "core/json_fields.h"
#include "registry/model_reference.h"
#include "registry/registry_fields.h"

namespace switchyard::registry {
namespace {

using core::FieldPath;
using core::Json;

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

Status ValidateRouteKey(const std::string& key) {
  bool ok = !key.empty() && key.size() <= 64 && key[0] != '-';
  for (char c : key) ok = ok && IsKeyChar(c);
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      "route key must be 1-64 characters of a-z, 0-9 and '-', not starting with '-'", "key");
}

// Flag and experiment keys are checked by their own services; here only what keeps them usable.
Status ValidateEntityKey(const std::string& value, const char* field) {
  bool ok = !value.empty() && value.size() <= 400;
  for (char c : value) ok = ok && static_cast<unsigned char>(c) > ' ';
  if (ok) return Status::Ok();
  return Status::InvalidArgument(std::string(field) + " must be 1-400 characters without spaces", field);
}

Status ReadShadow(const Json& json, const std::string& path, ShadowConfig* shadow) {
  if (Status s = core::ExpectObject(json, path); !s.ok()) return s;
  if (Status s = core::CheckFields(json, path, kShadowFields); !s.ok()) return s;
  if (Status s = core::ReadRequiredString(json, "model", path, &shadow->model); !s.ok()) return s;
  std::optional<double> percent;
  if (Status s = core::ReadNumber(json, "sample_percent", path, &percent); !s.ok()) return s;
  if (!percent)
    return Status::InvalidArgument(FieldPath(path, "sample_percent") + " is required",
                                   FieldPath(path, "sample_percent"));
  shadow->sample_percent = *percent;
  return Status::Ok();
}

Status ReadRoute(const Json& json, RouteDefinition* route) {
  if (Status s = core::ExpectObject(json, ""); !s.ok()) return s;
  if (Status s = core::CheckFields(json, "", kRouteFields); !s.ok()) return s;
  if (Status s = core::ReadRequiredString(json, "key", "", &route->key); !s.ok()) return s;
  if (Status s = core::ReadString(json, "flag", "", &route->flag); !s.ok()) return s;
  if (Status s = core::ReadString(json, "experiment", "", &route->experiment); !s.ok()) return s;
  if (const Json* variants = core::Member(json, "variants")) {
    if (Status s = core::ExpectObject(*variants, "variants"); !s.ok()) return s;
    for (const auto& [variant, reference] : variants->items()) {
      if (!reference.is_string()) return core::Invalid(FieldPath("variants", variant), "must be a string");
      route->variants[variant] = reference.get<std::string>();
    }
  }
  if (Status s = core::ReadRequiredString(json, "default", "", &route->default_model); !s.ok()) return s;
  if (const Json* shadow = core::Member(json, "shadow")) {
    ShadowConfig config;
    if (Status s = ReadShadow(*shadow, "shadow", &config); !s.ok()) return s;
    route->shadow = std::move(config);
  }
  return core::ReadString(json, "description", "", &route->description);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> RouteDefinition::References() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [variant, reference] : variants)
    out.emplace_back(FieldPath("variants", variant), reference);
  out.emplace_back("default", default_model);
  if (shadow) out.emplace_back("shadow.model", shadow->model);
  return out;
}

Status ValidateShadow(const ShadowConfig& shadow, const std::string& path) {
  if (auto ref = ParseModelReference(shadow.model, FieldPath(path, "model")); !ref.ok()) return ref.status();
  if (!std::isfinite(shadow.sample_percent) || shadow.sample_percent < 0 || shadow.sample_percent > 100)
    return Status::InvalidArgument(FieldPath(path, "sample_percent") + " must be between 0 and 100",
                                   FieldPath(path, "sample_percent"));
  return Status::Ok();
}

Status ValidateRoute(const RouteDefinition& route) {
  if (Status s = ValidateRouteKey(route.key); !s.ok()) return s;
  if (route.flag.empty() == route.experiment.empty())
    return Status::InvalidArgument("a route names exactly one of flag and experiment",
                                   route.flag.empty() ? "flag" : "experiment");
  if (!route.flag.empty())
    if (Status s = ValidateEntityKey(route.flag, "flag"); !s.ok()) return s;
  if (!route.experiment.empty())
    if (Status s = ValidateEntityKey(route.experiment, "experiment"); !s.ok()) return s;
  if (route.variants.size() > kMaxRouteVariants)
    return Status::InvalidArgument("a route maps at most 64 variants", "variants");
  for (const auto& [variant, reference] : route.variants) {
    const std::string field = FieldPath("variants", variant);
    if (variant.empty() || variant.size() > 400)
      return Status::InvalidArgument("a variant key is 1-400 characters", field);
  }
  for (const auto& [field, reference] : route.References()) {
    if (field == "shadow.model") continue;  // ValidateShadow says more
    if (auto ref = ParseModelReference(reference, field); !ref.ok()) return ref.status();
  }
  if (route.shadow)
    if (Status s = ValidateShadow(*route.shadow); !s.ok()) return s;
  if (route.description.size() > 2000)
    return Status::InvalidArgument("description is longer than 2000 characters", "description");
  return Status::Ok();
}

Result<ShadowConfig> ShadowFromJson(const nlohmann::json& json, const std::string& path) {
  ShadowConfig shadow;
  Status read = core::ReadGuarded("shadow", path, [&] { return ReadShadow(json, path, &shadow); });
  if (!read.ok()) return read;
  if (Status s = ValidateShadow(shadow, path); !s.ok()) return s;
  return shadow;
}

Result<RouteDefinition> RouteFromJson(const nlohmann::json& json) {
  RouteDefinition route;
  Status read = core::ReadGuarded("route", "", [&] { return ReadRoute(json, &route); });
  if (!read.ok()) return read;
  if (Status s = ValidateRoute(route); !s.ok()) return s;
  return route;
}

nlohmann::json ShadowToJson(const ShadowConfig& shadow) {
  return {{"model", shadow.model}, {"sample_percent", shadow.sample_percent}};
}

nlohmann::json RouteToJson(const RouteDefinition& route) {
  auto optional_string = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return {{"key", route.key},
          {"flag", optional_string(route.flag)},
          {"experiment", optional_string(route.experiment)},
          {"variants", route.variants},
          {"default", route.default_model},
          {"shadow", route.shadow ? ShadowToJson(*route.shadow) : Json(nullptr)},
          {"description", route.description},
          {"version", route.version},
          {"created_at", route.created_at},
          {"updated_at", route.updated_at},
          {"updated_by", route.updated_by}};
}

Result<RouteDefinition> StoredRouteFromJson(const nlohmann::json& json) {
  auto route = RouteFromJson(json);
  if (!route.ok()) return Status::Corruption("stored route does not read back: " + route.status().message());
  route->version = json.value("version", std::int64_t{0});
  route->created_at = json.value("created_at", std::string());
  route->updated_at = json.value("updated_at", std::string());
  route->updated_by = json.value("updated_by", std::string());
  return route;
}

}  // namespace switchyard::registry
