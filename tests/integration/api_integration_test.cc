// The real binary on an ephemeral port, over real sockets: transport limits, auth, conflicts,
// concurrency, persistence, shutdown and logging hygiene.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/raw_socket.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using testing::SendRequest;

using cli::HttpClient;
using cli::HttpResponse;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::RawExchange;
using testing::ServerProcess;

const std::string kFlags = "/api/v1/projects/default/flags";

testing::ServerOptions WithArgs(std::vector<std::string> args) {
  testing::ServerOptions options;
  options.extra_args = std::move(args);
  return options;
}

testing::ServerOptions GeneratedKeys(std::string data_dir = "") {
  testing::ServerOptions options;
  options.fixed_keys = false;
  options.data_dir = std::move(data_dir);
  return options;
}

HttpClient::Headers Auth(const std::string& key) {
  return {{"Authorization", "Bearer " + key}};
}

nlohmann::json Flag(const std::string& key, double rollout) {
  return {{"key", key},
          {"filters",
           {{"groups", {{{"properties", nlohmann::json::array()}, {"rollout_percentage", rollout}}}}}}};
}

TEST(ApiIntegrationTest, HealthVersionAndCrudOverHttp) {
  ServerProcess server;
  HttpClient client(server.base_url());
  EXPECT_EQ(SendRequest(client, "GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(SendRequest(client, "GET", "/readyz", "", "").status, 200);
  EXPECT_EQ(nlohmann::json::parse(SendRequest(client, "GET", "/api/v1/version").body)["name"], "switchyard");

  auto created = SendRequest(client, "POST", kFlags, Flag("checkout", 100).dump());
  ASSERT_EQ(created.status, 201) << created.body;
  auto eval = SendRequest(client, "POST", "/api/v1/evaluate", R"({"distinct_id":"u1"})", kTestProjectKey);
  ASSERT_EQ(eval.status, 200) << eval.body;
  EXPECT_EQ(nlohmann::json::parse(eval.body)["flags"]["checkout"]["enabled"], true);

  auto body = Flag("checkout", 0);
  body["version"] = 1;
  ASSERT_EQ(SendRequest(client, "PUT", kFlags + "/checkout", body.dump()).status, 200);
  eval = SendRequest(client, "POST", "/api/v1/evaluate", R"({"distinct_id":"u1"})", kTestProjectKey);
  EXPECT_EQ(nlohmann::json::parse(eval.body)["flags"]["checkout"]["reason"], "out_of_rollout");

  // The other editor still holds version 1.
  auto stale = SendRequest(client, "PUT", kFlags + "/checkout", body.dump());
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(nlohmann::json::parse(stale.body)["error"]["code"], "conflict");
  EXPECT_EQ(SendRequest(client, "DELETE", kFlags + "/checkout").status, 204);
}

TEST(ApiIntegrationTest, AuthMatrixOverHttp) {
  ServerProcess server;
  HttpClient client(server.base_url());
  EXPECT_EQ(SendRequest(client, "GET", kFlags, "", "").status, 401);
  EXPECT_EQ(SendRequest(client, "GET", kFlags, "", "sy_admin_not_a_real_key_0000000000000").status, 401);
  EXPECT_EQ(SendRequest(client, "GET", kFlags, "", kTestProjectKey).status, 403);
  EXPECT_EQ(SendRequest(client, "POST", kFlags, Flag("x", 1).dump(), kTestProjectKey).status, 403);
  EXPECT_EQ(SendRequest(client, "GET", kFlags, "", kTestAdminKey).status, 200);
  EXPECT_EQ(SendRequest(client, "POST", "/api/v1/evaluate", R"({"distinct_id":"u"})", "").status, 401);
  EXPECT_EQ(SendRequest(client, "POST", "/api/v1/evaluate", R"({"distinct_id":"u"})", kTestProjectKey).status,
            200);
}

TEST(ApiIntegrationTest, MalformedJsonWrongMediaTypeAndUnknownRoutes) {
  ServerProcess server;
  HttpClient client(server.base_url());
  auto malformed = SendRequest(client, "POST", kFlags, "{\"key\": \"x\",");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(nlohmann::json::parse(malformed.body)["error"]["code"], "invalid_json");
  auto wrong_type = client.Request("POST", kFlags, "key=x",
                                   {{"Authorization", std::string("Bearer ") + kTestAdminKey},
                                    {"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_TRUE(wrong_type.ok());
  EXPECT_EQ(wrong_type->status, 415);
  EXPECT_EQ(SendRequest(client, "GET", "/api/v1/does-not-exist").status, 404);
  // The connection survived all of that.
  EXPECT_EQ(SendRequest(client, "GET", "/healthz").status, 200);
}

TEST(ApiIntegrationTest, OversizedBodiesAndHeadersAreRefusedWithJson) {
  ServerProcess server(WithArgs({"--max-body-bytes", "4096"}));
  HttpClient client(server.base_url());
  std::string big = R"({"key":"x","description":")" + std::string(10000, 'a') + "\"}";
  auto too_big = SendRequest(client, "POST", kFlags, big);
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(nlohmann::json::parse(too_big.body)["error"]["code"], "payload_too_large");

  HttpClient fresh(server.base_url());
  auto huge_header = fresh.Request("GET", "/healthz", "", {{"X-Filler", std::string(20000, 'h')}});
  ASSERT_TRUE(huge_header.ok()) << huge_header.status().ToString();
  EXPECT_EQ(huge_header->status, 431);

  std::string garbage = RawExchange(server.port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(garbage.find("400"), std::string::npos) << garbage;
  // Still serving.
  HttpClient after(server.base_url());
  EXPECT_EQ(SendRequest(after, "GET", "/healthz").status, 200);
}

TEST(ApiIntegrationTest, FlagsUpdatedWhileOtherThreadsEvaluate) {
  ServerProcess server;
  HttpClient admin(server.base_url());
  ASSERT_EQ(SendRequest(admin, "POST", kFlags, Flag("toggle", 100).dump()).status, 201);

  std::atomic<bool> done{false};
  std::atomic<int> evaluations{0};
  std::atomic<int> inconsistent{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      HttpClient client(server.base_url());
      while (!done) {
        auto response =
            client.Request("POST", "/api/v1/evaluate", R"({"distinct_id":"reader"})", Auth(kTestProjectKey));
        if (!response.ok() || response->status != 200) {
          ++failures;
          continue;
        }
        auto result = nlohmann::json::parse(response->body)["flags"]["toggle"];
        // Odd versions are 100 % (enabled), even versions 0 %: a result mixing the two would
        // mean a reader saw a half-published snapshot.
        bool odd = result["version"].get<int>() % 2 == 1;
        if (result["enabled"].get<bool>() != odd) ++inconsistent;
        ++evaluations;
      }
    });
  }
  for (int version = 1; version <= 40; ++version) {
    auto body = Flag("toggle", version % 2 == 1 ? 0 : 100);
    body["version"] = version;
    auto response = SendRequest(admin, "PUT", kFlags + "/toggle", body.dump());
    ASSERT_EQ(response.status, 200) << response.body;
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(evaluations.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

TEST(ApiIntegrationTest, DataSurvivesARestartAndBootstrapHappensOnce) {
  {
    // The first server owns (and at the end removes) the data directory; the second reuses it.
    ServerProcess first(GeneratedKeys());
    std::string data_dir = first.data_dir();
    std::string out = first.output();
    EXPECT_NE(out.find("admin key:"), std::string::npos) << out;
    auto admin_pos = out.find("sy_admin_");
    ASSERT_NE(admin_pos, std::string::npos);
    std::string admin_key = out.substr(admin_pos, 41);
    HttpClient client(first.base_url());
    ASSERT_EQ(SendRequest(client, "POST", kFlags, Flag("kept", 30).dump(), admin_key).status, 201);

    first.Stop();
    ServerProcess second(GeneratedKeys(data_dir));
    EXPECT_EQ(second.output().find("admin key:"), std::string::npos) << "keys must be generated only once";
    HttpClient again(second.base_url());
    auto kept = SendRequest(again, "GET", kFlags + "/kept", "", admin_key);
    ASSERT_EQ(kept.status, 200) << kept.body;
    EXPECT_EQ(nlohmann::json::parse(kept.body)["filters"]["groups"][0]["rollout_percentage"], 30);
  }
}

TEST(ApiIntegrationTest, AdminResetKeyIssuesAKeyTheNextStartAccepts) {
  ServerProcess first(GeneratedKeys());
  const std::string data_dir = first.data_dir();
  const std::string out = first.output();
  const auto admin_pos = out.find("sy_admin_");
  ASSERT_NE(admin_pos, std::string::npos) << out;
  const std::string old_key = out.substr(admin_pos, 41);
  first.Stop();

  auto reset = testing::RunSwitchyard({"admin", "reset-key", "--data-dir", data_dir});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  const auto new_pos = reset.out.find("sy_admin_");
  ASSERT_NE(new_pos, std::string::npos) << reset.out;
  const std::string new_key = reset.out.substr(new_pos, 41);
  EXPECT_NE(new_key, old_key);

  ServerProcess second(GeneratedKeys(data_dir));
  EXPECT_EQ(second.output().find(new_key), std::string::npos) << "the new key is printed once, by reset-key";
  HttpClient client(second.base_url());
  EXPECT_EQ(SendRequest(client, "GET", "/api/v1/projects", "", new_key).status, 200);
  EXPECT_EQ(SendRequest(client, "GET", "/api/v1/projects", "", old_key).status, 200)
      << "reset-key revokes nothing";
  auto audit = SendRequest(client, "GET", "/api/v1/audit?entity_type=api_key", "", new_key);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("system:reset-key"), std::string::npos) << audit.body;
}

TEST(ApiIntegrationTest, AdminResetKeyRefusesADirectoryWithoutADatabase) {
  ServerProcess server(GeneratedKeys());  // only for a fresh directory that has no database in it
  const std::string empty = server.data_dir() + "/not-here";
  auto reset = testing::RunSwitchyard({"admin", "reset-key", "--data-dir", empty});
  EXPECT_EQ(reset.exit_code, 1);
  EXPECT_NE(reset.err.find("no database"), std::string::npos) << reset.err;
  EXPECT_EQ(reset.out.find("sy_admin_"), std::string::npos);
}

TEST(ApiIntegrationTest, NoKeyReachesTheLog) {
  ServerProcess server(WithArgs({"--log-level", "trace"}));
  HttpClient client(server.base_url());
  SendRequest(client, "GET", kFlags);
  SendRequest(client, "POST", "/api/v1/evaluate", R"({"distinct_id":"u"})", kTestProjectKey);
  SendRequest(client, "GET", kFlags, "", "sy_admin_guess_0123456789abcdefghijklm");
  server.Stop();
  std::string log = server.output();
  EXPECT_EQ(log.find(kTestAdminKey), std::string::npos);
  EXPECT_EQ(log.find(kTestProjectKey), std::string::npos);
  EXPECT_EQ(log.find("sy_admin_guess"), std::string::npos);
}

TEST(ApiIntegrationTest, SigtermFinishesCleanly) {
  ServerProcess server;
  HttpClient client(server.base_url());
  ASSERT_EQ(SendRequest(client, "GET", "/healthz").status, 200);  // an idle keep-alive connection stays open
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_NE(server.output().find("closing the store"), std::string::npos) << server.output();
}

// Threads of `pid` that would take a process-directed SIGTERM (not blocked in their mask).
int ThreadsTakingSigterm(pid_t pid) {
  int taking = 0;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream status(task.path() / "status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("SigBlk:", 0) != 0) continue;
      const unsigned long long blocked = std::stoull(line.substr(7), nullptr, 16);
      if ((blocked & (1ULL << (SIGTERM - 1))) == 0) ++taking;
    }
  }
  return taking;
}

// A stop signal must reach a thread waiting in the event loop. One that lands on a background
// thread (a writer, the WAL checkpointer) can be held back there: under ThreadSanitizer the
// SIGTERM test above once waited out its 15 s. So only the I/O threads may take it.
TEST(ApiIntegrationTest, OnlyTheIoThreadsTakeAStopSignal) {
  ServerProcess server(WithArgs({"--threads", "2", "--metrics-listen", "127.0.0.1:0"}));
  HttpClient client(server.base_url());
  ASSERT_EQ(SendRequest(client, "GET", "/healthz").status, 200);
  // The second I/O thread starts just after the listening line; wait for it, then give any
  // thread started later the time to show up too.
  for (int i = 0; i < 100 && ThreadsTakingSigterm(server.pid()) < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ThreadsTakingSigterm(server.pid()), 2);
  EXPECT_EQ(server.Stop(), 0);
}

// The names of `pid`'s threads, main thread included.
std::multiset<std::string> ThreadNames(pid_t pid) {
  std::multiset<std::string> names;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.insert(name);
  }
  return names;
}

// So that top -H and perf tell them apart; the main thread (the first I/O lane) keeps the
// process's name, which ps and pgrep show.
TEST(ApiIntegrationTest, TheServersThreadsAreNamedForWhatTheyDo) {
  ServerProcess server(WithArgs({"--threads", "2", "--metrics-listen", "127.0.0.1:0"}));
  HttpClient client(server.base_url());
  ASSERT_EQ(SendRequest(client, "GET", "/healthz").status, 200);
  const std::vector<std::string> expected = {"sy-io-1",     "sy-metrics",   "sy-event-writer",
                                             "sy-identify", "sy-gw-events", "sy-exposures",
                                             "sy-counters", "sy-schedules", "sy-aggregate"};
  std::multiset<std::string> names;
  auto all_named = [&] {
    names = ThreadNames(server.pid());
    return std::all_of(expected.begin(), expected.end(),
                       [&](const auto& name) { return names.count(name) == 1; });
  };
  // The second I/O thread starts just after the listening line.
  for (int i = 0; i < 100 && !all_named(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (const auto& name : expected) EXPECT_EQ(names.count(name), 1u) << name;
  std::ifstream comm("/proc/" + std::to_string(server.pid()) + "/comm");
  std::string process_name;
  std::getline(comm, process_name);
  EXPECT_EQ(process_name, "switchyard");
  EXPECT_EQ(server.Stop(), 0);
}

TEST(ApiIntegrationTest, TooManyConnectionsGet503WithRetryAfter) {
  ServerProcess server(WithArgs({"--max-connections", "1"}));
  // A connection in the middle of a request holds the only slot (an idle one would be closed to
  // admit the newcomer: see http_hardening_test).
  testing::RawSocket first(server.port());
  ASSERT_TRUE(first.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  HttpClient second(server.base_url());
  auto rejected = second.Request("GET", "/healthz");
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->status, 503);
  EXPECT_EQ(rejected->Header("retry-after"), "1");
}

TEST(ApiIntegrationTest, RateLimitAnswers429WithRetryAfter) {
  ServerProcess server(WithArgs({"--rate-limit", "2"}));
  HttpClient client(server.base_url());
  int limited = 0;
  std::string retry_after;
  // 2 per second with a burst of 2: of 20 requests at least 10 are refused even if sending them
  // took a slow machine four seconds.
  for (int i = 0; i < 20; ++i) {
    auto response = SendRequest(client, "GET", kFlags);
    if (response.status == 429) {
      ++limited;
      retry_after = response.Header("retry-after");
    }
  }
  EXPECT_GE(limited, 10);
  EXPECT_EQ(retry_after, "1");
}

TEST(ApiIntegrationTest, InvalidConfigurationFailsFastWithAClearMessage) {
  auto result = testing::RunSwitchyard({"serve", "--threads", "none", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("threads"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("--threads"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace switchyard
