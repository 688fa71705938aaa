#include "outbound/outbound_client.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <stdexcept>
#include <stop_token>

#include <openssl/ssl.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/thread_annotations.h"
#include "outbound/connection_pool.h"
#include "outbound/exchange.h"
#include "outbound/on_connection.h"
#include "outbound/request_head.h"
#include "outbound/retry_delay.h"
#include "outbound/upstream_stream.h"

namespace switchyard::outbound {

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace {

// Longer than most upstreams keep an idle connection; a stale one costs only a retried write.
constexpr std::chrono::seconds kMaxPooledIdleTime{60};

std::shared_ptr<ssl::context> MakeTlsContext(const std::string& ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_default_verify_paths();
  if (!ca_file.empty()) {
    boost::system::error_code ec;
    context->load_verify_file(ca_file, ec);
    if (ec) throw std::invalid_argument("cannot load the CA file '" + ca_file + "': " + ec.message());
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// A stop requested during a backoff wait ends the wait (on the timer's executor).
struct CancelTimer {
  std::shared_ptr<net::steady_timer> timer;
  void operator()() const {
    net::post(timer->get_executor(), [timer = timer] { timer->cancel(); });
  }
};

bool Retryable(const ExchangeResult& result) {
  switch (result.failure) {
    case Failure::kNone: return result.status == 429 || result.status >= 500;
    case Failure::kConnect:
    case Failure::kBeforeResponse: return true;
    case Failure::kStale:
    case Failure::kTls:
    case Failure::kInResponse:
    case Failure::kTooLarge:
    case Failure::kCancelled: return false;
  }
  return false;
}

}  // namespace

// What the client and its open streams share: the pool outlives the client while a stream reads.
class ClientCore {
 public:
  // `lanes` each run by one thread; `shared` (lanes[0] when null) for callers on none of them.
  ClientCore(std::vector<net::io_context*> lanes, net::io_context* shared, ClientOptions options)
      : lanes_(std::move(lanes)),
        shared_(shared != nullptr ? *shared : *lanes_.at(0)),
        options_(std::move(options)),
        tls_(MakeTlsContext(options_.ca_file)),
        pool_(std::make_shared<ConnectionPool>(lanes_.size() + 1, options_.max_idle_per_host,
                                               kMaxPooledIdleTime)),
        random_(std::random_device{}()) {}

  Result<ExchangePlan> Plan(const OutboundRequest& request, bool read_body) const {
    auto url = ParseUrl(request.url);
    if (!url.ok()) return url.status();
    if (request.retry.max_attempts < 1)
      return Status::InvalidArgument("max_attempts must be at least 1", "retry");
    ExchangePlan plan;
    plan.url = std::move(*url);
    plan.origin = plan.url.Origin();
    plan.timeouts = request.timeouts;
    plan.deadline = Clock::now() + request.timeouts.total;
    plan.read_body = read_body;
    plan.max_body_bytes = options_.max_response_bytes;
    plan.cancel = request.cancel;

    if (!IsToken(request.method)) return Status::InvalidArgument("malformed HTTP method", "method");
    const http::verb verb = http::string_to_verb(request.method);
    if (verb == http::verb::trace && !request.body.empty())
      return Status::InvalidArgument("a TRACE request has no body", "body");
    for (const auto& [name, value] : request.headers) {
      if (!IsToken(name)) return Status::InvalidArgument("malformed header name '" + name + "'", "headers");
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
        return Status::InvalidArgument("the value of header '" + name + "' has a line break", "headers");
    }
    plan.request.head = RequestHead(request.method, plan.url, request.headers, request.body.size());
    plan.request.body = request.body;
    plan.request.head_method = verb == http::verb::head;
    return plan;
  }

  // Tries until a response that is not worth retrying, the attempts or the total time run out.
  net::awaitable<ExchangeResult> Attempts(const ExchangePlan& plan, const RetryPolicy& retry, int* attempts) {
    ExchangeResult result;
    bool fresh_only = false;
    const std::size_t lane = LaneOfCaller();
    while (true) {
      if (plan.cancel.stop_requested()) co_return Abandon(std::move(result));
      std::shared_ptr<UpstreamConnection> connection = fresh_only ? nullptr : pool_->Take(lane, plan.origin);
      if (!connection) connection = NewConnection(lane, plan.url.tls ? tls_ : nullptr);
      ConnectionPool& pool = *pool_;
      // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
      auto exchange = [connection, &plan, &pool]() { return RunExchange(connection, plan, pool); };
      auto on_connection = OnConnection(*connection, std::move(exchange));
      result = co_await std::move(on_connection);
      if (plan.cancel.stop_requested()) co_return Abandon(std::move(result));
      if (result.failure == Failure::kStale) {  // not the upstream's answer: once more, on a new connection
        fresh_only = true;
        continue;
      }
      fresh_only = false;
      ++*attempts;
      if (!Retryable(result) || *attempts >= retry.max_attempts) co_return result;

      auto delay = RetryDelay(retry.base_backoff, retry.max_backoff, *attempts,
                              RetryAfterHint(result.headers), UnitRandom());
      if (Clock::now() + delay >= plan.deadline) co_return result;
      if (result.connection) {  // a 429/5xx head of a stream: its body is not wanted
        auto drained = std::move(result.connection);
        auto drain = [drained, &plan, &pool]() { return DrainBody(drained, plan, pool); };
        auto draining = OnConnection(*drained, std::move(drain));
        co_await std::move(draining);
      }
      // Shared with the stop callback's posted cancel, which may run after this frame is gone.
      auto timer = std::make_shared<net::steady_timer>(co_await net::this_coro::executor);
      timer->expires_after(delay);
      std::optional<std::stop_callback<CancelTimer>> stop_waiting;
      if (plan.cancel.stop_possible()) stop_waiting.emplace(plan.cancel, CancelTimer{timer});
      boost::system::error_code ignored;
      auto wait = timer->async_wait(net::redirect_error(net::use_awaitable, ignored));
      co_await std::move(wait);
    }
  }

  const std::shared_ptr<ConnectionPool>& pool() const { return pool_; }

 private:
  // The caller went away: a stream's connection (a head already read) is closed on its executor.
  static ExchangeResult Abandon(ExchangeResult result) {
    if (auto connection = std::move(result.connection)) {
      net::post(connection->executor(), [connection] { connection->Close(); });
    }
    return CancelledResult();
  }

  // The lane whose io_context runs this thread, or lanes_.size() (the shared one, with strands).
  std::size_t LaneOfCaller() const {
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      if (lanes_[i]->get_executor().running_in_this_thread()) return i;
    }
    return lanes_.size();
  }
  std::shared_ptr<UpstreamConnection> NewConnection(std::size_t lane,
                                                    std::shared_ptr<ssl::context> tls) const {
    if (lane < lanes_.size())
      return std::make_shared<UpstreamConnection>(*lanes_[lane], lane, std::move(tls));
    return std::make_shared<UpstreamConnection>(net::make_strand(shared_), lane, std::move(tls));
  }

  double UnitRandom() {
    MutexLock lock(random_mutex_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  }

  const std::vector<net::io_context*> lanes_;
  net::io_context& shared_;
  const ClientOptions options_;
  const std::shared_ptr<ssl::context> tls_;
  const std::shared_ptr<ConnectionPool> pool_;
  Mutex random_mutex_;
  std::mt19937_64 random_ GUARDED_BY(random_mutex_);
};

OutboundClient::OutboundClient(net::io_context& io, ClientOptions options)
    : core_(std::make_shared<ClientCore>(std::vector<net::io_context*>{}, &io, std::move(options))) {}

OutboundClient::OutboundClient(std::vector<net::io_context*> lanes, ClientOptions options)
    : core_(std::make_shared<ClientCore>(std::move(lanes), nullptr, std::move(options))) {}

OutboundClient::~OutboundClient() = default;

net::awaitable<Result<OutboundResponse>> OutboundClient::Send(OutboundRequest request) {
  auto core = core_;
  auto plan = core->Plan(request, /*read_body=*/true);
  if (!plan.ok()) co_return plan.status();
  int attempts = 0;
  const RetryPolicy& retry = request.retry;
  ExchangeResult result = co_await core->Attempts(*plan, retry, &attempts);
  if (result.failure != Failure::kNone) co_return FailureStatus(result, *plan);
  OutboundResponse response;
  response.status = result.status;
  response.headers = std::move(result.headers);
  response.body = std::move(result.body);
  response.attempts = attempts;
  co_return response;
}

net::awaitable<Result<std::unique_ptr<OutboundStream>>> OutboundClient::Open(OutboundRequest request) {
  auto core = core_;
  auto plan = core->Plan(request, /*read_body=*/false);
  if (!plan.ok()) co_return plan.status();
  int attempts = 0;
  const RetryPolicy& retry = request.retry;
  ExchangeResult result = co_await core->Attempts(*plan, retry, &attempts);
  if (result.failure != Failure::kNone) co_return FailureStatus(result, *plan);
  std::unique_ptr<OutboundStream> stream =
      std::make_unique<UpstreamStream>(std::move(result), core->pool(), *plan, attempts);
  co_return stream;
}

}  // namespace switchyard::outbound
