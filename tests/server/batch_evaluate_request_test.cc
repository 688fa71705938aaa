// The batch evaluate body: every user held to the single evaluate limits, errors naming
// users[i].<field>, and the batch's own limits.
#include "server/batch_evaluate_request.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

using nlohmann::json;

json Users(std::size_t n) {
  json users = json::array();
  for (std::size_t i = 0; i < n; ++i) users.push_back({{"distinct_id", "u" + std::to_string(i)}});
  return users;
}

std::string FieldOf(const json& body) {
  auto parsed = ParseBatchEvaluateRequest(body);
  EXPECT_FALSE(parsed.ok()) << body.dump();
  if (parsed.ok()) return "(accepted)";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().field();
}

TEST(BatchEvaluateRequestTest, UsersInOrderWithTheirPropertiesAndTheFlags) {
  auto parsed = ParseBatchEvaluateRequest(
      {{"users", {{{"distinct_id", "b"}, {"properties", {{"plan", "pro"}}}}, {{"distinct_id", "a"}}}},
       {"flags", {"x", "y"}}});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->users.size(), 2u);
  EXPECT_EQ(parsed->users[0].distinct_id, "b");
  EXPECT_EQ(parsed->users[0].properties, (json{{"plan", "pro"}}));
  EXPECT_EQ(parsed->users[1].distinct_id, "a");
  EXPECT_EQ(parsed->users[1].properties, json::object());
  EXPECT_EQ(parsed->flags, (std::vector<std::string>{"x", "y"}));
  EXPECT_FALSE(parsed->project.has_value());
}

TEST(BatchEvaluateRequestTest, AtMostAThousandUsers) {
  EXPECT_TRUE(ParseBatchEvaluateRequest({{"users", Users(kMaxBatchUsers)}}).ok());
  EXPECT_TRUE(ParseBatchEvaluateRequest({{"users", json::array()}}).ok());
  EXPECT_EQ(FieldOf({{"users", Users(kMaxBatchUsers + 1)}}), "users");
  EXPECT_EQ(FieldOf(json::object()), "users");
  EXPECT_EQ(FieldOf({{"users", {{"distinct_id", "u"}}}}), "users");  // an object, not an array
}

TEST(BatchEvaluateRequestTest, ABadUserIsNamedByItsIndex) {
  json users = Users(10);
  users[7]["distinct_id"] = "";
  EXPECT_EQ(FieldOf({{"users", users}}), "users[7].distinct_id");
  users = Users(10);
  users[3] = "u3";
  EXPECT_EQ(FieldOf({{"users", users}}), "users[3]");
  users = Users(10);
  users[4]["properties"] = {{"plan", {{"nested", {1}}}}};
  EXPECT_EQ(FieldOf({{"users", users}}), "users[4].properties.plan");
  users = Users(10);
  users[5]["properties"] = {{"s", std::string(kMaxPropertyStringBytes + 1, 'x')}};
  EXPECT_EQ(FieldOf({{"users", users}}), "users[5].properties.s");
  users = Users(10);
  users[6]["properties"] = "plan=pro";
  EXPECT_EQ(FieldOf({{"users", users}}), "users[6].properties");
  users = Users(10);
  users[2]["flags"] = {"x"};  // flags are the batch's, not a user's
  EXPECT_EQ(FieldOf({{"users", users}}), "users[2].flags");
  users = Users(10);
  users[9]["distinct_id"] = std::string(kMaxDistinctIdBytes + 1, 'd');
  auto parsed = ParseBatchEvaluateRequest({{"users", users}});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().field(), "users[9].distinct_id");
  EXPECT_EQ(parsed.status().message().rfind("users[9]: ", 0), 0u) << parsed.status().message();
}

TEST(BatchEvaluateRequestTest, TopLevelFieldsAndFlagsAreCheckedLikeEvaluate) {
  EXPECT_EQ(FieldOf({{"users", Users(1)}, {"user", Users(1)}}), "user");
  EXPECT_EQ(FieldOf({{"users", Users(1)}, {"flags", {"ok", "not ok"}}}), "flags[1]");
  EXPECT_EQ(FieldOf({{"users", Users(1)}, {"flags", {"a", "a"}}}), "flags[1]");
  EXPECT_EQ(FieldOf({{"users", Users(1)}, {"project", 3}}), "project");
  auto parsed = ParseBatchEvaluateRequest({{"users", Users(1)}, {"project", "mobile"}});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->project, "mobile");
}

}  // namespace
}  // namespace switchyard::server
