#include "server/router.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "server/api_error.h"
#include "server/key_ring.h"
#include "server/rate_limiter.h"
#include "server/server_metrics.h"

namespace switchyard::server {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
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
  auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json";
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
  if (request_.body.empty())
    return Status::InvalidArgument("the request body is empty; a JSON object is required", "body");
  try {
    return nlohmann::json::parse(request_.body);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + e.what(), "body");
  }
}

Response BadJsonResponse(const Status& status) {
  return ErrorResponse(400, "invalid_json", status.message(), status.field());
}

void Router::Add(std::string method, std::string pattern, Access access, std::string summary,
                 Handler handler) {
  Route route;
  route.info = RouteInfo{std::move(method), std::move(pattern), access, std::move(summary)};
  for (auto segment : SplitPath(route.info.pattern)) route.segments.emplace_back(segment);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& route : routes_) out.push_back(route.info);
  return out;
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& path,
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

Response Router::Handle(const Request& request) const {
  if (metrics_ == nullptr) return Resolve(request, nullptr);
  auto started = metrics_->OnRequestStarted();
  std::string_view pattern = ServerMetrics::kUnmatchedRoute;
  try {
    Response response = Resolve(request, &pattern);
    metrics_->OnRequestFinished(pattern, request.method, response.status, started);
    return response;
  } catch (...) {
    metrics_->OnRequestFinished(pattern, request.method, 500, started);
    throw;
  }
}

Response Router::Resolve(const Request& request, std::string_view* pattern) const {
  if (request.path.empty() || request.path.front() != '/') {
    return ErrorResponse(400, "invalid_request", "the request target must be an absolute path", "path");
  }
  auto path = SplitPath(request.path);
  std::vector<std::pair<std::string, std::string>> params;
  std::string allowed;
  for (const auto& route : routes_) {
    if (!Match(route, path, &params)) continue;
    if (pattern != nullptr) *pattern = route.info.pattern;
    if (route.info.method == request.method) return Dispatch(route, request, std::move(params));
    if (!allowed.empty()) allowed += ", ";
    allowed += route.info.method;
  }
  if (!allowed.empty()) {
    Response response = ErrorResponse(405, "method_not_allowed",
                                      request.method + " is not allowed here; allowed: " + allowed, "method");
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  return ErrorResponse(404, "not_found", "no such endpoint: " + request.method + " " + request.path, "path");
}

Response Router::Dispatch(const Route& route, const Request& request,
                          std::vector<std::pair<std::string, std::string>> params) const {
  std::optional<Principal> principal;
  if (route.info.access != Access::kPublic) {
    auto authenticated = keys_.Authenticate(request.Header("authorization"));
    if (!authenticated.ok()) return ErrorResponse(authenticated.status());
    if (route.info.access == Access::kAdmin && !authenticated->is_admin()) {
      return ErrorResponse(
          Status::PermissionDenied("this endpoint needs an admin key; project keys may only evaluate"));
    }
    int retry_after = 0;
    if (limiter_ != nullptr &&
        !limiter_->Allow(authenticated->key_prefix, RateLimiter::Clock::now(), &retry_after)) {
      Response response = ErrorResponse(429, "rate_limited", "too many requests for this key; slow down");
      response.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return response;
    }
    principal = std::move(*authenticated);
  }
  if (MethodHasBody(request.method) && !request.body.empty()) {
    if (!IsJsonContentType(request.Header("content-type"))) {
      return ErrorResponse(415, "unsupported_media_type",
                           "request bodies must be JSON (Content-Type: application/json)", "content-type");
    }
    auto encoding = request.Header("content-encoding");
    if (!encoding.empty() && encoding != "identity") {
      return ErrorResponse(415, "unsupported_media_type",
                           "Content-Encoding '" + std::string(encoding) + "' is not supported",
                           "content-encoding");
    }
  }
  RequestContext context(request, std::move(principal), std::move(params));
  try {
    return route.handler(context);
  } catch (const nlohmann::json::exception& e) {
    // A handler read a field with the wrong JSON type; that is the client's input.
    return ErrorResponse(422, "invalid_argument", std::string("invalid JSON value: ") + e.what());
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
    return ErrorResponse(500, "internal", "internal error; see the server log");
  }
}

}  // namespace switchyard::server
