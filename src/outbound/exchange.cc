#include "outbound/exchange.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stop_token>

#include <boost/asio/post.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace switchyard::outbound {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

Clock::time_point Within(std::chrono::milliseconds timeout, Clock::time_point deadline) {
  return std::min(Clock::now() + timeout, deadline);
}

bool TimedOut(const beast::error_code& ec, const ExchangePlan& plan) {
  return ec == beast::error::timeout || Clock::now() >= plan.deadline;
}

ExchangeResult Failed(Failure failure, const beast::error_code& ec, const ExchangePlan& plan) {
  ExchangeResult result;
  result.failure = failure;
  result.timed_out = TimedOut(ec, plan);
  result.total_expired = Clock::now() >= plan.deadline;
  result.detail = ec.message();
  return result;
}

bool PeerClosed(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::ssl::error::stream_truncated;
}

Headers HeadersOf(const UpstreamConnection::ResponseHeader& head) {
  Headers out;
  for (const auto& field : head)
    out.emplace_back(std::string(field.name_string()), std::string(field.value()));
  return out;
}

// Runs on the thread that requests the stop: the close itself goes to the connection's executor,
// and only closes if this very exchange still runs there (a pooled connection may have moved on
// to another caller's exchange by the time the close arrives).
struct CloseExchange {
  std::shared_ptr<UpstreamConnection> connection;
  std::uint64_t serial;
  void operator()() const {
    net::post(connection->executor(),
              [connection = connection, serial = serial] { connection->AbortExchange(serial); });
  }
};

// While an exchange runs, a stop requested on the plan's token closes its connection.
class AbortOnCancel {
 public:
  AbortOnCancel(const std::shared_ptr<UpstreamConnection>& connection, const ExchangePlan& plan)
      : connection_(connection), serial_(connection->BeginExchange()) {
    if (plan.cancel.stop_possible()) on_stop_.emplace(plan.cancel, CloseExchange{connection, serial_});
  }
  ~AbortOnCancel() {
    on_stop_.reset();  // waits for a close being posted on another thread
    connection_->EndExchange(serial_);
  }
  AbortOnCancel(const AbortOnCancel&) = delete;
  AbortOnCancel& operator=(const AbortOnCancel&) = delete;

 private:
  std::shared_ptr<UpstreamConnection> connection_;
  std::uint64_t serial_;
  std::optional<std::stop_callback<CloseExchange>> on_stop_;
};

bool Cancelled(const ExchangePlan& plan) {
  return plan.cancel.stop_requested();
}

}  // namespace

ExchangeResult CancelledResult() {
  ExchangeResult result;
  result.failure = Failure::kCancelled;
  result.detail = "the caller went away";
  return result;
}

