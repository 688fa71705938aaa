// Flag and cohort wire form: parsing, canonical output, round trip, and each validation error
// with its field path.
#include "switchyard/flag_json.h"

#include <gtest/gtest.h>

#include "switchyard/evaluation.h"

namespace switchyard {
namespace {

using nlohmann::json;

json ValidFlagJson() {
  return json::parse(R"({
    "key": "new-checkout", "name": "New checkout", "description": "d", "tags": ["web", "beta"],
    "active": true, "version": 3,
    "filters": {
      "groups": [
        {"properties": [{"key": "email", "type": "person", "operator": "icontains", "value": "@acme.com"},
                        {"key": "age", "operator": "gte", "value": 18}],
         "rollout_percentage": 33.3, "variant": "test"},
        {"properties": [], "rollout_percentage": null}
      ],
      "multivariate": {"variants": [{"key": "control", "name": "C", "rollout_percentage": 50},
                                    {"key": "test", "name": "T", "rollout_percentage": 50}]},
      "payloads": {"test": "{\"color\": \"blue\"}", "control": {"color": "red"}}
    }
  })");
}

Status ParseError(const json& j) {
  return FlagFromJson(j).status();
}

TEST(FlagJsonTest, ParsesEveryField) {
  Result<Flag> flag = FlagFromJson(ValidFlagJson());
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_EQ(flag->key, "new-checkout");
  EXPECT_EQ(flag->name, "New checkout");
  EXPECT_EQ(flag->tags, (std::vector<std::string>{"web", "beta"}));
  EXPECT_EQ(flag->version, 3);
  ASSERT_EQ(flag->groups.size(), 2u);
  EXPECT_EQ(flag->groups[0].properties[1].op, Operator::kGte);
  EXPECT_EQ(flag->groups[0].properties[1].type, FilterType::kPerson);
  EXPECT_DOUBLE_EQ(*flag->groups[0].rollout_percentage, 33.3);
  EXPECT_EQ(flag->groups[0].variant, "test");
  EXPECT_FALSE(flag->groups[1].rollout_percentage.has_value());
  ASSERT_EQ(flag->variants.size(), 2u);
  EXPECT_EQ(flag->payloads.at("test"), json({{"color", "blue"}}));  // decoded from a JSON string
  EXPECT_EQ(flag->payloads.at("control"), json({{"color", "red"}}));
}

TEST(FlagJsonTest, DefaultsForMissingFields) {
  Result<Flag> flag = FlagFromJson(
      json{{"key", "k"}, {"filters", {{"groups", {{{"properties", {{{"key", "a"}, {"value", 1}}}}}}}}}});
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_EQ(flag->name, "");
  EXPECT_TRUE(flag->active);
  EXPECT_TRUE(flag->tags.empty());
  EXPECT_EQ(flag->version, 0);
  EXPECT_FALSE(flag->bucketing_property.has_value());
  EXPECT_EQ(flag->groups[0].properties[0].type, FilterType::kPerson);
  EXPECT_EQ(flag->groups[0].properties[0].op, Operator::kExact);
}

TEST(FlagJsonTest, AcceptsPostHogFieldsThatAskForNothing) {
  json j = ValidFlagJson();
  j["id"] = 12;
  j["ensure_experience_continuity"] = false;
  j["filters"]["aggregation_group_type_index"] = nullptr;
  j["filters"]["super_groups"] = json::array();
  j["filters"]["holdout_groups"] = json::array();
  j["filters"]["groups"][0]["properties"][0]["negation"] = false;
  EXPECT_TRUE(FlagFromJson(j).ok());
}

TEST(FlagJsonTest, ReadsAndWritesGroupFlags) {
  json j = ValidFlagJson();
  j["filters"]["aggregation_group_type_index"] = 1;
  Result<Flag> flag = FlagFromJson(j);
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_EQ(flag->aggregation_group_type_index, 1);
  EXPECT_EQ(FlagToJson(*flag)["filters"]["aggregation_group_type_index"], 1);
  j["filters"]["aggregation_group_type_index"] = 5;  // PostHog has five group types: 0..4
  Status s = ParseError(j);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "filters.aggregation_group_type_index");
}

