// POST /api/v1/evaluate/batch on the real binary: every line equals the single evaluate answer
// for many users (with stored persons and request properties), and the batch's limits.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/gzip.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using testing::SendRequest;

using cli::HttpClient;
using cli::HttpResponse;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::ServerProcess;

const std::string kBatch = "/api/v1/evaluate/batch";

std::vector<std::string> Lines(const std::string& body) {
  std::vector<std::string> lines;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class BatchEvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    client_ = std::make_unique<HttpClient>(server_->base_url());
    const std::string flags = "/api/v1/projects/default/flags";
    auto create = [&](const json& flag) {
      ASSERT_EQ(SendRequest(*client_, "POST", flags, flag.dump(), kTestAdminKey).status, 201) << flag.dump();
    };
    create({{"key", "pro-rollout"},
            {"filters",
             {{"groups",
               {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", {"pro", "enterprise"}}}}},
                 {"rollout_percentage", 60}}}}}}});
    create({{"key", "split"},
            {"filters",
             {{"groups", {{{"properties", json::array()}, {"rollout_percentage", 100}}}},
              {"multivariate",
               {{"variants",
                 {{{"key", "control"}, {"rollout_percentage", 50}},
                  {{"key", "test"}, {"rollout_percentage", 50}}}}}},
              {"payloads", {{"test", {{"model", "x"}}}}}}}});
    create({{"key", "needs-country"},
            {"filters",
             {{"groups",
               {{{"properties", {{{"key", "country"}, {"operator", "is_set"}}}},
                 {"rollout_percentage", 100}}}}}}});
    for (int i = 0; i < 300; i += 7) {
      json person = {{"properties", {{"plan", i % 2 == 0 ? "pro" : "free"}, {"country", "NZ"}}}};
      ASSERT_EQ(SendRequest(*client_, "PUT", "/api/v1/projects/default/persons/user-" + std::to_string(i),
                            person.dump(), kTestAdminKey)
                    .status,
                200);
    }
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(BatchEvaluateTest, EveryLineEqualsTheSingleEvaluateAnswerInInputOrder) {
  json users = json::array();
  for (int i = 299; i >= 0; --i) {  // not sorted: order is the input's
    json user = {{"distinct_id", "user-" + std::to_string(i)}};
    if (i % 3 == 0) user["properties"] = {{"plan", i % 2 == 0 ? "enterprise" : "pro"}};
    users.push_back(user);
  }
  users.push_back(users[5]);  // the same user twice is answered twice
  HttpResponse batch = SendRequest(*client_, "POST", kBatch, json{{"users", users}}.dump(), kTestProjectKey);
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(batch.Header("content-type"), "application/x-ndjson");
  std::vector<std::string> lines = Lines(batch.body);
  ASSERT_EQ(lines.size(), users.size());
  for (std::size_t i = 0; i < users.size(); ++i) {
    HttpResponse single = SendRequest(*client_, "POST", "/api/v1/evaluate", users[i].dump(), kTestProjectKey);
    ASSERT_EQ(single.status, 200);
    EXPECT_EQ(lines[i], single.body) << "user " << i;
  }

  // The same with a subset of flags, and gzip-compressed.
  json body = {{"users", users}, {"flags", {"split", "gone"}}};
  HttpResponse some = SendRequest(*client_, "POST", kBatch, testing::Gzip(body.dump()), kTestProjectKey,
                                  {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(some.status, 200) << some.body;
  lines = Lines(some.body);
  ASSERT_EQ(lines.size(), users.size());
  for (std::size_t i = 0; i < users.size(); i += 37) {
    json single_body = users[i];
    single_body["flags"] = {"split", "gone"};
    EXPECT_EQ(lines[i],
              SendRequest(*client_, "POST", "/api/v1/evaluate", single_body.dump(), kTestProjectKey).body);
  }
}

TEST_F(BatchEvaluateTest, LimitsAreExplicitAndCheckedBeforeAnythingStreams) {
  json users = json::array();
  for (int i = 0; i < 1000; ++i) users.push_back({{"distinct_id", "u" + std::to_string(i)}});
  HttpResponse full = SendRequest(*client_, "POST", kBatch, json{{"users", users}}.dump(), kTestProjectKey);
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(Lines(full.body).size(), 1000u);

  users.push_back({{"distinct_id", "one-too-many"}});
  HttpResponse over = SendRequest(*client_, "POST", kBatch, json{{"users", users}}.dump(), kTestProjectKey);
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(json::parse(over.body)["error"]["field"], "users");

  users.erase(users.end() - 1);
  users[612]["properties"] = {{"plan", {{"deep", {1, 2}}}}};
  HttpResponse bad = SendRequest(*client_, "POST", kBatch, json{{"users", users}}.dump(), kTestProjectKey);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.Header("content-type"), "application/json");
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "users[612].properties.plan");

  // Past 4 MiB, refused before it is read.
  json big = json::array();
  for (int i = 0; i < 600; ++i) {
    big.push_back(
        {{"distinct_id", "u" + std::to_string(i)}, {"properties", {{"bio", std::string(8000, 'x')}}}});
  }
  HttpResponse too_large =
      SendRequest(*client_, "POST", kBatch, json{{"users", big}}.dump(), kTestProjectKey);
  EXPECT_EQ(too_large.status, 413);

  // An admin key must name the project, as with evaluate.
  HttpResponse admin = SendRequest(*client_, "POST", kBatch, R"({"users":[]})", kTestAdminKey);
  EXPECT_EQ(admin.status, 422);
  EXPECT_EQ(json::parse(admin.body)["error"]["field"], "project");
  EXPECT_EQ(
      SendRequest(*client_, "POST", kBatch, R"({"users":[],"project":"default"})", kTestAdminKey).status,
      200);
  HttpResponse empty = SendRequest(*client_, "POST", kBatch, R"({"users":[]})", kTestProjectKey);
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "");
}

}  // namespace
}  // namespace switchyard
