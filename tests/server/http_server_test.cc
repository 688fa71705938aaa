// The transport with handlers of its own (no router): a handler that suspends must not hold an
// I/O thread, a streamed response arrives chunk by chunk, and a client that goes away cancels
// its stream.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/response_stream.h"
#include "support/raw_socket.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using std::chrono::milliseconds;
using testing::RawSocket;

// Pieces "0\n".."count-1\n", one every `interval`; stops early when cancelled.
class TickStream : public ResponseStream {
 public:
  TickStream(net::any_io_executor executor, int count, milliseconds interval, std::atomic<bool>* cancelled)
      : timer_(executor), count_(count), interval_(interval), cancelled_(cancelled) {}

  net::awaitable<std::optional<std::string>> Next() override {
    if (next_ == count_ || *cancelled_) co_return std::nullopt;
    timer_.expires_after(interval_);
    boost::system::error_code ec;
    co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    if (*cancelled_) co_return std::nullopt;
    co_return std::to_string(next_++) + "\n";
  }
  void Cancel() override {
    *cancelled_ = true;
    timer_.cancel();
  }

 private:
  net::steady_timer timer_;
  int count_;
  int next_ = 0;
  milliseconds interval_;
  std::atomic<bool>* cancelled_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(int threads) {
    HttpHandlers handlers;
    handlers.body_rules = [](std::string_view, std::string_view path) {
      return BodyRules{1024, false, /*watch_disconnect=*/path == "/watched"};
    };
    handlers.handle = [this](Request request) -> net::awaitable<Response> {
      auto executor = co_await net::this_coro::executor;
      Response response;
      response.content_type = "text/plain";
      if (request.path == "/slow") {
        net::steady_timer timer(executor, std::chrono::seconds(2));
        co_await timer.async_wait(net::use_awaitable);
        response.body = "slow";
      } else if (request.path == "/stream") {
        response.content_type = "text/event-stream";
        response.stream = std::make_shared<TickStream>(executor, 3, milliseconds(10), &cancelled_);
      } else if (request.path == "/endless") {
        response.content_type = "text/event-stream";
        response.stream = std::make_shared<TickStream>(executor, 1000000, milliseconds(20), &cancelled_);
      } else if (request.path == "/watched") {
        // Waits ?ms= (10 s by default), or until the client leaves (the transport raises request.cancel).
        const std::string* ms = request.QueryParam("ms");
        auto timer = std::make_shared<net::steady_timer>(executor, milliseconds(ms ? std::stoi(*ms) : 10000));
        std::stop_token cancel = request.cancel;
        if (!cancel.stop_possible()) throw std::runtime_error("no cancel token on a watched route");
        std::stop_callback on_stop(
            cancel, [timer] { net::post(timer->get_executor(), [timer] { timer->cancel(); }); });
        boost::system::error_code ec;
        co_await timer->async_wait(net::redirect_error(net::use_awaitable, ec));
        handler_cancelled_ = cancel.stop_requested();
        response.body = cancel.stop_requested() ? "cancelled" : "waited";
      } else if (request.path == "/throw") {
        throw std::runtime_error("handler failed");
      } else {
        response.body = "fast";
      }
      co_return response;
    };
    server_ = std::make_unique<HttpServer>(HttpLimits{}, std::move(handlers), threads);
    auto port = server_->Listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    runner_ = std::thread([this] {
      server_->Run();
      run_returned_ = true;
    });
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
  }

