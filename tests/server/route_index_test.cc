#include "server/route_index.h"

#include <gtest/gtest.h>

#include <vector>

namespace switchyard::server {
namespace {

std::vector<std::size_t> Of(std::span<const std::size_t> span) {
  return {span.begin(), span.end()};
}

TEST(RouteIndexTest, GivesTheRoutesOfAShapeInTheOrderTheyWereAdded) {
  RouteIndex index;
  index.Add(0, 3, "api", false);    // /api/v1/x
  index.Add(1, 3, "v1", false);     // /v1/chat/completions
  index.Add(2, 3, "", true);        // /{a}/b/c: any first segment
  index.Add(3, 3, "api", false);    // /api/v1/y, after the parameter route
  index.Add(4, 2, "api", false);    // another segment count
  index.Add(5, 3, "flags", false);  // a group that starts after the parameter route

  EXPECT_EQ(Of(index.Candidates(3, "api")), (std::vector<std::size_t>{0, 2, 3}));
  EXPECT_EQ(Of(index.Candidates(3, "v1")), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(Of(index.Candidates(3, "flags")), (std::vector<std::size_t>{2, 5}));
  EXPECT_EQ(Of(index.Candidates(3, "other")), (std::vector<std::size_t>{2}));
  EXPECT_EQ(Of(index.Candidates(2, "api")), (std::vector<std::size_t>{4}));
  EXPECT_TRUE(index.Candidates(2, "v1").empty());
  EXPECT_TRUE(index.Candidates(9, "api").empty());
}

}  // namespace
}  // namespace switchyard::server
