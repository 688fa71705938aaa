// FlagSet::With: a derived snapshot behaves exactly like a full Build of the same definitions,
// refuses what Build refuses, and compiles only what changed (the rest is shared).
#include "core/flag_set_change.h"

#include <gtest/gtest.h>

#include "core/flag_compiler.h"
#include "core/flag_test_util.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing_util::BuildSet;
using testing_util::Context;
using testing_util::OneGroupFlag;
using testing_util::ParseFlag;

json Prerequisite(const std::string& key) {
  return {{{"key", key}, {"type", "flag"}, {"value", true}}};
}

json Person(const std::string& key, const std::string& value) {
  return {{{"key", key}, {"value", value}}};
}

json InCohort(const std::string& id) {
  return {{{"key", id}, {"type", "cohort"}, {"operator", "in"}}};
}

json PlanCohort() {
  return {{"id", "pros"}, {"filters", {{"groups", {{{"properties", Person("plan", "pro")}}}}}}};
}

FlagSet::Change Upsert(const json& flag) {
  return {.upsert_flag = ParseFlag(flag)};
}

std::shared_ptr<const FlagSet> Apply(const std::shared_ptr<const FlagSet>& base,
                                     const FlagSet::Change& change) {
  auto next = base->With(change);
  EXPECT_TRUE(next.ok()) << next.status().ToString();
  return next.ok() ? *next : base;
}

void ExpectSameResults(const FlagSet& a, const FlagSet& b, const EvaluationContext& context) {
  const std::vector<FlagResult> left = a.EvaluateAll(context);
  const std::vector<FlagResult> right = b.EvaluateAll(context);
  ASSERT_EQ(left.size(), right.size());
  for (std::size_t i = 0; i < left.size(); ++i) {
    EXPECT_EQ(left[i].key, right[i].key);
    EXPECT_EQ(left[i].enabled, right[i].enabled) << left[i].key;
    EXPECT_EQ(left[i].reason, right[i].reason) << left[i].key;
    EXPECT_EQ(left[i].variant, right[i].variant) << left[i].key;
    EXPECT_EQ(left[i].detail, right[i].detail) << left[i].key;
  }
}

TEST(FlagSetChangeTest, DerivedSnapshotsMatchAFullBuild) {
  std::vector<json> flags = {OneGroupFlag("m", Person("plan", "pro")), OneGroupFlag("t", Prerequisite("m"))};
  const std::vector<json> cohorts = {PlanCohort()};
  auto set = BuildSet(flags, cohorts);
  // Keys that land before, between and after the existing ones move every index.
  const std::vector<json> writes = {OneGroupFlag("a", Prerequisite("t")), OneGroupFlag("n", InCohort("pros")),
                                    OneGroupFlag("z", Person("country", "de")),
                                    OneGroupFlag("m", Person("plan", "free")),
                                    OneGroupFlag("b", Prerequisite("z"))};
  for (const json& write : writes) {
    set = Apply(set, Upsert(write));
    std::erase_if(flags, [&](const json& f) { return f["key"] == write["key"]; });
    flags.push_back(write);
    const auto full = BuildSet(flags, cohorts);
    for (const char* plan : {"pro", "free"}) {
      ExpectSameResults(*set, *full, Context("u", {{"plan", plan}, {"country", "de"}}));
    }
  }
  set = Apply(set, {.removed_flag = "a"});
  EXPECT_EQ(set->Find("a"), nullptr);
  EXPECT_TRUE(set->Evaluate("t", Context("u", {{"plan", "free"}})).enabled);
  EXPECT_TRUE(set->Evaluate("b", Context("u", {{"country", "de"}})).enabled);
  EXPECT_TRUE(set->Evaluate("n", Context("u", {{"plan", "pro"}})).enabled);
}

TEST(FlagSetChangeTest, BaseSnapshotIsUntouched) {
  const auto base = BuildSet({OneGroupFlag("a", Person("plan", "pro"))});
  const auto next = Apply(base, Upsert(OneGroupFlag("a", Person("plan", "free"))));
  EXPECT_TRUE(base->Evaluate("a", Context("u", {{"plan", "pro"}})).enabled);
  EXPECT_FALSE(next->Evaluate("a", Context("u", {{"plan", "pro"}})).enabled);
  EXPECT_TRUE(next->Evaluate("a", Context("u", {{"plan", "free"}})).enabled);
}

TEST(FlagSetChangeTest, RefusesWhatBuildRefuses) {
  const auto base = BuildSet({OneGroupFlag("a", json::array()), OneGroupFlag("b", Prerequisite("a")),
                              OneGroupFlag("c", InCohort("pros"))},
                             {PlanCohort()});
  Status missing = base->With(Upsert(OneGroupFlag("d", Prerequisite("nope")))).status();
  EXPECT_EQ(missing.field(), "filters.groups[0].properties[0].key");
  Status cycle = base->With(Upsert(OneGroupFlag("a", Prerequisite("b")))).status();
  EXPECT_NE(cycle.message().find("prerequisite cycle"), std::string::npos) << cycle.message();
  Status in_use = base->With({.removed_flag = "a"}).status();
  EXPECT_NE(in_use.message().find("flag \"b\""), std::string::npos) << in_use.message();
  Status cohort_in_use = base->With({.removed_cohort = "pros"}).status();
  EXPECT_NE(cohort_in_use.message().find("names cohort \"pros\""), std::string::npos);
  EXPECT_EQ(base->With({.upsert_flag = ParseFlag(OneGroupFlag("e", json::array()))}).ok(), true);
  Flag invalid = ParseFlag(OneGroupFlag("e", json::array()));
  invalid.groups[0].rollout_percentage = 101;
  EXPECT_EQ(base->With({.upsert_flag = invalid}).status().field(), "filters.groups[0].rollout_percentage");
}

