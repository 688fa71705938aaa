#include "cli/audit_changes.h"

#include <gtest/gtest.h>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;
using Changes = std::vector<std::string>;

Json Flag(const std::string& extra = "{}") {
  Json flag = Json::parse(R"({"key": "f", "name": "F", "description": "", "tags": [], "active": true,
    "version": 1, "filters": {"groups": [{"properties": [], "rollout_percentage": 25, "variant": null}],
                              "multivariate": null, "payloads": {}}})");
  flag.merge_patch(Json::parse(extra));
  return flag;
}

Changes Describe(const Json& before, const Json& after, const Json& environment = Json()) {
  Json entry{{"action", "flag.update"}, {"before", before}, {"after", after}};
  if (!environment.is_null()) entry["environment"] = environment;
  return DescribeAuditChanges(entry);
}

TEST(DescribeAuditChangesTest, CreatedAndDeleted) {
  EXPECT_EQ(Describe(nullptr, Flag()), Changes{"created"});
  EXPECT_EQ(Describe(Flag(), nullptr), Changes{"deleted"});
  EXPECT_EQ(Describe(nullptr, nullptr), Changes{});
}

TEST(DescribeAuditChangesTest, EnabledDisabledAndOnlyBookkeeping) {
  EXPECT_EQ(Describe(Flag(R"({"active": false})"), Flag(R"({"version": 2})")), Changes{"enabled"});
  EXPECT_EQ(Describe(Flag(), Flag(R"({"active": false, "version": 2})")), Changes{"disabled"});
  EXPECT_EQ(Describe(Flag(), Flag(R"({"version": 2, "updated_at": "now"})")), Changes{});
}

TEST(DescribeAuditChangesTest, Rollouts) {
  EXPECT_EQ(Describe(Flag(), Flag(R"({"filters": {"groups": [{"properties": [], "rollout_percentage": 50,
                                                              "variant": null}]}})")),
            Changes{"rollout 25 → 50 %"});
  // null means everyone who matches: 100.
  EXPECT_EQ(Describe(Flag(R"({"filters": {"groups": [{"properties": [], "rollout_percentage": null}]}})"),
                     Flag(R"({"filters": {"groups": [{"properties": [], "rollout_percentage": 12.5}]}})")),
            Changes{"rollout 100 → 12.5 %"});
  Json two = Flag(R"({"filters": {"groups": [{"properties": [], "rollout_percentage": 10},
                                             {"properties": [], "rollout_percentage": 20}]}})");
  Json changed = two;
  changed["filters"]["groups"][1]["rollout_percentage"] = 30;
  EXPECT_EQ(Describe(two, changed), Changes{"group 1 rollout 20 → 30 %"});
  changed["filters"]["groups"][0]["properties"] = Json::parse(R"([{"key": "plan", "value": "pro"}])");
  EXPECT_EQ(Describe(two, changed), Changes{"groups changed"});
  changed = two;
  changed["filters"]["groups"].erase(1);
  EXPECT_EQ(Describe(two, changed), Changes{"groups changed"});
}

TEST(DescribeAuditChangesTest, NamesTagsAndOtherFields) {
  EXPECT_EQ(Describe(Flag(R"({"name": "a"})"), Flag(R"({"name": "b"})")), Changes{R"(name "a" → "b")"});
  EXPECT_EQ(Describe(Flag(R"({"tags": ["web"]})"), Flag(R"({"tags": ["web", "ui"]})")),
            Changes{"tags web → web, ui"});
  EXPECT_EQ(Describe(Flag(R"({"tags": ["web"]})"), Flag(R"({"tags": []})")), Changes{"tags web → none"});
  EXPECT_EQ(Describe(Flag(), Flag(R"({"description": "why"})")), Changes{"description changed"});
  EXPECT_EQ(Describe(Flag(), Flag(R"({"bucketing_property": "org"})")),
            Changes{"bucketing property none → org"});
  EXPECT_EQ(Describe(Flag(), Flag(R"({"owner": "ana"})")), Changes{"owner changed"});
  // Several changes in one entry, state first.
  EXPECT_EQ(Describe(Flag(), Flag(R"({"name": "G", "active": false})")),
            (Changes{"disabled", R"(name "F" → "G")"}));
}

TEST(DescribeAuditChangesTest, VariantsAndPayloads) {
  Json split = Flag(R"({"filters": {"multivariate": {"variants": [
      {"key": "control", "name": "", "rollout_percentage": 50},
      {"key": "test", "name": "", "rollout_percentage": 50}]}}})");
  Json shifted = split;
  shifted["filters"]["multivariate"]["variants"][0]["rollout_percentage"] = 70;
  shifted["filters"]["multivariate"]["variants"][1]["rollout_percentage"] = 30;
  EXPECT_EQ(Describe(split, shifted), Changes{"variant split control 50 → 70, test 50 → 30 %"});
  EXPECT_EQ(Describe(Flag(), split), Changes{"variants none → control, test"});

  Json with_payload = split;
  with_payload["filters"]["payloads"] = Json::parse(R"({"test": {"model": "a"}})");
  EXPECT_EQ(Describe(split, with_payload), Changes{"payload test set"});
  Json other_payload = split;
  other_payload["filters"]["payloads"] = Json::parse(R"({"test": {"model": "b"}})");
  EXPECT_EQ(Describe(with_payload, other_payload), Changes{"payload test changed"});
  EXPECT_EQ(Describe(with_payload, split), Changes{"payload test removed"});
  EXPECT_EQ(Describe(Flag(), Flag(R"({"filters": {"payloads": {"true": 1}}})")), Changes{"payload set"});
}

TEST(DescribeAuditChangesTest, SaysTheEnvironment) {
  EXPECT_EQ(Describe(Flag(R"({"active": false})"), Flag(), "staging"), Changes{"enabled in staging"});
  EXPECT_EQ(Describe(nullptr, Flag(), "staging"), Changes{"created in staging"});
  // Per-environment configurations inside the flag say their own environment.
  Json before = Flag(R"({"environments": {"staging": {"active": false},
                                          "production": {"active": true}}})");
  Json after = Flag(R"({"environments": {"staging": {"active": true},
                                         "production": {"active": true},
                                         "development": {"active": true}}})");
  EXPECT_EQ(Describe(before, after), (Changes{"environment development added", "enabled in staging"}));
}

TEST(DescribeAuditChangesTest, ApiKeysAndProjects) {
  Json key = Json::parse(R"({"id": 3, "label": "ci", "prefix": "sy_proj_ab", "revoked": false})");
  Json revoked = key;
  revoked["revoked"] = true;
  EXPECT_EQ(DescribeAuditChanges({{"action", "api_key.revoke"}, {"before", key}, {"after", revoked}}),
            Changes{"revoked"});
  EXPECT_EQ(
      DescribeAuditChanges({{"action", "project.create"}, {"before", nullptr}, {"after", {{"slug", "p"}}}}),
      Changes{"created"});
}

}  // namespace
}  // namespace switchyard::cli
