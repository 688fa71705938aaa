// The members every registry object the API accepts may hold (see core/known_fields.h: anything
// else is refused with a did-you-mean). Output-only members are kIgnored so GET -> edit -> write
// goes through.
#pragma once

#include "core/known_fields.h"

namespace switchyard::registry {

using core::FieldRole;
using core::KnownField;

inline constexpr KnownField kModelVersionFields[] = {
    {"name"},
    {"version"},
    {"kind"},
    {"upstream"},
    {"prices"},
    {"artifact"},
    {"training_params"},
    {"offline_metrics"},
    {"description"},
    {"tags"},
    {"created_by", FieldRole::kIgnored},
    {"created_at", FieldRole::kIgnored},
    {"state", FieldRole::kIgnored},  // a new version is always registered; transitions move it
    {"state_changed_at", FieldRole::kIgnored},
    {"reference", FieldRole::kIgnored},  // name@version, derived
};
inline constexpr KnownField kUpstreamFields[] = {{"base_url"}, {"model"}, {"credential_env"}};
inline constexpr KnownField kPricesFields[] = {{"input_per_1m"}, {"cached_input_per_1m"}, {"output_per_1m"}};
inline constexpr KnownField kArtifactFields[] = {{"uri"}, {"sha256"}};

inline constexpr KnownField kTransitionFields[] = {{"to"}, {"reason"}};
inline constexpr KnownField kAliasMoveFields[] = {{"version"}, {"reason"}};
inline constexpr KnownField kRollbackFields[] = {{"reason"}};
inline constexpr KnownField kRetentionFields[] = {{"keep"}, {"dry_run"}, {"reason"}};

inline constexpr KnownField kRouteFields[] = {
    {"key"},
    {"flag"},
    {"experiment"},
    {"variants"},
    {"default"},
    {"shadow"},
    {"description"},
    {"version"},  // the version a change is based on
    {"created_at", FieldRole::kIgnored},
    {"updated_at", FieldRole::kIgnored},
    {"updated_by", FieldRole::kIgnored},
};
inline constexpr KnownField kShadowFields[] = {{"model"}, {"sample_percent"}};

}  // namespace switchyard::registry
