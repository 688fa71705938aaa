#include "registry/retention.h"

#include <gtest/gtest.h>

namespace switchyard::registry {
namespace {

ModelVersion Version(const std::string& version, ModelState state = ModelState::kValidated) {
  ModelVersion model;
  model.name = "chat";
  model.version = version;
  model.state = state;
  return model;
}

using Strings = std::vector<std::string>;

TEST(RetentionTest, KeepsTheNewestNAndArchivesTheRest) {
  std::vector<ModelVersion> versions{Version("1.2.0"), Version("1.10.0"), Version("1.9.0"), Version("0.1.0")};
  RetentionPlan plan = PlanRetention(versions, {}, 2);
  EXPECT_EQ(plan.kept, (Strings{"1.10.0", "1.9.0"}));
  EXPECT_EQ(plan.archive, (Strings{"1.2.0", "0.1.0"}));
  EXPECT_TRUE(plan.spared.empty());
}

TEST(RetentionTest, ArchivedVersionsDoNotCountTowardsKeep) {
  std::vector<ModelVersion> versions{Version("3.0.0", ModelState::kArchived), Version("2.0.0"),
                                     Version("1.0.0")};
  RetentionPlan plan = PlanRetention(versions, {}, 1);
  EXPECT_EQ(plan.kept, (Strings{"2.0.0"}));
  EXPECT_EQ(plan.archive, (Strings{"1.0.0"}));
}

TEST(RetentionTest, AliasTargetsAndDeployedVersionsAreSpared) {
  std::vector<ModelVersion> versions{Version("4.0.0"), Version("3.0.0"),
                                     Version("2.0.0", ModelState::kDeployed), Version("1.0.0")};
  RetentionPlan plan = PlanRetention(versions, {"3.0.0"}, 1);
  EXPECT_EQ(plan.archive, (Strings{"1.0.0"}));
  EXPECT_EQ(plan.kept, (Strings{"4.0.0", "3.0.0", "2.0.0"}));
  ASSERT_EQ(plan.spared.size(), 2u);
  EXPECT_EQ(plan.spared[0].first, "3.0.0");
  EXPECT_EQ(plan.spared[1].first, "2.0.0");
}

TEST(RetentionTest, KeepIsBounded) {
  EXPECT_EQ(ValidateRetentionKeep(0).field(), "keep");
  EXPECT_TRUE(ValidateRetentionKeep(1).ok());
  EXPECT_FALSE(ValidateRetentionKeep(kMaxRetentionKeep + 1).ok());
}

}  // namespace
}  // namespace switchyard::registry
