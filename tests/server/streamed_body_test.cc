// Streamed request bodies end to end through the real transport and router, with a test-only
// route that reads its body piece by piece: bodies that trickle in, chunked and gzip bodies,
// the limit passed mid-stream, a client that goes away or stalls, and backpressure (the server
// reads no further than the handler has asked).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/body_source.h"
#include "server/http_server.h"
#include "server/key_ring.h"
#include "server/router.h"
#include "support/gzip.h"
#include "support/raw_socket.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using std::chrono::milliseconds;
using testing::RawSocket;

constexpr std::size_t kSmallLimit = 256 * 1024;
constexpr std::size_t kLargeLimit = 64 * 1024 * 1024;

// What the handler saw, for the test thread to look at.
struct Observed {
  std::atomic<std::size_t> bytes{0};
  std::atomic<int> pieces{0};
  std::atomic<bool> handler_done{false};
  std::atomic<bool> gate_open{false};
  std::mutex mutex;
  std::string content;
  std::optional<BodyError> error;

  std::optional<BodyError> Error() {
    std::lock_guard lock(mutex);
    return error;
  }
  std::string Content() {
    std::lock_guard lock(mutex);
    return content;
  }
};

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(milliseconds(10));
  return done();
}

// ?gate: wait after the first piece until the test opens the gate; ?first: stop after one piece.
net::awaitable<Response> Consume(RequestContext& ctx, Observed* seen) {
  bool gate = ctx.request().QueryParam("gate") != nullptr;
  bool first_only = ctx.request().QueryParam("first") != nullptr;
  net::steady_timer timer(co_await net::this_coro::executor);
  Response response;
  for (;;) {
    BodyChunk chunk = co_await ctx.Body().Read();
    if (!chunk.ok()) {
      {
        std::lock_guard lock(seen->mutex);
        seen->error = chunk.error;
      }
      seen->handler_done = true;
      co_return BodyErrorResponse(chunk);
    }
    if (chunk.end()) break;
    {
      std::lock_guard lock(seen->mutex);
      seen->content.append(chunk.data);
    }
    seen->bytes += chunk.data.size();
    ++seen->pieces;
    if (first_only) break;
    while (gate && !seen->gate_open) {
      timer.expires_after(milliseconds(5));
      co_await timer.async_wait(net::use_awaitable);
    }
  }
  response.content_type = "text/plain";
  response.body = "pieces=" + std::to_string(seen->pieces) + " bytes=" + std::to_string(seen->bytes);
  seen->handler_done = true;
  co_return response;
}

class StreamedBodyTest : public ::testing::Test {
 protected:
  StreamedBodyTest() : router_(keys_) {
    for (auto [path, limit] :
         {std::pair{"/consume", kSmallLimit}, std::pair{"/consume-large", kLargeLimit}}) {
      RoutePolicy policy;
      policy.execution = Execution::kAsync;
      policy.stream_body = true;
      policy.accept_gzip = true;
      policy.max_body_bytes = limit;
      router_.AddAsync("POST", path, Access::kPublic, "test only: reads its body as a stream", policy,
                       [this](RequestContext& ctx) { return Consume(ctx, &seen_); });
    }
    RoutePolicy inline_policy;
    inline_policy.execution = Execution::kInline;
    router_.Add("GET", "/ping", Access::kPublic, "test only", inline_policy, [](RequestContext&) {
      Response response;
      response.content_type = "text/plain";
      response.body = "pong";
      return response;
    });
  }

  void StartServer(HttpLimits limits = {}) {
    HttpHandlers handlers{
        [this](std::string_view method, std::string_view path) { return router_.BodyRulesFor(method, path); },
        [this](Request request) { return router_.HandleAsync(std::move(request)); },
        [this](Request& request) { return router_.HandleInline(request); }};
    server_ = std::make_unique<HttpServer>(limits, std::move(handlers), 2);
    auto port = server_->Listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    seen_.gate_open = true;
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
  }

  static std::string Head(const std::string& target, const std::string& framing,
                          const std::string& extra = "") {
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra + framing +
           "\r\n\r\n";
  }
  static std::string Chunked(const std::string& body, std::size_t chunk_size,
                             std::string* out_last = nullptr) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); i += chunk_size) {
      std::string piece = body.substr(i, chunk_size);
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      out += size + piece + "\r\n";
    }
    if (out_last != nullptr) *out_last = "0\r\n\r\n";
    return out;
  }

  KeyRing keys_;
  Router router_;
  Observed seen_;
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  int port_ = 0;
};

std::string Body(std::size_t size) {
  std::string body;
  while (body.size() < size) body += "{\"event\":\"e" + std::to_string(body.size()) + "\"}\n";
  body.resize(size);
  return body;
}

