// The real binary with metrics_jsonl set: it appends a line at start and every interval (here
// 1 s), and one more at a clean stop; a path it cannot write stops the start. GET
// /api/v1/gateway/stats answers the same snapshot.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using Json = nlohmann::json;
using testing::ServerOptions;
using testing::ServerProcess;

std::vector<Json> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<Json> lines;
  std::string line;
  // A line being written may be incomplete: only whole lines count.
  while (std::getline(in, line) && !in.eof()) lines.push_back(Json::parse(line));
  return lines;
}

class MetricsJsonlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "switchyard-jsonl-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
};

TEST_F(MetricsJsonlTest, AppendsALineEveryIntervalAndAtStop) {
  const std::string path = dir_ + "/metrics.jsonl";
  ServerOptions options;
  options.extra_args = {"--store", "memory", "--metrics-jsonl", path, "--metrics-jsonl-interval", "1"};
  ServerProcess server(options);

  // Waits for the periodic lines without asserting on how long they took (bounded at 30 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (Lines(path).size() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto running = Lines(path);
  ASSERT_GE(running.size(), 2u) << server.output();
  for (const Json& line : running) {
    EXPECT_TRUE(line["timestamp"].is_string()) << line.dump();
    EXPECT_EQ(line["window_seconds"], 60) << line.dump();
    EXPECT_EQ(line["series"], Json::array()) << line.dump();
  }

  cli::HttpClient client(server.base_url());
  auto stats = testing::SendJson(client, "GET", "/api/v1/gateway/stats");
  EXPECT_EQ(stats.status, 200);
  EXPECT_EQ(stats.body["series"], Json::array());

  ASSERT_EQ(server.Stop(), 0);
  const auto stopped = Lines(path);
  EXPECT_GT(stopped.size(), running.size());
}

TEST_F(MetricsJsonlTest, APathThatCannotBeWrittenStopsTheStart) {
  const std::string path = dir_ + "/no-such-dir/metrics.jsonl";
  auto result = testing::RunSwitchyard(
      {"serve", "--listen", "127.0.0.1:0", "--store", "memory", "--metrics-jsonl", path});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE((result.out + result.err).find("cannot open metrics_jsonl"), std::string::npos)
      << result.out << result.err;
}

}  // namespace
}  // namespace switchyard
