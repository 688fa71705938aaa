// /flags bodies as posthog-node and posthog-js send them, and the answer version each asks for.
#include "server/posthog_flags_request.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

using nlohmann::json;

Request WithTarget(const std::string& target) {
  Request request;
  request.target = target;
  ParseTarget(target, &request.path, &request.query);
  return request;
}

TEST(PostHogFlagsRequestTest, PosthogNodeBody) {
  auto parsed = ParsePostHogFlagsRequest({{"token", "sy_proj_x"},
                                          {"distinct_id", "u1"},
                                          {"groups", {{"company", "acme"}}},
                                          {"person_properties", {{"plan", "pro"}}},
                                          {"group_properties", {{"company", {{"size", 5}}}}},
                                          {"flag_keys_to_evaluate", {"a", "b"}},
                                          {"evaluation_runtime", "server"},
                                          {"geoip_disable", true}});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->evaluate.distinct_id, "u1");
  EXPECT_EQ(parsed->evaluate.properties, json({{"plan", "pro"}}));
  EXPECT_EQ(parsed->evaluate.flags, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(parsed->disable_flags);
}

TEST(PostHogFlagsRequestTest, PosthogJsBodyWithItsOwnFieldNames) {
  auto parsed = ParsePostHogFlagsRequest({{"token", "sy_proj_x"},
                                          {"distinct_id", 12345},
                                          {"$anon_distinct_id", "anon"},
                                          {"$device_id", "dev"},
                                          {"person_properties", nullptr},
                                          {"flag_keys", {"a"}},
                                          {"timezone", "Europe/Paris"},
                                          {"disable_flags", true}});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->evaluate.distinct_id, "12345");
  EXPECT_EQ(parsed->evaluate.flags, (std::vector<std::string>{"a"}));
  EXPECT_TRUE(parsed->disable_flags);
  EXPECT_FALSE(ParsePostHogFlagsRequest({{"distinct_id", "u"}})->evaluate.flags.has_value());
}

TEST(PostHogFlagsRequestTest, ErrorsNameThePostHogField) {
  EXPECT_EQ(ParsePostHogFlagsRequest({{"token", "x"}}).status().field(), "distinct_id");
  EXPECT_EQ(ParsePostHogFlagsRequest({{"distinct_id", ""}}).status().field(), "distinct_id");
  EXPECT_EQ(ParsePostHogFlagsRequest({{"distinct_id", "u"}, {"person_properties", 3}}).status().field(),
            "person_properties");
  EXPECT_EQ(
      ParsePostHogFlagsRequest({{"distinct_id", "u"}, {"flag_keys_to_evaluate", {"a", 3}}}).status().field(),
      "flag_keys_to_evaluate[1]");
  EXPECT_EQ(ParsePostHogFlagsRequest({{"distinct_id", "u"}, {"flag_keys", "a"}}).status().field(),
            "flag_keys");
  EXPECT_EQ(ParsePostHogFlagsRequest({{"distinct_id", "u"}, {"disable_flags", "yes"}}).status().field(),
            "disable_flags");
  EXPECT_EQ(ParsePostHogFlagsRequest(json::array()).status().field(), "body");
}

TEST(PostHogFlagsRequestTest, AnswerVersions) {
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/flags"), false), 1);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/flags/?v=1"), false), 1);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/flags/?v=2&config=true"), false), 2);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/flags/?v=4"), false), 2);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/flags/?v=x"), false), 1);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/decide/?v=3"), true), 1);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/decide/?v=4"), true), 2);
  EXPECT_EQ(PostHogAnswerVersion(WithTarget("/decide/"), true), 1);
}

}  // namespace
}  // namespace switchyard::server
