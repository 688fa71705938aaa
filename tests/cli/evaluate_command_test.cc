#include "cli/evaluate_command.h"

#include <gtest/gtest.h>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

TEST(ParsePropValueTest, TypesJsonScalarsAndKeepsTheRestAsText) {
  EXPECT_EQ(ParsePropValue("30"), Json(30));
  EXPECT_TRUE(ParsePropValue("30").is_number_integer());
  EXPECT_EQ(ParsePropValue("-1.5"), Json(-1.5));
  EXPECT_EQ(ParsePropValue("1e3"), Json(1000.0));
  EXPECT_EQ(ParsePropValue("true"), Json(true));
  EXPECT_EQ(ParsePropValue("false"), Json(false));
  EXPECT_TRUE(ParsePropValue("null").is_null());
  EXPECT_EQ(ParsePropValue("pro"), Json("pro"));
  EXPECT_EQ(ParsePropValue("007"), Json("007"));
  EXPECT_EQ(ParsePropValue("1.2.3"), Json("1.2.3"));
  EXPECT_EQ(ParsePropValue("True"), Json("True"));
  EXPECT_EQ(ParsePropValue(" 5"), Json(" 5"));
  EXPECT_EQ(ParsePropValue("[1,2]"), Json("[1,2]"));
  EXPECT_EQ(ParsePropValue("{\"a\":1}"), Json("{\"a\":1}"));
  EXPECT_EQ(ParsePropValue("\"quoted\""), Json("\"quoted\""));
  EXPECT_EQ(ParsePropValue(""), Json(""));
}

TEST(ParsePropTest, SplitsAtTheFirstEquals) {
  Result<std::pair<std::string, Json>> prop = ParseProp("email=a=b@example.com");
  ASSERT_TRUE(prop.ok());
  EXPECT_EQ(prop->first, "email");
  EXPECT_EQ(prop->second, Json("a=b@example.com"));
  Result<std::pair<std::string, Json>> empty = ParseProp("note=");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->second, Json(""));
  EXPECT_FALSE(ParseProp("novalue").ok());
  EXPECT_FALSE(ParseProp("=5").ok());
}

TEST(EvaluationTableTest, ShowsValueReasonGroupAndPayload) {
  Json flags = Json::parse(R"({
    "color": {"key": "color", "enabled": true, "value": "blue", "variant": "blue", "payload": {"hex": "#00f"},
              "reason": "condition_match", "condition_index": 1, "version": 2},
    "beta": {"key": "beta", "enabled": false, "value": false, "variant": null, "payload": null,
             "reason": "no_condition_match", "condition_index": null, "version": 1}
  })");
  EXPECT_EQ(RenderEvaluationTable(flags),
            "KEY    VALUE  REASON              GROUP  PAYLOAD\n"
            "beta   false  no_condition_match\n"
            "color  blue   condition_match     1      {\"hex\":\"#00f\"}\n");
}

}  // namespace
}  // namespace switchyard::cli
