#include "cli/flag_edits.h"

#include <charconv>
#include <cmath>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr const char* kServerFields[] = {"version",     "created_at", "updated_at", "updated_by",
                                         "environment", "changed",    "warnings"};

std::optional<double> ParsePercent(std::string_view text) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  if (value < 0 || value > 100) return std::nullopt;
  return value;
}

Json& Filters(Json* flag) {
  Json& filters = (*flag)["filters"];
  if (!filters.is_object()) filters = Json::object();
  return filters;
}

void SetRollout(double percent, Json* flag) {
  Json& groups = Filters(flag)["groups"];
  if (!groups.is_array() || groups.empty()) {
    groups = Json::array({Json{{"properties", Json::array()}, {"rollout_percentage", nullptr}}});
  }
  for (Json& group : groups) group["rollout_percentage"] = PercentJson(percent);
}

Status SetVariants(const std::vector<std::string>& specs, Json* flag) {
  Json variants = Json::array();
  for (const std::string& spec : specs) {
    Result<Json> variant = ParseVariant(spec);
    if (!variant.ok()) return variant.status();
    variants.push_back(std::move(variant).value());
  }
  Filters(flag)["multivariate"] = Json{{"variants", std::move(variants)}};
  return Status::Ok();
}

bool IsMultivariate(const Json& flag) {
  auto filters = flag.find("filters");
  if (filters == flag.end() || !filters->is_object()) return false;
  auto multivariate = filters->find("multivariate");
  return multivariate != filters->end() && multivariate->is_object() && multivariate->contains("variants") &&
         !(*multivariate)["variants"].empty();
}

Status SetPayload(const std::string& text, Json* flag) {
  if (IsMultivariate(*flag)) {
    return Status::InvalidArgument("a payload can only be set on a boolean flag", "--payload");
  }
  Json payload = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) return Status::InvalidArgument("payload is not valid JSON", "--payload");
  Json& payloads = Filters(flag)["payloads"];
  if (!payloads.is_object()) payloads = Json::object();
  payloads["true"] = std::move(payload);
  return Status::Ok();
}

}  // namespace

Json NewFlag(const std::string& key) {
  return Json{{"key", key},
              {"active", true},
              {"filters", Json{{"groups", Json::array({Json{{"properties", Json::array()},
                                                            {"rollout_percentage", nullptr}}})}}}};
}

Json PercentJson(double percent) {
  if (std::floor(percent) == percent) return Json(static_cast<std::int64_t>(percent));
  return Json(percent);
}

Result<Json> ParseVariant(std::string_view spec) {
  auto eq = spec.rfind('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Status::InvalidArgument("variant '" + std::string(spec) + "' is not KEY=PCT", "--variant");
  }
  std::optional<double> percent = ParsePercent(spec.substr(eq + 1));
  if (!percent) {
    return Status::InvalidArgument("variant '" + std::string(spec) + "' needs a percentage from 0 to 100",
                                   "--variant");
  }
  std::string key(spec.substr(0, eq));
  return Json{{"key", key}, {"name", key}, {"rollout_percentage", PercentJson(*percent)}};
}

Status ApplyEdits(const FlagEdits& edits, Json* flag) {
  if (edits.name) (*flag)["name"] = *edits.name;
  if (edits.description) (*flag)["description"] = *edits.description;
  if (edits.tags) (*flag)["tags"] = *edits.tags;
  if (edits.active) (*flag)["active"] = *edits.active;
  if (edits.rollout) SetRollout(*edits.rollout, flag);
  if (!edits.variants.empty()) {
    if (Status s = SetVariants(edits.variants, flag); !s.ok()) return s;
  }
  if (edits.payload) return SetPayload(*edits.payload, flag);
  return Status::Ok();
}

Result<Json> SelectFlagDefinition(Json document, const std::string& key) {
  if (document.is_object() && document.contains("flags") && document["flags"].is_array()) {
    for (Json& flag : document["flags"]) {
      if (flag.is_object() && flag.value("key", std::string()) == key) return std::move(flag);
    }
    return Status::InvalidArgument("the file defines no flag '" + key + "'", "--file");
  }
  if (!document.is_object()) return Status::InvalidArgument("the file must hold a flag object", "--file");
  auto it = document.find("key");
  if (it == document.end() || it->is_null()) {
    document["key"] = key;
  } else if (!it->is_string() || it->get<std::string>() != key) {
    std::string found = it->is_string() ? it->get<std::string>() : it->dump();
    return Status::InvalidArgument("the file defines flag '" + found + "', not '" + key + "'", "--file");
  }
  return document;
}

Json WithoutServerFields(Json flag) {
  if (!flag.is_object()) return flag;
  for (const char* field : kServerFields) flag.erase(field);
  return flag;
}

}  // namespace switchyard::cli
