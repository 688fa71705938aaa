// The real binary over real sockets: conditional GETs (304 on an unchanged list and resource,
// 200 after a change), paging 250 flags by cursor, unknown query parameters refused, and the
// CLI following cursors.
#include <gtest/gtest.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using testing::SendRequest;

using cli::HttpClient;
using cli::HttpResponse;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::ServerProcess;

const std::string kFlags = "/api/v1/projects/default/flags";

std::string FlagBody(const std::string& key) {
  return json{{"key", key},
              {"filters", {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 50}}}}}}}
      .dump();
}

std::string Key(int i) {
  char key[16];
  std::snprintf(key, sizeof key, "flag-%03d", i);
  return key;
}

TEST(HttpCachingTest, UnchangedListAndFlagAre304AndAChangeIs200WithANewETag) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendRequest(client, "POST", kFlags, FlagBody("checkout")).status, 201);

  HttpResponse list = SendRequest(client, "GET", kFlags);
  ASSERT_EQ(list.status, 200);
  std::string list_etag = list.Header("etag");
  ASSERT_FALSE(list_etag.empty());
  HttpResponse same_list =
      SendRequest(client, "GET", kFlags, "", kTestAdminKey, {{"If-None-Match", list_etag}});
  EXPECT_EQ(same_list.status, 304);
  EXPECT_TRUE(same_list.body.empty());
  EXPECT_EQ(same_list.Header("etag"), list_etag);

  HttpResponse flag = SendRequest(client, "GET", kFlags + "/checkout");
  ASSERT_EQ(flag.status, 200);
  EXPECT_EQ(flag.Header("etag"), "\"1\"");
  EXPECT_EQ(
      SendRequest(client, "GET", kFlags + "/checkout", "", kTestAdminKey, {{"If-None-Match", "W/\"1\""}})
          .status,
      304);
  EXPECT_EQ(
      SendRequest(client, "GET", kFlags + "/checkout", "", kTestAdminKey, {{"If-None-Match", "*"}}).status,
      304);

  // A write with the ETag as If-Match (the round trip editors use), then both are fresh again.
  ASSERT_EQ(SendRequest(client, "POST", kFlags + "/checkout/disable", "", kTestAdminKey,
                        {{"If-Match", flag.Header("etag")}})
                .status,
            200);
  HttpResponse changed_flag =
      SendRequest(client, "GET", kFlags + "/checkout", "", kTestAdminKey, {{"If-None-Match", "\"1\""}});
  EXPECT_EQ(changed_flag.status, 200);
  EXPECT_EQ(changed_flag.Header("etag"), "\"2\"");
  EXPECT_EQ(json::parse(changed_flag.body)["active"], false);
  HttpResponse changed_list =
      SendRequest(client, "GET", kFlags, "", kTestAdminKey, {{"If-None-Match", list_etag}});
  EXPECT_EQ(changed_list.status, 200);
  EXPECT_NE(changed_list.Header("etag"), list_etag);
  EXPECT_EQ(json::parse(changed_list.body)["flags"][0]["active"], false);

  // The connection is still good after a bodiless 304 (keep-alive framing).
  EXPECT_EQ(
      SendRequest(client, "GET", "/api/v1/projects", "", kTestAdminKey, {{"If-None-Match", "*"}}).status,
      304);
  EXPECT_EQ(SendRequest(client, "GET", "/api/v1/projects").status, 200);
}

TEST(HttpCachingTest, TwoHundredFiftyFlagsInPagesOfAHundredByFollowingLink) {
  ServerProcess server;
  HttpClient client(server.base_url());
  for (int i = 0; i < 250; ++i) ASSERT_EQ(SendRequest(client, "POST", kFlags, FlagBody(Key(i))).status, 201);

  std::vector<std::size_t> page_sizes;
  std::vector<std::string> keys;
  std::string target = kFlags + "?limit=100";
  while (true) {
    HttpResponse page = SendRequest(client, "GET", target);
    ASSERT_EQ(page.status, 200) << page.body;
    json body = json::parse(page.body);
    page_sizes.push_back(body["flags"].size());
    for (const auto& flag : body["flags"]) keys.push_back(flag["key"]);
    std::string link = page.Header("link");
    if (body["next_cursor"].is_null()) {
      EXPECT_EQ(link, "");
      break;
    }
    ASSERT_EQ(link.rfind("<", 0), 0u) << link;
    ASSERT_NE(link.find(">; rel=\"next\""), std::string::npos) << link;
    target = link.substr(1, link.find('>') - 1);
    EXPECT_NE(target.find("limit=100"), std::string::npos) << target;
    ASSERT_LT(page_sizes.size(), 5u) << "the cursor does not advance";
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{100, 100, 50}));
  ASSERT_EQ(keys.size(), 250u);
  for (int i = 0; i < 250; ++i) EXPECT_EQ(keys[static_cast<std::size_t>(i)], Key(i));

  // The default page is 100, and the CLI follows cursors to show all 250.
  EXPECT_EQ(json::parse(SendRequest(client, "GET", kFlags).body)["flags"].size(), 100u);
  auto listed = testing::RunSwitchyard({"flags", "list", "--json"}, {{"SWITCHYARD_URL", server.base_url()},
                                                                     {"SWITCHYARD_KEY", kTestAdminKey}});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out)["flags"].size(), 250u);
}

TEST(HttpCachingTest, UnknownQueryParameterIs400NamingItAndTheAcceptedOnes) {
  ServerProcess server;
  HttpClient client(server.base_url());
  HttpResponse typo = SendRequest(client, "GET", kFlags + "?actve=false");
  ASSERT_EQ(typo.status, 400);
  json error = json::parse(typo.body)["error"];
  EXPECT_EQ(error["code"], "invalid_query");
  EXPECT_EQ(error["field"], "actve");
  EXPECT_NE(error["message"].get<std::string>().find("tag, active, q, limit, cursor"), std::string::npos);
  EXPECT_EQ(SendRequest(client, "GET", "/api/v1/projects?limit=abc").status, 400);
  EXPECT_EQ(json::parse(SendRequest(client, "GET", "/api/v1/audit?limit=5000").body)["error"]["field"],
            "limit");
  EXPECT_EQ(SendRequest(client, "GET", kFlags + "?active=false&limit=5").status, 200);
}

}  // namespace
}  // namespace switchyard
