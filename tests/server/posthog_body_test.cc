// PostHog bodies decoded whatever their wrapping, and bounded whatever their wrapping.
#include "server/posthog_body.h"

#include <gtest/gtest.h>

#include "server/base64url.h"
#include "server/http_message.h"
#include "support/gzip.h"

namespace switchyard::server {
namespace {

using switchyard::testing::Gzip;

const std::string kJson = R"({"api_key":"k","batch":[{"event":"e","distinct_id":"u"}]})";

Request Make(std::string body, std::string target = "/batch",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request request;
  request.method = "POST";
  request.target = target;
  ParseTarget(target, &request.path, &request.query);
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

// Standard base64, as btoa gives it (with padding).
std::string Base64(const std::string& bytes) {
  std::string text = Base64UrlEncode(bytes);
  for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (text.size() % 4 != 0) text += '=';
  return text;
}

TEST(PostHogBodyTest, PlainJsonPassesThroughWhateverTheContentType) {
  for (const char* type : {"application/json", "text/plain", ""}) {
    auto decoded = DecodePostHogBody(Make(kJson, "/batch", {{"content-type", type}}), 1 << 20);
    ASSERT_EQ(decoded.error, BodyDecodeError::kNone) << type;
    EXPECT_EQ(decoded.body, kJson);
  }
}

TEST(PostHogBodyTest, GzipByHeaderByQueryAndByMagicBytes) {
  auto header = DecodePostHogBody(Make(Gzip(kJson), "/batch", {{"content-encoding", "gzip"}}), 1 << 20);
  EXPECT_EQ(header.body, kJson);
  auto query = DecodePostHogBody(
      Make(Gzip(kJson), "/e/?compression=gzip-js&ver=1.449.2", {{"content-type", "text/plain"}}), 1 << 20);
  EXPECT_EQ(query.body, kJson);
  auto sniffed = DecodePostHogBody(Make(Gzip(kJson)), 1 << 20);
  EXPECT_EQ(sniffed.body, kJson);
}

TEST(PostHogBodyTest, Base64FormAndBareAndUrlEncodedJsonForms) {
  const std::string form = "data=" + PercentEncode(Base64(kJson));
  auto posted = DecodePostHogBody(
      Make(form, "/e/?compression=base64", {{"content-type", "application/x-www-form-urlencoded"}}), 1 << 20);
  ASSERT_EQ(posted.error, BodyDecodeError::kNone) << posted.message;
  EXPECT_EQ(posted.body, kJson);

  auto bare = DecodePostHogBody(Make(Base64(kJson), "/e/?compression=base64"), 1 << 20);
  EXPECT_EQ(bare.body, kJson);

  // No compression named: a form's data is base64 unless it is JSON itself.
  auto sniffed =
      DecodePostHogBody(Make(form, "/e/", {{"content-type", "application/x-www-form-urlencoded"}}), 1 << 20);
  EXPECT_EQ(sniffed.body, kJson);
  auto json_form = DecodePostHogBody(Make("ver=1&data=" + PercentEncode(kJson)), 1 << 20);
  EXPECT_EQ(json_form.error, BodyDecodeError::kNone);
  EXPECT_EQ(DecodePostHogBody(Make("data=" + PercentEncode(kJson) + "&ver=1"), 1 << 20).body, kJson);
  // A '+' the client left unescaped arrives as a space and still decodes.
  std::string plus = Base64("{\"a\":\"\xfb\xff\"}");
  ASSERT_NE(plus.find('+'), std::string::npos);
  EXPECT_EQ(DecodePostHogBody(Make("data=" + plus), 1 << 20).body, "{\"a\":\"\xfb\xff\"}");
}

TEST(PostHogBodyTest, BombsAndOversizedDecodingsAreTooLarge) {
  const std::string bomb = Gzip(std::string(8 << 20, ' '));
  ASSERT_LT(bomb.size(), 64u * 1024);
  auto decoded = DecodePostHogBody(Make(bomb, "/batch", {{"content-encoding", "gzip"}}), 1 << 20);
  EXPECT_EQ(decoded.error, BodyDecodeError::kTooLarge);
  auto js = DecodePostHogBody(Make(bomb, "/e/?compression=gzip-js"), 1 << 20);
  EXPECT_EQ(js.error, BodyDecodeError::kTooLarge);
  auto form = DecodePostHogBody(Make("data=" + Base64(std::string(2000, 'x'))), 1000);
  EXPECT_EQ(form.error, BodyDecodeError::kTooLarge);
}

TEST(PostHogBodyTest, BrokenWrappingsAreMalformed) {
  EXPECT_EQ(DecodePostHogBody(Make("not gzip", "/e/?compression=gzip-js"), 1 << 20).error,
            BodyDecodeError::kMalformed);
  EXPECT_EQ(DecodePostHogBody(Make("data=%%%***"), 1 << 20).error, BodyDecodeError::kMalformed);
  EXPECT_EQ(DecodePostHogBody(Make("ver=1", "/e/", {{"content-type", "application/x-www-form-urlencoded"}}),
                              1 << 20)
                .error,
            BodyDecodeError::kMalformed);
  EXPECT_EQ(DecodePostHogBody(Make(kJson, "/e/?compression=lz64"), 1 << 20).error,
            BodyDecodeError::kMalformed);
  EXPECT_EQ(DecodePostHogBody(Make(kJson, "/e/", {{"content-encoding", "br"}}), 1 << 20).error,
            BodyDecodeError::kMalformed);
}

TEST(PostHogBodyTest, Base64DecodeTakesPaddedAndUnpaddedText) {
  EXPECT_EQ(Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(Base64Decode("aGVsbG8"), "hello");
  EXPECT_EQ(Base64Decode("aGVs\nbG8="), "hello");
  EXPECT_FALSE(Base64Decode("aGVsbG8=x"));
  EXPECT_FALSE(Base64Decode("a"));
  EXPECT_FALSE(Base64Decode("aGV$bG8="));
}

}  // namespace
}  // namespace switchyard::server
