#include "server/http_message.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

TEST(HttpMessageTest, SplitsPathAndDecodesQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ParseTarget("/api/v1/flags?q=new+checkout&tag=a%2Fb&flag&=x", &path, &query);
  EXPECT_EQ(path, "/api/v1/flags");
  ASSERT_EQ(query.size(), 4u);
  EXPECT_EQ(query[0], (std::pair<std::string, std::string>{"q", "new checkout"}));
  EXPECT_EQ(query[1], (std::pair<std::string, std::string>{"tag", "a/b"}));
  EXPECT_EQ(query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(query[3], (std::pair<std::string, std::string>{"", "x"}));
}

TEST(HttpMessageTest, MalformedEscapesAreKeptVerbatim) {
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("%41+b", false), "A+b");
  EXPECT_EQ(PercentDecode("%41+b", true), "A b");
}

TEST(HttpMessageTest, HeaderAndQueryLookups) {
  Request request;
  request.headers = {{"content-type", "application/json"}};
  request.query = {{"limit", "5"}};
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("missing"), "");
  ASSERT_NE(request.QueryParam("limit"), nullptr);
  EXPECT_EQ(*request.QueryParam("limit"), "5");
  EXPECT_EQ(request.QueryParam("offset"), nullptr);
}

}  // namespace
}  // namespace switchyard::server