TEST(FlagJsonTest, BucketingIdentifierDeviceId) {
  json j = ValidFlagJson();
  j["bucketing_identifier"] = "device_id";
  EXPECT_EQ(FlagFromJson(j)->bucketing_property, "$device_id");
  j["bucketing_identifier"] = "distinct_id";
  EXPECT_FALSE(FlagFromJson(j)->bucketing_property.has_value());
  j["bucketing_identifier"] = "cookie";
  EXPECT_EQ(ParseError(j).field(), "bucketing_identifier");
  j.erase("bucketing_identifier");
  j["bucketing_property"] = "session_id";
  EXPECT_EQ(FlagFromJson(j)->bucketing_property, "session_id");
}

TEST(FlagJsonTest, CanonicalOutputShape) {
  Flag flag;
  flag.key = "plain";
  flag.groups.push_back(ConditionGroup{});
  json out = FlagToJson(flag);
  EXPECT_EQ(out["filters"]["multivariate"], nullptr);
  EXPECT_EQ(out["filters"]["groups"][0]["rollout_percentage"], nullptr);
  EXPECT_EQ(out["filters"]["groups"][0]["variant"], nullptr);
  EXPECT_EQ(out["version"], 0);
  EXPECT_FALSE(out.contains("bucketing_property"));
  EXPECT_EQ(out["filters"]["payloads"], json::object());
}

TEST(FlagJsonTest, RoundTrip) {
  Result<Flag> flag = FlagFromJson(ValidFlagJson());
  ASSERT_TRUE(flag.ok());
  flag->bucketing_property = "$device_id";
  flag->active = false;
  flag->payloads["test"] = "123";  // a string that reads as JSON must survive as a string
  flag->payloads["control"] = "plain text";
  Result<Flag> again = FlagFromJson(FlagToJson(*flag));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *flag);
  EXPECT_EQ(again->payloads.at("test"), json("123"));
}

TEST(FlagJsonTest, RoundTripEveryOperator) {
  json props = json::parse(R"([
    {"key":"a","operator":"exact","value":["x","y"]}, {"key":"a","operator":"is_not","value":1},
    {"key":"a","operator":"is_set"}, {"key":"a","operator":"is_not_set","value":"is_not_set"},
    {"key":"a","operator":"icontains","value":"x"}, {"key":"a","operator":"not_icontains","value":"x"},
    {"key":"a","operator":"starts_with","value":"x"}, {"key":"a","operator":"not_starts_with","value":"x"},
    {"key":"a","operator":"ends_with","value":"x"}, {"key":"a","operator":"not_ends_with","value":"x"},
    {"key":"a","operator":"regex","value":"^x+$"}, {"key":"a","operator":"not_regex","value":"x"},
    {"key":"a","operator":"gt","value":1}, {"key":"a","operator":"gte","value":"2"},
    {"key":"a","operator":"lt","value":1.5}, {"key":"a","operator":"lte","value":"b"},
    {"key":"a","operator":"is_date_before","value":"2024-01-01"},
    {"key":"a","operator":"is_date_after","value":"-7d"},
    {"key":"a","operator":"semver_eq","value":"1.2.3"}, {"key":"a","operator":"semver_neq","value":"v1"},
    {"key":"a","operator":"semver_gt","value":"1.2"}, {"key":"a","operator":"semver_gte","value":"1.2.3-beta"},
    {"key":"a","operator":"semver_lt","value":"2"}, {"key":"a","operator":"semver_lte","value":"2.0.0+b"},
    {"key":"a","operator":"semver_tilde","value":"1.2.3"}, {"key":"a","operator":"semver_caret","value":"0.2.3"},
    {"key":"a","operator":"semver_wildcard","value":"1.2.*"},
    {"key":"c1","type":"cohort","operator":"in","value":null}, {"key":"c2","type":"cohort","operator":"not_in"},
    {"key":"other","type":"flag","operator":"flag_evaluates_to","value":true},
    {"key":"other","type":"flag","operator":"flag_evaluates_to","value":"variant-a"}
  ])");
  json j = {{"key", "all-ops"}, {"filters", {{"groups", {{{"properties", props}}}}}}};
  Result<Flag> flag = FlagFromJson(j);
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  ASSERT_EQ(flag->groups[0].properties.size(), props.size());
  for (std::size_t i = 0; i < props.size(); ++i) {
    EXPECT_EQ(OperatorName(flag->groups[0].properties[i].op), props[i]["operator"].get<std::string>());
  }
  Result<Flag> again = FlagFromJson(FlagToJson(*flag));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *flag);
}

