// List paging: opaque cursors tied to their list, limits, keyset pages, next-page links.
#include "server/list_page.h"

#include <gtest/gtest.h>

#include "server/api_harness.h"
#include "server/base64url.h"

namespace switchyard::server {
namespace {

Request Get(const std::string& target) {
  Request request;
  request.method = "GET";
  request.target = target;
  ParseTarget(target, &request.path, &request.query);
  return request;
}

using testing::HeaderOf;
TEST(Base64UrlTest, RoundTripsAnyBytesWithTheUrlAlphabetAndNoPadding) {
  for (std::string bytes : {std::string(), std::string("f"), std::string("fo"), std::string("foo"),
                            std::string("\xff\xfe\x00\x3e\x3f", 5), std::string(300, '\xfb')}) {
    std::string text = Base64UrlEncode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos) << text;
    auto back = Base64UrlDecode(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RefusesWhatNoEncodingProduces) {
  for (const char* bad : {"a", "ab=c", "a+b/", "ab cd", "Zm9v=", "Zh"}) {
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << bad;  // "Zh": stray bits in the last character
  }
}

TEST(CursorTest, RoundTripsThePositionOfItsOwnList) {
  for (std::string position : {std::string("checkout"), std::string(""), std::string("a\nb"),
                               std::string("ü & ?=/"), IdPosition(42)}) {
    std::string cursor = EncodeCursor("flags", position);
    EXPECT_EQ(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    auto decoded = DecodeCursor("flags", cursor);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, position);
  }
}

TEST(CursorTest, ACursorFromAnotherListOrMadeUpIsRefusedNamingCursor) {
  std::string flags = EncodeCursor("flags", "checkout");
  for (const std::string& bad :
       {EncodeCursor("cohorts", "checkout"), EncodeCursor("flag", "s\ncheckout"), std::string("checkout"),
        std::string("!!"), Base64UrlEncode("flags"), std::string()}) {
    auto decoded = DecodeCursor("flags", bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(decoded.status().field(), "cursor");
  }
  EXPECT_TRUE(DecodeCursor("flags", flags).ok());
}

TEST(IdPositionTest, SortsAsTheIdsDo) {
  EXPECT_LT(IdPosition(9), IdPosition(10));
  EXPECT_LT(IdPosition(99), IdPosition(1000));
  EXPECT_EQ(PositionId(IdPosition(1234)), 1234);
  EXPECT_FALSE(PositionId("12").has_value());
  EXPECT_FALSE(PositionId("0000000000000000000x").has_value());
}

TEST(ReadPageRequestTest, LimitDefaultsBoundsAndCursor) {
  auto defaults = ReadPageRequest(Get("/l"), "flags");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->limit, 100u);
  EXPECT_FALSE(defaults->after.has_value());
  EXPECT_EQ(ReadPageRequest(Get("/l?limit=1000"), "flags")->limit, 1000u);
  for (const char* bad : {"/l?limit=0", "/l?limit=1001", "/l?limit=x", "/l?limit=", "/l?limit=-1"}) {
    auto page = ReadPageRequest(Get(bad), "flags");
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.status().field(), "limit") << bad;
    EXPECT_NE(page.status().message().find("1000"), std::string::npos) << page.status().message();
  }
  auto after = ReadPageRequest(Get("/l?cursor=" + EncodeCursor("flags", "b")), "flags");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->after, "b");
  EXPECT_EQ(ReadPageRequest(Get("/l?cursor=" + EncodeCursor("flags", "b")), "keys").status().field(),
            "cursor");
}

TEST(TakePageTest, PagesAfterThePositionAndSaysWhetherMoreFollow) {
  const std::vector<std::string> items = {"a", "b", "c", "d", "e"};
  auto self = [](const std::string& s) { return s; };
  std::optional<std::string> next;
  PageRequest page;
  page.limit = 2;
  auto first = TakePage(items, page, self, &next);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(*first[0], "a");
  EXPECT_EQ(next, "b");
  page.after = next;
  auto second = TakePage(items, page, self, &next);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(*second[0], "c");
  EXPECT_EQ(next, "d");
  page.after = next;
  auto last = TakePage(items, page, self, &next);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(*last[0], "e");
  EXPECT_FALSE(next.has_value());
  // A page that ends exactly at the end has no next page.
  page.after = "c";
  EXPECT_EQ(TakePage(items, page, self, &next).size(), 2u);
  EXPECT_FALSE(next.has_value());
  // A position that has since been deleted still pages from where it was.
  page.after = "bb";
  EXPECT_EQ(*TakePage(items, page, self, &next)[0], "c");
}

TEST(PagedJsonResponseTest, NextCursorInTheBodyAndALinkThatKeepsTheFilters) {
  Request request = Get("/api/v1/projects/default/flags?tag=a%20b&limit=2&cursor=old&offset=3");
  Response response = PagedJsonResponse(request, "flags", {{"flags", nlohmann::json::array()}}, "k");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["next_cursor"], EncodeCursor("flags", "k"));
  EXPECT_EQ(HeaderOf(response, "Link"), "</api/v1/projects/default/flags?tag=a%20b&limit=2&cursor=" +
                                            EncodeCursor("flags", "k") + ">; rel=\"next\"");

  Response last = PagedJsonResponse(request, "flags", {{"flags", nlohmann::json::array()}}, std::nullopt);
  EXPECT_TRUE(nlohmann::json::parse(last.body)["next_cursor"].is_null());
  EXPECT_EQ(HeaderOf(last, "Link"), "");
}

}  // namespace
}  // namespace switchyard::server
