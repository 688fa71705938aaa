// Strict input: every object of the flag and cohort wire forms refuses a member it does not know,
// naming it with its path and the closest known name; what a GET returns and PostHog's unused
// features still go through.
#include "core/known_fields.h"

#include <gtest/gtest.h>

#include "switchyard/flag_json.h"

namespace switchyard::core {
namespace {

Json ValidFlag() {
  return Json::parse(R"({
    "key": "checkout", "active": true,
    "filters": {
      "groups": [{"properties": [{"key": "plan", "type": "person", "operator": "exact", "value": "pro"}],
                  "rollout_percentage": 30, "variant": null}],
      "multivariate": {"variants": [{"key": "control", "name": "", "rollout_percentage": 50},
                                    {"key": "test", "name": "", "rollout_percentage": 50}]},
      "payloads": {"test": {"a": 1}}
    }
  })");
}

Status FlagError(const Json& flag) {
  return FlagFromJson(flag).status();
}

TEST(CheckFieldsTest, UnknownFieldNamesPathAndSuggestion) {
  Status s = CheckFields(Json{{"rolout_percentage", 30}}, "filters.groups[0]", kConditionGroupFields);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "unknown field 'rolout_percentage' in filters.groups[0]; did you mean 'rollout_percentage'?");
  EXPECT_EQ(s.field(), "filters.groups[0].rolout_percentage");
}

TEST(CheckFieldsTest, TopLevelUnknownFieldHasNoPathPrefix) {
  Status s = CheckFields(Json{{"activ", false}}, "", kFlagFields);
  EXPECT_EQ(s.message(), "unknown field 'activ'; did you mean 'active'?");
  EXPECT_EQ(s.field(), "activ");
}

TEST(CheckFieldsTest, WithoutAPlausibleNameListsWhatIsExpected) {
  Status s = CheckFields(Json{{"colour", "red"}}, "", kEvaluateRequestFields);
  EXPECT_EQ(
      s.message(),
      "unknown field 'colour'; expected distinct_id, properties, flags, project, environment, groups or "
      "group_properties");
  EXPECT_EQ(s.field(), "colour");
}

TEST(CheckFieldsTest, OnlyClientFieldsAreSuggested) {
  // "updated_byy" is one edit from updated_by, which the server ignores: suggesting it would help no one.
  Status s = CheckFields(Json{{"updated_byy", "x"}}, "", kFlagFields);
  EXPECT_EQ(s.message().find("did you mean"), std::string::npos) << s.message();
}

TEST(CheckFieldsTest, AQuotedNameIsCut) {
  const std::string huge(10000, 'z');
  Status s = CheckFields(Json{{huge, 1}}, "", kFlagFields);
  EXPECT_FALSE(s.ok());
  EXPECT_LT(s.message().size(), 300u);
  EXPECT_LT(s.field().size(), 100u);
}

TEST(CheckFieldsTest, KnownFieldsPass) {
  EXPECT_TRUE(
      CheckFields(Json{{"percentage", 5}, {"group", 0}, {"version", 2}}, "", kFlagRolloutFields).ok());
  EXPECT_TRUE(CheckFields(Json::object(), "", kFlagSwitchFields).ok());
}

TEST(CheckFieldsTest, UnsupportedPostHogFieldsOnlyWhenTheyAskForNothing) {
  for (const Json& nothing : {Json(nullptr), Json(false), Json(0), Json::array(), Json::object()}) {
    EXPECT_TRUE(CheckFields(Json{{"super_groups", nothing}}, "filters", kFlagFiltersFields).ok()) << nothing;
  }
  Status s = CheckFields(Json{{"negation", true}}, "filters.groups[0].properties[0]", kPropertyFilterFields);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "filters.groups[0].properties[0].negation");
  EXPECT_NE(s.message().find("does not support"), std::string::npos) << s.message();
}

TEST(RoleOfTest, TellsInputFromIgnored) {
  EXPECT_EQ(RoleOf(kFlagFields, "active"), FieldRole::kInput);
  EXPECT_EQ(RoleOf(kFlagFields, "updated_at"), FieldRole::kIgnored);
  EXPECT_EQ(RoleOf(kFlagFields, "deleted"), FieldRole::kUnsupported);
  EXPECT_EQ(RoleOf(kFlagFields, "activ"), std::nullopt);
}

TEST(StrictFlagJsonTest, ValidFlagParses) {
  ASSERT_TRUE(FlagFromJson(ValidFlag()).ok()) << FlagError(ValidFlag()).ToString();
}

