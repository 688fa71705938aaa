// The project token found where PostHog SDKs put it, and nowhere else.
#include "server/body_token.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

TEST(BodyTokenTest, TopLevelTokenOrApiKey) {
  EXPECT_EQ(FindBodyToken(R"({"api_key":"k1","batch":[]})"), "k1");
  EXPECT_EQ(FindBodyToken(R"({"distinct_id":"u","token":"k2"})"), "k2");
}

TEST(BodyTokenTest, PropertiesOfOneEventOrOfTheFirstEventOfAnArray) {
  EXPECT_EQ(FindBodyToken(R"({"event":"e","properties":{"x":[1,{"token":"no"}],"token":"k3"}})"), "k3");
  EXPECT_EQ(FindBodyToken(
                R"([{"event":"e","properties":{"a":{"b":1},"token":"k4"}},{"properties":{"token":"k5"}}])"),
            "k4");
  EXPECT_EQ(FindBodyToken(R"([{"event":"e","api_key":"k6"}])"), "k6");
}

// The shortcut for a body that opens with its token answers what the full pass answers.
TEST(BodyTokenTest, LeadingTokenAsTheFullPassReadsIt) {
  EXPECT_EQ(FindBodyToken(R"({"token":"k8","distinct_id":"u"})"), "k8");
  EXPECT_EQ(FindBodyToken(" {\n \"api_key\" : \"k9\" ,\"batch\":[]}"), "k9");
  EXPECT_EQ(FindBodyToken(R"({"token":"k\u0031"})"), "k1");  // an escape: the full pass decodes it
  EXPECT_EQ(FindBodyToken(R"({"token":"k\"q"})"), "k\"q");
  EXPECT_EQ(FindBodyToken("{\"token\":\"k\tx\"}"), "");  // a raw tab is not JSON
  EXPECT_EQ(FindBodyToken(R"({"token":"unterminated)"), "");
  EXPECT_EQ(FindBodyToken(R"({"token":"")"), "");
  EXPECT_EQ(FindBodyToken(R"({"token":"","x":1})"), "");
  EXPECT_EQ(FindBodyToken(R"({"tokens":"no","token":"k10"})"), "k10");
}

TEST(BodyTokenTest, NothingElseCounts) {
  EXPECT_EQ(FindBodyToken(R"({"person_properties":{"token":"no"},"groups":{"token":"no"}})"), "");
  EXPECT_EQ(FindBodyToken(R"([{"event":"e"},{"properties":{"token":"later"}}])"), "");
  EXPECT_EQ(FindBodyToken(R"({"token":5})"), "");
  EXPECT_EQ(FindBodyToken(R"({"a":{"token":"nested"}})"), "");
  EXPECT_EQ(FindBodyToken(R"(["k7"])"), "");
  EXPECT_EQ(FindBodyToken("not json"), "");
  EXPECT_EQ(FindBodyToken(""), "");
}

}  // namespace
}  // namespace switchyard::server
