// `switchyard import posthog` against the real server: a dry run shows the plan and creates
// nothing; the import creates every flag at once; imported users get exactly the values PostHog
// gives them (the reference vectors in tests/data); unresolved cohorts and prerequisites refuse
// the whole import, listing each.
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"
#include "cli/http_client.h"
#include "support/json_api.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

Json PostHogFlag(int id, const std::string& key, Json groups, Json multivariate = nullptr) {
  return {{"id", id},
          {"name", ""},
          {"key", key},
          {"filters",
           {{"groups", std::move(groups)},
            {"payloads", Json::object()},
            {"multivariate", std::move(multivariate)},
            {"aggregation_group_type_index", nullptr}}},
          {"deleted", false},
          {"active", true},
          {"created_at", "2026-01-01T00:00:00Z"},
          {"is_simple_flag", false},
          {"ensure_experience_continuity", false},
          {"rollback_conditions", nullptr},
          {"tags", Json::array()},
          {"has_encrypted_payloads", false},
          {"evaluation_runtime", "all"}};
}

Json Rollout(double percentage) {
  return Json::array(
      {{{"properties", Json::array()}, {"rollout_percentage", percentage}, {"variant", nullptr}}});
}

// The two flags of the reference vectors, as a PostHog export.
Json ReferenceExport(const Json& vectors) {
  Json variants = Json::array();
  for (const Json& v : vectors["multivariate-flag"]["variants"]) {
    variants.push_back({{"key", v[0]}, {"name", nullptr}, {"rollout_percentage", v[1]}});
  }
  return {
      {"count", 2},
      {"next", nullptr},
      {"results",
       {PostHogFlag(11, "simple-flag", Rollout(vectors["simple-flag"]["rollout_percentage"].get<double>())),
        PostHogFlag(12, "multivariate-flag",
                    Rollout(vectors["multivariate-flag"]["rollout_percentage"].get<double>()),
                    {{"variants", variants}})}}};
}

class CliImportPostHogTest : public CliTest {
 protected:
  Json Flags() {
    HttpClient client(server_->base_url());
    return testing::SendJson(client, "GET", "/api/v1/projects/default/flags").body["flags"];
  }
};

TEST_F(CliImportPostHogTest, DryRunThenImportKeepsEveryUsersPostHogValue) {
  std::ifstream in(std::string(SY_TEST_DATA_DIR) + "/posthog-consistency-1000.json");
  Json vectors = Json::parse(in);
  std::string file = WriteFile("export.json", ReferenceExport(vectors).dump());

  std::string plan = Ok({"import", "posthog", file, "--dry-run"});
  EXPECT_NE(plan.find("simple-flag"), std::string::npos) << plan;
  EXPECT_NE(plan.find("multivariate-flag"), std::string::npos) << plan;
  EXPECT_NE(plan.find("dry run: nothing imported"), std::string::npos) << plan;
  EXPECT_TRUE(Flags().empty());

  std::string done = Ok({"import", "posthog", file});
  EXPECT_NE(done.find("imported 2 flags from PostHog"), std::string::npos) << done;
  ASSERT_EQ(Flags().size(), 2u);

  // Every user evaluates to the value PostHog gives them (users distinct_id_0..999).
  HttpClient client(server_->base_url());
  const std::string simple = vectors["simple-flag"]["results"];
  const std::string multi = vectors["multivariate-flag"]["results"];
  const Json& variants = vectors["multivariate-flag"]["variants"];
  for (std::size_t i = 0; i < simple.size(); i += 3) {  // every third user keeps the test quick
    std::string user = "distinct_id_" + std::to_string(i);
    auto answer = testing::SendJson(client, "POST", "/api/v1/evaluate", {{"distinct_id", user}},
                                    testing::kTestProjectKey);
    ASSERT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body["flags"]["simple-flag"]["value"], simple[i] == '1') << user;
    Json expected = multi[i] == '0' ? Json(false) : variants[multi[i] - '1'][0];
    EXPECT_EQ(answer.body["flags"]["multivariate-flag"]["value"], expected) << user;
  }
}

TEST_F(CliImportPostHogTest, MissingCohortsAndPrerequisitesRefuseTheWholeImport) {
  auto cohort_group = [](int cohort) {
    return Json::array(
        {{{"properties", {{{"key", "id"}, {"type", "cohort"}, {"value", cohort}, {"operator", "in"}}}},
          {"rollout_percentage", 100}}});
  };
  Json prerequisite = Json::array(
      {{{"properties",
         {{{"key", "404"}, {"type", "flag"}, {"value", true}, {"operator", "flag_evaluates_to"}}}}}});
  Json exported = {{"results",
                    {PostHogFlag(1, "fine", Rollout(50)), PostHogFlag(2, "for-cohort", cohort_group(42)),
                     PostHogFlag(3, "for-flag", prerequisite)}}};
  std::string file = WriteFile("export.json", exported.dump());

  testing::CommandResult refused = Run({"import", "posthog", file});
  EXPECT_EQ(refused.exit_code, 1) << Describe({"import", "posthog", file}, refused);
  EXPECT_NE(refused.out.find("cohort 42 (used by 'for-cohort')"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("prerequisite flag id 404 (not in this export) (used by 'for-flag')"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.err.find("2 problems listed above; nothing was imported"), std::string::npos)
      << refused.err;
  EXPECT_TRUE(Flags().empty());  // not even the flag that had no problem

  // With the cohort created here (PostHog's id as ours) and the prerequisite in the export, it goes.
  HttpClient client(server_->base_url());
  Json cohort = {
      {"id", "42"},
      {"name", "Paying"},
      {"filters",
       {{"groups", {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}}}}}}}}};
  ASSERT_EQ(testing::SendJson(client, "POST", "/api/v1/projects/default/cohorts", cohort).status, 201);
  exported["results"].push_back(PostHogFlag(404, "parent", Rollout(100)));
  std::string fixed = WriteFile("fixed.json", exported.dump());
  std::string done = Ok({"import", "posthog", fixed, "--environment", "production"});
  EXPECT_NE(done.find("imported 4 flags from PostHog"), std::string::npos) << done;

  auto child =
      testing::SendJson(client, "GET", "/api/v1/projects/default/flags/for-flag?environment=production");
  ASSERT_EQ(child.status, 200) << child.body.dump();
  EXPECT_EQ(child.body["filters"]["groups"][0]["properties"][0]["key"], "parent") << child.body.dump();
}

}  // namespace
}  // namespace switchyard::cli