// flag-0 requires flag-1 ... requires flag-<depth>.
std::shared_ptr<const FlagSet> Chain(std::size_t depth) {
  std::vector<json> flags;
  for (std::size_t i = 0; i < depth; ++i) {
    flags.push_back(OneGroupFlag("flag-" + std::to_string(i), Prerequisite("flag-" + std::to_string(i + 1))));
  }
  flags.push_back(OneGroupFlag("flag-" + std::to_string(depth), json::array()));
  return BuildSet(flags);
}

TEST(FlagSetChangeTest, PrerequisiteDepthIsBoundedOnWrite) {
  const auto full = Chain(32);  // 32 levels: the most a write may make
  ASSERT_EQ(full->size(), 33u);
  EXPECT_TRUE(full->Evaluate("flag-0", Context("u")).enabled);
  Status deeper = full->With(Upsert(OneGroupFlag("top", Prerequisite("flag-0")))).status();
  EXPECT_EQ(deeper.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(deeper.field(), "filters.groups[0].properties[0].key");
  EXPECT_NE(deeper.message().find("flag \"top\": prerequisite chain is deeper than 32 levels: top -> flag-0"),
            std::string::npos)
      << deeper.message();
  // Lengthening the chain from the bottom is refused too.
  const auto with_leaf = Apply(full, Upsert(OneGroupFlag("leaf", json::array())));
  Status below = with_leaf->With(Upsert(OneGroupFlag("flag-32", Prerequisite("leaf")))).status();
  EXPECT_EQ(below.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(below.message().find("deeper than 32 levels"), std::string::npos) << below.message();
}

// Implementation property, asserted on the core: unchanged flags are the very same compiled
// objects, so a write costs the changed flag, not the project.
TEST(FlagSetChangeTest, OnlyTheChangedFlagIsCompiled) {
  std::vector<Flag> flags = {ParseFlag(OneGroupFlag("big", Person("email", ".*@example\\.com"))),
                             ParseFlag(OneGroupFlag("dep", Prerequisite("big"))),
                             ParseFlag(OneGroupFlag("plain", Person("plan", "pro")))};
  auto base = core::CompileFlagSet(std::move(flags), {});
  ASSERT_TRUE(base.ok());
  const FlagSet::Impl& before = **base;

  auto replaced = core::ApplyChange(before, Upsert(OneGroupFlag("plain", Person("plan", "free"))));
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ((*replaced)->compiled[0], before.compiled[0]);  // big
  EXPECT_EQ((*replaced)->compiled[1], before.compiled[1]);  // dep: "big" kept its index
  EXPECT_NE((*replaced)->compiled[2], before.compiled[2]);
  EXPECT_EQ((*replaced)->slots, before.slots);  // no new property name, no new table

  // A new key before "big" moves every index: "dep" is re-linked (a copy sharing the
  // definition), "big" and "plain" are shared as they are.
  auto inserted = core::ApplyChange(before, Upsert(OneGroupFlag("a", Person("country", "de"))));
  ASSERT_TRUE(inserted.ok());
  EXPECT_EQ((*inserted)->compiled[1], before.compiled[0]);
  EXPECT_NE((*inserted)->compiled[2], before.compiled[1]);
  EXPECT_EQ((*inserted)->compiled[2]->definition, before.compiled[1]->definition);
  EXPECT_EQ((*inserted)->compiled[2]->groups[0].filters[0].ref, 1u);
  EXPECT_EQ((*inserted)->compiled[3], before.compiled[2]);
}

TEST(FlagSetChangeTest, PropertySlotsStayBoundedUnderChurn) {
  auto set = BuildSet({OneGroupFlag("keep", Person("plan", "pro"))});
  for (int i = 0; i < 500; ++i) {
    set = Apply(set, Upsert(OneGroupFlag("churn", Person("p" + std::to_string(i), "x"))));
  }
  const auto last = Context("u", {{"p499", "x"}, {"plan", "pro"}});
  EXPECT_TRUE(set->Evaluate("churn", last).enabled);
  const auto all = set->EvaluateAll(last);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].enabled);
  EXPECT_TRUE(all[1].enabled);
  std::vector<Flag> flags = {ParseFlag(OneGroupFlag("keep", Person("plan", "pro")))};
  auto impl = core::CompileFlagSet(std::move(flags), {});
  ASSERT_TRUE(impl.ok());
  std::unique_ptr<FlagSet::Impl> current = std::move(*impl);
  for (int i = 0; i < 500; ++i) {
    auto next =
        core::ApplyChange(*current, Upsert(OneGroupFlag("churn", Person("p" + std::to_string(i), "x"))));
    ASSERT_TRUE(next.ok());
    current = std::move(*next);
    EXPECT_LE(current->property_slots, 2 * current->live_property_names + 65);
  }
}

}  // namespace
}  // namespace switchyard
