#include "support/fake_upstream.h"

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <nlohmann/json.hpp>

#include "support/fake_openai_responses.h"

namespace switchyard::testing {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using Json = nlohmann::json;
using tcp = net::ip::tcp;

std::string ReceivedRequest::Header(const std::string& lower_case_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_case_name) return value;
  return {};
}

struct FakeUpstream::Impl {
  explicit Impl(FakeUpstreamOptions opts) : options(std::move(opts)) {}

  // Declared before io so that they outlive the coroutine frames io destroys.
  FakeUpstreamOptions options;
  std::optional<ssl::context> tls;
  mutable std::mutex mutex;
  std::deque<ReceivedRequest> received;
  std::map<std::string, long> failures_by_key;
  std::map<std::string, std::string> chat_completions;  // answer text by model
  std::atomic<std::size_t> request_count{0};
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> open{0};
  int port = 0;

  net::io_context io;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;

  void Record(ReceivedRequest request) {
    std::lock_guard lock(mutex);
    received.push_back(std::move(request));
    while (received.size() > options.max_recorded) received.pop_front();
  }

  std::string ChatCompletionText(const std::string& model) {
    std::lock_guard lock(mutex);
    auto found = chat_completions.find(model);
    if (found != chat_completions.end()) return found->second;
    std::string text = FakeChatCompletion(model).dump();
    if (chat_completions.size() < 64) chat_completions.emplace(model, text);
    return text;
  }

  // fail-then-ok-<n>: whether this call is one of the first n for its test key.
  bool FailNow(const std::string& key, long n) {
    std::lock_guard lock(mutex);
    return ++failures_by_key[key] <= n;
  }
};

