// `switchyard events list|tail` against the real server.
#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include "cli/cli_fixture.h"
#include "cli/http_client.h"

namespace switchyard::cli {
namespace {

using nlohmann::json;

class CliEventsTest : public CliTest {
 protected:
  void PostEvent(HttpClient& client, const std::string& name, const std::string& who) {
    auto response =
        client.Request("POST", "/api/v1/events", json{{"event", name}, {"distinct_id", who}}.dump(),
                       {{"Authorization", std::string("Bearer ") + testing::kTestProjectKey}});
    ASSERT_TRUE(response.ok());
    ASSERT_EQ(response->status, 200) << response->body;
  }
};

std::vector<json> NdjsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST_F(CliEventsTest, ListsWithFiltersAndPages) {
  HttpClient client(server_->base_url());
  for (int i = 0; i < 3; ++i) PostEvent(client, "view", "u" + std::to_string(i));
  PostEvent(client, "buy", "u1");

  json all = OkJson({"events", "list"});
  ASSERT_EQ(all["events"].size(), 4u);
  EXPECT_EQ(all["events"][0]["event"], "buy");
  json views = OkJson({"events", "list", "--event", "view", "--distinct-id", "u1"});
  ASSERT_EQ(views["events"].size(), 1u);
  EXPECT_EQ(views["events"][0]["distinct_id"], "u1");

  std::string table = Ok({"events", "list", "--limit", "2"});
  EXPECT_EQ(table.rfind("TIMESTAMP", 0), 0u) << table;
  EXPECT_NE(table.find("buy"), std::string::npos) << table;
  const std::string more = "more: switchyard events list --cursor ";
  auto at = table.find(more);
  ASSERT_NE(at, std::string::npos) << table;
  std::string cursor = table.substr(at + more.size());
  cursor.erase(cursor.find('\n'));
  json second = OkJson({"events", "list", "--limit", "2", "--cursor", cursor});
  ASSERT_EQ(second["events"].size(), 2u);
  EXPECT_EQ(second["events"][1]["distinct_id"], "u0");
  EXPECT_EQ(Run({"events", "list", "--after", "yesterday"}).exit_code, 1);
}

TEST_F(CliEventsTest, TailPrintsTheLatestThenFollowsNewEventsInOrder) {
  HttpClient client(server_->base_url());
  for (int i = 0; i < 3; ++i) PostEvent(client, "before", "old" + std::to_string(i));
  // Keeps sending until the tail has what it waits for, so the test does not depend on when
  // the tail's polls happen.
  std::atomic<bool> done{false};
  std::thread sender([&] {
    HttpClient own(server_->base_url());
    for (int i = 0; !done; ++i) {
      PostEvent(own, "after", "new" + std::to_string(i));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  auto result = Run({"events", "tail", "--last", "2", "--count", "5", "--interval", "0.05", "--json"});
  done = true;
  sender.join();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> lines = NdjsonLines(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;
  // The two latest at start (oldest first), then new ones in the order they were sent; none twice.
  std::vector<std::string> who;
  for (const json& line : lines) who.push_back(line["distinct_id"]);
  std::set<std::string> unique(who.begin(), who.end());
  EXPECT_EQ(unique.size(), 5u);
  int last_new = -1;
  for (const std::string& id : who) {
    if (id.rfind("new", 0) != 0) {
      EXPECT_EQ(last_new, -1) << "an old event after a new one";
      continue;
    }
    int n = std::stoi(id.substr(3));
    EXPECT_GT(n, last_new);
    last_new = n;
  }
  EXPECT_GE(last_new, 0);
}

}  // namespace
}  // namespace switchyard::cli
