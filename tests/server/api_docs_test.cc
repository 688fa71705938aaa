// docs/API.md documents every route: each "### METHOD /pattern" heading matches the route table,
// both ways, so the docs cannot drift from the code.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "server/api_harness.h"

namespace switchyard::server {
namespace {

TEST(ApiDocsTest, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  std::ifstream file(std::string(SY_TEST_DATA_DIR) + "/../../docs/API.md");
  ASSERT_TRUE(file.good());
  std::set<std::string> documented;
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("### ", 0) == 0) documented.insert(line.substr(4));
  }
  testing::ApiHarness api;
  std::set<std::string> routes;
  for (const auto& route : api.router().Routes()) routes.insert(route.method + " " + route.pattern);
  for (const auto& route : routes) EXPECT_TRUE(documented.count(route)) << "undocumented: " << route;
  for (const auto& doc : documented) EXPECT_TRUE(routes.count(doc)) << "documented but not routed: " << doc;
}

}  // namespace
}  // namespace switchyard::server