TEST(FlagJsonTest, OperatorNames) {
  for (int i = 0; i <= static_cast<int>(Operator::kFlagEvaluatesTo); ++i) {
    const auto op = static_cast<Operator>(i);
    Result<Operator> back = OperatorFromName(OperatorName(op));
    ASSERT_TRUE(back.ok()) << OperatorName(op);
    EXPECT_EQ(*back, op);
  }
  EXPECT_FALSE(OperatorFromName("matches").ok());
  EXPECT_EQ(FilterTypeName(FilterType::kCohort), "cohort");
  EXPECT_EQ(ReasonName(Reason::kOutOfRollout), "out_of_rollout");
  EXPECT_EQ(ReasonName(Reason::kFlagNotFound), "flag_not_found");
}

TEST(FlagJsonTest, DefaultOperatorByType) {
  json j = {{"key", "k"},
            {"filters",
             {{"groups",
               {{{"properties",
                  {{{"key", "5"}, {"type", "cohort"}},
                   {{"key", "other"}, {"type", "flag"}, {"value", true}}}}}}}}}};
  Result<Flag> flag = FlagFromJson(j);
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_EQ(flag->groups[0].properties[0].op, Operator::kIn);
  EXPECT_EQ(flag->groups[0].properties[1].op, Operator::kFlagEvaluatesTo);
}

TEST(FlagJsonTest, PostHogCohortFilterShape) {
  json j = {
      {"key", "k"},
      {"filters", {{"groups", {{{"properties", {{{"key", "id"}, {"type", "cohort"}, {"value", 42}}}}}}}}}};
  Result<Flag> flag = FlagFromJson(j);
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_EQ(flag->groups[0].properties[0].key, "42");
}

struct ErrorCase {
  std::string name;
  std::string json_text;
  std::string field;
};

class FlagJsonErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(FlagJsonErrorTest, ReportsFieldPath) {
  Status s = ParseError(json::parse(GetParam().json_text));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << GetParam().json_text;
  EXPECT_EQ(s.field(), GetParam().field) << s.ToString();
  EXPECT_FALSE(s.message().empty());
}

#define GROUPS(x) R"({"key":"k","filters":{"groups":[)" x R"(]}})"
#define PROP(x) GROUPS(R"({"properties":[)" x R"(]})")

