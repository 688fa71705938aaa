// OutboundClient: HTTP/1.1 requests to upstreams (model providers, later webhooks) from coroutines,
// with pooled keep-alive connections per origin, TLS, timeouts and bounded retries. One per server.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "switchyard/status.h"

namespace switchyard::outbound {

class ClientCore;

// connect: resolve, TCP connect and TLS handshake. first_byte: from sending the request to the
// first byte of the response. idle: between two reads of the response. total: the whole call,
// retries and their waits included (a stream: until its body ends).
struct Timeouts {
  std::chrono::milliseconds connect{2000}, first_byte{30000}, idle{30000}, total{120000};
};
struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds base_backoff{100}, max_backoff{2000};
};
struct OutboundRequest {
  std::string method = "POST";
  std::string url;  // http://host:port/path?query or https://...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Timeouts timeouts;
  RetryPolicy retry;
  // Stop requested (from any thread) when whoever wanted the answer went away: the attempt in
  // flight is abandoned (its connection closed, so the upstream sees the call end), no retry
  // follows, and Send / Open return StatusCode::kCancelled. Without stop state: runs to its end.
  std::stop_token cancel;
};
struct OutboundResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;
  int attempts = 1;  // how many tries it took
};

// A response whose body is read piece by piece (SSE passthrough).
class OutboundStream {
 public:
  virtual ~OutboundStream() = default;
  virtual int status() const = 0;
  virtual const std::vector<std::pair<std::string, std::string>>& headers() const = 0;
  virtual int attempts() const = 0;
  // The next piece of the body as it arrives; nullopt at the end; an error if the connection broke
  // or the idle/total timeout passed.
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> Next() = 0;
  // Stop now (client went away): closes the upstream connection; a pending Next ends with an error.
  virtual void Cancel() = 0;
};

struct ClientOptions {
  std::string ca_file;                 // extra CA bundle (PEM); the system store is always loaded
  std::size_t max_idle_per_host = 64;  // per lane (see the constructors)
  std::size_t max_response_bytes = 16 * 1024 * 1024;  // non-streamed bodies
};

class OutboundClient {  // thread-safe; one per server; usable from any executor/strand
 public:
  // Connections live on a strand of `io`, which must outlive the client and its streams. Throws
  // std::invalid_argument when ca_file cannot be loaded (a configuration error, found at start).
  OutboundClient(boost::asio::io_context& io, ClientOptions options);
  // `lanes`: io_contexts that are each run by exactly one thread (the server's I/O threads). A call
  // made on one of them keeps its connection there, with no strand, so the answer resumes the
  // caller without a hop; a call made elsewhere uses a strand of the first. Pooled connections
  // are kept per lane. Throws like the constructor above.
  OutboundClient(std::vector<boost::asio::io_context*> lanes, ClientOptions options);
  ~OutboundClient();
  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  // Whole response. Retries (bounded by retry.max_attempts, exponential backoff with full jitter,
  // honouring Retry-After / retry-after-ms up to max_backoff*4) on connect errors, timeouts before any
  // byte of the response, 429 and 5xx. Result error (Status code Unavailable / DeadlineExceeded) when
  // no response at all; a final 429/5xx after the last attempt is returned as a response, not an error.
  // Cancelled when request.cancel asked to stop before the response was whole.
  boost::asio::awaitable<Result<OutboundResponse>> Send(OutboundRequest request);
  // Streaming: returns once the response head arrived (retrying like Send before that point; a
  // 429/5xx head is retried too, and the last one returned as a stream whose body can be read).
  boost::asio::awaitable<Result<std::unique_ptr<OutboundStream>>> Open(OutboundRequest request);

 private:
  // Shared with open streams, which return their connection to the pool when their body ends.
  std::shared_ptr<ClientCore> core_;
};

}  // namespace switchyard::outbound