// The two typos the issue names: each used to change what the flag does without a word.
TEST(StrictFlagJsonTest, MistypedActiveIsRefused) {
  Json flag = ValidFlag();
  flag.erase("active");
  flag["activ"] = false;
  Status s = FlagError(flag);
  EXPECT_EQ(s.field(), "activ");
  EXPECT_NE(s.message().find("did you mean 'active'?"), std::string::npos) << s.message();
}

TEST(StrictFlagJsonTest, MistypedGroupRolloutIsRefused) {
  Json flag = ValidFlag();
  flag["filters"]["groups"][0].erase("rollout_percentage");
  flag["filters"]["groups"][0]["rolout_percentage"] = 30;
  Status s = FlagError(flag);
  EXPECT_EQ(s.message(),
            "unknown field 'rolout_percentage' in filters.groups[0]; did you mean 'rollout_percentage'?");
  EXPECT_EQ(s.field(), "filters.groups[0].rolout_percentage");
}

TEST(StrictFlagJsonTest, EveryNestedObjectIsChecked) {
  struct Case {
    Json::json_pointer where;
    std::string field;
  };
  const std::vector<Case> cases = {
      {Json::json_pointer("/filters"), "filters.grups"},
      {Json::json_pointer("/filters/groups/0/properties/0"), "filters.groups[0].properties[0].operater"},
      {Json::json_pointer("/filters/multivariate"), "filters.multivariate.variantz"},
      {Json::json_pointer("/filters/multivariate/variants/1"), "filters.multivariate.variants[1].rollout"},
  };
  for (const Case& c : cases) {
    Json flag = ValidFlag();
    const std::string name = c.field.substr(c.field.rfind('.') + 1);
    flag[c.where][name] = 1;
    EXPECT_EQ(FlagError(flag).field(), c.field) << FlagError(flag).ToString();
  }
}

TEST(StrictFlagJsonTest, AMistypedPayloadKeyGetsTheVariantItMeant) {
  Json flag = ValidFlag();
  flag["filters"]["payloads"] = Json{{"tset", 1}};
  Status s = FlagError(flag);
  EXPECT_EQ(s.field(), "filters.payloads.tset");
  EXPECT_NE(s.message().find("did you mean 'test'?"), std::string::npos) << s.message();
}

TEST(StrictFlagJsonTest, WhatAGetReturnsIsAccepted) {
  Json flag = ValidFlag();
  flag["version"] = 4;
  flag["created_at"] = "2026-01-01T00:00:00.000Z";
  flag["updated_at"] = "2026-01-02T00:00:00.000Z";
  flag["updated_by"] = "admin:sy_admin_Ab3";
  flag["warnings"] = Json::array();
  flag["environments"] = Json::object();
  flag["environment"] = "staging";
  Result<Flag> parsed = FlagFromJson(flag);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->version, 4);
}

TEST(StrictFlagJsonTest, PostHogFeaturesInUseAreRefusedNotIgnored) {
  Json flag = ValidFlag();
  flag["ensure_experience_continuity"] = true;
  EXPECT_EQ(FlagError(flag).field(), "ensure_experience_continuity");
  flag = ValidFlag();
  flag["filters"]["groups"][0]["properties"][0]["negation"] = true;
  EXPECT_EQ(FlagError(flag).field(), "filters.groups[0].properties[0].negation");
}

TEST(StrictCohortJsonTest, EveryCohortObjectIsChecked) {
  Json cohort = Json::parse(R"({"id": "pros", "name": "Pros", "nmae": "x",
                                "filters": {"groups": [{"properties": [{"key": "plan", "value": "pro"}]}]}})");
  Status s = CohortFromJson(cohort).status();
  EXPECT_EQ(s.field(), "nmae");
  EXPECT_NE(s.message().find("did you mean 'name'?"), std::string::npos) << s.message();

  cohort.erase("nmae");
  cohort["filters"]["group"] = Json::array();
  EXPECT_EQ(CohortFromJson(cohort).status().field(), "filters.group");

  Json posthog = Json::parse(R"({"id": 7, "properties": {"type": "OR", "vlaues": []}})");
  s = CohortFromJson(posthog).status();
  EXPECT_EQ(s.field(), "properties.vlaues") << s.ToString();
  EXPECT_NE(s.message().find("did you mean 'values'?"), std::string::npos) << s.message();
  posthog["properties"].erase("vlaues");
  EXPECT_EQ(CohortFromJson(posthog).status().field(), "properties.values");

  Json with_times = Json::parse(R"({"id": "pros", "version": 2, "created_at": "t", "updated_at": "t",
                                    "filters": {"groups": [{"properties": [{"key": "plan", "value": "pro"}]}]}})");
  EXPECT_TRUE(CohortFromJson(with_times).ok()) << CohortFromJson(with_times).status().ToString();
}

}  // namespace
}  // namespace switchyard::core
