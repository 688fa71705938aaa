// HttpClient: a small synchronous HTTP/1.1 client for the CLI and the integration tests.
//
// Design: one keep-alive connection per client, opened lazily on the first request. A reused
// connection the server has already closed (idle timeout, restart) is replaced before anything is
// sent on it. If one still closes under a request before any byte of the response arrived, an
// idempotent request (GET, HEAD, PUT, DELETE) is retried once on a fresh connection; POST and
// PATCH are not, since the server may have applied them. That is the only retry, so a dead server
// fails fast. Every network step is bounded by `timeout`. Boost.Beast is
// confined to http_client.cc (behind a pimpl) because its headers are expensive to compile; the
// transport lives in one place there so an https (beast::ssl_stream) variant can be added later.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "switchyard/status.h"

namespace switchyard::cli {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; repeated headers joined by ", "

  // The header's value, or "" when absent. `name` must be lower-case.
  std::string Header(const std::string& name) const;
};

// The parts of a base URL such as "http://host:8000/prefix".
struct BaseUrl {
  std::string scheme;  // "http" (or "https", rejected until TLS support lands)
  std::string host;
  std::string port;    // defaulted from the scheme when absent
  std::string prefix;  // path prefix without a trailing '/', prepended to every target
};

// Parses "scheme://host[:port][/prefix]"; InvalidArgument when malformed.
Result<BaseUrl> ParseBaseUrl(std::string_view url);

class HttpClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  explicit HttpClient(std::string base_url, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `method target` (target is a path such as "/api/v1/version", appended to the base URL's
  // prefix). Content-Type: application/json is set when `body` is non-empty unless `headers`
  // names one. A response with any HTTP status is a value; Unavailable means no response at all
  // (connection refused, timeout, reset), with a message naming the URL.
  Result<HttpResponse> Request(std::string_view method, std::string_view target, std::string_view body = {},
                               const Headers& headers = {});

  const std::string& base_url() const { return base_url_; }

 private:
  struct Impl;
  std::string base_url_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::cli
