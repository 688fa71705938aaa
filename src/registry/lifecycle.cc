#include "registry/lifecycle.h"

#include <array>
#include <string>

namespace switchyard::registry {
namespace {

constexpr std::size_t kStates = 6;

// kAllowed[from][to]. Deployed is left only through deprecated, so a live version is never
// archived in one step; deprecated → deployed is the revert after a bad replacement.
constexpr std::array<std::array<bool, kStates>, kStates> kAllowed{{
    //  registered validated canary deployed deprecated archived
    {false, true, true, false, true, true},      // registered
    {false, false, true, true, true, true},      // validated
    {false, true, false, true, true, true},      // canary
    {false, false, false, false, true, false},   // deployed
    {false, false, false, true, false, true},    // deprecated
    {false, false, false, false, false, false},  // archived
}};

constexpr std::array<std::string_view, kStates> kNames{"registered", "validated",  "canary",
                                                       "deployed",   "deprecated", "archived"};

std::size_t Index(ModelState state) {
  return static_cast<std::size_t>(state);
}

}  // namespace

std::string_view ModelStateName(ModelState state) {
  return kNames[Index(state)];
}

std::optional<ModelState> ParseModelState(std::string_view name) {
  for (std::size_t i = 0; i < kStates; ++i)
    if (kNames[i] == name) return static_cast<ModelState>(i);
  return std::nullopt;
}

const std::vector<ModelState>& AllModelStates() {
  static const std::vector<ModelState> states{ModelState::kRegistered, ModelState::kValidated,
                                              ModelState::kCanary,     ModelState::kDeployed,
                                              ModelState::kDeprecated, ModelState::kArchived};
  return states;
}

bool TransitionAllowed(ModelState from, ModelState to) {
  return kAllowed[Index(from)][Index(to)];
}

std::vector<ModelState> AllowedTransitions(ModelState from) {
  std::vector<ModelState> out;
  for (ModelState to : AllModelStates())
    if (TransitionAllowed(from, to)) out.push_back(to);
  return out;
}

Status CheckTransition(ModelState from, ModelState to) {
  if (TransitionAllowed(from, to)) return Status::Ok();
  std::string allowed;
  for (ModelState next : AllowedTransitions(from)) {
    if (!allowed.empty()) allowed += ", ";
    allowed += ModelStateName(next);
  }
  return Status::Conflict("cannot move a model version from " + std::string(ModelStateName(from)) + " to " +
                              std::string(ModelStateName(to)) +
                              (allowed.empty() ? "; it is final" : "; allowed: " + allowed),
                          "to");
}

}  // namespace switchyard::registry
