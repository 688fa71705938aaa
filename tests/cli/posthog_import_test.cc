#include "cli/posthog_import.h"

#include <gtest/gtest.h>

#include "switchyard/flag_json.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// A flag as PostHog's feature-flags list API returns it (the fields that matter here, and some of
// the rest, which the import ignores).
Json PostHogFlag(int id, const std::string& key, Json filters) {
  return {{"id", id},
          {"name", "About " + key},
          {"key", key},
          {"filters", std::move(filters)},
          {"deleted", false},
          {"active", true},
          {"created_by", {{"id", 1}, {"email", "a@example.com"}}},
          {"created_at", "2026-01-01T00:00:00Z"},
          {"is_simple_flag", false},
          {"rollout_percentage", nullptr},
          {"ensure_experience_continuity", false},
          {"experiment_set", Json::array()},
          {"surveys", Json::array()},
          {"features", Json::array()},
          {"rollback_conditions", nullptr},
          {"performed_rollback", false},
          {"can_edit", true},
          {"tags", Json::array()},
          {"usage_dashboard", 12},
          {"has_enriched_analytics", false},
          {"is_remote_configuration", false},
          {"has_encrypted_payloads", false},
          {"evaluation_runtime", "all"},
          {"bucketing_identifier", nullptr},
          {"version", 3}};
}

Json Everyone(Json extra = Json::object()) {
  Json group = {{"properties", Json::array()},
                {"rollout_percentage", 100},
                {"variant", nullptr},
                {"description", "everyone"},
                {"sort_key", "abc"}};
  group.update(extra);
  return {{"groups", {group}},
          {"payloads", Json::object()},
          {"multivariate", nullptr},
          {"aggregation_group_type_index", nullptr}};
}

PostHogImport Translate(const Json& exported, PostHogImportOptions options = {}) {
  auto result = TranslatePostHogFlags(exported, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : PostHogImport{};
}

TEST(PostHogImportTest, KeepsKeyGroupsVariantsAndPayloadsSoUsersKeepTheirBuckets) {
  Json filters = {
      {"groups",
       {{{"properties",
          {{{"key", "email"}, {"type", "person"}, {"value", "@example.com"}, {"operator", "icontains"}}}},
         {"rollout_percentage", 55},
         {"variant", nullptr}}}},
      {"multivariate",
       {{"variants",
         {{{"key", "first"}, {"name", "First"}, {"rollout_percentage", 50}},
          {{"key", "second"}, {"name", nullptr}, {"rollout_percentage", 50}}}}}},
      {"payloads", {{"first", "{\"a\":1}"}}}};
  Json flag = PostHogFlag(1, "multi", filters);
  flag["tags"] = {"checkout"};
  flag["bucketing_identifier"] = "device_id";
  PostHogImport out = Translate({{"count", 1}, {"next", nullptr}, {"results", {flag}}});
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out.flags.size(), 1u);
  const Json& ours = out.flags[0];
  EXPECT_EQ(ours["key"], "multi");
  EXPECT_EQ(ours["description"], "About multi");  // PostHog's name is its description
  EXPECT_EQ(ours["tags"], Json({"checkout"}));
  EXPECT_EQ(ours["bucketing_identifier"], "device_id");
  EXPECT_EQ(ours["filters"]["groups"][0]["rollout_percentage"], 55);
  EXPECT_EQ(ours["filters"]["groups"][0]["properties"][0]["operator"], "icontains");
  EXPECT_EQ(ours["filters"]["multivariate"]["variants"][1],
            (Json{{"key", "second"}, {"rollout_percentage", 50}}));
  EXPECT_EQ(ours["filters"]["payloads"]["first"], "{\"a\":1}");

  // Our own parser reads it, with the same groups and variants.
  auto parsed = FlagFromJson(ours);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->variants.size(), 2u);
  EXPECT_EQ(parsed->groups[0].rollout_percentage, 55);
  EXPECT_EQ(parsed->bucketing_property, "$device_id");
}

TEST(PostHogImportTest, ABareArrayIsAnExportToo) {
  PostHogImport out = Translate(Json::array({PostHogFlag(1, "a", Everyone())}));
  ASSERT_EQ(out.flags.size(), 1u);
  auto parsed = FlagFromJson(out.flags[0]);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << out.flags[0].dump();
}

