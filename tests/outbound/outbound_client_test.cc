// The outbound client against the fake OpenAI upstream: keep-alive reuse, retries and their
// limits, every timeout, cancellation, TLS, size limits and streaming.
#include "outbound/outbound_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include "outbound/io_runner.h"
#include "support/fake_openai_responses.h"
#include "support/fake_upstream.h"
#include "support/test_certificate.h"

namespace switchyard::outbound {
namespace {

using std::chrono::milliseconds;
using testing::FakeUpstream;
using testing::FakeUpstreamOptions;

bool Mentions(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(milliseconds(10));
  return done();
}

OutboundRequest Chat(const std::string& base_url, const std::string& model, bool stream = false) {
  OutboundRequest request;
  request.url = base_url + "/v1/chat/completions";
  request.headers = {{"content-type", "application/json"}, {"authorization", "Bearer sk-upstream"}};
  nlohmann::json body = {{"model", model}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  if (stream) body["stream"] = true;
  request.body = body.dump();
  request.retry.base_backoff = milliseconds(1);
  request.retry.max_backoff = milliseconds(20);
  return request;
}

std::string AllEvents(bool include_usage) {
  std::string out;
  for (const auto& event : testing::FakeChatCompletionEvents("drip-20", include_usage)) out += event;
  return out;
}

class OutboundClientTest : public ::testing::Test {
 protected:
  Result<OutboundResponse> Send(OutboundClient& client, OutboundRequest request) {
    return runner_.Run([&] { return client.Send(request); });
  }
  Result<std::unique_ptr<OutboundStream>> Open(OutboundClient& client, OutboundRequest request) {
    return runner_.Run([&] { return client.Open(request); });
  }
  Result<std::optional<std::string>> Next(OutboundStream& stream) {
    return runner_.Run([&] { return stream.Next(); });
  }
  // Reads the stream to its end or first error; the pieces, and the error if any.
  std::vector<std::string> ReadAll(OutboundStream& stream, Status* error) {
    std::vector<std::string> pieces;
    while (true) {
      auto piece = Next(stream);
      if (!piece.ok()) {
        *error = piece.status();
        return pieces;
      }
      if (!piece->has_value()) return pieces;
      pieces.push_back(**piece);
    }
  }

  IoRunner runner_;
  FakeUpstream upstream_;
  OutboundClient client_{runner_.io(), ClientOptions{}};
};

TEST_F(OutboundClientTest, KeepAliveReusesOneConnection) {
  for (int i = 0; i < 5; ++i) {
    auto response = Send(client_, Chat(upstream_.base_url(), "echo"));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->attempts, 1);
    EXPECT_EQ(nlohmann::json::parse(response->body)["choices"][0]["message"]["content"],
              "Hello from the fake upstream.");
  }
  EXPECT_EQ(upstream_.requests(), 5u);
  EXPECT_EQ(upstream_.connections_accepted(), 1u);
  // What the upstream received: the caller's headers, the client's framing.
  auto received = upstream_.Received();
  ASSERT_EQ(received.size(), 5u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/v1/chat/completions");
  EXPECT_EQ(received[0].Header("authorization"), "Bearer sk-upstream");
  EXPECT_EQ(received[0].Header("host"), "127.0.0.1:" + std::to_string(upstream_.port()));
}

TEST_F(OutboundClientTest, ConcurrentCallsShareThePoolSafely) {
  std::atomic<int> ok{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto response = Send(client_, Chat(upstream_.base_url(), "echo"));
        if (response.ok() && response->status == 200) ok.fetch_add(1);
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_LE(upstream_.connections_accepted(), 4u);  // at most one per concurrent caller
}

TEST_F(OutboundClientTest, RetriesServiceUnavailableUntilItSucceeds) {
  auto request = Chat(upstream_.base_url(), "fail-then-ok-2");
  request.headers.emplace_back("x-test-key", "retries-503");
  auto response = Send(client_, request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(upstream_.requests(), 3u);
  EXPECT_EQ(upstream_.connections_accepted(), 1u);  // a 503's connection is reused
}

TEST_F(OutboundClientTest, AFinalServerErrorIsAResponseNotAnError) {
  auto request = Chat(upstream_.base_url(), "fail-500");
  request.retry.max_attempts = 2;
  auto response = Send(client_, request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->attempts, 2);
  EXPECT_EQ(nlohmann::json::parse(response->body)["error"]["type"], "server_error");
  EXPECT_EQ(upstream_.requests(), 2u);
}

TEST_F(OutboundClientTest, RateLimitedIsRetriedWithTheUpstreamsHint) {
  auto response = Send(client_, Chat(upstream_.base_url(), "fail-429-5"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->attempts, 3);
  EXPECT_EQ(upstream_.requests(), 3u);
}

TEST_F(OutboundClientTest, ARetryAfterPastTheDeadlineEndsTheRetries) {
  auto request = Chat(upstream_.base_url(), "fail-429");  // Retry-After: 1 (second)
  request.retry.max_backoff = milliseconds(1000);
  request.timeouts.total = milliseconds(500);
  auto response = Send(client_, request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, NoRetryOnceTheResponseStarted) {
  auto response = Send(client_, Chat(upstream_.base_url(), "truncate"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable) << response.status().ToString();
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, FirstByteTimeoutIsRetriedThenDeadlineExceeded) {
  auto request = Chat(upstream_.base_url(), "hang");
  request.retry.max_attempts = 2;
  request.timeouts.first_byte = milliseconds(100);
  auto response = Send(client_, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded) << response.status().ToString();
  EXPECT_TRUE(Mentions(response.status(), "first_byte timeout")) << response.status().ToString();
  EXPECT_TRUE(WaitFor([&] { return upstream_.requests() == 2; }));
  EXPECT_TRUE(WaitFor([&] { return upstream_.connections_open() == 0; }));  // timed-out ones closed
}

TEST_F(OutboundClientTest, IdleTimeoutAfterTheFirstByteIsNotRetried) {
  auto request = Chat(upstream_.base_url(), "stall");
  request.timeouts.idle = milliseconds(100);
  auto response = Send(client_, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded) << response.status().ToString();
  EXPECT_TRUE(Mentions(response.status(), "idle timeout")) << response.status().ToString();
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, TotalTimeoutBoundsTheWholeCall) {
  auto request = Chat(upstream_.base_url(), "slow-5000");
  request.timeouts.total = milliseconds(200);
  auto response = Send(client_, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded) << response.status().ToString();
  EXPECT_TRUE(Mentions(response.status(), "total timeout")) << response.status().ToString();
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, ConnectTimeoutCoversTheTlsHandshake) {
  // Accepts TCP connections (the kernel does) but never speaks TLS.
  boost::asio::io_context silent_io;
  boost::asio::ip::tcp::acceptor silent(silent_io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto request = Chat("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()), "echo");
  request.retry.max_attempts = 2;
  request.timeouts.connect = milliseconds(100);
  auto response = Send(client_, request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded) << response.status().ToString();
  EXPECT_TRUE(Mentions(response.status(), "connect timeout")) << response.status().ToString();
  // Each attempt was a connection of its own (the kernel completed them; nobody accepted).
  silent.non_blocking(true);
  int connections = 0;
  boost::system::error_code no_more;
  while (silent.accept(no_more), !no_more) ++connections;
  EXPECT_EQ(connections, 2);
}

TEST_F(OutboundClientTest, ConnectionRefusedIsUnavailable) {
  int port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  auto response = Send(client_, Chat("http://127.0.0.1:" + std::to_string(port), "echo"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable) << response.status().ToString();
}

TEST_F(OutboundClientTest, AStalePooledConnectionIsRetriedWithoutCountingAnAttempt) {
  // Use a dedicated upstream so that it can go away while the client pools its connection.
  FakeUpstreamOptions options;
  auto restartable = std::make_unique<FakeUpstream>(options);
  std::string url = restartable->base_url();
  options.port = static_cast<std::uint16_t>(restartable->port());
  ASSERT_TRUE(Send(client_, Chat(url, "echo")).ok());
  restartable.reset();  // closes the pooled connection from the upstream's side
  restartable = std::make_unique<FakeUpstream>(options);
  auto response = Send(client_, Chat(url, "echo"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(restartable->requests(), 1u);
}

TEST_F(OutboundClientTest, ResponsesOverTheLimitAreRefused) {
  ClientOptions options;
  options.max_response_bytes = 4096;
  OutboundClient small(runner_.io(), options);
  auto fits = Send(small, Chat(upstream_.base_url(), "big-4000"));
  ASSERT_TRUE(fits.ok()) << fits.status().ToString();
  EXPECT_EQ(fits->status, 200);
  auto over = Send(small, Chat(upstream_.base_url(), "big-100000"));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(over.status().message().find("exceeds 4096 bytes"), std::string::npos)
      << over.status().ToString();
}

// The head the client writes itself, as an upstream's parser reads it: Host and Content-Length
// are the client's (a caller's copies, and its Connection, are dropped), the caller's other
// fields go in their order, and a bodiless GET carries no Content-Length. The exact bytes are
// request_head_test.cc's.
TEST_F(OutboundClientTest, TheRequestHeadHasTheCallersFieldsAndTheClientsFraming) {
  auto post = Chat(upstream_.base_url(), "echo");
  post.headers = {{"Host", "evil.example"}, {"x-first", "1"},          {"Content-Length", "999"},
                  {"Connection", "close"},  {"X-Second", "two words"}, {"content-type", "application/json"}};
  auto sent = Send(client_, post);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->status, 200);

  OutboundRequest get;
  get.url = upstream_.base_url() + "/v1/models?limit=2";
  get.method = "GET";
  auto listed = Send(client_, get);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->status, 200);

  auto received = upstream_.Received();
  ASSERT_EQ(received.size(), 2u);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"host", "127.0.0.1:" + std::to_string(upstream_.port())},
      {"x-first", "1"},
      {"x-second", "two words"},
      {"content-type", "application/json"},
      {"content-length", std::to_string(post.body.size())}};
  EXPECT_EQ(received[0].headers, expected);
  EXPECT_EQ(received[0].body, post.body);
  EXPECT_EQ(received[1].method, "GET");
  EXPECT_EQ(received[1].target, "/v1/models?limit=2");
  EXPECT_EQ(received[1].Header("content-length"), "");
  EXPECT_EQ(received[1].body, "");
  // Both went over the one kept-alive connection: the framing was right.
  EXPECT_EQ(upstream_.connections_accepted(), 1u);
}

TEST_F(OutboundClientTest, BadRequestsAreRefusedBeforeAnythingIsSent) {
  auto no_scheme = Send(client_, Chat("127.0.0.1:1", "echo"));
  ASSERT_FALSE(no_scheme.ok());
  EXPECT_EQ(no_scheme.status().field(), "url");
  auto injected = Chat(upstream_.base_url(), "echo");
  injected.headers.emplace_back("x-evil", "a\r\nx-injected: 1");
  auto refused = Send(client_, injected);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "headers");
  auto bad_method = Chat(upstream_.base_url(), "echo");
  bad_method.method = "PO ST";
  auto refused_method = Send(client_, bad_method);
  ASSERT_FALSE(refused_method.ok());
  EXPECT_EQ(refused_method.status().field(), "method");
  auto trace = Chat(upstream_.base_url(), "echo");
  trace.method = "TRACE";
  auto refused_trace = Send(client_, trace);
  ASSERT_FALSE(refused_trace.ok());
  EXPECT_EQ(refused_trace.status().field(), "body");
  EXPECT_EQ(upstream_.requests(), 0u);
}

TEST_F(OutboundClientTest, StreamsChunkByChunkThenReusesTheConnection) {
  auto opened = Open(client_, Chat(upstream_.base_url(), "drip-20", /*stream=*/true));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& stream = **opened;
  EXPECT_EQ(stream.status(), 200);
  EXPECT_EQ(stream.attempts(), 1);
  Status error;
  auto pieces = ReadAll(stream, &error);
  ASSERT_TRUE(error.ok()) << error.ToString();
  EXPECT_GT(pieces.size(), 1u);  // the upstream pauses between events: they arrive one by one
  std::string body;
  for (const auto& piece : pieces) body += piece;
  EXPECT_EQ(body, AllEvents(false));
  auto after_end = Next(stream);
  ASSERT_TRUE(after_end.ok());
  EXPECT_FALSE(after_end->has_value());

  ASSERT_TRUE(Send(client_, Chat(upstream_.base_url(), "echo")).ok());
  EXPECT_EQ(upstream_.connections_accepted(), 1u);
}

TEST_F(OutboundClientTest, AStreamThatBreaksGivesAnErrorFromNext) {
  auto opened = Open(client_, Chat(upstream_.base_url(), "stream-break", true));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Status error;
  ReadAll(**opened, &error);
  EXPECT_EQ(error.code(), StatusCode::kUnavailable) << error.ToString();
}

TEST_F(OutboundClientTest, AStalledStreamHitsTheIdleTimeout) {
  auto request = Chat(upstream_.base_url(), "stall", true);
  request.timeouts.idle = milliseconds(100);
  auto opened = Open(client_, request);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Status error;
  auto pieces = ReadAll(**opened, &error);
  EXPECT_EQ(pieces.size(), 1u);
  EXPECT_EQ(error.code(), StatusCode::kDeadlineExceeded) << error.ToString();
  EXPECT_TRUE(Mentions(error, "idle timeout")) << error.ToString();
}

TEST_F(OutboundClientTest, AStreamedServerErrorIsRetriedAndTheLastOneReadable) {
  auto request = Chat(upstream_.base_url(), "fail-500", true);
  request.retry.max_attempts = 2;
  auto opened = Open(client_, request);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->status(), 500);
  EXPECT_EQ((*opened)->attempts(), 2);
  Status error;
  auto pieces = ReadAll(**opened, &error);
  ASSERT_TRUE(error.ok()) << error.ToString();
  std::string body;
  for (const auto& piece : pieces) body += piece;
  EXPECT_EQ(nlohmann::json::parse(body)["error"]["type"], "server_error");
  EXPECT_EQ(upstream_.connections_accepted(), 1u);  // the first 500 was drained and its connection reused
}

TEST_F(OutboundClientTest, CancelClosesTheUpstreamConnectionAndEndsAPendingNext) {
  auto opened = Open(client_, Chat(upstream_.base_url(), "stall", true));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& stream = **opened;
  auto first = Next(stream);
  ASSERT_TRUE(first.ok() && first->has_value());
  ASSERT_EQ(upstream_.connections_open(), 1u);

  std::promise<Result<std::optional<std::string>>> pending;
  auto result = pending.get_future();
  boost::asio::co_spawn(
      runner_.io(),
      [&]() -> boost::asio::awaitable<void> {
        auto piece = co_await stream.Next();
        pending.set_value(std::move(piece));
      },
      boost::asio::detached);
  stream.Cancel();  // from another thread than the one running Next
  auto cancelled = result.get();
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(WaitFor([&] { return upstream_.connections_open() == 0; }));
}

// Runs `call` (Send or Open) with a stop token, and requests the stop from another thread once
// the upstream has the request: a client that leaves while its call is in flight.
template <typename Call>
auto StoppedOnArrival(FakeUpstream& upstream, OutboundRequest request, Call call) {
  std::stop_source stop;
  request.cancel = stop.get_token();
  std::thread stopper([&upstream, stop]() mutable {
    WaitFor([&] { return upstream.requests() >= 1; });
    stop.request_stop();
  });
  auto result = call(std::move(request));
  stopper.join();
  return result;
}

TEST_F(OutboundClientTest, ACancelledCallClosesItsUpstreamConnectionAndIsNotRetried) {
  auto sent = StoppedOnArrival(upstream_, Chat(upstream_.base_url(), "hang"),
                               [&](OutboundRequest request) { return Send(client_, std::move(request)); });
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), StatusCode::kCancelled) << sent.status().ToString();
  EXPECT_TRUE(WaitFor([&] { return upstream_.connections_open() == 0; }));  // the upstream saw the call end
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, ACancelledCallStopsWaitingToRetry) {
  auto request = Chat(upstream_.base_url(), "fail-429");  // Retry-After: 1
  request.retry.max_backoff = milliseconds(10000);
  auto sent = StoppedOnArrival(upstream_, request,
                               [&](OutboundRequest stopped) { return Send(client_, std::move(stopped)); });
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, ACallCancelledBeforeItStartsSendsNothing) {
  auto request = Chat(upstream_.base_url(), "echo");
  std::stop_source stop;
  request.cancel = stop.get_token();
  stop.request_stop();
  auto sent = Send(client_, request);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), StatusCode::kCancelled);
  auto opened = Open(client_, Chat(upstream_.base_url(), "drip-5", true));  // unrelated calls still work
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(upstream_.requests(), 1u);
}

TEST_F(OutboundClientTest, CancellingAStreamBeforeItsHeadAbandonsTheOpen) {
  auto opened = StoppedOnArrival(upstream_, Chat(upstream_.base_url(), "hang", true),
                                 [&](OutboundRequest request) { return Open(client_, std::move(request)); });
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCancelled);
  EXPECT_TRUE(WaitFor([&] { return upstream_.connections_open() == 0; }));
}

TEST_F(OutboundClientTest, AStopRequestedAfterTheCallEndedLeavesItsPooledConnectionAlone) {
  auto request = Chat(upstream_.base_url(), "echo");
  std::stop_source stop;
  request.cancel = stop.get_token();
  auto sent = Send(client_, request);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  stop.request_stop();
  auto again = Send(client_, Chat(upstream_.base_url(), "echo"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(upstream_.connections_accepted(), 1u);  // the pooled connection was reused, not closed
}

class OutboundTlsTest : public OutboundClientTest {
 protected:
  static FakeUpstreamOptions TlsOptions(const testing::TestCertificate& certificate) {
    FakeUpstreamOptions options;
    options.tls_cert_pem = certificate.cert_pem;
    options.tls_key_pem = certificate.key_pem;
    return options;
  }
  void TearDown() override { std::filesystem::remove(ca_file_); }

  testing::TestCertificate certificate_ = testing::MakeSelfSignedCertificate();
  std::string ca_file_ = testing::WriteTempFile("sy-outbound-ca", certificate_.cert_pem);
  FakeUpstream tls_upstream_{TlsOptions(certificate_)};
};

TEST_F(OutboundTlsTest, VerifiesTheUpstreamWithTheConfiguredCa) {
  OutboundClient trusting(runner_.io(), ClientOptions{.ca_file = ca_file_});
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto response =
        Send(trusting, Chat("https://" + host + ":" + std::to_string(tls_upstream_.port()), "echo"));
    ASSERT_TRUE(response.ok()) << host << ": " << response.status().ToString();
    EXPECT_EQ(response->status, 200);
  }
  auto opened = Open(trusting, Chat(tls_upstream_.base_url(), "echo", true));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Status error;
  auto pieces = ReadAll(**opened, &error);
  ASSERT_TRUE(error.ok()) << error.ToString();
  std::string body;
  for (const auto& piece : pieces) body += piece;
  EXPECT_NE(body.find("data: [DONE]"), std::string::npos);
}

TEST_F(OutboundTlsTest, RefusesAnUpstreamItCannotVerify) {
  auto response = Send(client_, Chat(tls_upstream_.base_url(), "echo"));  // system CAs only
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("TLS"), std::string::npos) << response.status().ToString();
  EXPECT_EQ(tls_upstream_.requests(), 0u);
}

TEST_F(OutboundTlsTest, AnUnreadableCaFileIsAnErrorAtConstruction) {
  EXPECT_THROW(OutboundClient(runner_.io(), ClientOptions{.ca_file = ca_file_ + ".missing"}),
               std::invalid_argument);
  std::string not_pem = testing::WriteTempFile("sy-outbound-not-pem", "not a certificate");
  EXPECT_THROW(OutboundClient(runner_.io(), ClientOptions{.ca_file = not_pem}), std::invalid_argument);
  std::filesystem::remove(not_pem);
}

TEST_F(OutboundTlsTest, RefusesACertificateForAnotherHost) {
  auto other = testing::MakeSelfSignedCertificate({"DNS:other.example"});
  FakeUpstream wrong_host(TlsOptions(other));
  std::string ca = testing::WriteTempFile("sy-outbound-other-ca", other.cert_pem);
  OutboundClient trusting(runner_.io(), ClientOptions{.ca_file = ca});
  auto response = Send(trusting, Chat(wrong_host.base_url(), "echo"));
  std::filesystem::remove(ca);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable) << response.status().ToString();
  EXPECT_EQ(wrong_host.requests(), 0u);
}

// The server's way: one io_context per I/O thread. A call keeps its connection on the lane it was
// made on (no strand, no hop), so pooled connections are per lane; a caller on no lane shares one.
TEST_F(OutboundClientTest, ConnectionsArePooledPerLane) {
  IoRunner first, second, elsewhere;
  OutboundClient lanes({&first.io(), &second.io()}, ClientOptions{});
  auto send_on = [&](IoRunner& runner) {
    auto response = runner.Run([&] { return lanes.Send(Chat(upstream_.base_url(), "echo")); });
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 200);
  };
  send_on(first);
  send_on(first);
  EXPECT_EQ(upstream_.connections_accepted(), 1u);
  send_on(second);
  send_on(second);
  EXPECT_EQ(upstream_.connections_accepted(), 2u);
  send_on(elsewhere);
  send_on(elsewhere);
  send_on(first);
  EXPECT_EQ(upstream_.connections_accepted(), 3u);
  EXPECT_EQ(upstream_.requests(), 7u);
}

}  // namespace
}  // namespace switchyard::outbound
