// The transport under attack, on the real binary: each test is one class of hostile input from
// issue 5 (crash, smuggling, starvation, memory), answered with a clear status while the server
// keeps serving everyone else.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/gzip.h"
#include "support/raw_socket.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using std::chrono::milliseconds;
using testing::Gzip;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::RawExchange;
using testing::RawSocket;
using testing::ServerProcess;

testing::ServerOptions WithArgs(std::vector<std::string> args) {
  testing::ServerOptions options;
  options.extra_args = std::move(args);
  return options;
}

int StatusOf(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::stoi(raw.substr(9, 3));
}

bool Healthy(const ServerProcess& server) {
  return StatusOf(RawExchange(server.port(),
                              "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 200;
}

std::string Post(const std::string& path, const std::string& body, const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kTestProjectKey +
         "\r\nContent-Type: application/json\r\nConnection: close\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(HttpHardeningTest, OversizedChunkedTrailerIsRefusedAndTheServerLives) {
  ServerProcess server;
  std::string request =
      "POST /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\n{}\r\n0\r\nX-Big: " +
      std::string(70 * 1024, 'a') + "\r\n\r\n";
  int status = StatusOf(RawExchange(server.port(), request));
  EXPECT_TRUE(status == 431 || status == 400) << status;
  EXPECT_TRUE(Healthy(server));
}

TEST(HttpHardeningTest, LargestAllowedHeaderDoesNotCrash) {
  ServerProcess server(WithArgs({"--max-header-bytes", "61440"}));
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(60 * 1024, 'b') +
                        "\r\nConnection: close\r\n\r\n";
  int status = StatusOf(RawExchange(server.port(), request));
  EXPECT_EQ(status, 431);
  EXPECT_TRUE(Healthy(server));
  // Beyond what Beast can hold in one field, the setting itself is refused.
  auto refused = testing::RunSwitchyard({"serve", "--max-header-bytes", "70000", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 2);
}

TEST(HttpHardeningTest, AmbiguousFramingIsRefusedAndTheSmuggledRequestNeverRuns) {
  ServerProcess server;
  const std::string smuggled = "GET /api/v1/version HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string& coding : {std::string("chunked, identity"), std::string("gzip"),
                                    std::string("identity"), std::string("chunked, chunked")}) {
    std::string request =
        "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + "\r\n\r\n" + smuggled;
    std::string answer = RawExchange(server.port(), request);
    EXPECT_EQ(StatusOf(answer), 400) << coding << ": " << answer;
    EXPECT_EQ(answer.find("switchyard\",\"version"), std::string::npos) << "smuggled request ran: " << answer;
    EXPECT_EQ(answer.find("HTTP/1.1", 5), std::string::npos) << "a second response followed: " << answer;
  }
  std::string both =
      "POST /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Content-Length: 5\r\n\r\n0\r\n\r\n";
  EXPECT_EQ(StatusOf(RawExchange(server.port(), both)), 400);
  EXPECT_EQ(StatusOf(RawExchange(server.port(), "GET /healthz HTTP/1.1\r\n\r\n")), 400);  // no Host
  EXPECT_EQ(StatusOf(RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")), 400);
  EXPECT_EQ(StatusOf(RawExchange(server.port(), "GET /healthz HTTP/1.0\r\n\r\n")), 200);  // 1.0 needs none
}

TEST(HttpHardeningTest, SlowHeadersAreClosedAfterTheHeaderTimeout) {
  ServerProcess server(WithArgs({"--header-timeout", "1"}));
  RawSocket silent(server.port());
  RawSocket slow(server.port());
  ASSERT_TRUE(slow.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));  // never finishes its head
  EXPECT_TRUE(silent.ClosedWithin(milliseconds(5000)));
  EXPECT_TRUE(slow.ClosedWithin(milliseconds(5000)));
  EXPECT_TRUE(Healthy(server));
}

TEST(HttpHardeningTest, IdleConnectionsAreClosedOldestFirstToAdmitNewOnes) {
  ServerProcess server(WithArgs({"--max-connections", "4"}));
  std::vector<std::unique_ptr<RawSocket>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<RawSocket>(server.port()));
    std::this_thread::sleep_for(milliseconds(50));  // distinct idle-since times
  }
  // Every slot is held by a connection that sent nothing; newcomers still get served.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Healthy(server)) << i;
  EXPECT_TRUE(idle[0]->ClosedWithin(milliseconds(3000)));
}

