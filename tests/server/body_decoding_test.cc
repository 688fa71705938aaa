#include "server/body_decoding.h"
#include "support/gzip.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::server {
namespace {

using switchyard::testing::Gzip;

TEST(BodyDecodingTest, RoundTrips) {
  std::string text = R"({"event":"x","properties":{"a":1}})";
  DecodedBody decoded = GunzipBounded(Gzip(text), 1024);
  EXPECT_EQ(decoded.error, BodyDecodeError::kNone) << decoded.message;
  EXPECT_EQ(decoded.body, text);
}

TEST(BodyDecodingTest, ExactlyAtTheLimitIsFineOneByteOverIsNot) {
  std::string text(100000, 'x');
  EXPECT_EQ(GunzipBounded(Gzip(text), 100000).error, BodyDecodeError::kNone);
  EXPECT_EQ(GunzipBounded(Gzip(text), 99999).error, BodyDecodeError::kTooLarge);
}

TEST(BodyDecodingTest, ABombStopsAtTheLimit) {
  std::string bomb = Gzip(std::string(50 * 1024 * 1024, '\0'));
  EXPECT_LT(bomb.size(), 100u * 1024);
  DecodedBody decoded = GunzipBounded(bomb, 1024 * 1024);
  EXPECT_EQ(decoded.error, BodyDecodeError::kTooLarge);
  EXPECT_TRUE(decoded.body.empty());
  EXPECT_NE(decoded.message.find("1048576"), std::string::npos) << decoded.message;
}

TEST(BodyDecodingTest, MalformedTruncatedAndTrailingInputIsRefused) {
  std::string good = Gzip("hello world");
  EXPECT_EQ(GunzipBounded("not gzip at all", 1024).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(GunzipBounded("", 1024).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(GunzipBounded(good.substr(0, good.size() - 4), 1024).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(GunzipBounded(good + "junk", 1024).error, BodyDecodeError::kMalformed);
}

}  // namespace
}  // namespace switchyard::server