INSTANTIATE_TEST_SUITE_P(
    Validation, FlagJsonErrorTest,
    testing::Values(
        ErrorCase{"not_object", R"([1])", ""}, ErrorCase{"no_key", R"({"name":"x"})", "key"},
        ErrorCase{"empty_key", R"({"key":""})", "key"}, ErrorCase{"bad_key", R"({"key":"a b"})", "key"},
        ErrorCase{"long_key", "{\"key\":\"" + std::string(201, 'a') + "\"}", "key"},
        ErrorCase{"key_type", R"({"key":5})", "key"},
        ErrorCase{"name_type", R"({"key":"k","name":1})", "name"},
        ErrorCase{"description_type", R"({"key":"k","description":[]})", "description"},
        ErrorCase{"tags_type", R"({"key":"k","tags":"a"})", "tags"},
        ErrorCase{"tag_type", R"({"key":"k","tags":["a",2]})", "tags[1]"},
        ErrorCase{"active_type", R"({"key":"k","active":"yes"})", "active"},
        ErrorCase{"version_type", R"({"key":"k","version":1.5})", "version"},
        ErrorCase{"bucketing_type", R"({"key":"k","bucketing_property":3})", "bucketing_property"},
        ErrorCase{"bucketing_empty", R"({"key":"k","bucketing_property":""})", "bucketing_property"},
        ErrorCase{"filters_type", R"({"key":"k","filters":[]})", "filters"},
        ErrorCase{"groups_type", R"({"key":"k","filters":{"groups":{}}})", "filters.groups"},
        ErrorCase{"group_type", GROUPS("3"), "filters.groups[0]"},
        ErrorCase{"properties_type", GROUPS(R"({"properties":{}})"), "filters.groups[0].properties"},
        ErrorCase{"rollout_type", GROUPS(R"({},{"rollout_percentage":"50"})"),
                  "filters.groups[1].rollout_percentage"},
        ErrorCase{"rollout_range", GROUPS(R"({"rollout_percentage":100.5})"),
                  "filters.groups[0].rollout_percentage"},
        ErrorCase{"rollout_negative", GROUPS(R"({"rollout_percentage":-1})"),
                  "filters.groups[0].rollout_percentage"},
        ErrorCase{"variant_type", GROUPS(R"({"variant":1})"), "filters.groups[0].variant"},
        ErrorCase{"filter_type", PROP("1"), "filters.groups[0].properties[0]"},
        ErrorCase{"filter_key", PROP(R"({"value":1})"), "filters.groups[0].properties[0].key"},
        ErrorCase{"filter_key_empty", PROP(R"({"key":"","value":1})"), "filters.groups[0].properties[0].key"},
        ErrorCase{"filter_kind", PROP(R"({"key":"a","type":"element","value":1})"),
                  "filters.groups[0].properties[0].type"},
        ErrorCase{
            "unknown_operator",
            GROUPS(R"({},{"properties":[{"key":"a","value":1},{"key":"b","operator":"like","value":1}]})"),
            "filters.groups[1].properties[1].operator"},
        ErrorCase{"operator_type", PROP(R"({"key":"a","operator":3,"value":1})"),
                  "filters.groups[0].properties[0].operator"},
        ErrorCase{"flag_operator", PROP(R"({"key":"a","type":"flag","operator":"exact","value":true})"),
                  "filters.groups[0].properties[0].operator"},
        ErrorCase{"cohort_operator", PROP(R"({"key":"a","type":"cohort","operator":"exact","value":1})"),
                  "filters.groups[0].properties[0].operator"},
        ErrorCase{"person_in", PROP(R"({"key":"a","operator":"in","value":1})"),
                  "filters.groups[0].properties[0].operator"},
        ErrorCase{"flag_value", PROP(R"({"key":"a","type":"flag","value":3})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"flag_key", PROP(R"({"key":"a b","type":"flag","value":true})"),
                  "filters.groups[0].properties[0].key"},
        ErrorCase{"value_missing", PROP(R"({"key":"a","operator":"exact"})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"value_null", PROP(R"({"key":"a","operator":"icontains","value":null})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"exact_object", PROP(R"({"key":"a","value":{"x":1}})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"exact_list_object", PROP(R"({"key":"a","value":["x",[1]]})"),
                  "filters.groups[0].properties[0].value[1]"},
        ErrorCase{"icontains_list", PROP(R"({"key":"a","operator":"icontains","value":["x"]})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"bad_regex", PROP(R"({"key":"a","operator":"regex","value":"(unclosed"})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"regex_number", PROP(R"({"key":"a","operator":"not_regex","value":5})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"gt_bool", PROP(R"({"key":"a","operator":"gt","value":true})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"bad_date", PROP(R"({"key":"a","operator":"is_date_before","value":"2024-13-01"})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"bad_relative", PROP(R"({"key":"a","operator":"is_date_after","value":"-7x"})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"bad_semver", PROP(R"({"key":"a","operator":"semver_gt","value":"1.x"})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"bad_wildcard", PROP(R"({"key":"a","operator":"semver_wildcard","value":"1.*.3"})"),
                  "filters.groups[0].properties[0].value"},
        ErrorCase{"multivariate_type", R"({"key":"k","filters":{"multivariate":[]}})",
                  "filters.multivariate"},
        ErrorCase{"variants_type", R"({"key":"k","filters":{"multivariate":{"variants":{}}}})",
                  "filters.multivariate.variants"},
        ErrorCase{"variant_no_key",
                  R"({"key":"k","filters":{"multivariate":{"variants":[{"rollout_percentage":100}]}}})",
                  "filters.multivariate.variants[0].key"},
        ErrorCase{
            "variant_empty_key",
            R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"","rollout_percentage":100}]}}})",
            "filters.multivariate.variants[0].key"},
        ErrorCase{
            "variant_dup",
            R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"a","rollout_percentage":50},{"key":"a","rollout_percentage":50}]}}})",
            "filters.multivariate.variants[1].key"},
        ErrorCase{"variant_no_pct", R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"a"}]}}})",
                  "filters.multivariate.variants[0].rollout_percentage"},
        ErrorCase{
            "variant_pct_range",
            R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"a","rollout_percentage":150},{"key":"b","rollout_percentage":-50}]}}})",
            "filters.multivariate.variants[0].rollout_percentage"},
        ErrorCase{
            "variant_sum",
            R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"a","rollout_percentage":50},{"key":"b","rollout_percentage":49}]}}})",
            "filters.multivariate.variants"},
        ErrorCase{"payloads_type", R"({"key":"k","filters":{"payloads":[]}})", "filters.payloads"},
        ErrorCase{"payload_boolean_key", R"({"key":"k","filters":{"payloads":{"false":1}}})",
                  "filters.payloads.false"},
        ErrorCase{
            "payload_variant_key",
            R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"a","rollout_percentage":100}]},"payloads":{"true":1}}})",
            "filters.payloads.true"},
        ErrorCase{"group_aggregation", R"({"key":"k","aggregation_group_type_index":"company"})",
                  "aggregation_group_type_index"}),
    [](const testing::TestParamInfo<ErrorCase>& p) { return p.param.name; });

