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

const Json& Variants(const Json& flag) {
  static const Json kNone = Json::array();
  auto filters = flag.find("filters");
  if (filters == flag.end() || !filters->is_object()) return kNone;
  auto multivariate = filters->find("multivariate");
  if (multivariate == filters->end() || !multivariate->is_object()) return kNone;
  auto variants = multivariate->find("variants");
  return variants != multivariate->end() && variants->is_array() ? *variants : kNone;
}

// The payload key `edit` sets on `flag`, or InvalidArgument when the flag has no such variant.
Result<std::string> PayloadKey(const PayloadEdit& edit, const Json& flag) {
  const Json& variants = Variants(flag);
  if (variants.empty()) {
    if (edit.variant.empty() || edit.variant == "true") return std::string("true");
    return Status::InvalidArgument(
        "'" + edit.variant +
            "' is not a variant: a boolean flag has only the payload true (--payload true=JSON)",
        "--payload");
  }
  std::string known;
  for (const Json& variant : variants) {
    std::string key = variant.is_object() ? variant.value("key", std::string()) : std::string();
    if (!edit.variant.empty() && key == edit.variant) return key;
    known += (known.empty() ? "" : ", ") + key;
  }
  if (edit.variant.empty()) {
    return Status::InvalidArgument(
        "a multivariate flag needs --payload VARIANT=JSON (variants: " + known + ")", "--payload");
  }
  return Status::InvalidArgument(
      "'" + edit.variant + "' is not a variant of this flag (variants: " + known + ")", "--payload");
}

Status SetPayloads(const std::vector<std::string>& specs, Json* flag) {
  for (const std::string& spec : specs) {
    Result<PayloadEdit> edit = ParsePayload(spec);
    if (!edit.ok()) return edit.status();
    Result<std::string> key = PayloadKey(*edit, *flag);
    if (!key.ok()) return key.status();
    Json& payloads = Filters(flag)["payloads"];
    if (!payloads.is_object()) payloads = Json::object();
    if (edit->value.is_null()) {
      payloads.erase(*key);
    } else {
      payloads[*key] = std::move(edit->value);
    }
  }
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

Result<PayloadEdit> ParsePayload(std::string_view spec) {
  PayloadEdit edit;
  std::string_view text = spec;
  bool bare_json = spec.empty() || spec.find('=') == std::string_view::npos ||
                   std::string_view("{[\" \t").find(spec.front()) != std::string_view::npos;
  if (!bare_json) {
    auto eq = spec.find('=');
    edit.variant = std::string(spec.substr(0, eq));
    text = spec.substr(eq + 1);
  }
  edit.value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (edit.value.is_discarded()) {
    std::string whose = edit.variant.empty() ? "the payload" : "the payload for '" + edit.variant + "'";
    return Status::InvalidArgument(whose + " is not valid JSON: '" + std::string(text) + "'", "--payload");
  }
  return edit;
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
  return SetPayloads(edits.payloads, flag);
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
