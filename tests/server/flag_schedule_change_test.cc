// What a scheduled change may say, and what it does to a flag record.
#include "server/flag_schedule_change.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

using nlohmann::json;

std::string FieldOf(const json& change) {
  return ValidateScheduleChange(change).field();
}

TEST(FlagScheduleChangeTest, AcceptsExactlyOneKnownChange) {
  EXPECT_TRUE(ValidateScheduleChange({{"active", true}}).ok());
  EXPECT_TRUE(ValidateScheduleChange({{"rollout_percentage", 12.5}}).ok());
  EXPECT_EQ(FieldOf(json::object()), "change");
  EXPECT_EQ(FieldOf({{"active", true}, {"rollout_percentage", 5}}), "change");
  EXPECT_EQ(FieldOf(json::array()), "change");
  EXPECT_EQ(FieldOf({{"active", "yes"}}), "change.active");
  EXPECT_EQ(FieldOf({{"rollout_percentage", -1}}), "change.rollout_percentage");
  EXPECT_EQ(FieldOf({{"rollout_percentage", 100.5}}), "change.rollout_percentage");
  Status typo = ValidateScheduleChange({{"rolout_percentage", 5}});
  EXPECT_EQ(typo.field(), "change.rolout_percentage");
  EXPECT_NE(typo.message().find("rollout_percentage"), std::string::npos) << typo.message();
}

TEST(FlagScheduleChangeTest, AppliesToTheTargetsOnly) {
  store::FlagRecord record;
  record.environments["staging"].groups.resize(2);
  record.environments["production"].active = true;
  ApplyScheduleChange({{"rollout_percentage", 30}}, {"staging", "production"}, record);
  EXPECT_EQ(record.environments["staging"].groups.size(), 2u);
  for (const auto& group : record.environments["staging"].groups) EXPECT_EQ(group.rollout_percentage, 30.0);
  // No groups: one matching everyone, as `flags rollout` does.
  ASSERT_EQ(record.environments["production"].groups.size(), 1u);
  EXPECT_EQ(record.environments["production"].groups[0].rollout_percentage, 30.0);

  ApplyScheduleChange({{"active", false}}, {"production"}, record);
  EXPECT_FALSE(record.environments["production"].active);
  EXPECT_EQ(DescribeScheduleChange({{"active", true}}), "enable");
  EXPECT_EQ(DescribeScheduleChange({{"rollout_percentage", 30}}), "rollout 30 %");
}

}  // namespace
}  // namespace switchyard::server
