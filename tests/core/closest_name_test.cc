// The "did you mean" helper: which typos get a suggestion, and which names are too far off.
#include "core/closest_name.h"

#include <gtest/gtest.h>

namespace switchyard::core {
namespace {

constexpr std::string_view kGroupFields[] = {"properties", "rollout_percentage", "variant"};
constexpr std::string_view kFlagFields[] = {"key", "name", "description", "tags", "active", "filters"};

TEST(EditDistanceTest, CountsEachEditOnce) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("rolout", "rollout"), 1u);  // insertion
  EXPECT_EQ(EditDistance("activee", "active"), 1u);  // deletion
  EXPECT_EQ(EditDistance("actove", "active"), 1u);   // substitution
  EXPECT_EQ(EditDistance("acitve", "active"), 1u);   // adjacent swap
  EXPECT_EQ(EditDistance("Active", "active"), 0u);   // case does not count
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("variant", "properties"), EditDistance("properties", "variant"));
}

TEST(PlausibleEditsTest, GrowsWithLengthUpToThree) {
  EXPECT_EQ(PlausibleEdits(1), 1u);
  EXPECT_EQ(PlausibleEdits(5), 1u);
  EXPECT_EQ(PlausibleEdits(6), 2u);
  EXPECT_EQ(PlausibleEdits(9), 3u);
  EXPECT_EQ(PlausibleEdits(200), 3u);
}

TEST(ClosestNameTest, SuggestsTheNameATypoWasMeantToBe) {
  EXPECT_EQ(ClosestName("rolout_percentage", kGroupFields), "rollout_percentage");
  EXPECT_EQ(ClosestName("rollout_precentage", kGroupFields), "rollout_percentage");
  EXPECT_EQ(ClosestName("varient", kGroupFields), "variant");
  EXPECT_EQ(ClosestName("activ", kFlagFields), "active");
  EXPECT_EQ(ClosestName("Tags", kFlagFields), "tags");
  EXPECT_EQ(ClosestName("ky", kFlagFields), "key");
  EXPECT_EQ(ClosestName("flgs", std::vector<std::string>{"serve", "admin", "flags", "evaluate"}), "flags");
}

TEST(ClosestNameTest, NothingWhenNoNameIsPlausible) {
  EXPECT_EQ(ClosestName("percentage", kGroupFields), std::nullopt);  // 8 edits from rollout_percentage
  EXPECT_EQ(ClosestName("x", kFlagFields), std::nullopt);
  EXPECT_EQ(ClosestName("colour", kFlagFields), std::nullopt);
  EXPECT_EQ(ClosestName("", kFlagFields), std::nullopt);
  EXPECT_EQ(ClosestName("activ", std::span<const std::string_view>()), std::nullopt);
  EXPECT_EQ(ClosestName(std::string(100000, 'a'), kFlagFields), std::nullopt);
}

TEST(ClosestNameTest, AKnownNameNeedsNoSuggestion) {
  EXPECT_EQ(ClosestName("active", kFlagFields), std::nullopt);
}

TEST(ClosestNameTest, TheCloserNameWinsAndTiesGoToTheFirst) {
  constexpr std::string_view kNames[] = {"abcd", "abce", "abc"};
  EXPECT_EQ(ClosestName("abcf", kNames), "abcd");  // one edit from each of the first two
  EXPECT_EQ(ClosestName("abx", kNames), "abc");    // abc: 1 edit; abcd, abce: 2
}

}  // namespace
}  // namespace switchyard::core
