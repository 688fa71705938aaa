#include "server/person_cache.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

PersonCache::Properties Props(nlohmann::json json) {
  return std::make_shared<const nlohmann::json>(std::move(json));
}

TEST(PersonCacheTest, MissThenHitThenInvalidated) {
  PersonCache cache(100);
  EXPECT_FALSE(cache.Lookup(1, "alice"));
  cache.Insert(1, "alice", Props({{"plan", "pro"}}), cache.Generation());
  auto hit = cache.Lookup(1, "alice");
  ASSERT_TRUE(hit);
  EXPECT_EQ((**hit)["plan"], "pro");
  EXPECT_FALSE(cache.Lookup(2, "alice")) << "projects are separate";
  cache.Invalidate(1, "alice");
  EXPECT_FALSE(cache.Lookup(1, "alice"));
}

TEST(PersonCacheTest, AbsentPersonsAreCachedAsNull) {
  PersonCache cache(100);
  cache.Insert(1, "nobody", Props(nullptr), cache.Generation());
  auto hit = cache.Lookup(1, "nobody");
  ASSERT_TRUE(hit);
  EXPECT_TRUE((*hit)->is_null());
}

TEST(PersonCacheTest, AReadThatRacedAWriteIsNotCached) {
  PersonCache cache(100);
  std::uint64_t before_read = cache.Generation();
  // ... the reader reads the old properties from the store; meanwhile a writer commits and:
  cache.Invalidate(1, "alice");
  cache.Insert(1, "alice", Props({{"plan", "free"}}), before_read);
  EXPECT_FALSE(cache.Lookup(1, "alice")) << "the stale read must not be served";
}

TEST(PersonCacheTest, CapacityIsBounded) {
  PersonCache cache(32);
  for (int i = 0; i < 10000; ++i) cache.Insert(1, "user-" + std::to_string(i), Props(i), cache.Generation());
  int cached = 0;
  for (int i = 0; i < 10000; ++i) cached += cache.Lookup(1, "user-" + std::to_string(i)) ? 1 : 0;
  EXPECT_GT(cached, 0);
  EXPECT_LE(cached, 32);
}

TEST(PersonCacheTest, ZeroCapacityTurnsItOff) {
  PersonCache cache(0);
  cache.Insert(1, "alice", Props({{"plan", "pro"}}), cache.Generation());
  EXPECT_FALSE(cache.Lookup(1, "alice"));
}

}  // namespace
}  // namespace switchyard::server
