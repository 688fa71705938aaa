// FindStaleFlags: which flags the stale report lists, and why, judged against a cutoff (so a flag
// "unchanged for 30 days" is a record whose updated_at is back-dated, with no waiting).
#include "server/stale_flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kOld[] = "2026-09-01T00:00:00.000Z";
constexpr char kCutoff[] = "2026-10-01T00:00:00.000Z";
constexpr char kRecent[] = "2026-10-20T00:00:00.000Z";

store::FlagRecord Record(const std::string& key, FlagTargeting production,
                         const std::string& updated_at = kOld) {
  store::FlagRecord record;
  record.flag.key = key;
  record.environments["production"] = std::move(production);
  record.created_at = kOld;
  record.updated_at = updated_at;
  return record;
}

FlagTargeting Groups(bool active, std::vector<std::optional<double>> rollouts) {
  FlagTargeting targeting;
  targeting.active = active;
  for (auto rollout : rollouts) {
    ConditionGroup group;
    group.rollout_percentage = rollout;
    targeting.groups.push_back(group);
  }
  return targeting;
}

std::vector<std::string> Reasons(const std::vector<StaleFlag>& stale, const std::string& key) {
  std::vector<std::string> out;
  for (const StaleFlag& flag : stale) {
    if (flag.key != key) continue;
    for (const StaleReason& reason : flag.reasons) out.push_back(reason.reason + "@" + reason.since);
  }
  return out;
}

std::map<std::string, store::FlagEvaluationStats> Evaluated(const std::string& key, const std::string& at) {
  return {{key, store::FlagEvaluationStats{1, key, at, 10}}};
}

TEST(StaleFlagsTest, FullyRolledOutOrOffCountsOnlyWhenUnchangedSinceTheCutoff) {
  std::vector<store::FlagRecord> flags{
      Record("all-in", Groups(true, {std::nullopt, 100.0})),
      Record("half", Groups(true, {100.0, 50.0})),
      Record("off", Groups(false, {100.0})),
      Record("zero", Groups(true, {0.0, 0.0})),
      Record("recent", Groups(true, {100.0}), kRecent),
  };
  std::map<std::string, store::FlagEvaluationStats> evaluations;
  for (const char* key : {"all-in", "half", "off", "zero", "recent"})
    evaluations[key] = {1, key, kRecent, 5};  // all evaluated lately
  auto stale = FindStaleFlags(flags, "production", evaluations, kCutoff);
  EXPECT_THAT(Reasons(stale, "all-in"), ElementsAre(std::string("fully_rolled_out@") + kOld));
  EXPECT_THAT(Reasons(stale, "half"), IsEmpty());
  EXPECT_THAT(Reasons(stale, "off"), ElementsAre(std::string("fully_off@") + kOld));
  EXPECT_THAT(Reasons(stale, "zero"), ElementsAre(std::string("fully_off@") + kOld));
  EXPECT_THAT(Reasons(stale, "recent"), IsEmpty());  // changed after the cutoff
  EXPECT_EQ(stale.size(), 3u);
}

TEST(StaleFlagsTest, MultivariateIsRolledOutOnlyWithOneVariantAtAHundred) {
  FlagTargeting split = Groups(true, {100.0});
  split.variants = {{"a", "", 50}, {"b", "", 50}};
  FlagTargeting settled = Groups(true, {100.0});
  settled.variants = {{"a", "", 0}, {"b", "", 100}};
  auto stale =
      FindStaleFlags({Record("split", split), Record("settled", settled)}, "production",
                     {{"split", {1, "split", kRecent, 1}}, {"settled", {1, "settled", kRecent, 1}}}, kCutoff);
  EXPECT_THAT(Reasons(stale, "split"), IsEmpty());
  EXPECT_THAT(Reasons(stale, "settled"), ElementsAre(std::string("fully_rolled_out@") + kOld));
}

TEST(StaleFlagsTest, EvaluationReasonsAndArchivedFlagsAndOtherEnvironments) {
  std::vector<store::FlagRecord> flags{Record("quiet", Groups(true, {50.0})),
                                       Record("never", Groups(true, {50.0})),
                                       Record("new", Groups(true, {50.0}), kRecent)};
  flags[2].created_at = kRecent;
  store::FlagRecord archived = Record("archived", Groups(false, {0.0}));
  archived.archived = true;
  flags.push_back(archived);
  auto stale = FindStaleFlags(flags, "production", Evaluated("quiet", kOld), kCutoff);
  EXPECT_THAT(Reasons(stale, "quiet"), ElementsAre(std::string("not_evaluated@") + kOld));
  EXPECT_THAT(Reasons(stale, "never"), ElementsAre(std::string("never_evaluated@") + kOld));
  EXPECT_THAT(Reasons(stale, "new"), IsEmpty());       // too young to be stale
  EXPECT_THAT(Reasons(stale, "archived"), IsEmpty());  // retired already
  // Staging holds no targeting for these flags: off there.
  auto staging = FindStaleFlags({Record("quiet", Groups(true, {50.0}))}, "staging",
                                Evaluated("quiet", kRecent), kCutoff);
  EXPECT_THAT(Reasons(staging, "quiet"), ElementsAre(std::string("fully_off@") + kOld));
  EXPECT_EQ(StaleFlagJson(stale[0]),
            nlohmann::json::parse(R"({"key":"quiet","reasons":[{"reason":"not_evaluated","since":")" +
                                  std::string(kOld) + R"("}]})"));
}

}  // namespace
}  // namespace switchyard::server
