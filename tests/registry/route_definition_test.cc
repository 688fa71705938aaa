#include "registry/route_definition.h"

#include <gtest/gtest.h>

namespace switchyard::registry {
namespace {

using nlohmann::json;

json RouteBody() {
  return {{"key", "chat-default"},
          {"flag", "chat-model"},
          {"variants", {{"true", "chat@canary"}, {"false", "chat@stable"}}},
          {"default", "chat@1.0.0"},
          {"shadow", {{"model", "chat@latest"}, {"sample_percent", 5}}},
          {"description", "chat traffic"}};
}

std::string FieldOf(const json& body) {
  return RouteFromJson(body).status().field();
}

TEST(RouteDefinitionTest, ReadsAndWritesARoute) {
  auto route = RouteFromJson(RouteBody());
  ASSERT_TRUE(route.ok()) << route.status().ToString();
  EXPECT_EQ(route->variants.at("true"), "chat@canary");
  EXPECT_EQ(route->shadow->sample_percent, 5);
  json out = RouteToJson(*route);
  EXPECT_EQ(out["experiment"], nullptr);
  auto again = RouteFromJson(out);  // GET -> PUT round trip
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(RouteToJson(*again), out);
}

TEST(RouteDefinitionTest, ReferencesNameTheirFields) {
  auto route = RouteFromJson(RouteBody());
  ASSERT_TRUE(route.ok());
  std::vector<std::pair<std::string, std::string>> expected{{"variants.false", "chat@stable"},
                                                            {"variants.true", "chat@canary"},
                                                            {"default", "chat@1.0.0"},
                                                            {"shadow.model", "chat@latest"}};
  EXPECT_EQ(route->References(), expected);
}

TEST(RouteDefinitionTest, ExactlyOneOfFlagAndExperiment) {
  json both = RouteBody();
  both["experiment"] = "exp-1";
  EXPECT_EQ(FieldOf(both), "experiment");
  json neither = RouteBody();
  neither.erase("flag");
  EXPECT_EQ(FieldOf(neither), "flag");
  json experiment = neither;
  experiment["experiment"] = "exp-1";
  EXPECT_TRUE(RouteFromJson(experiment).ok());
}

TEST(RouteDefinitionTest, BadInputNamesTheField) {
  json body = RouteBody();
  body["variants"]["true"] = "chat@";
  EXPECT_EQ(FieldOf(body), "variants.true");
  body = RouteBody();
  body["default"] = "Chat";
  EXPECT_EQ(FieldOf(body), "default");
  body = RouteBody();
  body["shadow"]["sample_percent"] = 101;
  EXPECT_EQ(FieldOf(body), "shadow.sample_percent");
  body = RouteBody();
  body["shadow"].erase("sample_percent");
  EXPECT_EQ(FieldOf(body), "shadow.sample_percent");
  body = RouteBody();
  body["key"] = "Chat Default";
  EXPECT_EQ(FieldOf(body), "key");
  body = RouteBody();
  body["varients"] = json::object();
  Status s = RouteFromJson(body).status();
  EXPECT_EQ(s.field(), "varients");
  EXPECT_NE(s.message().find("did you mean 'variants'"), std::string::npos) << s.message();
}

TEST(RouteDefinitionTest, ShadowAlone) {
  auto shadow = ShadowFromJson({{"model", "chat@2.0.0"}, {"sample_percent", 12.5}}, "");
  ASSERT_TRUE(shadow.ok());
  EXPECT_EQ(shadow->sample_percent, 12.5);
  EXPECT_EQ(ShadowFromJson({{"model", "chat"}, {"sample_percent", -1}}, "").status().field(),
            "sample_percent");
}

}  // namespace
}  // namespace switchyard::registry
