// Issue 7's end-to-end check on the real binary: an experiment is created and started, 10,000
// users are evaluated (which records their exposures), conversions are sent with a known true
// lift, and the results route (and the CLI on top of it) must find that lift: an interval that
// holds the true value and excludes zero, a significant primary metric, no SRM, and "ship".
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/json_api.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::SendJson;
using testing::SendRequest;

constexpr int kUsers = 10'000;
constexpr double kControlRate = 0.10;
constexpr double kTreatmentRate = 0.13;  // a true relative lift of +30 %
const std::string kProject = "/api/v1/projects/default";

std::string User(int i) {
  return "user-" + std::to_string(i);
}

class ExperimentResultsTest : public ::testing::Test {
 protected:
  json Ok(const std::string& method, const std::string& target, const json& body, int status) {
    auto answer = SendJson(client_, method, target, body);
    EXPECT_EQ(answer.status, status) << method << " " << target << ": " << answer.body.dump();
    return answer.body;
  }

  // Each user's variant, by batch evaluation with the project key (which records the exposures).
  std::vector<std::string> EvaluateEveryone() {
    std::vector<std::string> variants;
    for (int from = 0; from < kUsers; from += 1000) {
      json users = json::array();
      for (int i = from; i < from + 1000; ++i) users.push_back({{"distinct_id", User(i)}});
      auto response = SendRequest(client_, "POST", "/api/v1/evaluate/batch",
                                  json{{"users", users}, {"flags", {"checkout"}}}.dump(), kTestProjectKey);
      EXPECT_EQ(response.status, 200) << response.body;
      std::istringstream lines(response.body);
      for (std::string line; std::getline(lines, line);) {
        const json value = json::parse(line)["flags"]["checkout"]["value"];
        variants.push_back(value.is_string() ? value.get<std::string>() : "");
      }
    }
    return variants;
  }

  // Conversions drawn with a fixed seed: the same users convert on every run.
  void SendConversions(const std::vector<std::string>& variants) {
    std::mt19937 random(20261129);
    std::uniform_real_distribution<double> draw(0, 1);
    json batch = json::array();
    auto flush = [&] {
      if (batch.empty()) return;
      auto response =
          SendRequest(client_, "POST", "/api/v1/events", json{{"batch", batch}}.dump(), kTestProjectKey);
      ASSERT_EQ(response.status, 200) << response.body;
      batch = json::array();
    };
    for (int i = 0; i < kUsers; ++i) {
      const double rate =
          variants[static_cast<std::size_t>(i)] == "treatment" ? kTreatmentRate : kControlRate;
      if (draw(random) >= rate) continue;
      batch.push_back({{"event", "purchase"}, {"distinct_id", User(i)}, {"properties", {{"amount", 20}}}});
      if (batch.size() == 1000) flush();
    }
    flush();
  }

  // Exposures reach the pipeline within a second of the evaluation: poll until all are counted.
  json ResultsOnceEveryoneIsCounted() {
    json results;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      results = Ok("GET", kProject + "/experiments/checkout/results", json(), 200);
      int exposed = 0;
      for (const json& variant : results["variants"]) exposed += variant["exposures"].get<int>();
      if (exposed == kUsers) return results;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "not every exposure was counted: " << results["variants"].dump();
    return results;
  }

  testing::ServerProcess server_;
  cli::HttpClient client_{server_.base_url()};
};

TEST_F(ExperimentResultsTest, AKnownLiftIsFoundOverHttp) {
  Ok("POST", kProject + "/metrics",
     {{"key", "purchase"}, {"name", "Purchase"}, {"kind", "conversion"}, {"value", {{"event", "purchase"}}}},
     201);
  Ok("POST", kProject + "/experiments",
     {{"key", "checkout"},
      {"environment", "production"},
      {"variants", {{{"key", "control"}, {"split", 50}}, {{"key", "treatment"}, {"split", 50}}}},
      {"primary_metric", "purchase"},
      {"analysis", {{"method", "frequentist"}}}},
     201);
  Ok("POST", kProject + "/experiments/checkout/start", json::object(), 200);

  const std::vector<std::string> variants = EvaluateEveryone();
  ASSERT_EQ(variants.size(), static_cast<std::size_t>(kUsers));
  int treated = 0;
  for (const auto& variant : variants) {
    ASSERT_TRUE(variant == "control" || variant == "treatment") << variant;
    treated += variant == "treatment";
  }
  SendConversions(variants);
  const json results = ResultsOnceEveryoneIsCounted();

  ASSERT_EQ(results["variants"].size(), 2u);
  EXPECT_EQ(results["variants"][1]["exposures"], treated);
  EXPECT_FALSE(results["health"]["srm"]["mismatch"]) << results["health"].dump();
  EXPECT_EQ(results["health"]["multiple_exposures"]["users"], 0);
  const json& metric = results["metrics"][0];
  ASSERT_EQ(metric["key"], "purchase");
  EXPECT_EQ(metric["role"], "primary");
  EXPECT_NEAR(metric["variants"][0]["value"].get<double>(), kControlRate, 0.015);
  EXPECT_NEAR(metric["variants"][1]["value"].get<double>(), kTreatmentRate, 0.015);
  const json& comparison = metric["comparisons"][0];
  const double true_lift = kTreatmentRate / kControlRate - 1;
  EXPECT_LT(comparison["ci"][0].get<double>(), true_lift) << comparison.dump();
  EXPECT_GT(comparison["ci"][1].get<double>(), true_lift) << comparison.dump();
  EXPECT_GT(comparison["ci"][0].get<double>(), 0) << comparison.dump();
  EXPECT_TRUE(comparison["is_significant"]);
  EXPECT_EQ(comparison["outcome"], "better");
  EXPECT_EQ(results["verdict"]["decision"], "ship") << results["verdict"].dump();
  EXPECT_EQ(results["verdict"]["variant"], "treatment");
  EXPECT_TRUE(results["verdict"]["primary"]["is_significant"]);

  // The CLI renders the same results: the table names the verdict, the report is a page of charts.
  const std::map<std::string, std::string> env{{"SWITCHYARD_URL", server_.base_url()},
                                               {"SWITCHYARD_KEY", kTestAdminKey}};
  auto table = testing::RunSwitchyard({"experiments", "results", "checkout"}, env);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("verdict: SHIP treatment"), std::string::npos) << table.out;
  const std::string page = server_.data_dir() + "/checkout.html";
  auto report = testing::RunSwitchyard({"experiments", "report", "checkout", "--out", page}, env);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  std::ifstream in(page);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("checkout"), std::string::npos);
}

}  // namespace
}  // namespace switchyard
