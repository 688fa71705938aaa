#include "outbound/retry_delay.h"

#include <gtest/gtest.h>

namespace switchyard::outbound {
namespace {

using std::chrono::milliseconds;

TEST(RetryDelayTest, RetryAfterMsWinsOverRetryAfter) {
  EXPECT_EQ(RetryAfterHint({{"Retry-After", "2"}, {"retry-after-ms", "150"}}), milliseconds(150));
  EXPECT_EQ(RetryAfterHint({{"retry-after-ms", "150"}, {"Retry-After", "2"}}), milliseconds(150));
}

TEST(RetryDelayTest, RetryAfterSecondsIncludingFractions) {
  EXPECT_EQ(RetryAfterHint({{"retry-after", "2"}}), milliseconds(2000));
  EXPECT_EQ(RetryAfterHint({{"RETRY-AFTER", " 0.5 "}}), milliseconds(500));
}

TEST(RetryDelayTest, MalformedOrDateHintsAreNoHint) {
  EXPECT_FALSE(RetryAfterHint({}).has_value());
  EXPECT_FALSE(RetryAfterHint({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}).has_value());
  EXPECT_FALSE(RetryAfterHint({{"retry-after", "-1"}}).has_value());
  EXPECT_FALSE(RetryAfterHint({{"retry-after-ms", "soon"}}).has_value());
  // A malformed retry-after-ms falls back to Retry-After.
  EXPECT_EQ(RetryAfterHint({{"retry-after-ms", "soon"}, {"retry-after", "1"}}), milliseconds(1000));
}

TEST(RetryDelayTest, HintIsHonouredUpToFourTimesMaxBackoff) {
  EXPECT_EQ(RetryDelay(milliseconds(100), milliseconds(2000), 1, milliseconds(3000), 0.5),
            milliseconds(3000));
  EXPECT_EQ(RetryDelay(milliseconds(100), milliseconds(2000), 1, milliseconds(60000), 0.5),
            milliseconds(8000));
}

TEST(RetryDelayTest, FullJitterUnderAnExponentialCeiling) {
  const milliseconds base(100), max(2000);
  // The ceiling: 100, 200, 400, ... capped at 2000; the delay is the random fraction of it.
  EXPECT_EQ(RetryDelay(base, max, 1, std::nullopt, 0.999999), milliseconds(99));
  EXPECT_EQ(RetryDelay(base, max, 2, std::nullopt, 0.5), milliseconds(100));
  EXPECT_EQ(RetryDelay(base, max, 3, std::nullopt, 0.5), milliseconds(200));
  EXPECT_EQ(RetryDelay(base, max, 10, std::nullopt, 0.5), milliseconds(1000));
  EXPECT_EQ(RetryDelay(base, max, 1000, std::nullopt, 0.5), milliseconds(1000));
  EXPECT_EQ(RetryDelay(base, max, 3, std::nullopt, 0.0), milliseconds(0));
}

}  // namespace
}  // namespace switchyard::outbound