namespace {

struct OpenGuard {
  explicit OpenGuard(std::atomic<std::size_t>& counter) : count(counter) { count.fetch_add(1); }
  ~OpenGuard() { count.fetch_sub(1); }
  OpenGuard(const OpenGuard&) = delete;
  OpenGuard& operator=(const OpenGuard&) = delete;
  std::atomic<std::size_t>& count;
};

net::awaitable<void> Sleep(std::chrono::milliseconds duration) {
  net::steady_timer timer(co_await net::this_coro::executor);
  timer.expires_after(duration);
  beast::error_code ignored;
  co_await timer.async_wait(net::redirect_error(net::use_awaitable, ignored));
}

// Waits until the client closes the connection (hang, stall).
template <typename Stream>
net::awaitable<void> WaitForClose(Stream& stream) {
  std::array<char, 1024> sink{};
  beast::error_code ec;
  beast::get_lowest_layer(stream).expires_never();
  while (!ec) co_await stream.async_read_some(net::buffer(sink), net::redirect_error(net::use_awaitable, ec));
}

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

// Every argument a named object: GCC 12 can destroy a temporary argument of a coroutine twice.
template <typename Stream>
net::awaitable<bool> WriteJsonText(Stream& stream, unsigned version, bool keep_alive, int status,
                                   const std::string& body, const ExtraHeaders& extra) {
  http::response<http::string_body> response{static_cast<http::status>(status), version};
  response.set(http::field::content_type, "application/json");
  response.set("x-request-id", "req_fake");
  for (const auto& [name, value] : extra) response.set(name, value);
  response.keep_alive(keep_alive);
  response.body() = body;
  response.prepare_payload();
  beast::error_code ec;
  co_await http::async_write(stream, response, net::redirect_error(net::use_awaitable, ec));
  co_return !ec && keep_alive;
}

template <typename Stream>
net::awaitable<bool> WriteJson(Stream& stream, unsigned version, bool keep_alive, int status,
                               const Json& body, const ExtraHeaders& extra) {
  const std::string text = body.dump();
  co_return co_await WriteJsonText(stream, version, keep_alive, status, text, extra);
}

// A text/event-stream answer, one HTTP chunk per event. `pause` between events (drip);
// `break_after` events, then the connection closes without the terminating chunk.
template <typename Stream>
net::awaitable<bool> WriteEvents(Stream& stream, unsigned version, bool keep_alive,
                                 std::vector<std::string> events, std::chrono::milliseconds pause,
                                 std::size_t break_after, bool stall) {
  http::response<http::empty_body> response{http::status::ok, version};
  response.set(http::field::content_type, "text/event-stream");
  response.set(http::field::cache_control, "no-cache");
  response.keep_alive(keep_alive);
  response.chunked(true);
  http::response_serializer<http::empty_body> serializer(response);
  beast::error_code ec;
  co_await http::async_write_header(stream, serializer, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i == break_after) {
      beast::get_lowest_layer(stream).close();
      co_return false;
    }
    if (i > 0 && pause.count() > 0) co_await Sleep(pause);
    auto chunk = http::make_chunk(net::buffer(events[i]));
    co_await net::async_write(stream, chunk, net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return false;
    if (stall) {
      co_await WaitForClose(stream);
      co_return false;
    }
  }
  auto last = http::make_chunk_last();
  co_await net::async_write(stream, last, net::redirect_error(net::use_awaitable, ec));
  co_return !ec && keep_alive;
}

std::string TestKey(const http::request<http::string_body>& request, const Json& body) {
  auto header = request.find("x-test-key");
  if (header != request.end()) return std::string(header->value());
  if (body.is_object() && body.contains("user") && body["user"].is_string())
    return body["user"].get<std::string>();
  return {};
}

// Answers one request; false when the connection must close afterwards.
template <typename Stream>
net::awaitable<bool> Answer(Stream& stream, FakeUpstream::Impl& upstream,
                            const http::request<http::string_body>& request) {
  const ExtraHeaders kNoExtra;
  unsigned version = request.version();
  bool keep_alive = request.keep_alive();
  std::string path(request.target().substr(0, request.target().find('?')));
  if (request.method() == http::verb::get && path == "/v1/models") {
    Json list = {{"object", "list"}, {"data", Json::array({{{"id", "echo"}, {"object", "model"}}})}};
    co_return co_await WriteJson(stream, version, keep_alive, 200, list, kNoExtra);
  }
  bool known = path == "/v1/chat/completions" || path == "/v1/completions" || path == "/v1/embeddings" ||
               path == "/v1/responses" || path == "/invoke";
  if (!known || request.method() != http::verb::post) {
    Json error = FakeError("no route " + std::string(request.method_string()) + " " + path,
                           "invalid_request_error", "not_found");
    co_return co_await WriteJson(stream, version, keep_alive, 404, error, kNoExtra);
  }
  Json body = Json::parse(request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    Json error = FakeError("the body is not a JSON object", "invalid_request_error", "invalid_json");
    co_return co_await WriteJson(stream, version, keep_alive, 400, error, kNoExtra);
  }
  std::string model = body.value("model", std::string());
  FakeRequestPlan plan = ParseFakeModel(model);
  bool stream_answer = body.value("stream", false) && path == "/v1/chat/completions";

  switch (plan.scenario) {
    case FakeScenario::kSlow: {
      std::chrono::milliseconds delay(plan.number);
      co_await Sleep(delay);
      break;
    }
    case FakeScenario::kFail500: {
      Json error = FakeError("the fake upstream failed", "server_error", "internal_error");
      co_return co_await WriteJson(stream, version, keep_alive, 500, error, kNoExtra);
    }
    case FakeScenario::kFail429: {
      ExtraHeaders hint;
      if (plan.number < 0) {
        hint.emplace_back("retry-after", "1");
      } else {
        hint.emplace_back("retry-after-ms", std::to_string(plan.number));
      }
      Json error = FakeError("rate limited by the fake upstream", "rate_limit_error", "rate_limit_exceeded");
      co_return co_await WriteJson(stream, version, keep_alive, 429, error, hint);
    }
    case FakeScenario::kFailThenOk:
      if (upstream.FailNow(TestKey(request, body), plan.number)) {
        Json error = FakeError("the fake upstream is overloaded", "server_error", "overloaded");
        co_return co_await WriteJson(stream, version, keep_alive, 503, error, kNoExtra);
      }
      break;
    case FakeScenario::kGarbage: {
      http::response<http::string_body> response{http::status::ok, version};
      response.set(http::field::content_type, "application/json");
      response.keep_alive(keep_alive);
      response.body() = R"({"id": "chatcmpl-garbage", "choices": [{"index": 0, "mess)";
      response.prepare_payload();
      beast::error_code ec;
      co_await http::async_write(stream, response, net::redirect_error(net::use_awaitable, ec));
      co_return !ec && keep_alive;
    }
    case FakeScenario::kHang: co_await WaitForClose(stream); co_return false;
    case FakeScenario::kTruncate: {
      std::string head =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":";
      beast::error_code ec;
      co_await net::async_write(stream, net::buffer(head), net::redirect_error(net::use_awaitable, ec));
      beast::get_lowest_layer(stream).close();
      co_return false;
    }
    case FakeScenario::kBig: {
      Json big = {
          {"padding", std::string(static_cast<std::size_t>(std::max<long>(plan.number - 16, 0)), 'x')}};
      co_return co_await WriteJson(stream, version, keep_alive, 200, big, kNoExtra);
    }
    case FakeScenario::kStall:
      if (!stream_answer) {
        std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":";
        beast::error_code ec;
        co_await net::async_write(stream, net::buffer(head), net::redirect_error(net::use_awaitable, ec));
        co_await WaitForClose(stream);
        co_return false;
      }
      break;
    case FakeScenario::kEcho:
    case FakeScenario::kDrip:
    case FakeScenario::kStreamBreak: break;
  }

