#include "server/ofrep_evaluation.h"

#include <gtest/gtest.h>

#include "core/flag_test_util.h"

namespace switchyard::server {
namespace {

using json = nlohmann::json;
using testing_util::BuildSet;
using testing_util::Context;

std::optional<OfrepFailure> Read(const json& body, OfrepContext* out) {
  return ReadOfrepContext(body, out);
}

TEST(OfrepContextTest, TargetingKeyAndAttributesBecomeIdAndProperties) {
  OfrepContext context;
  auto failure = Read({{"context", {{"targetingKey", "user-1"}, {"plan", "pro"}, {"age", 30}}}}, &context);
  ASSERT_FALSE(failure) << failure->details;
  EXPECT_EQ(context.targeting_key, "user-1");
  EXPECT_EQ(context.attributes, (json{{"plan", "pro"}, {"age", 30}}));
}

TEST(OfrepContextTest, MissingOrEmptyTargetingKeyIsTargetingKeyMissing) {
  for (const json& body : {json::object(), json{{"context", nullptr}}, json{{"context", json::object()}},
                           json{{"context", {{"targetingKey", ""}}}}, json{{"context", {{"plan", "pro"}}}}}) {
    OfrepContext context;
    auto failure = Read(body, &context);
    ASSERT_TRUE(failure) << body.dump();
    EXPECT_EQ(failure->error, OfrepError::kTargetingKeyMissing) << body.dump();
    EXPECT_EQ(failure->field, "context.targetingKey");
  }
}

TEST(OfrepContextTest, WrongShapesAreInvalidContextNamingTheField) {
  OfrepContext context;
  auto not_object = Read({{"context", "user-1"}}, &context);
  ASSERT_TRUE(not_object);
  EXPECT_EQ(not_object->error, OfrepError::kInvalidContext);
  EXPECT_EQ(not_object->field, "context");

  auto numeric_key = Read({{"context", {{"targetingKey", 7}}}}, &context);
  ASSERT_TRUE(numeric_key);
  EXPECT_EQ(numeric_key->error, OfrepError::kInvalidContext);
  EXPECT_EQ(numeric_key->field, "context.targetingKey");

  auto long_key = Read({{"context", {{"targetingKey", std::string(401, 'x')}}}}, &context);
  ASSERT_TRUE(long_key);
  EXPECT_EQ(long_key->error, OfrepError::kInvalidContext);
  EXPECT_EQ(long_key->field, "context.targetingKey");

  // Attributes obey /api/v1/evaluate's property limits; the field names the attribute.
  auto deep =
      Read(json::parse(R"({"context": {"targetingKey": "u", "address": {"geo": {"lat": 1}}}})"), &context);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->error, OfrepError::kInvalidContext);
  EXPECT_EQ(deep->field.rfind("context.address", 0), 0u) << deep->field << ": " << deep->details;
}

TEST(OfrepContextTest, BodyThatIsNotAnObjectIsParseError) {
  OfrepContext context;
  auto failure = Read(json::array(), &context);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->error, OfrepError::kParseError);
  EXPECT_EQ(OfrepHttpStatus(failure->error), 400);
}

TEST(OfrepErrorTest, NamesAndStatusesAreTheSpecs) {
  EXPECT_EQ(OfrepErrorName(OfrepError::kFlagNotFound), "FLAG_NOT_FOUND");
  EXPECT_EQ(OfrepHttpStatus(OfrepError::kFlagNotFound), 404);
  EXPECT_EQ(OfrepErrorName(OfrepError::kTargetingKeyMissing), "TARGETING_KEY_MISSING");
  EXPECT_EQ(OfrepHttpStatus(OfrepError::kTargetingKeyMissing), 400);
  EXPECT_EQ(OfrepErrorName(OfrepError::kInvalidContext), "INVALID_CONTEXT");
  EXPECT_EQ(OfrepErrorName(OfrepError::kParseError), "PARSE_ERROR");
  EXPECT_EQ(OfrepErrorName(OfrepError::kGeneral), "GENERAL");
  EXPECT_EQ(OfrepHttpStatus(OfrepError::kGeneral), 500);
}

TEST(OfrepFailureJsonTest, CarriesKeyCodeDetailsAndOurErrorObject) {
  json out = OfrepFailureJson({OfrepError::kFlagNotFound, "no flag 'x'", "key"}, "x");
  EXPECT_EQ(out["key"], "x");
  EXPECT_EQ(out["errorCode"], "FLAG_NOT_FOUND");
  EXPECT_EQ(out["errorDetails"], "no flag 'x'");
  EXPECT_EQ(out["error"]["field"], "key");
  EXPECT_FALSE(OfrepFailureJson({OfrepError::kParseError, "bad", "body"}, "").contains("key"));
}

