// The flag algorithm end to end: reasons and condition_index for every outcome, rollouts,
// variants and overrides, payloads, bucketing_property, prerequisites, cohorts, and what Build
// refuses.
#include "switchyard/flag_set.h"

#include <gtest/gtest.h>

#include "core/flag_test_util.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing_util::BuildSet;
using testing_util::Context;
using testing_util::OneGroupFlag;
using testing_util::ParseFlag;

const json kProPlan = {{{"key", "plan"}, {"value", "pro"}}};

json Variants() {
  return {
      {"variants",
       {{{"key", "control"}, {"rollout_percentage", 50}}, {{"key", "test"}, {"rollout_percentage", 50}}}}};
}

std::string ExpectedVariant(const std::string& key, const std::string& id) {
  return BucketHash(key, id, "variant") < 0.5 ? "control" : "test";
}

TEST(FlagSetTest, InactiveFlagIsDisabled) {
  json flag = OneGroupFlag("f", json::array());
  flag["active"] = false;
  flag["version"] = 7;
  const FlagResult result = BuildSet({flag})->Evaluate("f", Context("u"));
  EXPECT_FALSE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kDisabled);
  EXPECT_EQ(result.version, 7);
  EXPECT_EQ(result.key, "f");
  EXPECT_FALSE(result.condition_index.has_value());
}

TEST(FlagSetTest, NoGroupsIsNoConditionMatch) {
  const FlagResult result = BuildSet({{{"key", "f"}}})->Evaluate("f", Context("u"));
  EXPECT_FALSE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kNoConditionMatch);
  EXPECT_FALSE(result.condition_index.has_value());
}

TEST(FlagSetTest, EmptyGroupMatchesEveryone) {
  const FlagResult result = BuildSet({OneGroupFlag("f", json::array())})->Evaluate("f", Context("anyone"));
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kConditionMatch);
  EXPECT_EQ(result.condition_index, 0);
  EXPECT_FALSE(result.variant.has_value());
  EXPECT_EQ(result.value(), json(true));
}

TEST(FlagSetTest, ZeroPercentIsNobodyAndHundredIsEveryone) {
  const auto set =
      BuildSet({OneGroupFlag("zero", json::array(), 0), OneGroupFlag("all", json::array(), 100)});
  for (int i = 0; i < 300; ++i) {
    const std::string id = "user-" + std::to_string(i);
    const FlagResult zero = set->Evaluate("zero", Context(id));
    EXPECT_FALSE(zero.enabled);
    EXPECT_EQ(zero.reason, Reason::kOutOfRollout);
    EXPECT_EQ(zero.condition_index, 0);
    EXPECT_TRUE(set->Evaluate("all", Context(id)).enabled);
  }
}

TEST(FlagSetTest, FractionalRolloutFollowsTheHash) {
  const auto set = BuildSet({OneGroupFlag("frac", json::array(), 33.3)});
  int enabled = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "user-" + std::to_string(i);
    const bool expected = BucketHash("frac", id) <= 0.333;
    EXPECT_EQ(set->Evaluate("frac", Context(id)).enabled, expected) << id;
    enabled += expected;
  }
  EXPECT_GT(enabled, 250);  // sanity: the hash spreads users
  EXPECT_LT(enabled, 420);
}

TEST(FlagSetTest, OutOfRolloutContinuesToLaterGroups) {
  json flag = {{"key", "f"},
               {"filters",
                {{"groups",
                  {{{"properties", kProPlan}, {"rollout_percentage", 0}},
                   {{"properties", {{{"key", "country"}, {"value", "FR"}}}}}}}}}};
  const auto set = BuildSet({flag});
  const FlagResult later = set->Evaluate("f", Context("u", {{"plan", "pro"}, {"country", "FR"}}));
  EXPECT_TRUE(later.enabled);
  EXPECT_EQ(later.condition_index, 1);
  const FlagResult out = set->Evaluate("f", Context("u", {{"plan", "pro"}, {"country", "US"}}));
  EXPECT_FALSE(out.enabled);
  EXPECT_EQ(out.reason, Reason::kOutOfRollout);
  EXPECT_EQ(out.condition_index, 0);
}

