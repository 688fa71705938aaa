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
  payload.payloads = {R"({"x": 1})"};  // the boolean form: which variant is meant?
  Status status = ApplyEdits(payload, &flag);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "--payload");
  EXPECT_NE(status.message().find("VARIANT=JSON"), std::string::npos) << status.message();
}

TEST(ApplyEditsTest, PayloadGoesUnderTrueAndMustBeJson) {
  Json flag = NewFlag("k");
  FlagEdits edits;
  edits.payloads = {R"({"color": "blue"})"};
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["filters"]["payloads"]["true"], Json::parse(R"({"color": "blue"})"));
  edits.payloads = {"true=[1, 2]"};
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["filters"]["payloads"]["true"], Json::parse("[1, 2]"));
  edits.payloads = {"{not json"};
  EXPECT_FALSE(ApplyEdits(edits, &flag).ok());
  edits.payloads = {"control=1"};
  Status not_a_variant = ApplyEdits(edits, &flag);
  EXPECT_EQ(not_a_variant.field(), "--payload");
  EXPECT_NE(not_a_variant.message().find("true=JSON"), std::string::npos) << not_a_variant.message();
}

TEST(ApplyEditsTest, PayloadsPerVariantAfterTheVariantsAreSet) {
  Json flag = NewFlag("k");
  FlagEdits edits;
  edits.variants = {"control=50", "test=50"};
  edits.payloads = {R"(test={"model": "gpt-4o-mini"})", "control=\"a=b\"", "test=3"};
  ASSERT_TRUE(ApplyEdits(edits, &flag).ok());
  EXPECT_EQ(flag["filters"]["payloads"], Json::parse(R"({"control": "a=b", "test": 3})"));

  FlagEdits removal;
  removal.payloads = {"test=null"};
  ASSERT_TRUE(ApplyEdits(removal, &flag).ok());
  EXPECT_EQ(flag["filters"]["payloads"], Json::parse(R"({"control": "a=b"})"));

  FlagEdits unknown;
  unknown.payloads = {"tset=1"};
  Status status = ApplyEdits(unknown, &flag);
  EXPECT_EQ(status.field(), "--payload");
  EXPECT_NE(status.message().find("'tset' is not a variant of this flag (variants: control, test)"),
            std::string::npos)
      << status.message();
  FlagEdits bad_json;
  bad_json.payloads = {"test={nope"};
  status = ApplyEdits(bad_json, &flag);
  EXPECT_NE(status.message().find("payload for 'test' is not valid JSON: '{nope'"), std::string::npos)
      << status.message();
}

TEST(ParsePayloadTest, VariantPrefixOrBareJson) {
  EXPECT_EQ(ParsePayload(R"(a={"x":"y=z"})")->variant, "a");
  EXPECT_EQ(ParsePayload(R"(a={"x":"y=z"})")->value, Json::parse(R"({"x":"y=z"})"));
  // JSON that holds '=' is still bare JSON when it starts like JSON.
  EXPECT_EQ(ParsePayload(R"({"x":"y=z"})")->variant, "");
  EXPECT_EQ(ParsePayload(R"("a=b")")->value, "a=b");
  EXPECT_EQ(ParsePayload("42")->value, 42);
  EXPECT_EQ(ParsePayload("true=false")->variant, "true");
  EXPECT_EQ(ParsePayload("true=false")->value, false);
  EXPECT_FALSE(ParsePayload("a=").ok());
  EXPECT_FALSE(ParsePayload("").ok());
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
