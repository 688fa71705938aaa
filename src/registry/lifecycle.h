// The lifecycle of a model version, and the one table of the transitions it allows.
//
//   registered → validated → canary → deployed → deprecated → archived
//
// plus the shortcuts and reverts a release process needs (validated → deployed, canary →
// validated when a canary fails, deprecated → deployed as a revert, anything not deployed →
// archived). Archived is final. Everything else is refused with Conflict naming from and to.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "switchyard/status.h"

namespace switchyard::registry {

enum class ModelState { kRegistered, kValidated, kCanary, kDeployed, kDeprecated, kArchived };

std::string_view ModelStateName(ModelState state);
std::optional<ModelState> ParseModelState(std::string_view name);
// Every state, in lifecycle order (for error messages and docs).
const std::vector<ModelState>& AllModelStates();

bool TransitionAllowed(ModelState from, ModelState to);
// The states `from` may move to, in lifecycle order.
std::vector<ModelState> AllowedTransitions(ModelState from);
// Ok, or Conflict "cannot move a model version from deployed to canary; allowed: deprecated"
// (field "to").
Status CheckTransition(ModelState from, ModelState to);

}  // namespace switchyard::registry