TEST_F(StreamedBodyTest, ABodyInManySmallSendsReachesTheHandlerBeforeItIsComplete) {
  StartServer();
  std::string body = Body(20000);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(Head("/consume", "Content-Length: 20000")));
  for (std::size_t i = 0; i < 1000; i += 10) ASSERT_TRUE(client.Send(body.substr(i, 10)));
  // The handler has these bytes while 19,000 are still to come: it reads as the body arrives.
  ASSERT_TRUE(WaitFor([&] { return seen_.bytes >= 1000; })) << seen_.bytes;
  EXPECT_FALSE(seen_.handler_done);
  for (std::size_t i = 1000; i < body.size(); i += 100) ASSERT_TRUE(client.Send(body.substr(i, 100)));
  std::string answer = client.ReadUntil("bytes=20000", milliseconds(10000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("bytes=20000"), std::string::npos) << answer;
  EXPECT_GT(seen_.pieces, 1);
  EXPECT_EQ(seen_.Content(), body);
  // The whole body was read, so the connection serves the next request.
  ASSERT_TRUE(client.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(client.ReadUntil("pong", milliseconds(10000)).find("pong"), std::string::npos);
}

TEST_F(StreamedBodyTest, AChunkedBodyArrivesWhole) {
  StartServer();
  std::string body = Body(30000);
  std::string last;
  std::string chunks = Chunked(body, 97, &last);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(Head("/consume", "Transfer-Encoding: chunked")));
  for (std::size_t i = 0; i < chunks.size(); i += 500) ASSERT_TRUE(client.Send(chunks.substr(i, 500)));
  ASSERT_TRUE(client.Send(last));
  std::string answer = client.ReadUntil("bytes=30000", milliseconds(10000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_EQ(seen_.Content(), body);
}

TEST_F(StreamedBodyTest, AGzipBodyIsInflatedAsItIsRead) {
  StartServer();
  std::string body = Body(200000);
  std::string compressed = testing::Gzip(body);
  std::string last;
  std::string chunks = Chunked(compressed, 1000, &last);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(Head("/consume", "Transfer-Encoding: chunked", "Content-Encoding: gzip\r\n")));
  ASSERT_TRUE(client.Send(chunks));
  ASSERT_TRUE(client.Send(last));
  std::string answer = client.ReadUntil("bytes=200000", milliseconds(10000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_EQ(seen_.Content(), body);
}

TEST_F(StreamedBodyTest, PassingTheLimitMidStreamIs413) {
  StartServer();
  std::string chunks = Chunked(Body(kSmallLimit + 50000), 4096);  // no length to refuse up front
  std::string answer = testing::RawExchange(port_, Head("/consume", "Transfer-Encoding: chunked") + chunks);
  EXPECT_NE(answer.find("HTTP/1.1 413"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"field\":\"body\""), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_EQ(seen_.Error(), BodyError::kTooLarge);
  EXPECT_GT(seen_.bytes, 0u) << "the handler had pieces before the limit was passed";
  EXPECT_LE(seen_.bytes, kSmallLimit);
}

TEST_F(StreamedBodyTest, AGzipBombIs413) {
  StartServer();
  std::string bomb = testing::Gzip(std::string(20 * 1024 * 1024, ' '));
  std::string answer = testing::RawExchange(
      port_,
      Head("/consume", "Content-Length: " + std::to_string(bomb.size()), "Content-Encoding: gzip\r\n") +
          bomb);
  EXPECT_NE(answer.find("HTTP/1.1 413"), std::string::npos) << answer;
  EXPECT_EQ(seen_.Error(), BodyError::kTooLarge);
  EXPECT_LE(seen_.bytes, kSmallLimit);
}

TEST_F(StreamedBodyTest, AClientThatGoesAwayMidBodyStopsTheHandler) {
  StartServer();
  {
    RawSocket client(port_);
    ASSERT_TRUE(client.Send(Head("/consume", "Content-Length: 100000")));
    ASSERT_TRUE(client.Send(Body(5000)));
    ASSERT_TRUE(WaitFor([&] { return seen_.bytes >= 5000; }));
  }  // closes the connection with 95,000 bytes still owed
  ASSERT_TRUE(WaitFor([&] { return seen_.handler_done.load(); }));
  EXPECT_EQ(seen_.Error(), BodyError::kDisconnected);
  EXPECT_EQ(seen_.bytes, 5000u);
}

TEST_F(StreamedBodyTest, AClientThatStallsMidBodyTimesOut) {
  HttpLimits limits;
  limits.request_timeout = std::chrono::seconds(1);
  StartServer(limits);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(Head("/consume", "Content-Length: 1000")));
  ASSERT_TRUE(client.Send(Body(10)));
  ASSERT_TRUE(WaitFor([&] { return seen_.handler_done.load(); }));
  EXPECT_EQ(seen_.Error(), BodyError::kTimedOut);
  EXPECT_TRUE(client.ClosedWithin(milliseconds(10000)));
}

TEST_F(StreamedBodyTest, TheServerReadsNoFurtherThanTheHandlerAsks) {
  StartServer();
  const std::size_t size = 32 * 1024 * 1024;  // several times what the kernel buffers on loopback
  std::string body(size, 'x');
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(Head("/consume-large?gate=1", "Content-Length: " + std::to_string(size))));
  // The handler takes one piece and then waits: the client must soon be unable to send more.
  std::size_t sent = client.SendFor(body, milliseconds(3000));
  EXPECT_LT(sent, size) << "the server read the whole body although the handler had asked for one piece";
  ASSERT_TRUE(WaitFor([&] { return seen_.pieces >= 1; }));
  EXPECT_EQ(seen_.pieces, 1);
  EXPECT_LE(seen_.bytes, 16u * 1024);
  seen_.gate_open = true;
  ASSERT_TRUE(client.Send(std::string_view(body).substr(sent)));
  std::string answer = client.ReadUntil("bytes=" + std::to_string(size), milliseconds(30000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer.substr(0, 200);
  EXPECT_EQ(seen_.bytes, size);
}

TEST_F(StreamedBodyTest, AHandlerThatStopsEarlyIsAnsweredAndTheConnectionCloses) {
  StartServer();
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(Head("/consume-large?first=1", "Content-Length: 1000000")));
  ASSERT_TRUE(client.Send(Body(100000)));
  std::string answer = client.ReadUntil("bytes=", milliseconds(10000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_EQ(seen_.pieces, 1);
  EXPECT_TRUE(client.ClosedWithin(milliseconds(10000)));
}

}  // namespace
}  // namespace switchyard::server
