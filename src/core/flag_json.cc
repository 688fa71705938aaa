// The flag wire form. Input is lenient where PostHog is (nulls for unset fields, payloads as
// JSON-encoded strings, PostHog's fields for features it lacks when they ask for nothing) but
// strict about names: a member known_fields.h does not list is refused, since a typo would
// otherwise silently change what the flag does. Output is one canonical shape, and
// FlagFromJson(FlagToJson(f)) == f for every valid flag.
//
// Payloads: PostHog stores each payload as a JSON *string* ("{\"a\":1}"), so a string that
// parses as JSON is replaced by the parsed value. To keep the round trip lossless, FlagToJson
// writes a string payload that itself parses as JSON (e.g. the string "123") in encoded form.
#include "switchyard/flag_json.h"

#include "core/bounded_json.h"
#include "core/filter_json.h"
#include "core/flag_validation.h"
#include "core/json_fields.h"
#include "core/known_fields.h"

namespace switchyard {
namespace {

using core::FieldPath;
using core::IndexPath;
using core::Invalid;
using core::Json;
using core::Member;

// PostHog writes it in filters; a top-level one is accepted too. Null means "not a group flag".
Status ReadGroupAggregation(const Json& object, const std::string& parent, Flag* flag) {
  const Json* index = Member(object, "aggregation_group_type_index");
  if (index == nullptr || index->is_null()) return Status::Ok();
  if (!index->is_number_integer() || index->get<std::int64_t>() < 0 || index->get<std::int64_t>() > 4) {
    return Invalid(FieldPath(parent, "aggregation_group_type_index"),
                   "must be a group type index from 0 to 4 (the project's group_type_mapping), or null");
  }
  flag->aggregation_group_type_index = index->get<int>();
  return Status::Ok();
}

Result<Variant> VariantFromJson(const Json& json, const std::string& path) {
  if (Status s = core::ExpectObject(json, path); !s.ok()) return s;
  if (Status s = core::CheckFields(json, path, core::kVariantFields); !s.ok()) return s;
  Variant variant;
  if (Status s = core::ReadRequiredString(json, "key", path, &variant.key); !s.ok()) return s;
  if (Status s = core::ReadString(json, "name", path, &variant.name); !s.ok()) return s;
  std::optional<double> rollout;
  if (Status s = core::ReadNumber(json, "rollout_percentage", path, &rollout); !s.ok()) return s;
  if (!rollout) return Invalid(FieldPath(path, "rollout_percentage"), "is required");
  variant.rollout_percentage = *rollout;
  return variant;
}

Status VariantsFromJson(const Json& multivariate, Flag* flag) {
  const std::string path = "filters.multivariate";
  if (Status s = core::ExpectObject(multivariate, path); !s.ok()) return s;
  if (Status s = core::CheckFields(multivariate, path, core::kMultivariateFields); !s.ok()) return s;
  const Json* variants = Member(multivariate, "variants");
  if (variants == nullptr) return Status::Ok();
  const std::string variants_path = FieldPath(path, "variants");
  if (Status s = core::ExpectArray(*variants, variants_path); !s.ok()) return s;
  for (std::size_t i = 0; i < variants->size(); ++i) {
    Result<Variant> variant = VariantFromJson((*variants)[i], IndexPath(variants_path, i));
    if (!variant.ok()) return variant.status();
    flag->variants.push_back(std::move(variant).value());
  }
  return Status::Ok();
}

// Payload strings are client input too: bounded like a request body, so that a string holding a
// deeply nested document stays a string instead of becoming a DOM too deep to copy.
bool ParsesAsJson(const std::string& text) {
  return core::ParseBoundedJson(text).ok();
}

Status PayloadsFromJson(const Json& payloads, Flag* flag) {
  if (Status s = core::ExpectObject(payloads, "filters.payloads"); !s.ok()) return s;
  for (const auto& [key, value] : payloads.items()) {
    if (value.is_string()) {
      Result<Json> decoded = core::ParseBoundedJson(value.get_ref<const std::string&>());
      if (decoded.ok()) {
        flag->payloads[key] = std::move(decoded).value();
        continue;
      }
    }
    flag->payloads[key] = value;
  }
  return Status::Ok();
}

Json PayloadsToJson(const Flag& flag) {
  Json out = Json::object();
  for (const auto& [key, value] : flag.payloads) {
    const bool ambiguous = value.is_string() && ParsesAsJson(value.get<std::string>());
    out[key] = ambiguous ? Json(value.dump()) : value;
  }
  return out;
}

Status ReadTags(const Json& json, Flag* flag) {
  const Json* tags = Member(json, "tags");
  if (tags == nullptr) return Status::Ok();
  if (Status s = core::ExpectArray(*tags, "tags"); !s.ok()) return s;
  for (std::size_t i = 0; i < tags->size(); ++i) {
    if (!(*tags)[i].is_string()) return Invalid(IndexPath("tags", i), "must be a string");
    flag->tags.push_back((*tags)[i].get<std::string>());
  }
  return Status::Ok();
}

Status ReadBucketing(const Json& json, Flag* flag) {
  std::optional<std::string> identifier;
  if (Status s = core::ReadString(json, "bucketing_identifier", "", &identifier); !s.ok()) return s;
  if (identifier && *identifier != "distinct_id" && *identifier != "device_id") {
    return Invalid("bucketing_identifier", "must be \"distinct_id\" or \"device_id\"");
  }
  if (identifier == "device_id") flag->bucketing_property = "$device_id";
  return core::ReadString(json, "bucketing_property", "", &flag->bucketing_property);
}

Status ParseFilters(const Json& filters, Flag* flag) {
  if (Status s = core::ExpectObject(filters, "filters"); !s.ok()) return s;
  if (Status s = core::CheckFields(filters, "filters", core::kFlagFiltersFields); !s.ok()) return s;
  if (Status s = ReadGroupAggregation(filters, "filters", flag); !s.ok()) return s;
  if (const Json* groups = Member(filters, "groups")) {
    if (Status s = core::GroupsFromJson(*groups, "filters.groups", &flag->groups); !s.ok()) return s;
  }
  if (const Json* multivariate = Member(filters, "multivariate")) {
    if (Status s = VariantsFromJson(*multivariate, flag); !s.ok()) return s;
  }
  if (const Json* payloads = Member(filters, "payloads")) {
    if (Status s = PayloadsFromJson(*payloads, flag); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ReadFlagFields(const Json& json, Flag* flag) {
  if (Status s = core::ExpectObject(json, ""); !s.ok()) return s;
  if (Status s = core::CheckFields(json, "", core::kFlagFields); !s.ok()) return s;
  if (Status s = core::ReadRequiredString(json, "key", "", &flag->key); !s.ok()) return s;
  if (Status s = core::ReadString(json, "name", "", &flag->name); !s.ok()) return s;
  if (Status s = core::ReadString(json, "description", "", &flag->description); !s.ok()) return s;
  if (Status s = ReadTags(json, flag); !s.ok()) return s;
  if (Status s = core::ReadBool(json, "active", "", &flag->active); !s.ok()) return s;
  if (Status s = core::ReadInt64(json, "version", "", &flag->version); !s.ok()) return s;
  if (Status s = ReadBucketing(json, flag); !s.ok()) return s;
  if (Status s = ReadGroupAggregation(json, "", flag); !s.ok()) return s;
  const Json* filters = Member(json, "filters");
  return filters == nullptr ? Status::Ok() : ParseFilters(*filters, flag);
}

}  // namespace

Status FiltersFromJson(const nlohmann::json& filters, Flag* flag) {
  flag->groups.clear();
  flag->variants.clear();
  flag->payloads.clear();
  Status parsed = core::ReadGuarded("filters", "filters", [&] { return ParseFilters(filters, flag); });
  return parsed.ok() ? core::ValidateFilters(*flag) : parsed;
}

nlohmann::json FiltersToJson(const Flag& flag) {
  Json multivariate;
  if (flag.is_multivariate()) {
    Json variants = Json::array();
    for (const Variant& v : flag.variants) {
      variants.push_back(
          Json{{"key", v.key}, {"name", v.name}, {"rollout_percentage", v.rollout_percentage}});
    }
    multivariate = Json{{"variants", std::move(variants)}};
  }
  Json out{{"groups", core::GroupsToJson(flag.groups)},
           {"multivariate", std::move(multivariate)},
           {"payloads", PayloadsToJson(flag)}};
  if (flag.aggregation_group_type_index)
    out["aggregation_group_type_index"] = *flag.aggregation_group_type_index;
  return out;
}

Result<Flag> FlagFromJson(const nlohmann::json& json) {
  Flag flag;
  if (Status s = core::ReadGuarded("flag", "", [&] { return ReadFlagFields(json, &flag); }); !s.ok())
    return s;
  if (Status s = core::ValidateFlag(flag); !s.ok()) return s;
  return flag;
}

nlohmann::json FlagToJson(const Flag& flag) {
  Json out{{"key", flag.key},
           {"name", flag.name},
           {"description", flag.description},
           {"tags", flag.tags},
           {"active", flag.active},
           {"version", flag.version},
           {"filters", FiltersToJson(flag)}};
  if (flag.bucketing_property) out["bucketing_property"] = *flag.bucketing_property;
  return out;
}

}  // namespace switchyard
