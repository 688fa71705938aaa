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

TEST(PostHogFlagsJsonTest, EveryReasonIsWrittenWithItsPostHogCode) {
  for (Reason reason : {Reason::kConditionMatch, Reason::kOutOfRollout, Reason::kNoConditionMatch,
                        Reason::kMissingProperty, Reason::kDisabled, Reason::kError}) {
    FlagResult result{"f", false, std::nullopt, std::nullopt, reason, 0, "why", 1};
    auto out = json::parse(PostHogFlagsJson({result}, {2, "rid", false}));
    EXPECT_EQ(out["flags"]["f"]["reason"]["code"], PostHogReasonCode(reason));
  }
}

// Keys, variants, details and payloads that need escaping (quotes, backslashes, every control
// character, non-ASCII, invalid UTF-8) come out as nlohmann writes them, byte for byte, however
// long: the writer's room for a string is bounded by its worst-case escape.
TEST(PostHogFlagsJsonTest, OddStringsAreWrittenAsNlohmannWritesThem) {
  std::string controls;
  for (char c = 1; c < 0x20; ++c) controls += c;
  std::string worst;
  for (int i = 0; i < 2000; ++i) worst += '\x01';
  const std::vector<std::string> texts = {"q\"uote\\back", controls, "caf\xc3\xa9 \xe2\x82\xac",
                                          "bad\xff\xfe", worst};
  auto rendered = [](const std::string& text) {
    return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  };
  for (const std::string& text : texts) {
    FlagResult variant{text, true, text, json{{"note", text}}, Reason::kConditionMatch, 0, "", 3};
    FlagResult detailed{"d", false, std::nullopt, std::nullopt, Reason::kError, std::nullopt, text, 1};
    for (int version : {1, 2}) {
      const std::string out = PostHogFlagsJson({variant, detailed}, {version, text, false});
      EXPECT_NE(out.find(rendered(text) + ":"), std::string::npos) << "key, version " << version;
      EXPECT_NE(out.find(":" + rendered(text)), std::string::npos) << "variant, version " << version;
      const std::string payload = json{{"note", text}}.dump(-1, ' ', false, json::error_handler_t::replace);
      EXPECT_NE(out.find(rendered(payload)), std::string::npos) << "payload, version " << version;
      EXPECT_NE(out.find("\"requestId\":" + rendered(text)), std::string::npos) << version;
      if (version == 2) {
        EXPECT_NE(out.find("\"description\":" + rendered(text)), std::string::npos);
      }
      EXPECT_TRUE(json::accept(out));
    }
  }
}

// An answer far larger than the first reservation grows as it is written.
TEST(PostHogFlagsJsonTest, ManyFlagsMakeOneValidAnswer) {
  std::vector<FlagResult> results;
  for (int i = 0; i < 2000; ++i) {
    results.push_back({"flag-" + std::to_string(i), i % 2 == 0,
                       i % 3 == 0 ? std::optional<std::string>("v") : std::nullopt, json{{"i", i}},
                       Reason::kConditionMatch, i % 7, "", i});
  }
  for (int version : {1, 2}) {
    for (bool config : {false, true}) {
      auto out = json::parse(PostHogFlagsJson(results, {version, "rid", config}));
      const json& flags = version == 1 ? out["featureFlags"] : out["flags"];
      ASSERT_EQ(flags.size(), 2000u);
      EXPECT_EQ(out["requestId"], "rid");
      EXPECT_EQ(out.contains("supportedCompression"), config);
      if (version == 2) {
        EXPECT_EQ(flags["flag-1999"]["metadata"]["version"], 1999);
        EXPECT_EQ(flags["flag-1998"]["metadata"]["payload"], R"({"i":1998})");
        EXPECT_EQ(flags["flag-1998"]["reason"]["description"],
                  "Matched condition set " + std::to_string(1998 % 7 + 1));
      } else {
        EXPECT_EQ(flags["flag-1996"], true);
        EXPECT_EQ(flags["flag-1999"], false);
        EXPECT_EQ(flags["flag-1998"], "v");
      }
    }
  }
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
