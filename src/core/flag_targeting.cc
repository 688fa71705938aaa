// Per-environment targeting, as a projection of the Flag the engine evaluates: an environment's
// view of a flag is the shared definition with that environment's targeting, so the evaluator,
// compiler and validation never learn that environments exist.
#include "core/json_fields.h"
#include "switchyard/flag.h"
#include "switchyard/flag_json.h"

namespace switchyard {

FlagTargeting TargetingOf(const Flag& flag) {
  return FlagTargeting{flag.active, flag.groups, flag.variants, flag.payloads};
}

Flag DefinitionOf(Flag flag) {
  const Flag defaults;
  flag.active = defaults.active;
  flag.groups.clear();
  flag.variants.clear();
  flag.payloads.clear();
  return flag;
}

Flag WithTargeting(Flag flag, const FlagTargeting& targeting) {
  flag.active = targeting.active;
  flag.groups = targeting.groups;
  flag.variants = targeting.variants;
  flag.payloads = targeting.payloads;
  return flag;
}

Result<FlagTargeting> TargetingFromJson(const nlohmann::json& json, const std::string& path) {
  if (Status s = core::ExpectObject(json, path); !s.ok()) return s;
  for (const auto& [name, value] : json.items()) {
    if (name != "active" && name != "filters") {
      return core::Invalid(core::FieldPath(path, name),
                           "is not a field of an environment's targeting; "
                           "expected active or filters");
    }
  }
  Flag view;
  view.active = false;
  if (Status s = core::ReadBool(json, "active", path, &view.active); !s.ok()) return s;
  if (const nlohmann::json* filters = core::Member(json, "filters")) {
    Status parsed = FiltersFromJson(*filters, &view);
    if (!parsed.ok()) {
      std::string field = parsed.field().empty() ? "filters" : parsed.field();
      return Status(parsed.code(), path + "." + parsed.message(), core::FieldPath(path, field));
    }
  }
  return TargetingOf(view);
}

nlohmann::json TargetingToJson(const FlagTargeting& targeting) {
  Flag view = WithTargeting(Flag{}, targeting);
  return nlohmann::json{{"active", targeting.active}, {"filters", FiltersToJson(view)}};
}

}  // namespace switchyard