TEST(FlagSetTest, FirstMatchingGroupWins) {
  json flag = {{"key", "f"},
               {"filters",
                {{"groups",
                  {{{"properties", {{{"key", "country"}, {"value", "DE"}}}}},
                   {{"properties", kProPlan}, {"variant", "test"}},
                   {{"properties", json::array()}, {"variant", "control"}}}},
                 {"multivariate", Variants()}}}};
  const auto set = BuildSet({flag});
  const FlagResult pro = set->Evaluate("f", Context("u", {{"plan", "pro"}, {"country", "FR"}}));
  EXPECT_EQ(pro.condition_index, 1);
  EXPECT_EQ(pro.variant, "test");
  const FlagResult other = set->Evaluate("f", Context("u", {{"plan", "free"}, {"country", "FR"}}));
  EXPECT_EQ(other.condition_index, 2);
  EXPECT_EQ(other.variant, "control");
}

TEST(FlagSetTest, OverrideNamingMissingVariantFallsBackToHash) {
  json flag = OneGroupFlag("mv", json::array(), nullptr, "no-such-variant");
  flag["filters"]["multivariate"] = Variants();
  const auto set = BuildSet({flag});
  for (int i = 0; i < 50; ++i) {
    const std::string id = "user-" + std::to_string(i);
    const FlagResult result = set->Evaluate("mv", Context(id));
    EXPECT_TRUE(result.enabled);
    EXPECT_EQ(result.variant, ExpectedVariant("mv", id)) << id;
  }
}

TEST(FlagSetTest, ZeroPercentVariantIsNeverChosen) {
  json flag = OneGroupFlag("mv", json::array());
  flag["filters"]["multivariate"] = {{"variants",
                                      {{{"key", "a"}, {"rollout_percentage", 0}},
                                       {{"key", "b"}, {"rollout_percentage", 100}},
                                       {{"key", "c"}, {"rollout_percentage", 0}}}}};
  const auto set = BuildSet({flag});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(set->Evaluate("mv", Context(std::to_string(i))).variant, "b");
}

TEST(FlagSetTest, Payloads) {
  json boolean = OneGroupFlag("b", json::array());
  boolean["filters"]["payloads"] = {{"true", R"({"banner":"hi"})"}};
  json multivariate = OneGroupFlag("mv", json::array(), nullptr, "test");
  multivariate["filters"]["multivariate"] = Variants();
  multivariate["filters"]["payloads"] = {{"test", 42}};
  json off = OneGroupFlag("off", kProPlan);
  off["filters"]["payloads"] = {{"true", "x"}};
  const auto set = BuildSet({boolean, multivariate, off});
  EXPECT_EQ(set->Evaluate("b", Context("u")).payload, json({{"banner", "hi"}}));
  EXPECT_EQ(set->Evaluate("mv", Context("u")).payload, json(42));
  EXPECT_FALSE(set->Evaluate("off", Context("u", {{"plan", "free"}})).payload.has_value());

  json control = OneGroupFlag("mv2", json::array(), nullptr, "control");
  control["filters"]["multivariate"] = Variants();
  control["filters"]["payloads"] = {{"test", 42}};
  EXPECT_FALSE(BuildSet({control})->Evaluate("mv2", Context("u")).payload.has_value());
}

TEST(FlagSetTest, MissingPropertyReason) {
  const auto set =
      BuildSet({OneGroupFlag("f", {{{"key", "email"}, {"operator", "icontains"}, {"value", "@"}}})});
  const FlagResult result = set->Evaluate("f", Context("u"));
  EXPECT_FALSE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kMissingProperty);
  EXPECT_NE(result.detail.find("email"), std::string::npos);
  EXPECT_FALSE(result.condition_index.has_value());
}

