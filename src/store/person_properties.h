// Person property updates ($set / $set_once / $unset), shared by every backend so the merge rules
// are written once. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::store {

// Each of `set` and `set_once` is null or an object, `unset` null or an array of strings;
// otherwise InvalidArgument on field "$set", "$set_once" or "$unset".
Status ValidatePersonUpdate(const nlohmann::json& set, const nlohmann::json& set_once,
                            const nlohmann::json& unset);

// Applies a validated update in PostHog's order: `set_once` fills keys absent before the call,
// then `set` overwrites, then `unset` removes (so a key both set and unset ends up absent).
void ApplyPersonUpdate(const nlohmann::json& set, const nlohmann::json& set_once, const nlohmann::json& unset,
                       nlohmann::json* properties);

// Two persons becoming one: `absorbed`'s properties fill the keys `into` lacks (the person the
// merge keeps wins on a clash, as PostHog's merge does).
void MergePersonProperties(const nlohmann::json& absorbed, nlohmann::json* into);

// Replacement properties must be an object; InvalidArgument on field "properties".
Status ValidatePersonProperties(const nlohmann::json& properties);

}  // namespace switchyard::store
