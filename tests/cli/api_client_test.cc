#include "cli/api_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/http_client.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// A scripted HTTP server on raw sockets: each accepted connection serves requests with `respond`
// until it returns an empty string (then the connection is closed without a response) or until
// `requests_per_connection` requests were answered (then it is closed, as an idle timeout would).
class FakeServer {
 public:
  using Responder = std::function<std::string(const std::string& request)>;

  FakeServer(Responder respond, int requests_per_connection)
      : respond_(std::move(respond)), per_connection_(requests_per_connection) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listen_fd_, 8), 0);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~FakeServer() {
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  int closed() const { return closed_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections_;
      for (int i = 0; i < per_connection_; ++i) {
        std::string request = ReadRequest(fd);
        if (request.empty()) break;
        {
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(request);
        }
        std::string response = respond_(request);
        if (response.empty()) break;
        if (write(fd, response.data(), response.size()) < 0) break;
      }
      close(fd);
      ++closed_;
    }
  }

  static std::string ReadRequest(int fd) {
    std::string data;
    char buf[4096];
    for (;;) {
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        auto cl = data.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) length = std::stoul(data.substr(cl + 16));
        if (data.size() >= end + 4 + length) return data;
      }
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) return {};
      data.append(buf, static_cast<std::size_t>(n));
    }
  }

  Responder respond_;
  int per_connection_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::atomic<int> closed_{0};
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

std::string Response(int status, const std::string& body, const std::string& extra_headers = {}) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

TEST(ParseBaseUrlTest, SplitsHostPortAndPrefix) {
  Result<BaseUrl> url = ParseBaseUrl("http://example.com:8080/base/");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->port, "8080");
  EXPECT_EQ(url->prefix, "/base");
  EXPECT_EQ(ParseBaseUrl("http://h")->port, "80");
  EXPECT_EQ(ParseBaseUrl("https://h")->port, "443");
  EXPECT_EQ(ParseBaseUrl("http://[::1]:9000")->host, "::1");
  EXPECT_EQ(ParseBaseUrl("HTTP://h:1")->scheme, "http");
}

TEST(ParseBaseUrlTest, RejectsMalformedUrls) {
  for (const char* bad :
       {"127.0.0.1:8000", "ftp://h", "http://", "http://:80", "http://h:port", "http://[::1"}) {
    EXPECT_FALSE(ParseBaseUrl(bad).ok()) << bad;
  }
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailableNamingTheUrl) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);  // find a port nobody listens on
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  close(fd);

  HttpClient client(url);
  Result<HttpResponse> response = client.Request("GET", "/api/v1/version");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find(url), std::string::npos) << response.status().message();
}

TEST(HttpClientTest, SendsJsonBodiesAndLowerCasesResponseHeaders) {
  FakeServer server(
      [](const std::string&) { return Response(201, R"({"ok":true})", "X-Request-ID: abc\r\n"); }, 10);
  HttpClient client(server.url() + "/prefix");
  Result<HttpResponse> response = client.Request("POST", "/things", R"({"a":1})", {{"X-Custom", "1"}});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"ok":true})");
  EXPECT_EQ(response->Header("x-request-id"), "abc");
  EXPECT_EQ(response->Header("content-type"), "application/json");
  std::string request = server.requests().at(0);
  EXPECT_EQ(request.rfind("POST /prefix/things HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Content-Type: application/json\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("X-Custom: 1\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\n\r\n{\"a\":1}"), std::string::npos) << request;
}

TEST(HttpClientTest, CallerHeadersOverrideContentType) {
  FakeServer server([](const std::string&) { return Response(200, "{}"); }, 10);
  HttpClient client(server.url());
  ASSERT_TRUE(client.Request("PUT", "/x", "a: 1", {{"Content-Type", "application/yaml"}}).ok());
  std::string request = server.requests().at(0);
  EXPECT_NE(request.find("Content-Type: application/yaml\r\n"), std::string::npos) << request;
  EXPECT_EQ(request.find("application/json\r\n\r\n"), std::string::npos) << request;
}

TEST(HttpClientTest, ReusesTheConnection) {
  FakeServer server([](const std::string&) { return Response(200, "{}"); }, 10);
  HttpClient client(server.url());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.Request("GET", "/x").ok());
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClientTest, ReconnectsOnceWhenTheServerClosedAnIdleConnection) {
  FakeServer server([](const std::string&) { return Response(200, "{}"); }, /*requests_per_connection=*/1);
  HttpClient client(server.url());
  for (int i = 0; i < 3; ++i) {
    Result<HttpResponse> response = client.Request("GET", "/x");
    ASSERT_TRUE(response.ok()) << i << ": " << response.status().ToString();
  }
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpClientTest, DoesNotRetryAFreshConnectionThatFails) {
  FakeServer server([](const std::string&) { return std::string(); }, 10);  // hang up without answering
  HttpClient client(server.url());
  Result<HttpResponse> response = client.Request("POST", "/x", "{}");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server.connections(), 1);
}

