// Flags aggregated by group (PostHog's aggregation_group_type_index) and device-id bucketing.
#include <gtest/gtest.h>

#include "core/flag_test_util.h"
#include "switchyard/flag_set.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing_util::BuildSet;
using testing_util::Context;

json CompanyFlag(double rollout) {
  return json{{"key", "company-beta"},
              {"filters",
               {{"aggregation_group_type_index", 0},
                {"groups", json::array({{{"properties", json::array({{{"key", "plan"},
                                                                      {"type", "group"},
                                                                      {"operator", "exact"},
                                                                      {"value", "enterprise"}}})},
                                         {"rollout_percentage", rollout}}})}}}};
}

EvaluationContext WithCompany(std::string user, std::string company, json properties) {
  EvaluationContext context = Context(std::move(user), json{{"plan", "free"}});
  context.groups[0] = EvaluationGroup{std::move(company), std::move(properties)};
  return context;
}

TEST(GroupFlagTest, MatchesOnTheGroupsPropertiesNotThePersons) {
  auto set = BuildSet({CompanyFlag(100)});
  FlagResult result = set->Evaluate("company-beta", WithCompany("u1", "acme", {{"plan", "enterprise"}}));
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kConditionMatch);
  // The person's own "plan" (free) is not what the filter reads.
  EXPECT_FALSE(set->Evaluate("company-beta", WithCompany("u1", "acme", {{"plan", "startup"}})).enabled);
}

TEST(GroupFlagTest, EveryMemberOfAGroupGetsTheGroupsBucket) {
  auto set = BuildSet({CompanyFlag(50)});
  // Bucketing is on the group key: PostHog's hash of "company-beta.<key>".
  for (const char* company : {"acme", "globex", "initech", "umbrella", "hooli"}) {
    const bool expected = BucketHash("company-beta", company) <= 0.5;
    for (const char* user : {"u1", "u2", "u3"}) {
      EXPECT_EQ(set->Evaluate("company-beta", WithCompany(user, company, {{"plan", "enterprise"}})).enabled,
                expected)
          << company << " " << user;
    }
  }
}

TEST(GroupFlagTest, WithoutTheGroupTheFlagIsOffAndSaysWhy) {
  auto set = BuildSet({CompanyFlag(100)});
  FlagResult result = set->Evaluate("company-beta", Context("u1", json{{"plan", "enterprise"}}));
  EXPECT_FALSE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kMissingProperty);
  EXPECT_NE(result.detail.find("group type index 0"), std::string::npos) << result.detail;
}

TEST(GroupFlagTest, PersonFlagsInTheSameCallStillReadThePerson) {
  auto set =
      BuildSet({CompanyFlag(100),
                json{{"key", "pro-users"},
                     {"filters",
                      {{"groups", json::array({{{"properties", json::array({{{"key", "plan"},
                                                                             {"operator", "exact"},
                                                                             {"value", "free"}}})}}})}}}}});
  std::vector<FlagResult> all = set->EvaluateAll(WithCompany("u1", "acme", {{"plan", "enterprise"}}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].enabled);  // company-beta
  EXPECT_TRUE(all[1].enabled);  // pro-users: the person's plan, free
}

TEST(GroupFlagTest, DeviceIdBucketingUsesTheDeviceId) {
  auto set = BuildSet({json{{"key", "device-flag"},
                            {"bucketing_identifier", "device_id"},
                            {"filters", {{"groups", json::array({{{"rollout_percentage", 50}}})}}}}});
  for (const char* device : {"d1", "d2", "d3", "d4", "d5", "d6"}) {
    const bool expected = BucketHash("device-flag", device) <= 0.5;
    EXPECT_EQ(set->Evaluate("device-flag", Context("same-user", json{{"$device_id", device}})).enabled,
              expected)
        << device;
  }
  EXPECT_EQ(set->Evaluate("device-flag", Context("same-user")).reason, Reason::kMissingProperty);
}

}  // namespace
}  // namespace switchyard
