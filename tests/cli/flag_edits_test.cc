#include "cli/flag_edits.h"

#include <gtest/gtest.h>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

TEST(NewFlagTest, IsABooleanFlagForEveryone) {
  EXPECT_EQ(NewFlag("k"), Json::parse(R"({"key": "k", "active": true,
      "filters": {"groups": [{"properties": [], "rollout_percentage": null}]}})"));
}

TEST(ParseVariantTest, AcceptsKeyEqualsPercentage) {
  Result<Json> variant = ParseVariant("control=33.5");
  ASSERT_TRUE(variant.ok());
  EXPECT_EQ(*variant, Json::parse(R"({"key": "control", "name": "control", "rollout_percentage": 33.5})"));
  EXPECT_TRUE((*ParseVariant("a=50"))["rollout_percentage"].is_number_integer());
  EXPECT_EQ((*ParseVariant("a=b=10"))["key"], "a=b");  // the last '=' separates
}

TEST(ParseVariantTest, RejectsMalformedSpecs) {
  for (const char* spec : {"control", "=50", "a=", "a=x", "a=101", "a=-1", "a=50%"}) {
    Result<Json> variant = ParseVariant(spec);
    EXPECT_FALSE(variant.ok()) << spec;
    if (!variant.ok()) {
      EXPECT_EQ(variant.status().field(), "--variant");
    }
  }
}

TEST(ApplyEditsTest, SetsScalarFieldsAndTags) {
  Json flag = NewFlag("k");
  FlagEdits edits;
  edits.name = "Name";
  edits.description = "Why";
  edits.tags = std::vector<std::string>{"a", "b"};
  edits.active = false;
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["name"], "Name");
  EXPECT_EQ(flag["description"], "Why");
  EXPECT_EQ(flag["tags"], Json::parse(R"(["a", "b"])"));
  EXPECT_EQ(flag["active"], false);
}

TEST(ApplyEditsTest, RolloutAppliesToEveryGroupOrCreatesOne) {
  Json flag = Json::parse(R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 10}, {}]}})");
  FlagEdits edits;
  edits.rollout = 25;
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["filters"]["groups"][0]["rollout_percentage"], 25);
  EXPECT_EQ(flag["filters"]["groups"][1]["rollout_percentage"], 25);

  Json empty = Json::parse(R"({"key": "k"})");
  ASSERT_TRUE(ApplyEdits(edits, &empty).ok());
  EXPECT_EQ(empty["filters"]["groups"], Json::parse(R"([{"properties": [], "rollout_percentage": 25}])"));
}

TEST(ApplyEditsTest, VariantsMakeTheFlagMultivariate) {
  Json flag = NewFlag("k");
  FlagEdits edits;
  edits.variants = {"a=60", "b=40"};
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["filters"]["multivariate"]["variants"].size(), 2u);
  EXPECT_EQ(flag["filters"]["multivariate"]["variants"][1]["key"], "b");

  FlagEdits payload;
  payload.payload = R"({"x": 1})";
  Status status = ApplyEdits(payload, &flag);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "--payload");
}

TEST(ApplyEditsTest, PayloadGoesUnderTrueAndMustBeJson) {
  Json flag = NewFlag("k");
  FlagEdits edits;
  edits.payload = R"({"color": "blue"})";
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["filters"]["payloads"]["true"], Json::parse(R"({"color": "blue"})"));
  edits.payload = "{not json";
  EXPECT_FALSE(ApplyEdits(edits, &flag).ok());
}

TEST(ApplyEditsTest, KeepsFieldsItDoesNotKnow) {
  Json flag = Json::parse(R"({"key": "k", "bucketing_property": "$device_id", "future": [1]})");
  FlagEdits edits;
  edits.name = "n";
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["bucketing_property"], "$device_id");
  EXPECT_EQ(flag["future"], Json::parse("[1]"));
  EXPECT_TRUE(FlagEdits{}.empty());
  EXPECT_FALSE(edits.empty());
}

TEST(SelectFlagDefinitionTest, FillsOrChecksTheKey) {
  EXPECT_EQ((*SelectFlagDefinition(Json::parse(R"({"name": "n"})"), "k"))["key"], "k");
  EXPECT_TRUE(SelectFlagDefinition(Json::parse(R"({"key": "k"})"), "k").ok());
  Result<Json> mismatch = SelectFlagDefinition(Json::parse(R"({"key": "other"})"), "k");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().field(), "--file");
  EXPECT_FALSE(SelectFlagDefinition(Json::parse("[1]"), "k").ok());
}

TEST(SelectFlagDefinitionTest, PicksFromAFlagsAsCodeDocument) {
  Json doc =
      Json::parse(R"({"project": "p", "flags": [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}]})");
  EXPECT_EQ((*SelectFlagDefinition(doc, "b"))["name"], "B");
  EXPECT_FALSE(SelectFlagDefinition(doc, "c").ok());
}

TEST(WithoutServerFieldsTest, DropsVersionAndTimestamps) {
  Json flag =
      Json::parse(R"({"key": "k", "version": 3, "created_at": "t", "updated_at": "t", "updated_by": "u"})");
  EXPECT_EQ(WithoutServerFields(flag), Json::parse(R"({"key": "k"})"));
}

}  // namespace
}  // namespace switchyard::cli