TEST(FlagSetTest, DefiniteNonMatchBeatsMissingInAGroup) {
  const auto set = BuildSet(
      {OneGroupFlag("f", {{{"key", "country"}, {"value", "FR"}}, {{"key", "plan"}, {"value", "pro"}}})});
  EXPECT_EQ(set->Evaluate("f", Context("u", {{"plan", "free"}})).reason, Reason::kNoConditionMatch);
  EXPECT_EQ(set->Evaluate("f", Context("u", {{"plan", "pro"}})).reason, Reason::kMissingProperty);
}

TEST(FlagSetTest, LaterMatchBeatsEarlierMissing) {
  json flag = {{"key", "f"},
               {"filters",
                {{"groups",
                  {{{"properties", {{{"key", "email"}, {"operator", "ends_with"}, {"value", "@acme.com"}}}}},
                   {{"properties", kProPlan}}}}}}};
  const FlagResult result = BuildSet({flag})->Evaluate("f", Context("u", {{"plan", "pro"}}));
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.condition_index, 1);
}

TEST(FlagSetTest, OutOfRolloutBeatsMissing) {
  json flag = {{"key", "f"},
               {"filters",
                {{"groups",
                  {{{"properties", {{{"key", "email"}, {"operator", "is_set"}}}}},  // no match, not missing
                   {{"properties", {{{"key", "age"}, {"operator", "gt"}, {"value", 1}}}}},
                   {{"properties", kProPlan}, {"rollout_percentage", 0}}}}}}};
  const FlagResult result = BuildSet({flag})->Evaluate("f", Context("u", {{"plan", "pro"}}));
  EXPECT_EQ(result.reason, Reason::kOutOfRollout);
  EXPECT_EQ(result.condition_index, 2);
}

TEST(FlagSetTest, BucketingProperty) {
  json flag = OneGroupFlag("f", json::array(), 50);
  flag["bucketing_property"] = "session_id";
  json multivariate = OneGroupFlag("mv", json::array());
  multivariate["bucketing_identifier"] = "device_id";
  multivariate["filters"]["multivariate"] = Variants();
  const auto set = BuildSet({flag, multivariate});
  for (int i = 0; i < 100; ++i) {
    const std::string session = "session-" + std::to_string(i);
    const FlagResult result = set->Evaluate("f", Context("same-user", {{"session_id", session}}));
    EXPECT_EQ(result.enabled, BucketHash("f", session) <= 0.5) << session;
    const FlagResult device = set->Evaluate("mv", Context("same-user", {{"$device_id", session}}));
    EXPECT_EQ(device.variant, ExpectedVariant("mv", session));
  }
  // Numbers and booleans are printed like JSON before hashing.
  EXPECT_EQ(set->Evaluate("f", Context("u", {{"session_id", 12345}})).enabled,
            BucketHash("f", "12345") <= 0.5);
  EXPECT_EQ(set->Evaluate("f", Context("u", {{"session_id", 1.5}})).enabled, BucketHash("f", "1.5") <= 0.5);
  EXPECT_EQ(set->Evaluate("f", Context("u", {{"session_id", true}})).enabled, BucketHash("f", "true") <= 0.5);
  for (const json& properties : {json::object(), json{{"session_id", nullptr}}, json{{"session_id", ""}}}) {
    const FlagResult missing = set->Evaluate("f", Context("u", properties));
    EXPECT_FALSE(missing.enabled);
    EXPECT_EQ(missing.reason, Reason::kMissingProperty) << properties.dump();
    EXPECT_NE(missing.detail.find("session_id"), std::string::npos);
  }
}

json Prerequisite(const std::string& key, const std::string& on, json value) {
  return OneGroupFlag(key,
                      {{{"key", on}, {"type", "flag"}, {"operator", "flag_evaluates_to"}, {"value", value}}});
}