TEST(PostHogImportTest, PrerequisiteIdsBecomeKeys) {
  Json dependent = Everyone();
  dependent["groups"][0]["properties"] = {{{"key", "7"},
                                           {"type", "flag"},
                                           {"value", true},
                                           {"operator", "flag_evaluates_to"},
                                           {"label", "parent"}}};
  PostHogImport out =
      Translate({{"results", {PostHogFlag(8, "child", dependent), PostHogFlag(7, "parent", Everyone())}}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.flags[0]["filters"]["groups"][0]["properties"][0]["key"], "parent");
  EXPECT_FALSE(out.flags[0]["filters"]["groups"][0]["properties"][0].contains("label"));

  Json orphan = Everyone();
  orphan["groups"][0]["properties"] = {
      {{"key", "99"}, {"type", "flag"}, {"value", true}, {"operator", "flag_evaluates_to"}}};
  PostHogImport missing = Translate({{"results", {PostHogFlag(8, "child", orphan)}}});
  EXPECT_FALSE(missing.ok());
  ASSERT_EQ(missing.missing.size(), 1u);
  EXPECT_EQ(missing.missing[0], "prerequisite flag id 99 (not in this export) (used by 'child')");
}

TEST(PostHogImportTest, CohortIdsMapToOursOrAreListedAsMissing) {
  auto cohort_flag = [](int id, const std::string& key, int cohort) {
    Json filters = Everyone();
    filters["groups"][0]["properties"] = {
        {{"key", "id"}, {"type", "cohort"}, {"value", cohort}, {"operator", "in"}}};
    return PostHogFlag(id, key, filters);
  };
  Json exported = {
      {"results",
       {cohort_flag(1, "a", 42), cohort_flag(2, "b", 43), cohort_flag(3, "c", 44), cohort_flag(4, "d", 44)}}};
  PostHogImportOptions options;
  options.our_cohorts = {"42", "paying"};
  options.cohort_map = {{"43", "paying"}};
  PostHogImport out = Translate(exported, options);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.flags[0]["filters"]["groups"][0]["properties"][0]["value"], "42");      // same id here
  EXPECT_EQ(out.flags[1]["filters"]["groups"][0]["properties"][0]["value"], "paying");  // --cohort 43=paying
  ASSERT_EQ(out.missing.size(), 1u);
  EXPECT_EQ(out.missing[0], "cohort 44 (used by 'c', 'd')");

  options.cohort_map["44"] = "paying";
  EXPECT_TRUE(Translate(exported, options).ok());
}

TEST(PostHogImportTest, DeletedFlagsAreSkippedAndListed) {
  Json gone = PostHogFlag(2, "gone", Everyone());
  gone["deleted"] = true;
  PostHogImport out = Translate({{"results", {PostHogFlag(1, "kept", Everyone()), gone}}});
  ASSERT_EQ(out.flags.size(), 1u);
  EXPECT_EQ(out.flags[0]["key"], "kept");
  EXPECT_EQ(out.skipped, std::vector<std::string>{"flag 'gone': deleted in PostHog"});
}

TEST(PostHogImportTest, UnsupportedFeaturesAreListedNeverDropped) {
  Json negated = Everyone();
  negated["groups"][0]["properties"] = {
      {{"key", "plan"}, {"type", "person"}, {"value", "free"}, {"operator", "exact"}, {"negation", true}}};
  Json grouped = Everyone();
  grouped["aggregation_group_type_index"] = 0;
  Json behavioural = Everyone();
  behavioural["groups"][0]["properties"] = {
      {{"key", "signed_up"}, {"type", "behavioral"}, {"value", "performed_event"}}};
  Json continuity = PostHogFlag(4, "sticky", Everyone());
  continuity["ensure_experience_continuity"] = true;
  Json exported = {{"results",
                    {PostHogFlag(1, "negated", negated), PostHogFlag(2, "grouped", grouped),
                     PostHogFlag(3, "behavioural", behavioural), continuity}}};
  PostHogImport out = Translate(exported);
  EXPECT_FALSE(out.ok());
  ASSERT_EQ(out.unsupported.size(), 4u);
  EXPECT_NE(out.unsupported[0].find("flag 'negated': filters.groups[0].properties[0].negation"),
            std::string::npos);
  EXPECT_NE(out.unsupported[1].find("flag 'grouped': filters.aggregation_group_type_index"),
            std::string::npos);
  EXPECT_NE(out.unsupported[2].find("flag 'behavioural': filters.groups[0].properties[0].type 'behavioral'"),
            std::string::npos);
  EXPECT_NE(out.unsupported[3].find("flag 'sticky': ensure_experience_continuity"), std::string::npos);

  // --allow-unsupported leaves out what does not change whom a flag serves, and lists it; the rest
  // still refuses.
  PostHogImportOptions allow;
  allow.allow_unsupported = true;
  PostHogImport allowed = Translate(exported, allow);
  EXPECT_EQ(allowed.unsupported.size(), 3u);
  ASSERT_EQ(allowed.dropped.size(), 1u);
  EXPECT_NE(allowed.dropped[0].find("flag 'sticky': ensure_experience_continuity"), std::string::npos);
  EXPECT_FALSE(allowed.flags[3].contains("ensure_experience_continuity"));
}

TEST(PostHogImportTest, ShapesThatAreNotAnExportNameTheField) {
  PostHogImportOptions options;
  auto no_results = TranslatePostHogFlags(Json{{"flags", Json::array()}}, options);
  ASSERT_FALSE(no_results.ok());
  EXPECT_EQ(no_results.status().field(), "results");

  auto keyless =
      TranslatePostHogFlags(Json{{"results", {PostHogFlag(1, "a", Everyone()), Json{{"id", 2}}}}}, options);
  ASSERT_FALSE(keyless.ok());
  EXPECT_EQ(keyless.status().field(), "results[1].key");

  auto twice = TranslatePostHogFlags(
      Json::array({PostHogFlag(1, "a", Everyone()), PostHogFlag(2, "a", Everyone())}), options);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().field(), "[1].key");
}

}  // namespace
}  // namespace switchyard::cli
