// Router: the whole HTTP protocol logic above the socket. One table of routes, each with its
// method, path pattern, access scope, policy (route_policy.h) and a one-line summary (docs/API.md
// is checked against it). A request is matched, authenticated, rate-limited, checked against its
// route's policy (body media type and encoding, CORS), then its handler runs where the policy
// says: on the bounded worker pool, inline on the I/O thread, or as a coroutine of its own.
// Exceptions that escape a handler end only that request (500, logged).
//
// Thread-safety: routes and settings are added before serving; HandleAsync / Handle may then run
// on any number of threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/container/small_vector.hpp>
#include <nlohmann/json.hpp>

#include "server/api_key.h"
#include "server/cors.h"
#include "server/http_message.h"
#include "server/route_index.h"
#include "server/route_policy.h"
#include "switchyard/status.h"

namespace switchyard::server {

class BodySource;
class KeyRing;
class RateLimiter;
class ServerMetrics;
class WorkerPool;

class RequestContext {
 public:
  RequestContext(const Request& request, std::optional<Principal> principal,
                 std::vector<std::pair<std::string, std::string>> params)
      : request_(request), principal_(std::move(principal)), params_(std::move(params)) {}

  const Request& request() const { return request_; }
  // Set for kProject and kAdmin routes.
  const Principal& principal() const { return *principal_; }
  // A path parameter ("{key}" in the pattern), percent-decoded.
  const std::string& Param(std::string_view name) const;
  // The body as JSON; 400-worthy InvalidArgument (field "body") when it does not parse.
  Result<nlohmann::json> JsonBody() const;
  // The body, piece by piece (routes with RoutePolicy::stream_body; always set there).
  BodySource& Body() const;

 private:
  const Request& request_;
  std::optional<Principal> principal_;
  std::vector<std::pair<std::string, std::string>> params_;
};

using Handler = std::function<Response(RequestContext&)>;
using AsyncHandler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;
// An async route's answer when it can be given without suspending (a cache hit, say), on the I/O
// thread; nullopt runs the route's coroutine instead.
using InlineAttempt = std::function<std::optional<Response>(RequestContext&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/projects/{project}/flags/{key}"
  Access access = Access::kPublic;
  std::string summary;
  RoutePolicy policy;
};

class Router {
 public:
  // A path split into segments; inline up to 8, so matching a request allocates nothing.
  using PathSegments = boost::container::small_vector<std::string_view, 8>;

  explicit Router(const KeyRing& keys) : keys_(keys) {}

  // Every authenticated request then spends a token of its key's bucket (429 when empty).
  void SetRateLimiter(RateLimiter* limiter) { limiter_ = limiter; }
  // Every request is then counted and timed under its route's pattern.
  void SetMetrics(ServerMetrics* metrics) { metrics_ = metrics; }
  // Where kWorker handlers run; without one (unit tests) they run inline.
  void SetWorkerPool(WorkerPool* pool) { pool_ = pool; }
  void SetCors(CorsPolicy cors) { cors_ = std::move(cors); }
  // The body limit of routes that do not set their own.
  void SetDefaultMaxBodyBytes(std::size_t bytes) { default_max_body_bytes_ = bytes; }

  // A route with the default policy (Bearer key, worker pool, JSON bodies). A policy with
  // stream_body needs AddAsync (std::invalid_argument otherwise).
  void Add(std::string method, std::string pattern, Access access, std::string summary, Handler handler);
  void Add(std::string method, std::string pattern, Access access, std::string summary, RoutePolicy policy,
           Handler handler);
  // A coroutine handler (policy.execution is set to kAsync).
  void AddAsync(std::string method, std::string pattern, Access access, std::string summary,
                RoutePolicy policy, AsyncHandler handler);
  // The same with an inline attempt, tried first for requests without a body. On a miss the
  // request goes through the whole pipeline again (authenticated, and rate-limited, twice), so
  // the attempt must hit for nearly every request: it is for answers served from memory.
  void AddAsync(std::string method, std::string pattern, Access access, std::string summary,
                RoutePolicy policy, AsyncHandler handler, InlineAttempt attempt);

  // What the transport needs once a request head with a body is read: the most body bytes it may
  // accept for this method and path (the route's limit, else the default), and whether the
  // handler reads the body as a stream.
  BodyRules BodyRulesFor(std::string_view method, std::string_view path) const;

  // The request pipeline. The coroutine may suspend (worker pool, async handlers).
  boost::asio::awaitable<Response> HandleAsync(Request request) const;
  // The pipeline when it cannot suspend: a route that runs inline, an async route's inline
  // attempt that hit, or an answer decided before any handler (no route, preflight). nullopt
  // (and `request` untouched) otherwise: HandleAsync.
  std::optional<Response> HandleInline(Request& request) const;
  // The same pipeline run to completion on the calling thread (every handler inline; an inline
  // attempt first, then async handlers on a private io_context): for unit tests and fuzzers.
  Response Handle(const Request& request) const;

  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    RouteInfo info;
    std::vector<std::string> segments;  // "{name}" segments are parameters
    Handler handler;
    AsyncHandler async_handler;
    InlineAttempt inline_attempt;
  };
  // Either the answer (an error, a CORS preflight) or the route and its context, ready to run.
  struct Prepared {
    std::optional<Response> response;
    const Route* route = nullptr;
    std::optional<RequestContext> context;
  };

  // Matches the path; fills params on success.
  static bool Match(const Route& route, const PathSegments& path,
                    std::vector<std::pair<std::string, std::string>>* params);
  const Route* Find(std::string_view method, std::string_view path) const;
  // `request` may be rewritten (a decoded body); it must outlive the returned context.
  Prepared Prepare(Request& request) const;
  Prepared Dispatch(const Route& route, Request& request,
                    std::vector<std::pair<std::string, std::string>> params) const;
  Result<Principal> Authenticate(const Route& route, const Request& request) const;
  Response Run(const Route& route, RequestContext& context) const;
  // The route's inline attempt, with Run's treatment of exceptions.
  std::optional<Response> TryInline(const Route& route, RequestContext& context) const;
  // Prepare and the inline attempt; nullopt when the attempt missed (nothing recorded).
  std::optional<Response> HandleAttempt(Request& request) const;
  // Prepare, run and finish (CORS, metrics) on the calling thread.
  Response HandleHere(Request& request) const;
  boost::asio::awaitable<Response> RunAsync(const Route& route, RequestContext& context) const;
  void AddCorsHeaders(const Request& request, const Route* route, Response& response) const;
  // What every answer gets once its handler (or the pipeline) produced it: conditional GET, CORS.
  void Finish(const Request& request, const Route* route, Response& response) const;
  void Record(const Request& request, const Route* route, int status,
              std::chrono::steady_clock::time_point started) const;

  const KeyRing& keys_;
  RateLimiter* limiter_ = nullptr;
  WorkerPool* pool_ = nullptr;
  ServerMetrics* metrics_ = nullptr;
  CorsPolicy cors_;
  std::size_t default_max_body_bytes_ = 1024 * 1024;
  std::vector<Route> routes_;
  RouteIndex index_;
};

// Shared by the router and handlers: an InvalidArgument from JsonBody is a 400, not a 422.
Response BadJsonResponse(const Status& status);

}  // namespace switchyard::server