TEST(FlagSetTest, PrerequisiteTrueFalseAndVariant) {
  json base = OneGroupFlag("base", kProPlan, nullptr, "test");
  base["filters"]["multivariate"] = Variants();
  const auto set = BuildSet(
      {base, Prerequisite("needs-on", "base", true), Prerequisite("needs-off", "base", false),
       Prerequisite("needs-test", "base", "test"), Prerequisite("needs-control", "base", "control")});
  const auto pro = Context("u", {{"plan", "pro"}});
  const auto free = Context("u", {{"plan", "free"}});
  EXPECT_TRUE(set->Evaluate("needs-on", pro).enabled);
  EXPECT_FALSE(set->Evaluate("needs-on", free).enabled);
  EXPECT_FALSE(set->Evaluate("needs-off", pro).enabled);
  EXPECT_TRUE(set->Evaluate("needs-off", free).enabled);
  EXPECT_TRUE(set->Evaluate("needs-test", pro).enabled);
  EXPECT_FALSE(set->Evaluate("needs-control", pro).enabled);
  EXPECT_EQ(set->Evaluate("needs-control", pro).reason, Reason::kNoConditionMatch);
  EXPECT_FALSE(set->Evaluate("needs-test", free).enabled);
  // The same answers from one EvaluateAll call, where prerequisites are shared.
  for (const FlagResult& result : set->EvaluateAll(pro)) {
    EXPECT_EQ(result.enabled, set->Evaluate(result.key, pro).enabled) << result.key;
  }
}

TEST(FlagSetTest, EvaluateAllKeepsKeyOrderWhenPrerequisitesComeLater) {
  json base = OneGroupFlag("z-base", kProPlan);
  base["version"] = 9;
  const auto set =
      BuildSet({Prerequisite("a-needs", "z-base", true), OneGroupFlag("m-plain", json::array()), base});
  const auto all = set->EvaluateAll(Context("u", {{"plan", "pro"}}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].key, "a-needs");
  EXPECT_TRUE(all[0].enabled);
  EXPECT_EQ(all[1].key, "m-plain");
  EXPECT_EQ(all[2].key, "z-base");
  EXPECT_EQ(all[2].version, 9);
  const auto some = set->EvaluateSome({"z-base", "a-needs", "z-base"}, Context("u", {{"plan", "free"}}));
  ASSERT_EQ(some.size(), 3u);
  EXPECT_FALSE(some[0].enabled);
  EXPECT_FALSE(some[1].enabled);
  EXPECT_EQ(some[2].key, "z-base");
}

TEST(FlagSetTest, InactivePrerequisiteIsFalse) {
  json base = OneGroupFlag("base", json::array());
  base["active"] = false;
  const auto set =
      BuildSet({base, Prerequisite("needs-on", "base", true), Prerequisite("needs-off", "base", false)});
  EXPECT_FALSE(set->Evaluate("needs-on", Context("u")).enabled);
  EXPECT_TRUE(set->Evaluate("needs-off", Context("u")).enabled);
}

TEST(FlagSetTest, PrerequisiteChain) {
  const auto set =
      BuildSet({OneGroupFlag("a", kProPlan), Prerequisite("b", "a", true), Prerequisite("c", "b", true)});
  EXPECT_TRUE(set->Evaluate("c", Context("u", {{"plan", "pro"}})).enabled);
  EXPECT_FALSE(set->Evaluate("c", Context("u", {{"plan", "free"}})).enabled);
}

TEST(FlagSetTest, CohortInAndNotIn) {
  const json cohort = {
      {"id", "beta"},
      {"filters",
       {{"groups",
         {{{"properties", {{{"key", "email"}, {"operator", "ends_with"}, {"value", "@acme.com"}}}},
           {"rollout_percentage", 0}},  // ignored inside a cohort
          {{"properties", {{{"key", "beta"}, {"value", true}}}}}}}}}};
  const json in = OneGroupFlag("in", {{{"key", "beta"}, {"type", "cohort"}, {"operator", "in"}}});
  const json not_in = OneGroupFlag("not-in", {{{"key", "beta"}, {"type", "cohort"}, {"operator", "not_in"}}});
  const auto set = BuildSet({in, not_in}, {cohort});
  const auto member = Context("u", {{"email", "jo@acme.com"}, {"beta", false}});
  const auto by_second_group = Context("u", {{"email", "jo@example.com"}, {"beta", true}});
  const auto outsider = Context("u", {{"email", "jo@example.com"}, {"beta", false}});
  EXPECT_TRUE(set->Evaluate("in", member).enabled);
  EXPECT_TRUE(set->Evaluate("in", by_second_group).enabled);
  EXPECT_FALSE(set->Evaluate("in", outsider).enabled);
  EXPECT_FALSE(set->Evaluate("not-in", member).enabled);
  EXPECT_TRUE(set->Evaluate("not-in", outsider).enabled);
}

