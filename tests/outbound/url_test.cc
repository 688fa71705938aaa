#include "outbound/url.h"

#include <gtest/gtest.h>

namespace switchyard::outbound {
namespace {

TEST(UrlTest, HttpWithPortPathAndQuery) {
  auto url = ParseUrl("http://127.0.0.1:8080/v1/chat/completions?x=1#frag");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/v1/chat/completions?x=1");
  EXPECT_EQ(url->Origin(), "http://127.0.0.1:8080");
}

TEST(UrlTest, HttpsDefaultsToPort443AndRootPath) {
  auto url = ParseUrl("https://api.openai.com");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(ParseUrl("https://h?q=1")->target, "/?q=1");
}

TEST(UrlTest, Ipv6Literal) {
  auto url = ParseUrl("http://[::1]:9000/x");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->Origin(), "http://[::1]:9000");
}

TEST(UrlTest, RefusesWhatItCannotConnectTo) {
  for (const char* bad : {"ftp://h/", "h:80/x", "http://", "http://:80/", "http://h:0/", "http://h:65536/",
                          "http://h:8x/", "http://user:pw@h/", "http://[::1/"}) {
    auto url = ParseUrl(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(url.status().field(), "url") << bad;
  }
}

}  // namespace
}  // namespace switchyard::outbound
