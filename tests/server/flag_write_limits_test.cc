// Limits a flag write enforces through the API: prerequisite chains at most 32 deep, and version
// numbers a 64-bit part can hold. Each answers 422 naming the field.
#include <gtest/gtest.h>

#include "server/api_harness.h"

namespace switchyard::server {
namespace {

using nlohmann::json;
using testing::ApiHarness;
using testing::Json;

const char kFlags[] = "/api/v1/projects/default/flags";

json WithFilter(const std::string& key, json filter) {
  return {{"key", key}, {"filters", {{"groups", {{{"properties", {std::move(filter)}}}}}}}};
}

json WithPrerequisite(const std::string& key, const std::string& prerequisite) {
  return WithFilter(key, {{"key", prerequisite}, {"type", "flag"}, {"value", true}});
}

TEST(FlagWriteLimitsTest, PrerequisiteChainDeeperThan32IsRefused) {
  ApiHarness api;
  ASSERT_EQ(api.Call("POST", kFlags,
                     json{{"key", "level-0"}, {"filters", {{"groups", {{{"properties", json::array()}}}}}}})
                .status,
            201);
  for (int level = 1; level <= 32; ++level) {
    const auto created =
        api.Call("POST", kFlags,
                 WithPrerequisite("level-" + std::to_string(level), "level-" + std::to_string(level - 1)));
    ASSERT_EQ(created.status, 201) << level << ": " << created.body;
  }
  const auto refused = api.Call("POST", kFlags, WithPrerequisite("level-33", "level-32"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Json(refused)["error"]["field"], "filters.groups[0].properties[0].key");
  EXPECT_EQ(api.Call("GET", std::string(kFlags) + "/level-33").status, 404);
  auto evaluated =
      Json(api.Call("POST", "/api/v1/evaluate", json{{"distinct_id", "u"}}, testing::kProjectKey));
  EXPECT_EQ(evaluated["flags"]["level-32"]["enabled"], true);
}

TEST(FlagWriteLimitsTest, VersionPartBeyond64BitsIsRefused) {
  ApiHarness api;
  const auto refused = api.Call("POST", kFlags,
                                WithFilter("v", {{"key", "app_version"},
                                                 {"operator", "semver_caret"},
                                                 {"value", "1.99999999999999999999.0"}}));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Json(refused)["error"]["field"], "filters.groups[0].properties[0].value");
  const auto largest = api.Call(
      "POST", kFlags,
      WithFilter(
          "w", {{"key", "app_version"}, {"operator", "semver_tilde"}, {"value", "1.9223372036854775807.0"}}));
  EXPECT_EQ(largest.status, 201) << largest.body;
  auto evaluated =
      Json(api.Call("POST", "/api/v1/evaluate",
                    json{{"distinct_id", "u"}, {"properties", {{"app_version", "1.9223372036854775807.9"}}}},
                    testing::kProjectKey));
  EXPECT_EQ(evaluated["flags"]["w"]["enabled"], true);
}

}  // namespace
}  // namespace switchyard::server
