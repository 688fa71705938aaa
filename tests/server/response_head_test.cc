// The response head the transport writes itself: the same framing Beast produced for it.
#include "server/response_head.h"

#include <gtest/gtest.h>

#include <string>

#include "server/api_error.h"

namespace switchyard::server {
namespace {

TEST(ResponseHeadTest, KeepAliveHttp11) {
  Response response;
  response.body = R"({"status":"ok"})";
  std::string head;
  WriteResponseHead(response, 11, true, &head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nServer: switchyard\r\nContent-Type: application/json\r\n"
            "Content-Length: 15\r\n\r\n");
}

TEST(ResponseHeadTest, ExtraHeadersAndClose) {
  Response response = ErrorResponse(503, "unavailable", "busy");
  response.headers.emplace_back("Retry-After", "1");
  std::string head = "left over from the previous response";
  WriteResponseHead(response, 11, false, &head);
  EXPECT_EQ(head,
            "HTTP/1.1 503 Service Unavailable\r\nServer: switchyard\r\nContent-Type: application/json\r\n"
            "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
                std::to_string(response.body.size()) + "\r\n\r\n");
}

TEST(ResponseHeadTest, Http10SaysKeepAliveOnlyWhenKept) {
  Response response;
  std::string head;
  WriteResponseHead(response, 10, true, &head);
  EXPECT_EQ(head.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Connection: keep-alive\r\n"), std::string::npos) << head;
  WriteResponseHead(response, 10, false, &head);
  EXPECT_EQ(head.find("Connection:"), std::string::npos) << head;
  EXPECT_NE(head.find("Content-Length: 0\r\n"), std::string::npos) << head;
}

TEST(ResponseHeadTest, NoContentHasNoLength) {
  Response response = EmptyResponse(204);
  response.headers.emplace_back("Vary", "Origin");
  std::string head;
  WriteResponseHead(response, 11, true, &head);
  EXPECT_EQ(head, "HTTP/1.1 204 No Content\r\nServer: switchyard\r\nVary: Origin\r\n\r\n");
}

}  // namespace
}  // namespace switchyard::server