// Flags of every shape, to read through the engine as the routes do.
auto Flags() {
  return BuildSet({
      {{"key", "static-on"}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}},
      {{"key", "targeted"},
       {"filters",
        {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}, {"operator", "exact"}}}}}}},
         {"payloads", {{"true", "{\"limit\":5}"}}}}}},
      {{"key", "half"},
       {"filters", {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 50}}}}}}},
      {{"key", "off"}, {"active", false}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}},
      {{"key", "colour"},
       {"filters",
        {{"groups", {{{"properties", json::array()}}}},
         {"multivariate",
          {{"variants",
            {{{"key", "red"}, {"rollout_percentage", 50}},
             {{"key", "blue"}, {"rollout_percentage", 50}}}}}}}}},
      {{"key", "limit"},
       {"filters",
        {{"groups", {{{"properties", json::array()}, {"variant", "big"}}}},
         {"multivariate",
          {{"variants",
            {{{"key", "big"}, {"rollout_percentage", 50}}, {{"key", "small"}, {"rollout_percentage", 50}}}}}},
         {"payloads", {{"big", "100"}, {"small", "10"}}}}}},
      {{"key", "layout"},
       {"filters",
        {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}, {"operator", "exact"}}}}}}},
         {"multivariate", {{"variants", {{{"key", "wide"}, {"rollout_percentage", 100}}}}}},
         {"payloads", {{"wide", "{\"columns\":3}"}}}}}},
  });
}

json Evaluate(const FlagSet& set, const std::string& key, const std::string& user,
              json properties = json::object()) {
  FlagResult result = set.Evaluate(key, Context(user, std::move(properties)));
  return OfrepSuccessJson(result, set.Find(key));
}

TEST(OfrepSuccessJsonTest, BooleanFlagsAreBooleansWithStaticOrTargetingReasons) {
  auto set = Flags();
  json on = Evaluate(*set, "static-on", "u1");
  EXPECT_EQ(on["value"], true);
  EXPECT_EQ(on["reason"], "STATIC");
  EXPECT_EQ(on["variant"], "true");
  EXPECT_EQ(on["key"], "static-on");
  EXPECT_EQ(on["metadata"]["switchyardReason"], "condition_match");

  json matched = Evaluate(*set, "targeted", "u1", {{"plan", "pro"}});
  EXPECT_EQ(matched["value"], true);
  EXPECT_EQ(matched["reason"], "TARGETING_MATCH");
  EXPECT_EQ(matched["metadata"]["payload"], "{\"limit\":5}");  // JSON text: metadata holds scalars

  json unmatched = Evaluate(*set, "targeted", "u1", {{"plan", "free"}});
  EXPECT_EQ(unmatched["value"], false);
  EXPECT_EQ(unmatched["reason"], "DEFAULT");

  json disabled = Evaluate(*set, "off", "u1");
  EXPECT_EQ(disabled["value"], false);
  EXPECT_EQ(disabled["reason"], "DISABLED");
}

TEST(OfrepSuccessJsonTest, PartialRolloutIsSplitForUsersInAndOut) {
  auto set = Flags();
  bool saw_in = false;
  bool saw_out = false;
  for (int i = 0; i < 50; ++i) {
    json out = Evaluate(*set, "half", "user-" + std::to_string(i));
    EXPECT_EQ(out["reason"], "SPLIT");
    (out["value"] == true ? saw_in : saw_out) = true;
  }
  EXPECT_TRUE(saw_in);
  EXPECT_TRUE(saw_out);
}

TEST(OfrepSuccessJsonTest, MultivariateIsTheVariantKeyOrItsPayload) {
  auto set = Flags();
  json colour = Evaluate(*set, "colour", "u1");
  ASSERT_TRUE(colour["value"].is_string());
  EXPECT_EQ(colour["value"], colour["variant"]);
  EXPECT_EQ(colour["reason"], "SPLIT");  // the variant hash chose

  json limit = Evaluate(*set, "limit", "u1");
  EXPECT_EQ(limit["value"], 100);  // the payload, a number
  EXPECT_EQ(limit["variant"], "big");
  EXPECT_EQ(limit["reason"], "STATIC");  // the group names its variant: no hash

  json layout = Evaluate(*set, "layout", "u1", {{"plan", "pro"}});
  EXPECT_EQ(layout["value"], (json{{"columns", 3}}));
  EXPECT_EQ(layout["reason"], "SPLIT");  // one variant, but still the variant hash's choice

  json not_served = Evaluate(*set, "layout", "u1", {{"plan", "free"}});
  EXPECT_EQ(not_served["value"], false);
  EXPECT_FALSE(not_served.contains("variant"));
  EXPECT_EQ(not_served["reason"], "DEFAULT");
}

TEST(OfrepFailureOfTest, UnknownFlagIsFlagNotFoundAndErrorsAreGeneral) {
  auto set = Flags();
  FlagResult missing = set->Evaluate("nope", Context("u1"));
  auto not_found = OfrepFailureOf(missing);
  ASSERT_TRUE(not_found);
  EXPECT_EQ(not_found->error, OfrepError::kFlagNotFound);
  EXPECT_EQ(OfrepReason(missing, nullptr), "ERROR");

  FlagResult broken;
  broken.key = "b";
  broken.reason = Reason::kError;
  broken.detail = "prerequisite gone";
  auto general = OfrepFailureOf(broken);
  ASSERT_TRUE(general);
  EXPECT_EQ(general->error, OfrepError::kGeneral);
  EXPECT_EQ(general->details, "prerequisite gone");

  EXPECT_FALSE(OfrepFailureOf(set->Evaluate("static-on", Context("u1"))));
}

}  // namespace
}  // namespace switchyard::server
