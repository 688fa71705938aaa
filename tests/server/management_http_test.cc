// The management API's HTTP rules through the real router (no socket): ETags and 304s on every
// GET, cursor paging of every list, unknown query parameters refused. The same behaviour over real sockets is
// in tests/integration/http_caching_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "server/api_harness.h"
#include "server/list_page.h"

namespace switchyard::server {
namespace {

using nlohmann::json;
using testing::ApiHarness;
using testing::kAdminKey;
using testing::kProjectKey;

using testing::kFlags;

using testing::HeaderOf;
json FlagBody(const std::string& key) {
  return {{"key", key},
          {"filters", {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 50}}}}}}};
}

class ManagementHttpTest : public ::testing::Test {
 protected:
  Response Get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request request;
    request.method = "GET";
    request.target = target;
    ParseTarget(target, &request.path, &request.query);
    request.headers = std::move(headers);
    request.headers.emplace_back("authorization", std::string("Bearer ") + kAdminKey);
    return api_.router().Handle(request);
  }
  void CreateFlags(int count) {
    for (int i = 0; i < count; ++i) {
      char key[16];
      std::snprintf(key, sizeof key, "f%03d", i);
      ASSERT_EQ(api_.Call("POST", kFlags, FlagBody(key)).status, 201);
    }
  }

  ApiHarness api_;
};

TEST_F(ManagementHttpTest, EveryManagementGetHasAnETagAndAMatchIs304) {
  ASSERT_EQ(api_.Call("POST", kFlags, FlagBody("a")).status, 201);
  ASSERT_EQ(api_.Call("POST", "/api/v1/projects/default/cohorts",
                      json{{"id", "pros"}, {"filters", {{"groups", json::array()}}}})
                .status,
            201);
  ASSERT_EQ(
      api_.Call("PUT", "/api/v1/projects/default/persons/alice", json{{"properties", {{"plan", "pro"}}}})
          .status,
      200);
  for (const char* target : {"/api/v1/projects", "/api/v1/projects/default", "/api/v1/projects/default/keys",
                             "/api/v1/projects/default/flags", "/api/v1/projects/default/flags/a",
                             "/api/v1/projects/default/cohorts", "/api/v1/projects/default/cohorts/pros",
                             "/api/v1/projects/default/persons", "/api/v1/projects/default/persons/alice",
                             "/api/v1/projects/default/audit", "/api/v1/audit"}) {
    Response first = Get(target);
    ASSERT_EQ(first.status, 200) << target << ": " << first.body;
    std::string etag = HeaderOf(first, "ETag");
    ASSERT_FALSE(etag.empty()) << target;
    Response again = Get(target, {{"if-none-match", etag}});
    EXPECT_EQ(again.status, 304) << target;
    EXPECT_TRUE(again.body.empty()) << target;
    EXPECT_EQ(HeaderOf(again, "ETag"), etag) << target;
    EXPECT_EQ(Get(target, {{"if-none-match", "\"other\""}}).status, 200) << target;
  }
}