TEST(FlagJsonTest, VariantSumTolerance) {
  json j = json::parse(
      R"({"key":"k","filters":{"multivariate":{"variants":[{"key":"a","rollout_percentage":33.3333333},{"key":"b","rollout_percentage":33.3333333},{"key":"c","rollout_percentage":33.3333334}]}}})");
  EXPECT_TRUE(FlagFromJson(j).ok());
}

TEST(FlagJsonTest, FiltersFromJsonAlone) {
  Flag flag;
  flag.key = "k";
  ASSERT_TRUE(FiltersFromJson(ValidFlagJson()["filters"], &flag).ok());
  EXPECT_EQ(flag.groups.size(), 2u);
  EXPECT_EQ(FiltersToJson(flag), FlagToJson(flag)["filters"]);
  Status bad = FiltersFromJson(json::parse(R"({"groups":[{"rollout_percentage":101}]})"), &flag);
  EXPECT_EQ(bad.field(), "filters.groups[0].rollout_percentage");
}

TEST(CohortJsonTest, OwnShapeRoundTrip) {
  json j = json::parse(R"({"id":"beta-users","name":"Beta","filters":{"groups":[
      {"properties":[{"key":"plan","value":"pro"},{"key":"age","operator":"gt","value":30}]},
      {"properties":[{"key":"email","operator":"ends_with","value":"@acme.com"}]}]}})");
  Result<Cohort> cohort = CohortFromJson(j);
  ASSERT_TRUE(cohort.ok()) << cohort.status().ToString();
  EXPECT_EQ(cohort->id, "beta-users");
  ASSERT_EQ(cohort->groups.size(), 2u);
  EXPECT_EQ(cohort->groups[0].properties.size(), 2u);
  Result<Cohort> again = CohortFromJson(CohortToJson(*cohort));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *cohort);
}

