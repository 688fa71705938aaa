// Entity-tag comparison (RFC 9110 §8.8.3.2, weak for GET), If-None-Match lists and `*`, and the
// response rewrite the router applies to every management GET.
#include "server/conditional_get.h"
#include "server/api_harness.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

using testing::HeaderOf;
Request Get(std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request request;
  request.method = "GET";
  request.target = request.path = "/x";
  request.headers = std::move(headers);
  return request;
}

Response Ok(const std::string& body) {
  Response response;
  response.body = body;
  return response;
}

TEST(WeakETagMatchTest, ComparesOpaqueTagsIgnoringTheWeakPrefix) {
  EXPECT_TRUE(WeakETagMatch("\"1\"", "\"1\""));
  EXPECT_TRUE(WeakETagMatch("W/\"1\"", "\"1\""));
  EXPECT_TRUE(WeakETagMatch("\"1\"", "W/\"1\""));
  EXPECT_TRUE(WeakETagMatch("W/\"1\"", "W/\"1\""));
  EXPECT_FALSE(WeakETagMatch("\"1\"", "\"2\""));
  EXPECT_FALSE(WeakETagMatch("W/\"1\"", "W/\"2\""));
  // Opaque tags compare character by character: case and quotes matter.
  EXPECT_FALSE(WeakETagMatch("\"a\"", "\"A\""));
  EXPECT_FALSE(WeakETagMatch("1", "\"1\""));
  EXPECT_FALSE(WeakETagMatch("w/\"1\"", "\"1\""));  // the prefix is case-sensitive
  EXPECT_FALSE(WeakETagMatch("\"1", "\"1\""));
  EXPECT_FALSE(WeakETagMatch("\"\"1\"", "\"\"1\""));  // a quote inside is malformed
}

TEST(IfNoneMatchTest, StarAndListsOfTags) {
  EXPECT_TRUE(IfNoneMatchMatches("*", "\"9\""));
  EXPECT_TRUE(IfNoneMatchMatches(" * ", "\"9\""));
  EXPECT_TRUE(IfNoneMatchMatches("\"9\"", "\"9\""));
  EXPECT_TRUE(IfNoneMatchMatches("\"1\", \"9\"", "\"9\""));
  EXPECT_TRUE(IfNoneMatchMatches("\"1\",W/\"9\"", "\"9\""));
  EXPECT_TRUE(IfNoneMatchMatches("W/\"9\"", "\"9\""));
  EXPECT_TRUE(IfNoneMatchMatches("\"a,b\", \"c\"", "\"a,b\""));  // a comma inside quotes is part of the tag
  EXPECT_TRUE(IfNoneMatchMatches("\"a,b\", \"c\"", "\"c\""));
  EXPECT_FALSE(IfNoneMatchMatches("\"a,b\"", "\"a\""));
  EXPECT_FALSE(IfNoneMatchMatches("\"1\", \"2\"", "\"9\""));
  EXPECT_FALSE(IfNoneMatchMatches("", "\"9\""));
  EXPECT_FALSE(IfNoneMatchMatches("9", "\"9\""));
  // A malformed member matches nothing but does not hide the ones after it.
  EXPECT_TRUE(IfNoneMatchMatches("garbage, \"9\"", "\"9\""));
}

TEST(DigestETagTest, AStrongTagThatChangesWithTheBody) {
  std::string a = DigestETag("{\"flags\":[]}");
  EXPECT_EQ(a, DigestETag("{\"flags\":[]}"));
  EXPECT_NE(a, DigestETag("{\"flags\":[1]}"));
  ASSERT_GE(a.size(), 2u);
  EXPECT_EQ(a.front(), '"');
  EXPECT_EQ(a.back(), '"');
  EXPECT_EQ(a.size(), 24u);  // 128 bits in base64url, quoted
  EXPECT_EQ(a.find_first_not_of("\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(ApplyConditionalGetTest, AddsADigestETagWhenTheHandlerSetNone) {
  Response response = Ok("{\"a\":1}");
  ApplyConditionalGet(Get(), response);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(HeaderOf(response, "ETag"), DigestETag("{\"a\":1}"));
  EXPECT_EQ(response.body, "{\"a\":1}");
}

TEST(ApplyConditionalGetTest, AMatchingIfNoneMatchIs304WithTheETagAndNoBody) {
  Response response = Ok("{\"a\":1}");
  ApplyConditionalGet(Get({{"if-none-match", "\"x\", " + DigestETag("{\"a\":1}")}}), response);
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.body.empty());
  EXPECT_TRUE(response.content_type.empty());
  EXPECT_EQ(HeaderOf(response, "ETag"), DigestETag("{\"a\":1}"));
}

TEST(ApplyConditionalGetTest, TheHandlersOwnETagWinsAndIsComparedWeakly) {
  Response response = Ok("{}");
  response.headers.emplace_back("ETag", "\"7\"");
  ApplyConditionalGet(Get({{"if-none-match", "W/\"7\""}}), response);
  EXPECT_EQ(response.status, 304);
  EXPECT_EQ(HeaderOf(response, "ETag"), "\"7\"");

  Response changed = Ok("{}");
  changed.headers.emplace_back("ETag", "\"8\"");
  ApplyConditionalGet(Get({{"if-none-match", "\"7\""}}), changed);
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "{}");
}

TEST(ApplyConditionalGetTest, EveryIfNoneMatchFieldCounts) {
  Response response = Ok("{}");
  ApplyConditionalGet(Get({{"if-none-match", "\"x\""}, {"if-none-match", "*"}}), response);
  EXPECT_EQ(response.status, 304);
}

TEST(ApplyConditionalGetTest, OnlySuccessfulGetsAreTouched) {
  Response error = Ok("{\"error\":{}}");
  error.status = 404;
  ApplyConditionalGet(Get({{"if-none-match", "*"}}), error);
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(HeaderOf(error, "ETag"), "");

  Request post = Get({{"if-none-match", "*"}});
  post.method = "POST";
  Response created = Ok("{}");
  ApplyConditionalGet(post, created);
  EXPECT_EQ(created.status, 200);
  EXPECT_EQ(HeaderOf(created, "ETag"), "");
}

}  // namespace
}  // namespace switchyard::server