  std::string Get(const std::string& path) {
    return testing::RawExchange(port_, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  int port_ = 0;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> handler_cancelled_{false};
  std::atomic<bool> run_returned_{false};
};

std::string PostWatched(const std::string& query = "") {
  return "POST /watched" + query + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
}

TEST_F(HttpServerTest, ASuspendedHandlerDoesNotHoldTheOnlyIoThread) {
  StartServer(1);
  auto slow = std::async(std::launch::async, [this] { return Get("/slow"); });
  std::this_thread::sleep_for(milliseconds(200));  // /slow is now suspended on its timer
  auto started = std::chrono::steady_clock::now();
  std::string fast = Get("/fast");
  auto fast_took = std::chrono::steady_clock::now() - started;
  EXPECT_NE(fast.find("fast"), std::string::npos) << fast;
  // Behaviour, not speed: the fast answer came while the slow one was still pending.
  EXPECT_EQ(slow.wait_for(milliseconds(0)), std::future_status::timeout)
      << "fast was only answered after slow (took " << std::chrono::duration<double>(fast_took).count()
      << " s)";
  EXPECT_NE(slow.get().find("slow"), std::string::npos);
}

// Each I/O thread runs its own io_context, kept running until shutdown has closed every
// session. Idle keep-alive connections on both threads are closed at once and Run returns,
// well before the 10 s shutdown deadline.
TEST_F(HttpServerTest, ShutdownClosesIdleConnectionsOnEveryThreadAndReturns) {
  StartServer(2);
  std::vector<std::unique_ptr<testing::RawSocket>> idle;
  for (int i = 0; i < 4; ++i) {  // dealt to the threads in turn: two each
    idle.push_back(std::make_unique<testing::RawSocket>(port_));
    ASSERT_TRUE(idle.back()->Send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_NE(idle.back()->ReadUntil("fast", milliseconds(5000)).find("fast"), std::string::npos);
  }
  server_->Shutdown();
  for (auto& connection : idle) EXPECT_TRUE(connection->ClosedWithin(milliseconds(5000)));
  for (int i = 0; i < 500 && !run_returned_; ++i) std::this_thread::sleep_for(milliseconds(10));
  if (!run_returned_) {
    // A thread still waits; joining it would hang the whole test binary.
    ADD_FAILURE() << "Run did not return after every connection closed";
    std::_Exit(1);
  }
}

TEST_F(HttpServerTest, AStreamedResponseArrivesChunked) {
  StartServer(2);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string answer = client.ReadUntilClose(milliseconds(5000));
  EXPECT_NE(answer.find("Transfer-Encoding: chunked"), std::string::npos) << answer;
  EXPECT_NE(answer.find("text/event-stream"), std::string::npos) << answer;
  EXPECT_NE(answer.find("2\r\n0\n\r\n2\r\n1\n\r\n2\r\n2\n\r\n0\r\n\r\n"), std::string::npos) << answer;
  EXPECT_FALSE(cancelled_);
}

TEST_F(HttpServerTest, AClientThatGoesAwayCancelsItsStream) {
  StartServer(2);
  {
    RawSocket client(port_);
    ASSERT_TRUE(client.Send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string first = client.ReadUntil("0\n\r\n", milliseconds(5000));
    ASSERT_NE(first.find("0\n"), std::string::npos) << first;
  }  // closes the connection mid-stream
  for (int i = 0; i < 100 && !cancelled_; ++i) std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(cancelled_);
}

// A half-close is taken as a leave (as nginx takes it): waiting for a write to fail instead
// could take as long as the stream's producer stays silent.
TEST_F(HttpServerTest, AClientThatHalfClosesDuringAStreamIsTakenAsGone) {
  StartServer(2);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_NE(client.ReadUntil("0\n\r\n", milliseconds(5000)).find("0\n"), std::string::npos);
  client.ShutdownWrite();
  for (int i = 0; i < 100 && !cancelled_; ++i) std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(cancelled_);
}

TEST_F(HttpServerTest, AClientThatLeavesWhileAWatchedHandlerRunsRequestsItsStop) {
  StartServer(2);
  {
    RawSocket client(port_);
    ASSERT_TRUE(client.Send(PostWatched()));
    std::this_thread::sleep_for(milliseconds(100));  // the handler is waiting
  }
  for (int i = 0; i < 100 && !handler_cancelled_; ++i) std::this_thread::sleep_for(milliseconds(50));
  EXPECT_TRUE(handler_cancelled_);
  EXPECT_NE(Get("/fast").find("fast"), std::string::npos);
}

TEST_F(HttpServerTest, AWatchedHandlerRunsToItsEndWhileTheClientWaitsAndPipelines) {
  StartServer(2);
  RawSocket client(port_);
  ASSERT_TRUE(client.Send(PostWatched("?ms=500")));
  std::this_thread::sleep_for(milliseconds(100));
  // The next request arrives while the handler waits: it is not a leave, and is answered after.
  ASSERT_TRUE(client.Send("GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string answers = client.ReadUntilClose(milliseconds(15000));
  EXPECT_NE(answers.find("waited"), std::string::npos) << answers;
  EXPECT_NE(answers.find("fast"), std::string::npos) << answers;
  EXPECT_LT(answers.find("waited"), answers.find("fast"));
  EXPECT_FALSE(handler_cancelled_);
}

TEST_F(HttpServerTest, AThrowingHandlerGets500AndTheServerServesOn) {
  StartServer(1);
  std::string failed = Get("/throw");
  EXPECT_NE(failed.find("HTTP/1.1 500"), std::string::npos) << failed;
  EXPECT_NE(Get("/fast").find("fast"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::server
