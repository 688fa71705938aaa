// The v1 and v2 projections of one result: every field PostHog's SDKs read, from the same values.
#include "server/posthog_flags_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/posthog_flag_id.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

std::vector<FlagResult> Results() {
  FlagResult variant{"checkout", true, "blue", json{{"color", "#00f"}}, Reason::kConditionMatch, 1, "", 4};
  FlagResult boolean{"beta", true, std::nullopt, json("hello"), Reason::kConditionMatch, 0, "", 2};
  FlagResult off{"dark", false, std::nullopt, std::nullopt, Reason::kOutOfRollout, 0, "", 7};
  FlagResult disabled{"old", false, std::nullopt, std::nullopt, Reason::kDisabled, std::nullopt, "", 1};
  FlagResult missing{"gone", false, std::nullopt, std::nullopt, Reason::kFlagNotFound, std::nullopt, "", 0};
  return {variant, boolean, off, disabled, missing};
}

TEST(PostHogFlagsJsonTest, V1IsValuesAndPayloadStrings) {
  auto out = json::parse(PostHogFlagsJson(Results(), {1, "rid", false}));
  EXPECT_EQ(out["featureFlags"],
            json({{"checkout", "blue"}, {"beta", true}, {"dark", false}, {"old", false}}));
  EXPECT_EQ(out["featureFlagPayloads"], json({{"checkout", R"({"color":"#00f"})"}, {"beta", R"("hello")"}}));
  EXPECT_EQ(out["errorsWhileComputingFlags"], false);
  EXPECT_EQ(out["requestId"], "rid");
  EXPECT_FALSE(out.contains("flags"));
  EXPECT_FALSE(out.contains("supportedCompression"));
}

TEST(PostHogFlagsJsonTest, V2CarriesReasonAndMetadata) {
  auto out = json::parse(PostHogFlagsJson(Results(), {2, "rid", false}));
  ASSERT_EQ(out["flags"].size(), 4u);
  const json& checkout = out["flags"]["checkout"];
  EXPECT_EQ(checkout["key"], "checkout");
  EXPECT_EQ(checkout["enabled"], true);
  EXPECT_EQ(checkout["variant"], "blue");
  EXPECT_EQ(checkout["reason"], json({{"code", "condition_match"},
                                      {"condition_index", 1},
                                      {"description", "Matched condition set 2"}}));
  EXPECT_EQ(checkout["metadata"],
            json({{"id", PostHogFlagId("checkout")}, {"version", 4}, {"payload", R"({"color":"#00f"})"}}));
  EXPECT_EQ(out["flags"]["beta"]["variant"], nullptr);
  EXPECT_EQ(out["flags"]["dark"]["reason"]["code"], "out_of_rollout_bound");
  EXPECT_FALSE(out["flags"]["dark"]["metadata"].contains("payload"));
  EXPECT_EQ(out["flags"]["old"]["reason"]["code"], "disabled");
  EXPECT_EQ(out["flags"]["old"]["reason"]["condition_index"], nullptr);
}

TEST(PostHogFlagsJsonTest, ErrorsAndConfigAreReported) {
  FlagResult broken{
      "child", false, std::nullopt, std::nullopt, Reason::kError, std::nullopt, "parent does not exist", 1};
  auto out = json::parse(PostHogFlagsJson({broken}, {2, "rid", true}));
  EXPECT_EQ(out["errorsWhileComputingFlags"], true);
  EXPECT_EQ(out["flags"]["child"]["reason"]["code"], "missing_dependency");
  EXPECT_EQ(out["flags"]["child"]["reason"]["description"], "parent does not exist");
  EXPECT_EQ(out["supportedCompression"], json({"gzip", "gzip-js"}));
  EXPECT_EQ(out["sessionRecording"], false);
  EXPECT_EQ(out["siteApps"], json::array());
  auto config = json::parse(PostHogRemoteConfigJson("sy_proj_x"));
  EXPECT_EQ(config["token"], "sy_proj_x");
  EXPECT_EQ(config["hasFeatureFlags"], true);
}

TEST(PostHogFlagsJsonTest, ReasonCodesMapOntoPostHogs) {
  EXPECT_EQ(PostHogReasonCode(Reason::kNoConditionMatch), "no_condition_match");
  EXPECT_EQ(PostHogReasonCode(Reason::kMissingProperty), "no_condition_match");
}

TEST(PostHogFlagIdTest, StableDistinctAndJavaScriptSafe) {
  EXPECT_EQ(PostHogFlagId("checkout"), PostHogFlagId("checkout"));
  EXPECT_NE(PostHogFlagId("checkout"), PostHogFlagId("checkouu"));
  for (const char* key : {"", "a", "checkout", "a-very-long-flag-key-with-many-characters"}) {
    EXPECT_GE(PostHogFlagId(key), 1);
    EXPECT_LE(PostHogFlagId(key), (std::int64_t{1} << 53) - 1);
  }
}

}  // namespace
}  // namespace switchyard::server