net::awaitable<ExchangeResult> RunExchange(std::shared_ptr<UpstreamConnection> connection,
                                           const ExchangePlan& plan, ConnectionPool& pool) {
  AbortOnCancel abort_on_cancel(connection, plan);
  const bool reused = connection->reused;
  if (!reused) {
    auto connect_deadline = Within(plan.timeouts.connect, plan.deadline);
    beast::error_code ec = co_await connection->Connect(plan.url, connect_deadline);
    if (ec) {
      connection->Close();
      if (Cancelled(plan)) co_return CancelledResult();
      bool refused_by_tls = ec.category() == net::error::get_ssl_category();
      co_return Failed(refused_by_tls && !TimedOut(ec, plan) ? Failure::kTls : Failure::kConnect, ec, plan);
    }
  }
  // The first-byte clock runs from the start of the write: a large request body counts too.
  auto first_byte_deadline = Within(plan.timeouts.first_byte, plan.deadline);
  beast::error_code ec = co_await connection->Write(plan.request, first_byte_deadline);
  if (!ec) ec = co_await connection->ReadHead(first_byte_deadline);
  if (ec) {
    bool got_bytes = connection->GotResponseBytes();
    connection->Close();
    if (Cancelled(plan)) co_return CancelledResult();
    if (reused && !got_bytes && PeerClosed(ec)) co_return Failed(Failure::kStale, ec, plan);
    co_return Failed(got_bytes ? Failure::kInResponse : Failure::kBeforeResponse, ec, plan);
  }

  ExchangeResult result;
  result.status = connection->Head().result_int();
  result.headers = HeadersOf(connection->Head());
  if (!plan.read_body) {
    result.connection = std::move(connection);
    co_return result;
  }
  if (connection->AnnouncedLength() > plan.max_body_bytes) {
    connection->Close();
    result.failure = Failure::kTooLarge;
    co_return result;
  }
  while (!connection->BodyDone()) {
    auto idle_deadline = Within(plan.timeouts.idle, plan.deadline);
    ec = co_await connection->ReadBodyPiece(&result.body, idle_deadline);
    if (ec) {
      connection->Close();
      if (Cancelled(plan)) co_return CancelledResult();
      co_return Failed(Failure::kInResponse, ec, plan);
    }
    if (result.body.size() > plan.max_body_bytes) {
      connection->Close();
      result.failure = Failure::kTooLarge;
      co_return result;
    }
  }
  if (connection->Reusable()) {
    pool.Put(plan.origin, std::move(connection));
  } else {
    connection->Close();
  }
  co_return result;
}

net::awaitable<void> DrainBody(std::shared_ptr<UpstreamConnection> connection, const ExchangePlan& plan,
                               ConnectionPool& pool) {
  std::string discarded;
  while (!connection->BodyDone()) {
    auto idle_deadline = Within(plan.timeouts.idle, plan.deadline);
    beast::error_code ec = co_await connection->ReadBodyPiece(&discarded, idle_deadline);
    if (ec || discarded.size() > plan.max_body_bytes) {
      connection->Close();
      co_return;
    }
  }
  if (connection->Reusable()) {
    pool.Put(plan.origin, std::move(connection));
  } else {
    connection->Close();
  }
}

Status FailureStatus(const ExchangeResult& result, const ExchangePlan& plan) {
  const std::string& origin = plan.origin;
  auto ms = [](std::chrono::milliseconds timeout) { return std::to_string(timeout.count()) + " ms"; };
  if (result.timed_out && result.total_expired)
    return Status::DeadlineExceeded("the call to " + origin + " exceeded its total timeout of " +
                                    ms(plan.timeouts.total));
  switch (result.failure) {
    case Failure::kNone: return Status::Ok();
    case Failure::kConnect:
    case Failure::kStale:
      if (result.timed_out)
        return Status::DeadlineExceeded("connecting to " + origin + " exceeded the connect timeout of " +
                                        ms(plan.timeouts.connect));
      return Status::Unavailable("cannot connect to " + origin + ": " + result.detail);
    case Failure::kTls:
      return Status::Unavailable("the TLS handshake with " + origin + " failed: " + result.detail);
    case Failure::kBeforeResponse:
      if (result.timed_out)
        return Status::DeadlineExceeded("no response from " + origin + " within the first_byte timeout of " +
                                        ms(plan.timeouts.first_byte));
      return Status::Unavailable(origin + " closed the connection without a response: " + result.detail);
    case Failure::kInResponse:
      if (result.timed_out)
        return Status::DeadlineExceeded("the response from " + origin + " stalled past the idle timeout of " +
                                        ms(plan.timeouts.idle));
      return Status::Unavailable("the response from " + origin + " broke off: " + result.detail);
    case Failure::kTooLarge:
      return Status::Unavailable("the response from " + origin + " exceeds " +
                                 std::to_string(plan.max_body_bytes) + " bytes");
    case Failure::kCancelled:
      return Status::Cancelled("the caller went away; the call to " + origin + " was abandoned");
  }
  return Status::Internal("unknown outbound failure");
}

}  // namespace switchyard::outbound
