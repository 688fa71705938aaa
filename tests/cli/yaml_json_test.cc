#include "cli/yaml_json.h"

#include <gtest/gtest.h>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

Json MustParse(const std::string& text) {
  Result<Json> parsed = ParseYaml(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : Json();
}

TEST(PlainScalarTest, FollowsTheYaml12CoreSchema) {
  EXPECT_EQ(PlainScalarToJson("123"), Json(123));
  EXPECT_TRUE(PlainScalarToJson("123").is_number_integer());
  EXPECT_EQ(PlainScalarToJson("-7"), Json(-7));
  EXPECT_EQ(PlainScalarToJson("0x1F"), Json(31));
  EXPECT_EQ(PlainScalarToJson("0o17"), Json(15));
  EXPECT_TRUE(PlainScalarToJson("2.5").is_number_float());
  EXPECT_DOUBLE_EQ(PlainScalarToJson("2.5").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(PlainScalarToJson("1e3").get<double>(), 1000.0);
  EXPECT_EQ(PlainScalarToJson("true"), Json(true));
  EXPECT_EQ(PlainScalarToJson("FALSE"), Json(false));
  EXPECT_TRUE(PlainScalarToJson("~").is_null());
  EXPECT_TRUE(PlainScalarToJson("null").is_null());
  // YAML 1.1 booleans stay strings: the "Norway problem".
  EXPECT_EQ(PlainScalarToJson("no"), Json("no"));
  EXPECT_EQ(PlainScalarToJson("yes"), Json("yes"));
  EXPECT_EQ(PlainScalarToJson("1.2.3"), Json("1.2.3"));
  EXPECT_EQ(PlainScalarToJson("12abc"), Json("12abc"));
}

TEST(PlainScalarTest, HugeIntegersDoNotWrap) {
  EXPECT_EQ(PlainScalarToJson("9223372036854775807"), Json(INT64_MAX));
  EXPECT_EQ(PlainScalarToJson("-9223372036854775808"), Json(INT64_MIN));
  EXPECT_EQ(PlainScalarToJson("18446744073709551615"), Json(UINT64_MAX));
  EXPECT_TRUE(PlainScalarToJson("99999999999999999999999").is_number_float());
}

TEST(YamlToJsonTest, QuotedScalarsStayStrings) {
  Json doc = MustParse("a: \"123\"\nb: '1.5'\nc: \"true\"\nd: 'null'\ne: !!str 42\nf: 123\ng: ''\n");
  EXPECT_EQ(doc["a"], Json("123"));
  EXPECT_EQ(doc["b"], Json("1.5"));
  EXPECT_EQ(doc["c"], Json("true"));
  EXPECT_EQ(doc["d"], Json("null"));
  EXPECT_EQ(doc["e"], Json("42"));
  EXPECT_EQ(doc["f"], Json(123));
  EXPECT_EQ(doc["g"], Json(""));
}

TEST(YamlToJsonTest, ConvertsNestedStructures) {
  Json doc = MustParse(R"(
# a comment
project: default
flags:
  - key: new-checkout
    tags: [checkout, web]
    active: true
    empty:
    filters:
      groups:
        - properties: []
          rollout_percentage: 50
          variant: null
      payloads: {"true": {"color": blue}}
)");
  Json expected = Json::parse(R"({
    "project": "default",
    "flags": [{"key": "new-checkout", "tags": ["checkout", "web"], "active": true, "empty": null,
               "filters": {"groups": [{"properties": [], "rollout_percentage": 50, "variant": null}],
                           "payloads": {"true": {"color": "blue"}}}}]})");
  EXPECT_EQ(doc, expected);
}

TEST(YamlToJsonTest, AcceptsJsonText) {
  Json doc = MustParse(R"({"key": "k", "n": 1.5, "list": [1, "2", null, false]})");
  EXPECT_EQ(doc, Json::parse(R"({"key": "k", "n": 1.5, "list": [1, "2", null, false]})"));
}

TEST(YamlToJsonTest, ReportsSyntaxErrorsWithLine) {
  Result<Json> parsed = ParseYaml("a: 1\nb: [1, 2\nc: 3\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("line"), std::string::npos) << parsed.status().message();
}

TEST(YamlToJsonTest, RejectsDuplicateKeysAndNonFiniteNumbers) {
  Result<Json> dup = ParseYaml("a: 1\na: 2\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("duplicate"), std::string::npos);
  EXPECT_NE(dup.status().message().find("line 2"), std::string::npos) << dup.status().message();
  EXPECT_FALSE(ParseYaml("a: .inf\n").ok());
  EXPECT_FALSE(ParseYaml("a: .nan\n").ok());
}

TEST(YamlToJsonTest, RejectsNonScalarKeys) {
  EXPECT_FALSE(ParseYaml("? [a, b]\n: 1\n").ok());
}

TEST(JsonToYamlTest, RoundTripsTypesExactly) {
  Json original = Json::parse(R"({
    "ints": [0, -1, 42, 9223372036854775807],
    "floats": [0.1, 50.0, 1e100, -2.5],
    "strings": ["123", "1.5", "true", "false", "null", "~", "", "yes", "a: b", "- x", "#hash",
                "[x]", "with, comma", "multi\nline", "  padded  ", "ünïcödé", "0x10", "0o7", ".inf"],
    "bools": [true, false],
    "null": null,
    "empty_list": [],
    "empty_map": {},
    "true": {"nested": [{"a": 1}, {"b": [2, 3]}]},
    "123": "numeric key"
  })");
  std::string yaml = JsonToYaml(original);
  Result<Json> back = ParseYaml(yaml);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << yaml;
  EXPECT_EQ(*back, original) << yaml;
  // Integer-ness survives: 50.0 stays a float and 42 an integer.
  EXPECT_TRUE((*back)["floats"][1].is_number_float());
  EXPECT_TRUE((*back)["ints"][2].is_number_integer());
}

TEST(JsonToYamlTest, WritesReadableBlockYaml) {
  Json flag = Json::parse(R"({"key": "k", "tags": ["a", "b"], "rollout": 50})");
  EXPECT_EQ(JsonToYaml(flag), "key: k\nrollout: 50\ntags: [a, b]\n");
}

}  // namespace
}  // namespace switchyard::cli
