// POST /api/v1/evaluate/batch through the real router (no socket): the streamed NDJSON answer
// equals the single evaluate answers, in order; bad input is refused before anything streams.
#include <gtest/gtest.h>

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "server/api_harness.h"
#include "server/batch_evaluation_stream.h"
#include "server/response_stream.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using nlohmann::json;
using testing::ApiHarness;
using testing::kAdminKey;
using testing::kProjectKey;

using testing::kFlags;

json FlagBody(const std::string& key, double rollout) {
  return {{"key", key},
          {"filters",
           {{"groups",
             {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}}},
               {"rollout_percentage", rollout}}}}}}};
}

class BatchEvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(api_.Call("POST", kFlags, FlagBody("f" + std::to_string(i), 30.0 * (i + 1))).status, 201);
    }
  }
  ApiHarness api_;
};

std::string Drain(ResponseStream& stream) {
  net::io_context ioc;
  auto all = net::co_spawn(
      ioc,
      [&stream]() -> net::awaitable<std::string> {
        std::string out;
        while (auto piece = co_await stream.Next()) out += *piece;
        co_return out;
      },
      net::use_future);
  ioc.run();
  return all.get();
}

TEST_F(BatchEvaluateTest, BatchEvaluationStreamsOneEvaluateAnswerPerUserInOrder) {
  ASSERT_EQ(
      api_.Call("PUT", "/api/v1/projects/default/persons/u7", json{{"properties", {{"plan", "pro"}}}}).status,
      200);
  json users = json::array();
  for (int i = 0; i < 40; ++i) {
    json user = {{"distinct_id", "u" + std::to_string(i)}};
    if (i % 3 == 0) user["properties"] = {{"n", i}};
    users.push_back(user);
  }
  Response response = api_.Call("POST", "/api/v1/evaluate/batch", json{{"users", users}}, kProjectKey);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/x-ndjson");
  ASSERT_NE(response.stream, nullptr);
  std::string lines = Drain(*response.stream);
  std::size_t start = 0;
  for (const auto& user : users) {
    std::size_t end = lines.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    json single_body = {{"distinct_id", user["distinct_id"]}};
    if (user.contains("properties")) single_body["properties"] = user["properties"];
    Response single = api_.Call("POST", "/api/v1/evaluate", single_body, kProjectKey);
    EXPECT_EQ(lines.substr(start, end - start), single.body);
    start = end + 1;
  }
  EXPECT_EQ(start, lines.size());
}

TEST_F(BatchEvaluateTest, ABadBatchUserIsRefusedBeforeAnythingStreams) {
  json users = json::array({{{"distinct_id", "a"}}, {{"distinct_id", 7}}});
  Response response = api_.Call("POST", "/api/v1/evaluate/batch", json{{"users", users}}, kProjectKey);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.stream, nullptr);
  EXPECT_EQ(json::parse(response.body)["error"]["field"], "users[1].distinct_id");
  // An admin key names the project, as with evaluate.
  Response admin = api_.Call("POST", "/api/v1/evaluate/batch", json{{"users", json::array()}}, kAdminKey);
  EXPECT_EQ(json::parse(admin.body)["error"]["field"], "project");
}

TEST_F(BatchEvaluateTest, PiecesHoldWholeLinesAndStopWhenCancelled) {
  json users = json::array();
  for (int i = 0; i < 10; ++i) users.push_back({{"distinct_id", "u" + std::to_string(i)}});
  Response response = api_.Call("POST", "/api/v1/evaluate/batch", json{{"users", users}}, kProjectKey);
  ASSERT_NE(response.stream, nullptr);
  std::string everything = Drain(*response.stream);

  // The same users with a tiny piece size: one line per piece, together the same bytes.
  std::vector<EvaluationContext> contexts;
  for (int i = 0; i < 10; ++i) {
    EvaluationContext context;
    context.distinct_id = "u" + std::to_string(i);
    contexts.push_back(context);
  }
  auto snapshot = api_.snapshots().Get(1);
  BatchEvaluationStream small(snapshot, contexts, std::nullopt, 1);
  net::io_context ioc;
  auto pieces = net::co_spawn(
      ioc,
      [&small]() -> net::awaitable<std::vector<std::string>> {
        std::vector<std::string> out;
        while (auto piece = co_await small.Next()) out.push_back(*piece);
        co_return out;
      },
      net::use_future);
  ioc.run();
  std::vector<std::string> got = pieces.get();
  ASSERT_EQ(got.size(), 10u);
  std::string joined;
  for (const auto& piece : got) {
    EXPECT_EQ(piece.find('\n'), piece.size() - 1) << piece;
    joined += piece;
  }
  EXPECT_EQ(joined, everything);

  BatchEvaluationStream cancelled(snapshot, contexts, std::nullopt, 1);
  cancelled.Cancel();
  EXPECT_EQ(Drain(cancelled), "");
}

}  // namespace
}  // namespace switchyard::server
