// One try of a request on one connection: connect (when new), write, read the head and, for a
// whole response, the body. What went wrong is classified for the retry loop, which decides.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "outbound/connection_pool.h"
#include "outbound/outbound_client.h"
#include "outbound/upstream_connection.h"
#include "outbound/url.h"

namespace switchyard::outbound {

using Clock = UpstreamConnection::Clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Everything that stays the same over the attempts of one call.
struct ExchangePlan {
  Url url;
  std::string origin;
  UpstreamConnection::Request request;
  Timeouts timeouts;
  Clock::time_point deadline;  // the total timeout
  bool read_body = true;       // false: stop after the head (streaming)
  std::size_t max_body_bytes = 0;
  std::stop_token cancel;
};

enum class Failure {
  kNone,
  kConnect,         // resolve, connect, or a TLS handshake that broke off: retryable
  kTls,             // the TLS handshake refused (certificate, protocol): not retryable
  kStale,           // a pooled connection the upstream had closed: retried at once, not counted
  kBeforeResponse,  // nothing of the response arrived (closed, or the first-byte timeout): retryable
  kInResponse,      // the response broke off or stalled after its first byte: not retryable
  kTooLarge,        // the body is over max_body_bytes: not retryable
  kCancelled,       // the caller went away (plan.cancel): not retryable
};

struct ExchangeResult {
  Failure failure = Failure::kNone;
  bool timed_out = false;
  bool total_expired = false;  // the timeout was the call's total one
  std::string detail;          // what the error was, for the Status message
  int status = 0;
  Headers headers;
  std::string body;  // read_body only
  // Streaming: the connection holding the rest of the body (null once the body is read).
  std::shared_ptr<UpstreamConnection> connection;
};

// Runs on `connection`'s executor. A connection whose response ended cleanly goes back to `pool`.
// A stop requested on plan.cancel meanwhile closes the connection, which ends the exchange.
boost::asio::awaitable<ExchangeResult> RunExchange(std::shared_ptr<UpstreamConnection> connection,
                                                   const ExchangePlan& plan, ConnectionPool& pool);

// Reads and discards the rest of a response the caller does not want (a 5xx before a retry),
// so its connection can be reused; closes it instead when that would take too long or too much.
boost::asio::awaitable<void> DrainBody(std::shared_ptr<UpstreamConnection> connection,
                                       const ExchangePlan& plan, ConnectionPool& pool);

// The result of an exchange the caller abandoned before it began or while it ran.
ExchangeResult CancelledResult();

// The Status for a failed exchange.
Status FailureStatus(const ExchangeResult& result, const ExchangePlan& plan);

}  // namespace switchyard::outbound
