// POST /api/v1/stats/compare and /api/v1/stats/srm on the real binary: the reference vectors
// come back over HTTP, any key may call them, and bad input is a 422 naming the field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using cli::HttpClient;
using cli::HttpResponse;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::ServerProcess;

class StatsRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  HttpResponse Post(const std::string& target, const json& body, const std::string& key = kTestProjectKey) {
    HttpClient client(server_->base_url());
    HttpClient::Headers headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    auto response = client.Request("POST", target, body.dump(), headers);
    if (!response.ok()) throw std::runtime_error(response.status().ToString());
    return *response;
  }

  static json Body(const HttpResponse& response) { return json::parse(response.body); }

  static ServerProcess* server_;
};

ServerProcess* StatsRoutesTest::server_ = nullptr;

const json kMeanControl = {{"sum", 1396.87}, {"sum_squares", 52377.9767}, {"n", 3407}};
const json kMeanTreatment = {{"sum", 2422.7}, {"sum_squares", 134698.29}, {"n", 3461}};

TEST_F(StatsRoutesTest, SequentialIsTheDefault) {
  HttpResponse response =
      Post("/api/v1/stats/compare", {{"control", kMeanControl}, {"treatment", kMeanTreatment}});
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body["method"], "sequential");
  EXPECT_EQ(body["tuning"], 5000);
  EXPECT_NEAR(body["expected"].get<double>(), 0.70732, 0.5e-5);
  EXPECT_NEAR(body["ci"][0].get<double>(), -0.44442, 0.5e-5);
  EXPECT_NEAR(body["ci"][1].get<double>(), 1.85906, 0.5e-5);
  EXPECT_GT(body["p_value"].get<double>(), 0.05);  // the interval includes 0
  EXPECT_TRUE(body["chance_to_win"].is_null());
  EXPECT_EQ(body["is_significant"], false);
}

TEST_F(StatsRoutesTest, FrequentistProportionsWithAnAdminKey) {
  HttpResponse response = Post("/api/v1/stats/compare",
                               {{"control", {{"successes", 14}, {"n", 28}}},
                                {"treatment", {{"successes", 16}, {"n", 30}}},
                                {"method", "frequentist"}},
                               kTestAdminKey);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_NEAR(body["expected"].get<double>(), 0.06667, 0.5e-5);
  EXPECT_NEAR(body["standard_error"].get<double>(), 0.2717, 0.5e-4);
  EXPECT_NEAR(body["ci"][0].get<double>(), -0.47767, 0.5e-5);
  EXPECT_NEAR(body["ci"][1].get<double>(), 0.61101, 0.5e-5);
  EXPECT_NEAR(body["p_value"].get<double>(), 0.80707, 0.5e-5);
  EXPECT_EQ(body["control"]["n"], 28);
}

TEST_F(StatsRoutesTest, BayesianWithAndWithoutAPrior) {
  json request = {{"control", {{"successes", 49}, {"n", 100}}},
                  {"treatment", {{"successes", 51}, {"n", 100}}},
                  {"method", "bayesian"}};
  HttpResponse response = Post("/api/v1/stats/compare", request);
  ASSERT_EQ(response.status, 200) << response.body;
  json flat = Body(response);
  EXPECT_NEAR(flat["chance_to_win"].get<double>(), 0.60918, 0.5e-5);
  EXPECT_NEAR(flat["ci"][0].get<double>(), -0.24779, 0.5e-5);
  EXPECT_TRUE(flat["p_value"].is_null());
  EXPECT_TRUE(flat["expected_loss"]["treatment"].is_number());
  request["prior"] = {{"mean", 0}, {"variance", 0.01}};
  response = Post("/api/v1/stats/compare", request);
  ASSERT_EQ(response.status, 200) << response.body;
  json shrunk = Body(response);
  EXPECT_LT(shrunk["expected"].get<double>(), flat["expected"].get<double>());
  EXPECT_GT(shrunk["expected"].get<double>(), 0);
}

TEST_F(StatsRoutesTest, AbsoluteDifference) {
  HttpResponse response = Post("/api/v1/stats/compare", {{"control", {{"successes", 100}, {"n", 1000}}},
                                                         {"treatment", {{"successes", 150}, {"n", 1000}}},
                                                         {"difference", "absolute"},
                                                         {"method", "frequentist"},
                                                         {"alpha", 0.01}});
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_NEAR(body["expected"].get<double>(), 0.05, 1e-12);
  EXPECT_EQ(body["difference"], "absolute");
  EXPECT_EQ(body["is_significant"], true);
}

TEST_F(StatsRoutesTest, BadInputIs422NamingTheField) {
  struct Case {
    json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"control", kMeanControl}, {"treatment", kMeanTreatment}, {"methd", "bayesian"}}, "methd"},
      {{{"control", {{"sum", 1}, {"sum_squares", 1}, {"n", 2}, {"count", 3}}}, {"treatment", kMeanTreatment}},
       "control.count"},
      {{{"control", kMeanControl}}, "treatment"},
      {{{"control", kMeanControl}, {"treatment", {{"successes", 3}, {"n", 10}}}}, "treatment"},
      {{{"control", {{"successes", 30}, {"n", 10}}}, {"treatment", {{"successes", 3}, {"n", 10}}}},
       "control.successes"},
      {{{"control", kMeanControl}, {"treatment", kMeanTreatment}, {"method", "magic"}}, "method"},
      {{{"control", kMeanControl}, {"treatment", kMeanTreatment}, {"alpha", 1.5}}, "alpha"},
      {{{"control", kMeanControl}, {"treatment", kMeanTreatment}, {"tuning", 0}}, "tuning"},
      {{{"control", kMeanControl}, {"treatment", kMeanTreatment}, {"prior", {{"mean", 0}, {"variance", 1}}}},
       "prior"},
      {{{"control", kMeanControl},
        {"treatment", kMeanTreatment},
        {"method", "bayesian"},
        {"prior", {{"mean", 0}, {"variance", -1}}}},
       "prior.variance"},
      {{{"control", {{"sum", "12"}, {"sum_squares", 1}, {"n", 2}}}, {"treatment", kMeanTreatment}},
       "control.sum"},
      {{{"control", {{"successes", 0}, {"n", 10}}}, {"treatment", {{"successes", 3}, {"n", 10}}}}, "control"},
  };
  for (const Case& c : cases) {
    HttpResponse response = Post("/api/v1/stats/compare", c.body);
    EXPECT_EQ(response.status, 422) << c.body.dump() << " -> " << response.body;
    json error = Body(response)["error"];
    EXPECT_EQ(error["field"], c.field) << c.body.dump() << " -> " << response.body;
    EXPECT_FALSE(error["message"].get<std::string>().empty());
  }
}

