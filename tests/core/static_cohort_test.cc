// Static cohorts: lists of distinct ids, usable with in / not_in like dynamic ones.
#include <gtest/gtest.h>

#include "core/flag_test_util.h"
#include "switchyard/flag_json.h"
#include "switchyard/flag_set.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing_util::BuildSet;
using testing_util::Context;

json CohortFlag(const std::string& op) {
  return json{{"key", "beta-" + op},
              {"filters",
               {{"groups", json::array({{{"properties", json::array({{{"key", "testers"},
                                                                      {"type", "cohort"},
                                                                      {"operator", op},
                                                                      {"value", "testers"}}})}}})}}}};
}

TEST(StaticCohortTest, MembershipIsTheListOfDistinctIds) {
  json cohort{{"id", "testers"}, {"is_static", true}, {"members", {"zoe", "ada", "ada"}}};
  auto set = BuildSet({CohortFlag("in"), CohortFlag("not_in")}, {cohort});
  EXPECT_TRUE(set->Evaluate("beta-in", Context("ada")).enabled);
  EXPECT_FALSE(set->Evaluate("beta-in", Context("bob", json{{"plan", "pro"}})).enabled);
  EXPECT_FALSE(set->Evaluate("beta-not_in", Context("zoe")).enabled);
  EXPECT_TRUE(set->Evaluate("beta-not_in", Context("bob")).enabled);
}

TEST(StaticCohortTest, JsonKeepsASortedUniqueListAndRefusesBadOnes) {
  Result<Cohort> cohort =
      CohortFromJson(json{{"id", "t"}, {"is_static", true}, {"members", {"b", "a", "b"}}});
  ASSERT_TRUE(cohort.ok()) << cohort.status().ToString();
  EXPECT_EQ(cohort->members, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(CohortToJson(*cohort)["members"], (json{"a", "b"}));
  EXPECT_EQ(CohortFromJson(json{{"id", "t"}, {"is_static", true}, {"members", {"a", 7}}}).status().field(),
            "members[1]");
  EXPECT_EQ(CohortFromJson(json{{"id", "t"}, {"members", {"a"}}}).status().field(), "members");
  json too_many = json::array();
  for (std::size_t i = 0; i <= kMaxStaticCohortMembers; ++i) too_many.push_back("u" + std::to_string(i));
  EXPECT_EQ(CohortFromJson(json{{"id", "t"}, {"is_static", true}, {"members", too_many}}).status().field(),
            "members");
}

}  // namespace
}  // namespace switchyard