TEST_F(ManagementHttpTest, VersionedResourcesUseTheirVersionAsETagSoIfMatchTakesItBack) {
  ASSERT_EQ(api_.Call("POST", kFlags, FlagBody("a")).status, 201);
  EXPECT_EQ(HeaderOf(Get(kFlags + "/a"), "ETag"), "\"1\"");
  ASSERT_EQ(api_.Call("POST", "/api/v1/projects/default/cohorts",
                      json{{"id", "pros"}, {"filters", {{"groups", json::array()}}}})
                .status,
            201);
  EXPECT_EQ(HeaderOf(Get("/api/v1/projects/default/cohorts/pros"), "ETag"), "\"1\"");
  ASSERT_EQ(api_.Call("POST", kFlags + "/a/disable", json{{"version", 1}}).status, 200);
  Response changed = Get(kFlags + "/a", {{"if-none-match", "\"1\""}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(HeaderOf(changed, "ETag"), "\"2\"");
}

TEST_F(ManagementHttpTest, AListsETagChangesWhenAnItemDoes) {
  ASSERT_EQ(api_.Call("POST", kFlags, FlagBody("a")).status, 201);
  std::string etag = HeaderOf(Get(kFlags), "ETag");
  EXPECT_EQ(Get(kFlags, {{"if-none-match", etag}}).status, 304);
  ASSERT_EQ(api_.Call("POST", kFlags + "/a/rollout", json{{"percentage", 10}}).status, 200);
  Response after = Get(kFlags, {{"if-none-match", etag}});
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(HeaderOf(after, "ETag"), etag);
}

TEST_F(ManagementHttpTest, FlagsPageByCursorWithoutRepeatsOrGaps) {
  CreateFlags(25);
  std::vector<std::string> seen;
  std::string target = kFlags + "?limit=10";
  int pages = 0;
  while (true) {
    Response page = Get(target);
    ASSERT_EQ(page.status, 200) << page.body;
    json body = json::parse(page.body);
    for (const auto& flag : body["flags"]) seen.push_back(flag["key"]);
    ++pages;
    if (body["next_cursor"].is_null()) {
      EXPECT_EQ(HeaderOf(page, "Link"), "");
      break;
    }
    std::string link = HeaderOf(page, "Link");
    ASSERT_EQ(link, "<" + kFlags + "?limit=10&cursor=" + body["next_cursor"].get<std::string>() +
                        ">; rel=\"next\"");
    target = link.substr(1, link.find('>') - 1);
    if (pages == 1) {
      // Created meanwhile before the cursor, it does not shift the next page.
      ASSERT_EQ(api_.Call("POST", kFlags, FlagBody("e000")).status, 201);
    }
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  for (int i = 0; i < 25; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "f%03d", i);
    EXPECT_EQ(seen[static_cast<std::size_t>(i)], key);
  }
}

TEST_F(ManagementHttpTest, FiltersApplyBeforePaging) {
  CreateFlags(5);
  ASSERT_EQ(api_.Call("POST", kFlags + "/f003/disable").status, 200);
  json first = json::parse(Get(kFlags + "?active=true&limit=3").body);
  ASSERT_EQ(first["flags"].size(), 3u);
  EXPECT_EQ(first["flags"][2]["key"], "f002");
  json second = json::parse(
      Get(kFlags + "?active=true&limit=3&cursor=" + first["next_cursor"].get<std::string>()).body);
  ASSERT_EQ(second["flags"].size(), 1u);  // f003 is inactive
  EXPECT_EQ(second["flags"][0]["key"], "f004");
  EXPECT_TRUE(second["next_cursor"].is_null());
}

TEST_F(ManagementHttpTest, FlagKeysThatNameRoutesAreRefused) {
  for (const std::string key : {"stale", "apply"}) {
    auto created = api_.Call("POST", kFlags, FlagBody(key));
    EXPECT_EQ(created.status, 422) << key;  // as any other invalid flag
    EXPECT_EQ(json::parse(created.body)["error"]["field"], "key") << key;
  }
  EXPECT_EQ(api_.Call("POST", kFlags, FlagBody("stale-checkout")).status, 201);
}

TEST_F(ManagementHttpTest, BadLimitsAndCursorsAre400NamingTheParameter) {
  for (const auto& [target, field] : std::vector<std::pair<std::string, std::string>>{
           {kFlags + "?limit=0", "limit"},
           {kFlags + "?limit=1001", "limit"},
           {kFlags + "?cursor=nope!", "cursor"},
           {kFlags + "?cursor=" + EncodeCursor("cohorts", "a"), "cursor"},
           {"/api/v1/projects/default/persons?limit=5000", "limit"},
           {"/api/v1/projects/default/persons?offset=1&cursor=" + EncodeCursor("persons", "a"), "offset"},
           {"/api/v1/audit?before=3&cursor=" + EncodeCursor("audit", IdPosition(9)), "before"},
           {"/api/v1/audit?cursor=" + EncodeCursor("audit", "x"), "cursor"}}) {
    Response response = Get(target);
    EXPECT_EQ(response.status, 400) << target;
    json error = json::parse(response.body)["error"];
    EXPECT_EQ(error["code"], "invalid_query") << target;
    EXPECT_EQ(error["field"], field) << target;
  }
}

TEST_F(ManagementHttpTest, PersonsAndAuditPageByCursorToo) {
  for (const char* id : {"dave", "alice", "carol", "bob", "eve"}) {
    ASSERT_EQ(api_.Call("PUT", std::string("/api/v1/projects/default/persons/") + id,
                        json{{"properties", json::object()}})
                  .status,
              200);
  }
  auto page = [this](const std::string& target) { return json::parse(Get(target).body); };
  json first = page("/api/v1/projects/default/persons?limit=2");
  EXPECT_EQ(first["persons"][0]["distinct_id"], "alice");
  EXPECT_EQ(first["persons"][1]["distinct_id"], "bob");
  json second =
      page("/api/v1/projects/default/persons?limit=2&cursor=" + first["next_cursor"].get<std::string>());
  EXPECT_EQ(second["persons"][0]["distinct_id"], "carol");
  json third =
      page("/api/v1/projects/default/persons?limit=2&cursor=" + second["next_cursor"].get<std::string>());
  ASSERT_EQ(third["persons"].size(), 1u);
  EXPECT_TRUE(third["next_cursor"].is_null());
  // The older offset form still works for a first page.
  EXPECT_EQ(page("/api/v1/projects/default/persons?limit=2&offset=3")["persons"][0]["distinct_id"], "dave");

  CreateFlags(3);  // three audit entries, after the bootstrap's
  json all = page("/api/v1/projects/default/audit?limit=1000");
  const std::size_t total = all["entries"].size();
  EXPECT_TRUE(all["next_cursor"].is_null());
  EXPECT_TRUE(all["next_before"].is_null());
  std::size_t seen = 0;
  std::string target = "/api/v1/projects/default/audit?limit=2";
  for (;;) {
    json body = page(target);
    seen += body["entries"].size();
    if (body["next_cursor"].is_null()) break;
    EXPECT_EQ(body["next_before"], body["entries"].back()["id"]);
    target = "/api/v1/projects/default/audit?limit=2&cursor=" + body["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, total);
}

TEST_F(ManagementHttpTest, UnknownOrRepeatedQueryParametersAre400NamingThem) {
  Response typo = Get(kFlags + "?actve=false");
  ASSERT_EQ(typo.status, 400);
  json error = json::parse(typo.body)["error"];
  EXPECT_EQ(error["code"], "invalid_query");
  EXPECT_EQ(error["field"], "actve");
  std::string message = error["message"];
  EXPECT_NE(message.find("'actve'"), std::string::npos) << message;
  EXPECT_NE(message.find("tag, active, q, limit, cursor"), std::string::npos) << message;

  Response none = Get("/api/v1/projects/default?verbose=1");
  ASSERT_EQ(none.status, 400);
  EXPECT_NE(json::parse(none.body)["error"]["message"].get<std::string>().find("takes no query parameters"),
            std::string::npos);

  Response twice = Get(kFlags + "?limit=1&limit=2");
  ASSERT_EQ(twice.status, 400);
  EXPECT_EQ(json::parse(twice.body)["error"]["field"], "limit");

  EXPECT_EQ(api_.Call("DELETE", kFlags + "/missing?versoin=1").status, 400);
  EXPECT_EQ(api_.Call("POST", kFlags + "?dry_run=1", FlagBody("x")).status, 400);
  // Evaluate is called by SDKs that add their own parameters: it ignores what it does not know.
  EXPECT_EQ(api_.Call("POST", "/api/v1/evaluate?v=3", json{{"distinct_id", "u"}}, kProjectKey).status, 200);
}

TEST_F(ManagementHttpTest, EveryAdminRouteDeclaresItsQueryParameters) {
  // Without a declaration a route would refuse every parameter; list routes must take paging.
  for (const auto& route : api_.router().Routes()) {
    if (route.access != Access::kAdmin || route.method != "GET") continue;
    const bool is_list = route.pattern.back() != '}' && route.pattern != "/api/v1/projects/{project}" &&
                         route.pattern != "/metrics" && !route.pattern.ends_with("/aggregate") &&
                         !route.pattern.ends_with("/results") &&
                         route.pattern != "/api/v1/projects/{project}/holdout" &&      // a setting
                         route.pattern != "/api/v1/gateway/stats" &&                   // one snapshot
                         route.pattern != "/api/v1/projects/{project}/group-types" &&  // at most 5
                         !route.pattern.ends_with("/shadow/comparison");               // one report
    const auto& query = route.policy.query;
    if (is_list) {
      EXPECT_NE(std::find(query.begin(), query.end(), "limit"), query.end()) << route.pattern;
      EXPECT_NE(std::find(query.begin(), query.end(), "cursor"), query.end()) << route.pattern;
    }
  }
}

}  // namespace
}  // namespace switchyard::server