TEST_F(StatsRoutesTest, Srm) {
  HttpResponse response = Post("/api/v1/stats/srm", {{"counts", {1000, 1200}}, {"weights", {0.5, 0.5}}});
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_NEAR(body["p_value"].get<double>(), 0.000020079, 0.5e-9);
  EXPECT_EQ(body["mismatch"], true);
  response = Post("/api/v1/stats/srm", {{"counts", {135, 115}}, {"weights", {0.5, 0.5}}}, kTestAdminKey);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NEAR(Body(response)["p_value"].get<double>(), 0.205903211, 0.5e-9);
  EXPECT_EQ(Body(response)["mismatch"], false);
}

TEST_F(StatsRoutesTest, SrmBadInputIs422NamingTheField) {
  HttpResponse response = Post("/api/v1/stats/srm", {{"counts", {10, 20}}, {"weights", {0.5}}});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(Body(response)["error"]["field"], "weights");
  response = Post("/api/v1/stats/srm", {{"counts", {10, "x"}}, {"weights", {0.5, 0.5}}});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(Body(response)["error"]["field"], "counts[1]");
  response = Post("/api/v1/stats/srm", {{"counts", {10, 20}}, {"weights", {0.5, 0.5}}, {"split", 1}});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(Body(response)["error"]["field"], "split");
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 101; ++i) many.push_back(1);
  response = Post("/api/v1/stats/srm", {{"counts", many}, {"weights", many}});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(Body(response)["error"]["field"], "counts");
}

TEST_F(StatsRoutesTest, NeedsAKey) {
  HttpResponse response =
      Post("/api/v1/stats/srm", {{"counts", {10, 20}}, {"weights", {0.5, 0.5}}}, /*key=*/"");
  EXPECT_EQ(response.status, 401);
}

TEST_F(StatsRoutesTest, SampleSizeForARateWithDays) {
  HttpResponse response =
      Post("/api/v1/stats/sample-size", {{"baseline", 0.1}, {"relative_mde", 0.1}, {"daily_traffic", 2000}});
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  // The textbook check of src/stats/power.cc: 7.849 · (0.09 + 0.0979) / 0.01² per variant.
  EXPECT_EQ(body["per_variant"], 14749);
  EXPECT_EQ(body["total"], 29498);
  EXPECT_EQ(body["days"], 15);  // ⌈29,498 / 2,000⌉
  EXPECT_EQ(body["metric"], "proportion");
  EXPECT_EQ(body["power"], 0.8);
  EXPECT_TRUE(body["standard_deviation"].is_null());
}

TEST_F(StatsRoutesTest, SampleSizeForAMeanSplitsAlphaOverComparisons) {
  json request = {{"metric", "mean"},     {"baseline", 10}, {"standard_deviation", 4},
                  {"relative_mde", 0.05}, {"variants", 3},  {"alpha", 0.05},
                  {"power", 0.9}};
  HttpResponse response = Post("/api/v1/stats/sample-size", request, kTestAdminKey);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_DOUBLE_EQ(body["alpha_per_comparison"].get<double>(), 0.025);
  // (z(0.9875) + z(0.9))² · 2 · 16 / 0.5² = (2.2414 + 1.2816)² · 128 = 1588.6 -> 1589.
  EXPECT_EQ(body["per_variant"], 1589);
  EXPECT_EQ(body["total"], 3 * 1589);
  EXPECT_TRUE(body["days"].is_null());
}

TEST_F(StatsRoutesTest, SampleSizeBadInputIs422NamingTheField) {
  auto field_of = [&](const json& request) {
    HttpResponse response = Post("/api/v1/stats/sample-size", request);
    EXPECT_EQ(response.status, 422) << response.body;
    return Body(response)["error"]["field"].get<std::string>();
  };
  EXPECT_EQ(field_of({{"relative_mde", 0.1}}), "baseline");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"standard_deviation", 1}}),
            "standard_deviation");
  EXPECT_EQ(field_of({{"metric", "mean"}, {"baseline", 10}, {"relative_mde", 0.1}}), "standard_deviation");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"variants", 1}}), "variants");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"variants", 2.5}}), "variants");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"daily_traffic", 0}}), "daily_traffic");
  EXPECT_EQ(field_of({{"baseline", 1.5}, {"relative_mde", 0.1}}), "baseline");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0}}), "relative_mde");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"power", 1}}), "power");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"mde", 1}}), "mde");
  EXPECT_EQ(field_of({{"baseline", 0.1}, {"relative_mde", 0.1}, {"metric", "ratio"}}), "metric");
}

}  // namespace
}  // namespace switchyard
