#include "registry/lifecycle.h"

#include <gtest/gtest.h>

namespace switchyard::registry {
namespace {

using S = ModelState;

TEST(LifecycleTest, TheForwardPathIsAllowed) {
  EXPECT_TRUE(TransitionAllowed(S::kRegistered, S::kValidated));
  EXPECT_TRUE(TransitionAllowed(S::kValidated, S::kCanary));
  EXPECT_TRUE(TransitionAllowed(S::kCanary, S::kDeployed));
  EXPECT_TRUE(TransitionAllowed(S::kDeployed, S::kDeprecated));
  EXPECT_TRUE(TransitionAllowed(S::kDeprecated, S::kArchived));
}

TEST(LifecycleTest, ShortcutsAndRevertsThatAReleaseNeeds) {
  EXPECT_TRUE(TransitionAllowed(S::kValidated, S::kDeployed));   // no canary
  EXPECT_TRUE(TransitionAllowed(S::kCanary, S::kValidated));     // canary failed
  EXPECT_TRUE(TransitionAllowed(S::kDeprecated, S::kDeployed));  // revert
  EXPECT_TRUE(TransitionAllowed(S::kRegistered, S::kArchived));  // never used
}

TEST(LifecycleTest, RefusedTransitions) {
  EXPECT_FALSE(TransitionAllowed(S::kRegistered, S::kDeployed));  // unvalidated
  EXPECT_FALSE(TransitionAllowed(S::kDeployed, S::kCanary));
  EXPECT_FALSE(TransitionAllowed(S::kDeployed, S::kArchived));  // deprecate first
  for (S to : AllModelStates()) {
    EXPECT_FALSE(TransitionAllowed(S::kArchived, to)) << ModelStateName(to);  // final
    EXPECT_FALSE(TransitionAllowed(to, to)) << ModelStateName(to);            // no self-moves
  }
}

TEST(LifecycleTest, ARefusalIsAConflictNamingFromAndTo) {
  Status refused = CheckTransition(S::kDeployed, S::kCanary);
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_EQ(refused.field(), "to");
  EXPECT_EQ(refused.message(), "cannot move a model version from deployed to canary; allowed: deprecated");
  EXPECT_NE(CheckTransition(S::kArchived, S::kDeployed).message().find("final"), std::string::npos);
  EXPECT_TRUE(CheckTransition(S::kCanary, S::kDeployed).ok());
}

TEST(LifecycleTest, NamesRoundTrip) {
  for (S state : AllModelStates()) EXPECT_EQ(ParseModelState(ModelStateName(state)), state);
  EXPECT_FALSE(ParseModelState("live").has_value());
}

}  // namespace
}  // namespace switchyard::registry
