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

std::string PolicyLine(const RouteInfo& route) {
  const RoutePolicy& p = route.policy;
  auto access = route.access == Access::kPublic    ? "public"
                : route.access == Access::kProject ? "project"
                                                   : "admin";
  auto key = route.access == Access::kPublic      ? "-"
             : p.key_source == KeySource::kBearer ? "bearer"
                                                  : "bearer\\|token";
  auto runs = p.execution == Execution::kWorker   ? "worker"
              : p.execution == Execution::kInline ? "inline"
                                                  : "async";
  std::string limit = p.max_body_bytes == 0 ? "default"
                      : p.max_body_bytes % (1024 * 1024) == 0
                          ? std::to_string(p.max_body_bytes >> 20) + " MiB"
                          : std::to_string(p.max_body_bytes / 1024) + " KiB";
  std::string query;
  for (const auto& name : p.query) query += (query.empty() ? "" : ", ") + ("`" + name + "`");
  // Only admin routes refuse unknown parameters; elsewhere the column would promise too much.
  if (route.access != Access::kAdmin) query = "any";
  if (p.stream_body) limit += ", streamed";
  return "| `" + route.method + " " + route.pattern + "` | " + access + " | " + key + " | " + runs + " | " +
         limit + " | " +
         (p.posthog_body  ? "posthog"
          : p.accept_gzip ? "gzip"
                          : "-") +
         " | " + (p.cors ? "yes" : "-") + " | " + (query.empty() ? "-" : query) + " |";
}

TEST(ApiDocsTest, RoutePoliciesTableMatchesTheRouteTable) {
  std::ifstream file(std::string(SY_TEST_DATA_DIR) + "/../../docs/API.md");
  ASSERT_TRUE(file.good());
  std::set<std::string> documented;
  std::string line;
  bool in_section = false;
  while (std::getline(file, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Route policies";
    if (in_section && line.rfind("| `", 0) == 0) documented.insert(line);
  }
  testing::ApiHarness api;
  std::set<std::string> expected;
  for (const auto& route : api.router().Routes()) expected.insert(PolicyLine(route));
  std::string missing;
  for (const auto& want : expected) {
    if (!documented.count(want)) missing += want + "\n";
  }
  EXPECT_TRUE(missing.empty()) << "docs/API.md's Route policies table lacks (or has other values for):\n"
                               << missing;
  for (const auto& doc : documented) EXPECT_TRUE(expected.count(doc)) << "stale policy line: " << doc;
}

}  // namespace
}  // namespace switchyard::server
