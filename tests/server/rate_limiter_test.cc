#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include "server/api_harness.h"

namespace switchyard::server {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, AllowsTheBurstThenRefusesUntilTokensRefill) {
  RateLimiter limiter(2, 2);
  auto t0 = RateLimiter::Clock::time_point{} + 100s;
  int retry = 0;
  EXPECT_TRUE(limiter.Allow("k", t0, &retry));
  EXPECT_TRUE(limiter.Allow("k", t0, &retry));
  EXPECT_FALSE(limiter.Allow("k", t0, &retry));
  EXPECT_EQ(retry, 1);
  EXPECT_TRUE(limiter.Allow("k", t0 + 500ms, &retry));  // one token back after half a second
  EXPECT_FALSE(limiter.Allow("k", t0 + 500ms, &retry));
  EXPECT_TRUE(limiter.Allow("other", t0, &retry)) << "buckets are per key";
}

TEST(RateLimiterTest, SlowRatesSayHowLongToWait) {
  RateLimiter limiter(0.1, 1);
  auto t0 = RateLimiter::Clock::time_point{} + 100s;
  int retry = 0;
  EXPECT_TRUE(limiter.Allow("k", t0, &retry));
  EXPECT_FALSE(limiter.Allow("k", t0, &retry));
  EXPECT_EQ(retry, 10);
}

TEST(RateLimiterTest, RouterAnswers429WithRetryAfter) {
  testing::ApiHarness api;
  RateLimiter limiter(1, 1);
  api.router().SetRateLimiter(&limiter);
  EXPECT_EQ(api.Call("GET", "/api/v1/projects").status, 200);
  Response limited = api.Call("GET", "/api/v1/projects");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(testing::Json(limited)["error"]["code"], "rate_limited");
  ASSERT_FALSE(limited.headers.empty());
  EXPECT_EQ(limited.headers[0], (std::pair<std::string, std::string>{"Retry-After", "1"}));
  // Public routes are not limited, and other keys have their own bucket.
  EXPECT_EQ(api.Call("GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(api.Call("POST", "/api/v1/evaluate", std::string(R"({"distinct_id":"u"})"), testing::kProjectKey)
                .status,
            200);
}

}  // namespace
}  // namespace switchyard::server