// Answers every request except the `hang_up`-th (1-based), where it reads the request and closes
// the connection without answering: a request that reached the server, with no reply.
FakeServer::Responder HangUpOn(int hang_up, std::atomic<int>& seen) {
  return [hang_up, &seen](const std::string&) {
    return ++seen == hang_up ? std::string() : Response(200, "{}");
  };
}

TEST(HttpClientTest, DoesNotRetryPostOrPatchThatMayHaveBeenApplied) {
  for (const char* method : {"POST", "PATCH"}) {
    std::atomic<int> seen{0};
    FakeServer server(HangUpOn(2, seen), 10);
    HttpClient client(server.url());
    ASSERT_TRUE(client.Request("GET", "/x").ok());
    Result<HttpResponse> response = client.Request(method, "/x", "{}");
    ASSERT_FALSE(response.ok()) << method;
    EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(server.requests().size(), 2u) << method << " was sent again";
    EXPECT_EQ(server.connections(), 1) << method;
  }
}

TEST(HttpClientTest, RetriesIdempotentRequestsOnceOnAFreshConnection) {
  for (const char* method : {"GET", "PUT", "DELETE"}) {
    std::atomic<int> seen{0};
    FakeServer server(HangUpOn(2, seen), 10);
    HttpClient client(server.url());
    ASSERT_TRUE(client.Request("GET", "/x").ok());
    Result<HttpResponse> response = client.Request(method, "/x", "{}");
    ASSERT_TRUE(response.ok()) << method << ": " << response.status().ToString();
    EXPECT_EQ(server.requests().size(), 3u) << method;
    EXPECT_EQ(server.connections(), 2) << method;
  }
}

TEST(HttpClientTest, PostOnAConnectionTheServerAlreadyClosedGoesOutOnAFreshOne) {
  FakeServer server([](const std::string&) { return Response(200, "{}"); }, /*requests_per_connection=*/1);
  HttpClient client(server.url());
  ASSERT_TRUE(client.Request("GET", "/x").ok());
  while (server.closed() < 1) std::this_thread::yield();  // the idle connection is gone
  Result<HttpResponse> response = client.Request("POST", "/x", "{}");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClientTest, TimesOutWhenTheServerDoesNotAnswer) {
  std::atomic<bool> release{false};
  FakeServer server(
      [&](const std::string&) {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return std::string();
      },
      10);
  HttpClient client(server.url(), std::chrono::milliseconds(100));
  Result<HttpResponse> response = client.Request("GET", "/slow");
  release = true;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("timed out"), std::string::npos) << response.status().message();
}

TEST(HttpClientTest, HttpsIsNotSupportedYet) {
  HttpClient client("https://127.0.0.1:1");
  Result<HttpResponse> response = client.Request("GET", "/");
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("https"), std::string::npos);
}

TEST(ApiClientTest, SendsTheBearerKeyAndParsesJson) {
  FakeServer server([](const std::string&) { return Response(200, R"({"name":"switchyard"})"); }, 10);
  ApiClient api(server.url(), "sy_secret");
  Result<Json> version = api.Get("/api/v1/version");
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ((*version)["name"], "switchyard");
  EXPECT_EQ(api.last_error_http_status(), 0);
  EXPECT_NE(server.requests().at(0).find("Authorization: Bearer sy_secret\r\n"), std::string::npos);
}

TEST(ApiClientTest, MapsTheErrorEnvelopeToAStatus) {
  FakeServer server(
      [](const std::string&) {
        return Response(409, R"({"error":{"code":"conflict","message":"stale","field":"version"}})");
      },
      10);
  ApiClient api(server.url(), "k");
  Result<Json> result = api.Put("/x", Json{{"version", 1}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kConflict);
  EXPECT_EQ(result.status().message(), "stale");
  EXPECT_EQ(result.status().field(), "version");
  EXPECT_EQ(api.last_error_http_status(), 409);
  EXPECT_EQ(FormatErrorLine(result.status(), api.last_error_http_status()),
            "error: stale (field version) [HTTP 409]");
}

TEST(ApiClientTest, EmptyBodyIsNull) {
  FakeServer server([](const std::string&) { return std::string("HTTP/1.1 204 No Content\r\n\r\n"); }, 10);
  ApiClient api(server.url(), "k");
  Result<Json> result = api.Delete("/x");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->is_null());
}

