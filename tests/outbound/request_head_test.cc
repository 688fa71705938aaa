// The request head the outbound client writes itself, byte for byte: what Beast's serializer
// wrote for the same requests, Host and framing the client's own.
#include "outbound/request_head.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::outbound {
namespace {

Url Parsed(const std::string& url) {
  auto parsed = ParseUrl(url);
  EXPECT_TRUE(parsed.ok()) << url;
  return parsed.ok() ? *parsed : Url{};
}

TEST(RequestHeadTest, CallersFieldsInOrderTrimmedWithTheClientsHostAndLength) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", "evil.example"},         {"x-first", "1"},
      {"Content-Length", "999"},        {"Connection", "close"},
      {"X-Second", " \ttwo words\t "},  {"x-blank", "  "},
      {"Transfer-Encoding", "chunked"}, {"Authorization", "Bearer sk-1"}};
  EXPECT_EQ(RequestHead("POST", Parsed("http://127.0.0.1:8080/v1/chat/completions?x=1&y=2"), headers, 5),
            "POST /v1/chat/completions?x=1&y=2 HTTP/1.1\r\n"
            "Host: 127.0.0.1:8080\r\n"
            "x-first: 1\r\n"
            "X-Second: two words\r\n"
            "x-blank: \r\n"
            "Authorization: Bearer sk-1\r\n"
            "Content-Length: 5\r\n"
            "\r\n");
}

TEST(RequestHeadTest, HostLeavesOutTheDefaultPortAndBracketsIpv6) {
  EXPECT_EQ(RequestHead("GET", Parsed("https://api.example.com/v1/models"), {}, 0),
            "GET /v1/models HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
  EXPECT_EQ(RequestHead("GET", Parsed("http://api.example.com:443/"), {}, 0),
            "GET / HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n");
  EXPECT_EQ(RequestHead("GET", Parsed("http://[::1]:9000/a"), {}, 0),
            "GET /a HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n");
  EXPECT_EQ(RequestHead("GET", Parsed("http://[::1]/"), {}, 0), "GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n");
}

TEST(RequestHeadTest, ContentLengthWhenThereIsABodyOrTheMethodDefinesOne) {
  const Url url = Parsed("http://h/");
  for (const char* method : {"POST", "PUT", "PATCH", "OPTIONS"}) {
    EXPECT_EQ(RequestHead(method, url, {}, 0),
              std::string(method) + " / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  }
  for (const char* method : {"GET", "HEAD", "DELETE", "SEARCH"}) {
    EXPECT_EQ(RequestHead(method, url, {}, 0), std::string(method) + " / HTTP/1.1\r\nHost: h\r\n\r\n");
  }
  EXPECT_EQ(RequestHead("DELETE", url, {}, 3), "DELETE / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n");
}

TEST(RequestHeadTest, TheClientOwnsFramingFieldsInAnyCase) {
  for (const char* name : {"host", "Content-Length", "TRANSFER-ENCODING", "Connection", "Keep-Alive", "TE",
                           "upgrade", "Trailer"}) {
    EXPECT_TRUE(IsOwnedByClient(name)) << name;
  }
  for (const char* name : {"x-host", "content-type", "hosts", "t", ""})
    EXPECT_FALSE(IsOwnedByClient(name)) << name;
}

}  // namespace
}  // namespace switchyard::outbound