TEST(HttpHardeningTest, PerAddressConnectionCap) {
  ServerProcess server(WithArgs({"--max-connections-per-address", "2"}));
  RawSocket a(server.port());
  RawSocket b(server.port());
  ASSERT_TRUE(a.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  ASSERT_TRUE(b.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(milliseconds(200));
  std::string third = RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(third), 503) << third;
  EXPECT_NE(third.find("Retry-After: 1"), std::string::npos) << third;
}

TEST(HttpHardeningTest, PerAddressRateLimit) {
  ServerProcess server(WithArgs({"--rate-limit-per-address", "2"}));
  int limited = 0;
  for (int i = 0; i < 20; ++i) {
    std::string answer =
        RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (StatusOf(answer) == 429) {
      ++limited;
      EXPECT_NE(answer.find("Retry-After:"), std::string::npos);
    }
  }
  EXPECT_GE(limited, 10);
}

TEST(HttpHardeningTest, TotalBufferedBytesAreBounded) {
  ServerProcess server(WithArgs({"--max-body-bytes", "8388608", "--max-buffered-bytes", "1048576"}));
  // The declared body would not fit the server-wide budget: refused before it is read.
  std::string head = "POST /api/v1/projects/default/flags HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     std::string(kTestAdminKey) +
                     "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n";
  std::string answer = RawExchange(server.port(), head);
  EXPECT_EQ(StatusOf(answer), 503) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  EXPECT_TRUE(Healthy(server));
}

TEST(HttpHardeningTest, EvaluateHasASmallBodyLimit) {
  ServerProcess server;
  std::string body = R"({"distinct_id":"u","properties":{"pad":")" + std::string(70 * 1024, 'x') + "\"}}";
  EXPECT_EQ(StatusOf(RawExchange(server.port(), Post("/api/v1/evaluate", body))), 413);
}

TEST(HttpHardeningTest, GzipBodiesAreDecodedWithinTheLimit) {
  ServerProcess server;
  std::string ok = RawExchange(server.port(), Post("/api/v1/evaluate", Gzip(R"({"distinct_id":"alice"})"),
                                                   "Content-Encoding: gzip\r\n"));
  EXPECT_EQ(StatusOf(ok), 200) << ok;
  EXPECT_NE(ok.find("alice"), std::string::npos) << ok;
  // A bomb: 10 MB of spaces compress to ~10 KB, far below the 64 KiB body limit.
  std::string bomb = Gzip("{\"distinct_id\":\"a\"" + std::string(10 * 1024 * 1024, ' ') + "}");
  ASSERT_LT(bomb.size(), 64u * 1024);
  std::string refused =
      RawExchange(server.port(), Post("/api/v1/evaluate", bomb, "Content-Encoding: gzip\r\n"));
  EXPECT_EQ(StatusOf(refused), 413) << refused;
  EXPECT_EQ(StatusOf(RawExchange(server.port(),
                                 Post("/api/v1/evaluate", "not gzip", "Content-Encoding: gzip\r\n"))),
            400);
  EXPECT_EQ(StatusOf(RawExchange(server.port(), Post("/api/v1/evaluate", "x", "Content-Encoding: br\r\n"))),
            415);
  EXPECT_TRUE(Healthy(server));
}

TEST(HttpHardeningTest, CorsPreflightAndResponseHeaders) {
  ServerProcess server(WithArgs({"--cors-origins", "https://app.example.com"}));
  std::string preflight =
      RawExchange(server.port(),
                  "OPTIONS /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\n"
                  "Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(preflight), 204) << preflight;
  EXPECT_NE(preflight.find("Access-Control-Allow-Origin: https://app.example.com"), std::string::npos)
      << preflight;
  EXPECT_NE(preflight.find("Access-Control-Allow-Methods: POST"), std::string::npos) << preflight;
  EXPECT_NE(preflight.find("Authorization"), std::string::npos) << preflight;
  std::string other =
      RawExchange(server.port(),
                  "OPTIONS /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n"
                  "Connection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(other), 403) << other;
  std::string answer = RawExchange(server.port(), Post("/api/v1/evaluate", R"({"distinct_id":"a"})",
                                                       "Origin: https://app.example.com\r\n"));
  EXPECT_EQ(StatusOf(answer), 200);
  EXPECT_NE(answer.find("Access-Control-Allow-Origin: https://app.example.com"), std::string::npos) << answer;
  // Management routes are not for browsers.
  std::string management = RawExchange(server.port(),
                                       "OPTIONS /api/v1/projects HTTP/1.1\r\nHost: x\r\nOrigin: "
                                       "https://app.example.com\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(management), 405) << management;
}

TEST(HttpHardeningTest, ClientsThatNeverReadDoNotStopOthers) {
  ServerProcess server;
  std::vector<std::unique_ptr<RawSocket>> hogs;
  std::string request = "GET /api/v1/projects/default/flags HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        std::string(kTestAdminKey) + "\r\n\r\n";
  std::string pipeline;
  for (int i = 0; i < 200; ++i) pipeline += request;
  for (int i = 0; i < 20; ++i) {
    hogs.push_back(std::make_unique<RawSocket>(server.port()));
    hogs.back()->Send(pipeline);  // and never read a byte of the answers
  }
  EXPECT_TRUE(Healthy(server));
}

}  // namespace
}  // namespace switchyard