  if (stream_answer) {
    bool include_usage = body.contains("stream_options") && body["stream_options"].is_object() &&
                         body["stream_options"].value("include_usage", false);
    auto events = FakeChatCompletionEvents(model, include_usage);
    auto pause = std::chrono::milliseconds(plan.scenario == FakeScenario::kDrip ? plan.number : 0);
    std::size_t break_after = plan.scenario == FakeScenario::kStreamBreak ? 2 : events.size() + 1;
    bool stall = plan.scenario == FakeScenario::kStall;
    co_return co_await WriteEvents(stream, version, keep_alive, std::move(events), pause, break_after, stall);
  }
  Json answer;
  if (path == "/v1/chat/completions") {
    // The benchmarks' call: built once per model, so the fake costs its clients' cores little.
    const std::string text = upstream.ChatCompletionText(model);
    co_return co_await WriteJsonText(stream, version, keep_alive, 200, text, kNoExtra);
  } else if (path == "/v1/completions") {
    answer = FakeTextCompletion(model);
  } else if (path == "/v1/embeddings") {
    answer = FakeEmbeddings(model, body.contains("input") ? body["input"] : Json());
  } else if (path == "/v1/responses") {
    answer = FakeResponse(model);
  } else {
    answer = FakeInvoke(body);
  }
  co_return co_await WriteJson(stream, version, keep_alive, 200, answer, kNoExtra);
}

template <typename Stream>
net::awaitable<void> Serve(Stream& stream, FakeUpstream::Impl& upstream, std::uint64_t connection) {
  beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast::error_code ec;
    beast::get_lowest_layer(stream).expires_after(std::chrono::minutes(5));
    co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return;
    const auto& request = parser.get();
    upstream.request_count.fetch_add(1);
    if (upstream.options.max_recorded == 0) {
      if (!co_await Answer(stream, upstream, request)) co_return;
      continue;
    }
    ReceivedRequest record;
    record.method = std::string(request.method_string());
    record.target = std::string(request.target());
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      record.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    record.body = request.body();
    record.connection = connection;
    upstream.Record(std::move(record));
    if (!co_await Answer(stream, upstream, request)) co_return;
  }
}

net::awaitable<void> Session(tcp::socket socket, FakeUpstream::Impl& upstream, std::uint64_t connection) {
  OpenGuard open(upstream.open);
  try {
    if (upstream.tls) {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *upstream.tls);
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
      beast::error_code ec;
      co_await stream.async_handshake(ssl::stream_base::server, net::redirect_error(net::use_awaitable, ec));
      if (!ec) co_await Serve(stream, upstream, connection);
    } else {
      beast::tcp_stream stream(std::move(socket));
      co_await Serve(stream, upstream, connection);
    }
  } catch (const std::exception&) {
    // A test double: a connection that fails just ends.
  }
}

net::awaitable<void> AcceptLoop(FakeUpstream::Impl& upstream) {
  while (true) {
    beast::error_code ec;
    // One thread needs no strand, and a strand executor does not fit inside any_io_executor, so
    // every copy of it would cost the benchmarks an allocation.
    net::any_io_executor executor = upstream.io.get_executor();
    if (upstream.options.threads > 1) executor = net::make_strand(upstream.io);
    auto accept = upstream.acceptor->async_accept(executor, net::redirect_error(net::use_awaitable, ec));
    tcp::socket socket = co_await std::move(accept);
    if (ec == net::error::operation_aborted || !upstream.acceptor->is_open()) co_return;
    if (ec) continue;
    std::uint64_t id = upstream.accepted.fetch_add(1) + 1;
    net::co_spawn(executor, Session(std::move(socket), upstream, id), net::detached);
  }
}

}  // namespace

FakeUpstream::FakeUpstream(FakeUpstreamOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& impl = *impl_;
  if (!impl.options.tls_cert_pem.empty() && !impl.options.tls_key_pem.empty()) {
    impl.tls.emplace(ssl::context::tls_server);
    impl.tls->use_certificate_chain(net::buffer(impl.options.tls_cert_pem));
    impl.tls->use_private_key(net::buffer(impl.options.tls_key_pem), ssl::context::pem);
  }
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), impl.options.port);
  impl.acceptor.emplace(impl.io);
  impl.acceptor->open(endpoint.protocol());
  impl.acceptor->set_option(tcp::acceptor::reuse_address(true));
  impl.acceptor->bind(endpoint);
  impl.acceptor->listen(net::socket_base::max_listen_connections);
  impl.port = impl.acceptor->local_endpoint().port();
  net::co_spawn(impl.io, AcceptLoop(impl), net::detached);
  for (int i = 0; i < std::max(impl.options.threads, 1); ++i)
    impl.threads.emplace_back([&impl] { impl.io.run(); });
}

FakeUpstream::~FakeUpstream() {
  Impl& impl = *impl_;
  impl.io.stop();
  for (auto& thread : impl.threads) thread.join();
  impl.acceptor.reset();
}

int FakeUpstream::port() const {
  return impl_->port;
}

std::string FakeUpstream::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<ReceivedRequest> FakeUpstream::Received() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->received.begin(), impl_->received.end()};
}

std::size_t FakeUpstream::requests() const {
  return impl_->request_count.load();
}

std::size_t FakeUpstream::connections_accepted() const {
  return impl_->accepted.load();
}

std::size_t FakeUpstream::connections_open() const {
  return impl_->open.load();
}

}  // namespace switchyard::testing