TEST(CohortJsonTest, PostHogShapeIsFlattened) {
  json j = json::parse(R"({"id":7,"name":"PH","properties":{"type":"OR","values":[
      {"type":"AND","values":[{"key":"plan","type":"person","value":"pro"},{"key":"country","value":"FR"}]},
      {"type":"AND","values":[{"key":"email","operator":"icontains","value":"acme"}]}]}})");
  Result<Cohort> cohort = CohortFromJson(j);
  ASSERT_TRUE(cohort.ok()) << cohort.status().ToString();
  EXPECT_EQ(cohort->id, "7");
  ASSERT_EQ(cohort->groups.size(), 2u);
  EXPECT_EQ(cohort->groups[0].properties.size(), 2u);
  EXPECT_EQ(cohort->groups[1].properties[0].op, Operator::kIContains);
}

TEST(CohortJsonTest, NestedAndOfOrIsCrossProduct) {
  json j = json::parse(R"({"id":"c","properties":{"type":"AND","values":[
      {"type":"OR","values":[{"key":"a","value":1},{"key":"b","value":2}]},
      {"key":"c","value":3}]}})");
  Result<Cohort> cohort = CohortFromJson(j);
  ASSERT_TRUE(cohort.ok()) << cohort.status().ToString();
  ASSERT_EQ(cohort->groups.size(), 2u);
  EXPECT_EQ(cohort->groups[0].properties[0].key, "a");
  EXPECT_EQ(cohort->groups[0].properties[1].key, "c");
  EXPECT_EQ(cohort->groups[1].properties[0].key, "b");
  EXPECT_EQ(cohort->groups[1].properties[1].key, "c");
}

TEST(CohortJsonTest, Errors) {
  EXPECT_EQ(CohortFromJson(json::parse(R"({"name":"x","filters":{"groups":[]}})")).status().field(), "id");
  EXPECT_EQ(CohortFromJson(json::parse(R"({"id":"a b","filters":{"groups":[]}})")).status().field(), "id");
  EXPECT_EQ(CohortFromJson(json::parse(R"({"id":true,"filters":{"groups":[]}})")).status().field(), "id");
  EXPECT_EQ(CohortFromJson(json::parse(R"({"id":"c"})")).status().field(), "filters");
  EXPECT_EQ(
      CohortFromJson(
          json::parse(
              R"({"id":"c","filters":{"groups":[{"properties":[{"key":"a","operator":"nope","value":1}]}]}})"))
          .status()
          .field(),
      "filters.groups[0].properties[0].operator");
  EXPECT_EQ(
      CohortFromJson(
          json::parse(
              R"({"id":"c","filters":{"groups":[{"properties":[{"key":"f","type":"flag","value":true}]}]}})"))
          .status()
          .field(),
      "filters.groups[0].properties[0].type");
  EXPECT_EQ(
      CohortFromJson(json::parse(R"({"id":"c","properties":{"type":"XOR","values":[]}})")).status().field(),
      "properties.type");
  EXPECT_EQ(
      CohortFromJson(
          json::parse(R"({"id":"c","properties":{"type":"OR","values":[{"key":"a","operator":"bad"}]}})"))
          .status()
          .field(),
      "properties.values[0].operator");
}

}  // namespace
}  // namespace switchyard