TEST(FlagSetTest, MissingPropertyInsideCohortPropagates) {
  const json cohort = {{"id", "7"}, {"filters", {{"groups", {{{"properties", kProPlan}}}}}}};
  const auto set =
      BuildSet({OneGroupFlag("in", {{{"key", "7"}, {"type", "cohort"}}}),
                OneGroupFlag("not-in", {{{"key", "7"}, {"type", "cohort"}, {"operator", "not_in"}}})},
               {cohort});
  for (const char* key : {"in", "not-in"}) {
    const FlagResult result = set->Evaluate(key, Context("u"));
    EXPECT_EQ(result.reason, Reason::kMissingProperty) << key;
    EXPECT_NE(result.detail.find("plan"), std::string::npos);
  }
}

TEST(FlagSetTest, UnknownKeys) {
  const auto set = BuildSet({OneGroupFlag("b", json::array()), OneGroupFlag("a", json::array())});
  const FlagResult missing = set->Evaluate("nope", Context("u"));
  EXPECT_EQ(missing.reason, Reason::kFlagNotFound);
  EXPECT_EQ(missing.key, "nope");
  EXPECT_FALSE(missing.enabled);
  const auto some = set->EvaluateSome({"b", "nope", "a"}, Context("u"));
  ASSERT_EQ(some.size(), 3u);
  EXPECT_EQ(some[0].key, "b");
  EXPECT_EQ(some[1].reason, Reason::kFlagNotFound);
  EXPECT_EQ(some[2].key, "a");
  EXPECT_TRUE(some[2].enabled);
}

TEST(FlagSetTest, SortedAccessors) {
  json c = OneGroupFlag("c", json::array());
  c["version"] = 4;
  const auto set = BuildSet({c, OneGroupFlag("a", json::array()), OneGroupFlag("b", json::array())});
  ASSERT_EQ(set->size(), 3u);
  EXPECT_EQ(set->flag(0).key, "a");
  EXPECT_EQ(set->flag(2).key, "c");
  ASSERT_NE(set->Find("c"), nullptr);
  EXPECT_EQ(set->Find("c")->version, 4);
  EXPECT_EQ(set->Find("zz"), nullptr);
  const auto all = set->EvaluateAll(Context("u"));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].key, "a");
  EXPECT_EQ(all[2].key, "c");
  EXPECT_EQ(all[2].version, 4);
  EXPECT_EQ(FlagSet::Empty()->size(), 0u);
  EXPECT_TRUE(FlagSet::Empty()->EvaluateAll(Context("u")).empty());
}

Status BuildError(const std::vector<json>& flags, const std::vector<json>& cohorts = {}) {
  std::vector<Flag> parsed;
  for (const json& j : flags) parsed.push_back(ParseFlag(j));
  std::vector<Cohort> parsed_cohorts;
  for (const json& j : cohorts) parsed_cohorts.push_back(testing_util::ParseCohort(j));
  return FlagSet::Build(std::move(parsed), std::move(parsed_cohorts)).status();
}