TEST(ApiClientTest, GetListFollowsNextCursorUntilTheLastPage) {
  // Three pages keyed by the cursor the client sends back.
  FakeServer server(
      [](const std::string& request) {
        if (request.find("cursor=c%2F2") != std::string::npos) {
          return Response(200, R"({"flags":[{"key":"e"}],"next_cursor":null})");
        }
        if (request.find("cursor=c1") != std::string::npos) {
          return Response(200, R"({"flags":[{"key":"c"},{"key":"d"}],"next_cursor":"c/2"})");
        }
        return Response(200, R"({"flags":[{"key":"a"},{"key":"b"}],"next_cursor":"c1"})");
      },
      10);
  ApiClient api(server.url(), "k");
  Result<Json> all = api.GetList("/api/v1/projects/p/flags?tag=x", "flags");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ((*all)["flags"].size(), 5u);
  EXPECT_EQ((*all)["flags"][4]["key"], "e");
  EXPECT_FALSE(all->contains("next_cursor"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].rfind("GET /api/v1/projects/p/flags?tag=x&limit=1000 HTTP/1.1", 0), 0u)
      << requests[0];
  EXPECT_EQ(requests[2].rfind("GET /api/v1/projects/p/flags?tag=x&limit=1000&cursor=c%2F2 HTTP/1.1", 0), 0u)
      << requests[2];
}

TEST(ApiClientTest, GetListStopsOnARepeatedCursorOrAMissingArray) {
  FakeServer looping([](const std::string&) { return Response(200, R"({"keys":[],"next_cursor":"same"})"); },
                     10);
  ApiClient api(looping.url(), "k");
  Result<Json> loop = api.GetList("/keys", "keys");
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.status().code(), StatusCode::kInternal);
  EXPECT_EQ(looping.requests().size(), 2u);

  FakeServer wrong([](const std::string&) { return Response(200, R"({"items":[]})"); }, 10);
  ApiClient other(wrong.url(), "k");
  EXPECT_FALSE(other.GetList("/keys", "keys").ok());
}

TEST(StatusFromErrorResponseTest, FallsBackToTheHttpStatus) {
  Status unknown_code =
      StatusFromErrorResponse(400, R"({"error":{"code":"invalid_query","message":"bad limit"}})");
  EXPECT_EQ(unknown_code.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown_code.message(), "bad limit");
  EXPECT_TRUE(unknown_code.field().empty());
  Status html = StatusFromErrorResponse(502, "<html>Bad Gateway</html>\nmore");
  EXPECT_EQ(html.code(), StatusCode::kInternal);
  EXPECT_EQ(html.message(), "server answered HTTP 502: <html>Bad Gateway</html>");
  EXPECT_EQ(StatusFromErrorResponse(401, "").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(StatusFromErrorResponse(404, "{}").code(), StatusCode::kNotFound);
}

TEST(FormatErrorLineTest, OmitsMissingPartsAndStaysOnOneLine) {
  EXPECT_EQ(FormatErrorLine(Status::Unavailable("cannot connect"), 0), "error: cannot connect");
  EXPECT_EQ(FormatErrorLine(Status::NotFound("no flag"), 404), "error: no flag [HTTP 404]");
  EXPECT_EQ(FormatErrorLine(Status::InvalidArgument("bad\nvalue", "f"), 0), "error: bad value (field f)");
}

TEST(ErrorJsonTest, CarriesCodeMessageAndOnlyTheKnownParts) {
  EXPECT_EQ(
      ErrorJson(Status::Conflict("stale", "version"), 409),
      Json::parse(R"({"error":{"code":"conflict","message":"stale","field":"version","http_status":409}})"));
  EXPECT_EQ(ErrorJson(Status::Unavailable("cannot connect"), 0),
            Json::parse(R"({"error":{"code":"unavailable","message":"cannot connect"}})"));
}

TEST(PercentEncodeTest, KeepsUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("new-checkout_v2.1~"), "new-checkout_v2.1~");
  EXPECT_EQ(PercentEncode("a b/c?d&e=f"), "a%20b%2Fc%3Fd%26e%3Df");
  EXPECT_EQ(PercentEncode("ü"), "%C3%BC");
}

}  // namespace
}  // namespace switchyard::cli
