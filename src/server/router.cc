#include "server/router.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/abbreviate.h"
#include "server/api_error.h"
#include "server/body_decoding.h"
#include "server/body_source.h"
#include "server/body_token.h"
#include "server/conditional_get.h"
#include "server/http_text.h"
#include "server/json_body.h"
#include "server/key_ring.h"
#include "server/posthog_body.h"
#include "server/rate_limiter.h"
#include "server/server_metrics.h"
#include "server/worker_pool.h"

namespace switchyard::server {

namespace net = boost::asio;

namespace {

Router::PathSegments SplitPath(std::string_view path) {
  Router::PathSegments out;
  size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  // "/a/b/" is the same resource as "/a/b".
  if (out.size() > 1 && out.back().empty()) out.pop_back();
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool MethodHasBody(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

// JSON bodies only; "application/json; charset=utf-8" is fine.
bool IsJsonContentType(std::string_view content_type) {
  return AsciiLower(TrimOws(content_type.substr(0, content_type.find(';')))) == "application/json";
}

Response Overloaded(int status, std::string_view code, std::string_view message, int retry_after) {
  Response response = ErrorResponse(status, code, message);
  response.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return response;
}

// The project token PostHog SDKs send instead of a header: `token` or `api_key`, in the query
// string or in a JSON body (body_token.h says where).
std::string TokenFromRequest(const Request& request) {
  for (const char* name : {"token", "api_key"}) {
    if (const std::string* value = request.QueryParam(name)) return *value;
  }
  if (request.body.empty()) return {};
  return FindBodyToken(request.body);
}

// Management routes name every query parameter they take (RoutePolicy::query).
std::optional<Response> RefuseUnknownQuery(const RouteInfo& route, const Request& request) {
  const std::vector<std::string>& accepted = route.policy.query;
  auto listed = [&accepted] {
    if (accepted.empty()) return std::string("this endpoint takes no query parameters");
    std::string names = "this endpoint accepts ";
    for (std::size_t i = 0; i < accepted.size(); ++i) names += (i > 0 ? ", " : "") + accepted[i];
    return names;
  };
  for (std::size_t i = 0; i < request.query.size(); ++i) {
    const std::string& name = request.query[i].first;
    // Names are client input: quote only the start of a long one.
    const std::string quoted = core::Abbreviate(name, 64);
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      return ErrorResponse(400, "invalid_query", "unknown query parameter '" + quoted + "'; " + listed(),
                           quoted);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (request.query[j].first == name) {
        return ErrorResponse(400, "invalid_query", "query parameter '" + quoted + "' is given twice", quoted);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

const std::string& RequestContext::Param(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  static const std::string kEmpty;  // immutable: not mutable global state
  return kEmpty;
}

Result<nlohmann::json> RequestContext::JsonBody() const {
  return ParseJsonBody(request_.body);
}

BodySource& RequestContext::Body() const {
  return *request_.body_source;
}

Response BadJsonResponse(const Status& status) {
  return ErrorResponse(400, "invalid_json", status.message(), status.field());
}

void Router::Add(std::string method, std::string pattern, Access access, std::string summary,
                 Handler handler) {
  Add(std::move(method), std::move(pattern), access, std::move(summary), RoutePolicy{}, std::move(handler));
}

void Router::Add(std::string method, std::string pattern, Access access, std::string summary,
                 RoutePolicy policy, Handler handler) {
  if (policy.stream_body && policy.execution != Execution::kAsync) {
    // Reading a streamed body suspends; only a coroutine handler can do that.
    throw std::invalid_argument(method + " " + pattern + ": a streamed body needs an async handler");
  }
  if (policy.cancel_on_disconnect && (policy.execution != Execution::kAsync || policy.stream_body)) {
    // The socket is watched while the handler runs: it must suspend without holding the I/O
    // thread, and must not itself be reading the socket (a streamed body).
    throw std::invalid_argument(method + " " + pattern +
                                ": cancel_on_disconnect needs an async handler and a whole body");
  }
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument(method + " " + pattern + ": a route's pattern is an absolute path");
  }
  Route route;
  route.info = RouteInfo{std::move(method), std::move(pattern), access, std::move(summary), policy};
  for (auto segment : SplitPath(route.info.pattern)) route.segments.emplace_back(segment);
  route.handler = std::move(handler);
  index_.Add(routes_.size(), route.segments.size(), route.segments.front(), IsParam(route.segments.front()));
  routes_.push_back(std::move(route));
}

void Router::AddAsync(std::string method, std::string pattern, Access access, std::string summary,
                      RoutePolicy policy, AsyncHandler handler) {
  policy.execution = Execution::kAsync;
  Add(std::move(method), std::move(pattern), access, std::move(summary), policy, Handler{});
  routes_.back().async_handler = std::move(handler);
}

void Router::AddAsync(std::string method, std::string pattern, Access access, std::string summary,
                      RoutePolicy policy, AsyncHandler handler, InlineAttempt attempt) {
  if (MethodHasBody(method) || policy.stream_body) {
    throw std::invalid_argument("an inline attempt is for body-less requests: " + method + " " + pattern);
  }
  AddAsync(std::move(method), std::move(pattern), access, std::move(summary), std::move(policy),
           std::move(handler));
  routes_.back().inline_attempt = std::move(attempt);
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& route : routes_) out.push_back(route.info);
  return out;
}

bool Router::Match(const Route& route, const PathSegments& path,
                   std::vector<std::pair<std::string, std::string>>* params) {
  if (route.segments.size() != path.size()) return false;
  params->clear();
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& want = route.segments[i];
    if (IsParam(want)) {
      if (path[i].empty()) return false;
      params->emplace_back(want.substr(1, want.size() - 2), PercentDecode(path[i], false));
    } else if (want != path[i]) {
      return false;
    }
  }
  return true;
}

const Router::Route* Router::Find(std::string_view method, std::string_view path) const {
  if (path.empty() || path.front() != '/') return nullptr;
  auto segments = SplitPath(path);
  std::vector<std::pair<std::string, std::string>> params;
  for (std::size_t index : index_.Candidates(segments.size(), segments.front())) {
    const Route& route = routes_[index];
    if (route.info.method == method && Match(route, segments, &params)) return &route;
  }
  return nullptr;
}

BodyRules Router::BodyRulesFor(std::string_view method, std::string_view path) const {
  BodyRules rules{default_max_body_bytes_, false};
  const Route* route = Find(method, path);
  if (route == nullptr) return rules;
  if (route->info.policy.max_body_bytes != 0) rules.max_bytes = route->info.policy.max_body_bytes;
  rules.streamed = route->info.policy.stream_body;
  rules.watch_disconnect = route->info.policy.cancel_on_disconnect;
  return rules;
}

Router::Prepared Router::Prepare(Request& request) const {
  Prepared prepared;
  if (request.path.empty() || request.path.front() != '/') {
    prepared.response =
        ErrorResponse(400, "invalid_request", "the request target must be an absolute path", "path");
    return prepared;
  }
  auto path = SplitPath(request.path);
  std::vector<std::pair<std::string, std::string>> params;
  std::string allowed;
  const Route* cors_route = nullptr;
  for (std::size_t index : index_.Candidates(path.size(), path.front())) {
    const Route& route = routes_[index];
    if (!Match(route, path, &params)) continue;
    if (route.info.method == request.method) return Dispatch(route, request, std::move(params));
    if (!allowed.empty()) allowed += ", ";
    allowed += route.info.method;
    if (route.info.policy.cors && cors_route == nullptr) cors_route = &route;
  }
  if (request.method == "OPTIONS" && cors_route != nullptr) {
    std::string_view origin = request.Header("origin");
    if (!cors_.Allows(origin)) {
      prepared.response = ErrorResponse(403, "cors_origin_not_allowed",
                                        "this origin may not call the API from a browser", "origin");
      return prepared;
    }
    Response preflight = EmptyResponse(204);
    preflight.headers.emplace_back("Access-Control-Allow-Origin", cors_.AllowOriginValue(origin));
    preflight.headers.emplace_back("Access-Control-Allow-Methods", allowed);
    preflight.headers.emplace_back("Access-Control-Allow-Headers", kCorsAllowedHeaders);
    preflight.headers.emplace_back("Access-Control-Max-Age", std::to_string(kCorsMaxAgeSeconds));
    preflight.headers.emplace_back("Vary", "Origin");
    prepared.response = std::move(preflight);
    return prepared;
  }
  if (!allowed.empty()) {
    Response response = ErrorResponse(405, "method_not_allowed",
                                      request.method + " is not allowed here; allowed: " + allowed, "method");
    response.headers.emplace_back("Allow", allowed);
    prepared.response = std::move(response);
    return prepared;
  }
  prepared.response =
      ErrorResponse(404, "not_found", "no such endpoint: " + request.method + " " + request.path, "path");
  return prepared;
}

Result<Principal> Router::Authenticate(const Route& route, const Request& request) const {
  std::string_view authorization = request.Header("authorization");
  // `X-API-Key: <key>` stands for `Authorization: Bearer <key>`: OFREP providers may send either.
  std::string_view api_key = request.Header("x-api-key");
  if (authorization.empty() && !api_key.empty()) return keys_.AuthenticateKey(api_key);
  if (!authorization.empty() || route.info.policy.key_source == KeySource::kBearer) {
    return keys_.Authenticate(authorization);
  }
  std::string token = TokenFromRequest(request);
  if (token.empty()) {
    return Status::Unauthenticated(
        "missing API key (Authorization: Bearer <key>, or the project token as `token`)");
  }
  return keys_.AuthenticateKey(token);
}

Router::Prepared Router::Dispatch(const Route& route, Request& request,
                                  std::vector<std::pair<std::string, std::string>> params) const {
  Prepared prepared;
  prepared.route = &route;
  const RoutePolicy& policy = route.info.policy;
  // Bearer keys are checked before anything costs CPU; a token in the body needs the decoded body.
  bool bearer_first = policy.key_source == KeySource::kBearer || !request.Header("authorization").empty() ||
                      !request.Header("x-api-key").empty();
  std::optional<Principal> principal;
  auto authenticate = [&]() -> std::optional<Response> {
    if (route.info.access == Access::kPublic) return std::nullopt;
    auto authenticated = Authenticate(route, request);
    if (!authenticated.ok()) return ErrorResponse(authenticated.status());
    if (route.info.access == Access::kAdmin && !authenticated->is_admin()) {
      return ErrorResponse(
          Status::PermissionDenied("this endpoint needs an admin key; project keys may only evaluate"));
    }
    int retry_after = 0;
    if (limiter_ != nullptr &&
        !limiter_->Allow(authenticated->key_prefix, RateLimiter::Clock::now(), &retry_after)) {
      return Overloaded(429, "rate_limited", "too many requests for this key; slow down", retry_after);
    }
    principal = std::move(*authenticated);
    return std::nullopt;
  };
  if (bearer_first) {
    if (auto refused = authenticate()) {
      prepared.response = std::move(*refused);
      return prepared;
    }
  }
  std::size_t body_limit = policy.max_body_bytes != 0 ? policy.max_body_bytes : default_max_body_bytes_;
  if (policy.stream_body && !request.body_source) {
    // In process (tests, fuzzers) the body arrives whole; the handler reads it the same way.
    request.body_source = std::make_shared<StringBodySource>(std::move(request.body));
    request.body.clear();
  }
  bool has_body = !request.body.empty() || (request.body_source && !request.body_source->finished());
  if (MethodHasBody(request.method) && has_body && policy.posthog_body) {
    DecodedBody decoded = DecodePostHogBody(request, body_limit);
    if (decoded.error == BodyDecodeError::kTooLarge) {
      prepared.response = ErrorResponse(413, "payload_too_large", decoded.message, "body");
      return prepared;
    }
    if (decoded.error != BodyDecodeError::kNone) {
      prepared.response = ErrorResponse(400, "invalid_encoding", decoded.message, "body");
      return prepared;
    }
    request.body = std::move(decoded.body);
  } else if (MethodHasBody(request.method) && has_body) {
    if (!IsJsonContentType(request.Header("content-type"))) {
      prepared.response =
          ErrorResponse(415, "unsupported_media_type",
                        "request bodies must be JSON (Content-Type: application/json)", "content-type");
      return prepared;
    }
    std::string encoding = AsciiLower(TrimOws(request.Header("content-encoding")));
    if (encoding == "gzip" && policy.accept_gzip && policy.stream_body) {
      // Inflated as the handler reads, against the same limit.
      request.body_source = std::make_shared<GunzipBodySource>(std::move(request.body_source), body_limit);
    } else if (encoding == "gzip" && policy.accept_gzip) {
      DecodedBody decoded = GunzipBounded(request.body, body_limit);
      if (decoded.error == BodyDecodeError::kTooLarge) {
        prepared.response = ErrorResponse(413, "payload_too_large", decoded.message, "body");
        return prepared;
      }
      if (decoded.error != BodyDecodeError::kNone) {
        prepared.response = ErrorResponse(400, "invalid_encoding", decoded.message, "content-encoding");
        return prepared;
      }
      request.body = std::move(decoded.body);
    } else if (!encoding.empty() && encoding != "identity") {
      prepared.response = ErrorResponse(415, "unsupported_media_type",
                                        "Content-Encoding '" + encoding + "' is not supported here" +
                                            (policy.accept_gzip ? " (use gzip)" : ""),
                                        "content-encoding");
      return prepared;
    }
  }
  if (!bearer_first) {
    if (auto refused = authenticate()) {
      prepared.response = std::move(*refused);
      return prepared;
    }
  }
  if (route.info.access == Access::kAdmin) {
    if (auto refused = RefuseUnknownQuery(route.info, request)) {
      prepared.response = std::move(*refused);
      return prepared;
    }
  }
  prepared.context.emplace(request, std::move(principal), std::move(params));
  return prepared;
}

Response Router::Run(const Route& route, RequestContext& context) const {
  const Request& request = context.request();
  try {
    if (route.async_handler) {
      // Only the synchronous Handle gets here with an async route: run it to completion.
      net::io_context ioc;
      auto future = net::co_spawn(ioc, RunAsync(route, context), net::use_future);
      ioc.run();
      return future.get();
    }
    return route.handler(context);
  } catch (const nlohmann::json::exception& e) {
    // A handler read a field with the wrong JSON type; that is the client's input.
    return ErrorResponse(422, "invalid_argument", std::string("invalid JSON value: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
    return ErrorResponse(500, "internal", "internal error; see the server log");
  }
}

net::awaitable<Response> Router::RunAsync(const Route& route, RequestContext& context) const {
  const Request& request = context.request();
  try {
    Response response = co_await route.async_handler(context);
    // A body the client got wrong (too large, malformed, not decodable) is answered as such
    // whatever the handler made of it; a client that went away reads no answer.
    if (request.body_source) {
      auto failed = request.body_source->failure();
      if (failed && failed->error != BodyError::kDisconnected) response = BodyErrorResponse(*failed);
    }
    co_return response;
  } catch (const nlohmann::json::exception& e) {
    co_return ErrorResponse(422, "invalid_argument", std::string("invalid JSON value: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
  }
  co_return ErrorResponse(500, "internal", "internal error; see the server log");
}

void Router::AddCorsHeaders(const Request& request, const Route* route, Response& response) const {
  if (route == nullptr || !route->info.policy.cors) return;
  std::string_view origin = request.Header("origin");
  if (!cors_.Allows(origin)) return;
  response.headers.emplace_back("Access-Control-Allow-Origin", cors_.AllowOriginValue(origin));
  response.headers.emplace_back("Access-Control-Expose-Headers", kCorsExposedHeaders);
  response.headers.emplace_back("Vary", "Origin");
}

void Router::Finish(const Request& request, const Route* route, Response& response) const {
  // Every management read is cacheable: ETag, and 304 for a matching If-None-Match.
  if (route != nullptr && route->info.access == Access::kAdmin) ApplyConditionalGet(request, response);
  AddCorsHeaders(request, route, response);
}

net::awaitable<Response> Router::HandleAsync(Request request) const {
  ServerMetrics::TimePoint started{};
  if (metrics_ != nullptr) started = metrics_->OnRequestStarted();
  Prepared prepared = Prepare(request);
  Response response;
  if (prepared.response) {
    response = std::move(*prepared.response);
  } else {
    const Route& route = *prepared.route;
    RequestContext& context = *prepared.context;
    switch (route.info.policy.execution) {
      case Execution::kInline: response = Run(route, context); break;
      case Execution::kAsync: response = co_await RunAsync(route, context); break;
      case Execution::kWorker:
        if (pool_ == nullptr) {
          response = Run(route, context);
        } else {
          // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
          std::function<Response()> job = [this, &route, &context] { return Run(route, context); };
          auto on_worker = pool_->Run(std::move(job));
          response = co_await std::move(on_worker);
        }
        break;
    }
  }
  Finish(request, prepared.route, response);
  Record(request, prepared.route, response.status, started);
  co_return response;
}

void Router::Record(const Request& request, const Route* route, int status,
                    std::chrono::steady_clock::time_point started) const {
  if (metrics_ == nullptr) return;
  metrics_->OnRequestFinished(
      route != nullptr ? std::string_view(route->info.pattern) : ServerMetrics::kUnmatchedRoute,
      request.method, status, started);
}

std::optional<Response> Router::HandleInline(Request& request) const {
  const Route* route = Find(request.method, request.path);
  if (route == nullptr || route->info.policy.execution == Execution::kInline) return HandleHere(request);
  if (route->inline_attempt && request.body.empty() && !request.body_source) return HandleAttempt(request);
  return std::nullopt;
}

std::optional<Response> Router::TryInline(const Route& route, RequestContext& context) const {
  const Request& request = context.request();
  try {
    return route.inline_attempt(context);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
    return ErrorResponse(500, "internal", "internal error; see the server log");
  }
}

std::optional<Response> Router::HandleAttempt(Request& request) const {
  ServerMetrics::TimePoint started{};
  if (metrics_ != nullptr) started = metrics_->OnRequestStarted();
  Prepared prepared = Prepare(request);
  std::optional<Response> response =
      prepared.response ? std::move(prepared.response) : TryInline(*prepared.route, *prepared.context);
  if (!response) {
    // HandleAsync starts the request over, and counts it then.
    if (metrics_ != nullptr) metrics_->OnRequestDeferred();
    return std::nullopt;
  }
  Finish(request, prepared.route, *response);
  Record(request, prepared.route, response->status, started);
  return response;
}

Response Router::Handle(const Request& original) const {
  Request request = original;
  return HandleHere(request);
}

Response Router::HandleHere(Request& request) const {
  ServerMetrics::TimePoint started{};
  if (metrics_ != nullptr) started = metrics_->OnRequestStarted();
  Prepared prepared = Prepare(request);
  std::optional<Response> answered = std::move(prepared.response);
  // As the transport does: an async route's inline attempt first.
  if (!answered && prepared.route->inline_attempt) answered = TryInline(*prepared.route, *prepared.context);
  Response response = answered ? std::move(*answered) : Run(*prepared.route, *prepared.context);
  Finish(request, prepared.route, response);
  Record(request, prepared.route, response.status, started);
  return response;
}

}  // namespace switchyard::server
