// /metrics on the real binary: after real traffic the scrape is valid Prometheus text
// (`promtool check metrics`, from Debian's prometheus package; missing promtool fails the test),
// and the optional metrics-only listener serves it without a key.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/prometheus_sample.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using testing::SendRequest;

using cli::HttpClient;
using cli::HttpResponse;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::SampleValue;
using testing::ServerProcess;

struct Promtool {
  int exit_code = -1;
  std::string output;
};

// Runs `promtool check metrics` on the text (its standard input).
Promtool CheckMetrics(const std::string& text) {
  char path[] = "/tmp/sy_metrics_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  std::ofstream(path) << text;
  std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  Promtool result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  std::remove(path);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void ExpectPromtoolAccepts(const std::string& text) {
  auto check = CheckMetrics(text);
  ASSERT_NE(check.exit_code, 127) << "promtool is missing: install Debian's `prometheus` package "
                                     "(scripts/install-deps.sh does)";
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n--- scraped text ---\n" << text;
  EXPECT_EQ(check.output.find("problem"), std::string::npos) << check.output;
}

TEST(MetricsIntegrationTest, ScrapeAfterRealTrafficIsValidAndCountsIt) {
  ServerProcess server;
  HttpClient client(server.base_url());
  EXPECT_EQ(SendRequest(client, "GET", "/healthz", "", "").status, 200);
  nlohmann::json flag = {
      {"key", "checkout"},
      {"filters", {{"groups", {{{"properties", nlohmann::json::array()}, {"rollout_percentage", 50}}}}}}};
  EXPECT_EQ(SendRequest(client, "POST", "/api/v1/projects/default/flags", flag.dump()).status, 201);
  for (int i = 0; i < 3; ++i) {
    auto body = nlohmann::json{{"distinct_id", "user-" + std::to_string(i)}}.dump();
    EXPECT_EQ(SendRequest(client, "POST", "/api/v1/evaluate", body, kTestProjectKey).status, 200);
  }
  EXPECT_EQ(SendRequest(client, "GET", "/api/v1/projects/default/flags/raw-key-name").status, 404);
  EXPECT_EQ(SendRequest(client, "GET", "/no/such/raw/path", "", "").status, 404);

  EXPECT_EQ(SendRequest(client, "GET", "/metrics", "", "").status, 401);
  EXPECT_EQ(SendRequest(client, "GET", "/metrics", "", kTestProjectKey).status, 403);
  auto scrape = SendRequest(client, "GET", "/metrics");
  ASSERT_EQ(scrape.status, 200) << scrape.body;
  EXPECT_EQ(scrape.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scrape.body;
  ExpectPromtoolAccepts(text);

  EXPECT_EQ(
      SampleValue(text,
                  R"(switchyard_http_requests_total{route="/api/v1/evaluate",method="POST",status="200"})"),
      3)
      << text;
  EXPECT_EQ(SampleValue(text, R"(switchyard_http_request_duration_seconds_count{route="/api/v1/evaluate"})"),
            3);
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="unmatched",method="GET",status="404"})"), 1);
  EXPECT_EQ(text.find("raw-key-name"), std::string::npos);
  EXPECT_EQ(text.find("/no/such/raw/path"), std::string::npos);
  // One keep-alive connection (this client's) is open while it scrapes.
  EXPECT_EQ(SampleValue(text, "switchyard_http_open_connections"), 1);
  EXPECT_EQ(SampleValue(text, "switchyard_worker_queue_depth"), 0);
  // Evaluate reads the person; the flag write went through the store.
  EXPECT_EQ(SampleValue(text, R"(switchyard_store_operation_duration_seconds_count{operation="get_person"})"),
            3);
  EXPECT_GE(
      SampleValue(text, R"(switchyard_store_operation_duration_seconds_count{operation="create_flag"})"), 1);
  // Loaded at start, rebuilt by the flag write.
  EXPECT_EQ(SampleValue(text, R"(switchyard_flag_snapshot_version{project_id="1",environment="production"})"),
            2);
  EXPECT_TRUE(
      SampleValue(text,
                  R"(switchyard_flag_snapshot_rebuild_seconds{project_id="1",environment="production"})")
          .has_value());
}

TEST(MetricsIntegrationTest, ASeparateListenerServesOnlyMetricsWithoutAKey) {
  testing::ServerOptions options;
  options.extra_args = {"--metrics-listen", "127.0.0.1:0"};
  ServerProcess server(options);
  std::smatch match;
  std::string output = server.output();
  std::regex served(R"(metrics served at http://127\.0\.0\.1:([0-9]+)/metrics)");
  ASSERT_TRUE(std::regex_search(output, match, served)) << output;
  int metrics_port = std::stoi(match[1]);
  ASSERT_NE(metrics_port, server.port());

  HttpClient api(server.base_url());
  EXPECT_EQ(SendRequest(api, "GET", "/healthz", "", "").status, 200);
  // On the API port /metrics still needs the admin key.
  EXPECT_EQ(SendRequest(api, "GET", "/metrics", "", "").status, 401);

  HttpClient scraper("http://127.0.0.1:" + std::to_string(metrics_port));
  auto scrape = SendRequest(scraper, "GET", "/metrics", "", "");
  ASSERT_EQ(scrape.status, 200) << scrape.body;
  ExpectPromtoolAccepts(scrape.body);
  EXPECT_EQ(SampleValue(scrape.body,
                        R"(switchyard_http_requests_total{route="/healthz",method="GET",status="200"})"),
            1)
      << scrape.body;
  // Nothing else is served there, with or without a key.
  EXPECT_EQ(SendRequest(scraper, "GET", "/healthz", "", "").status, 404);
  EXPECT_EQ(SendRequest(scraper, "GET", "/api/v1/projects", "", kTestAdminKey).status, 404);
  // Scrapes are not counted as API traffic, and their connections are not API connections.
  auto again = SendRequest(scraper, "GET", "/metrics", "", "");
  EXPECT_EQ(SampleValue(again.body,
                        R"(switchyard_http_requests_total{route="/metrics",method="GET",status="200"})"),
            std::nullopt);
  EXPECT_EQ(SampleValue(again.body, "switchyard_http_open_connections"), 1);  // the API client's
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace switchyard