// Regression: the range's upper bound was `part + 1`, which overflowed at the largest part, so
// such a range was accepted but never matched.
TEST(FlagSetTest, SemverRangeAtTheLargestPartMatches) {
  const std::string max = "9223372036854775807";
  const auto set = BuildSet({OneGroupFlag(
      "tilde", {{{"key", "app_version"}, {"operator", "semver_tilde"}, {"value", "1." + max + ".0"}}})});
  EXPECT_TRUE(set->Evaluate("tilde", Context("u", {{"app_version", "1." + max + ".5"}})).enabled);
  EXPECT_FALSE(set->Evaluate("tilde", Context("u", {{"app_version", "2.0.0"}})).enabled);
}

TEST(FlagSetBuildTest, RefusesOutOfRangeVersionNamingTheField) {
  Flag flag;
  flag.key = "f";
  PropertyFilter filter;
  filter.key = "app_version";
  filter.op = Operator::kSemverCaret;
  filter.value = "1.99999999999999999999.0";
  flag.groups.emplace_back().properties.push_back(filter);
  Status status = FlagSet::Build({flag}).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "filters.groups[0].properties[0].value");
}

TEST(FlagSetBuildTest, RefusesMissingPrerequisite) {
  Status s = BuildError({Prerequisite("a", "ghost", true)});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "filters.groups[0].properties[0].key");
  EXPECT_NE(s.message().find("ghost"), std::string::npos);
  EXPECT_NE(s.message().find("\"a\""), std::string::npos);
}

TEST(FlagSetBuildTest, RefusesMissingCohort) {
  Status s = BuildError({OneGroupFlag("a", {{{"key", "ghost-cohort"}, {"type", "cohort"}}})});
  EXPECT_EQ(s.field(), "filters.groups[0].properties[0].key");
  EXPECT_NE(s.message().find("ghost-cohort"), std::string::npos);
}

TEST(FlagSetBuildTest, RefusesCycles) {
  Status two = BuildError({Prerequisite("a", "b", true), Prerequisite("b", "a", true)});
  EXPECT_EQ(two.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(two.message().find("a -> b -> a"), std::string::npos) << two.message();
  EXPECT_EQ(two.field(), "filters.groups[0].properties[0].key");
  Status self = BuildError({Prerequisite("a", "a", false)});
  EXPECT_NE(self.message().find("a -> a"), std::string::npos) << self.message();
  Status three = BuildError({OneGroupFlag("root", json::array()), Prerequisite("x", "y", true),
                             Prerequisite("y", "z", true), Prerequisite("z", "x", "v")});
  EXPECT_NE(three.message().find("x -> y -> z -> x"), std::string::npos) << three.message();
}

TEST(FlagSetBuildTest, AcceptsDiamond) {
  json d = OneGroupFlag("d", {{{"key", "b"}, {"type", "flag"}, {"value", true}},
                              {{"key", "c"}, {"type", "flag"}, {"value", true}}});
  const auto set = BuildSet(
      {OneGroupFlag("a", json::array()), Prerequisite("b", "a", true), Prerequisite("c", "a", true), d});
  EXPECT_TRUE(set->Evaluate("d", Context("u")).enabled);
}

TEST(FlagSetBuildTest, RefusesDuplicatesAndInvalidFlags) {
  EXPECT_EQ(BuildError({OneGroupFlag("a", json::array()), OneGroupFlag("a", json::array())}).field(), "key");
  Flag bad = ParseFlag(OneGroupFlag("bad", json::array()));
  bad.groups[0].rollout_percentage = 150;
  Status s = FlagSet::Build({bad}).status();
  EXPECT_EQ(s.field(), "filters.groups[0].rollout_percentage");
  EXPECT_NE(s.message().find("bad"), std::string::npos);
  Flag bad_regex = ParseFlag(OneGroupFlag("re", {{{"key", "p"}, {"operator", "regex"}, {"value", "x"}}}));
  bad_regex.groups[0].properties[0].value = "(";
  EXPECT_EQ(FlagSet::Build({bad_regex}).status().field(), "filters.groups[0].properties[0].value");
  const json cohort = {{"id", "c"}, {"filters", {{"groups", json::array()}}}};
  EXPECT_EQ(BuildError({}, {cohort, cohort}).field(), "id");
}

}  // namespace
}  // namespace switchyard
