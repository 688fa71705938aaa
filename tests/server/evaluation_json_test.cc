#include "server/evaluation_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace switchyard::server {
namespace {

TEST(EvaluationJsonTest, WritesTheDocumentedShape) {
  FlagResult variant;
  variant.key = "exp";
  variant.enabled = true;
  variant.variant = "test";
  variant.payload = nlohmann::json{{"model", "gpt-4o-mini"}, {"temperature", 0.2}};
  variant.reason = Reason::kConditionMatch;
  variant.condition_index = 1;
  variant.version = 7;
  FlagResult missing;
  missing.key = "needs-plan";
  missing.reason = Reason::kMissingProperty;
  missing.detail = "property 'plan' is missing";
  missing.version = 2;

  auto parsed = nlohmann::json::parse(EvaluationResponseJson("alice", {variant, missing}));
  EXPECT_EQ(parsed["distinct_id"], "alice");
  EXPECT_EQ(parsed["flags"]["exp"],
            (nlohmann::json{{"key", "exp"},
                            {"enabled", true},
                            {"value", "test"},
                            {"variant", "test"},
                            {"payload", {{"model", "gpt-4o-mini"}, {"temperature", 0.2}}},
                            {"reason", "condition_match"},
                            {"condition_index", 1},
                            {"version", 7}}));
  EXPECT_EQ(parsed["flags"]["needs-plan"], (nlohmann::json{{"key", "needs-plan"},
                                                           {"enabled", false},
                                                           {"value", false},
                                                           {"variant", nullptr},
                                                           {"payload", nullptr},
                                                           {"reason", "missing_property"},
                                                           {"condition_index", nullptr},
                                                           {"version", 2},
                                                           {"detail", "property 'plan' is missing"}}));
}

TEST(EvaluationJsonTest, EscapesWhatNeedsEscaping) {
  FlagResult result;
  result.key = "k";
  result.enabled = true;
  auto text = EvaluationResponseJson("quote\" back\\ nl\n ctl\x01 utf8 é bad\xff", {result});
  auto parsed = nlohmann::json::parse(text);  // must be valid JSON
  EXPECT_EQ(parsed["distinct_id"].get<std::string>().substr(0, 27), "quote\" back\\ nl\n ctl\x01 utf8 ");
  EXPECT_EQ(parsed["flags"]["k"]["value"], true);
}

TEST(EvaluationJsonTest, EmptyResults) {
  EXPECT_EQ(nlohmann::json::parse(EvaluationResponseJson("u", {})),
            (nlohmann::json{{"distinct_id", "u"}, {"flags", nlohmann::json::object()}}));
}

}  // namespace
}  // namespace switchyard::server
