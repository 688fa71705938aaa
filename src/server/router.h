// Router: the whole HTTP protocol logic above the socket. One table of routes, each with its
// method, path pattern, access scope and a one-line summary (docs/API.md is checked against it);
// Handle() does matching, authentication, authorization, content-type and JSON checks, then calls
// the handler. Exceptions that escape a handler end only that request (500, logged).
//
// Thread-safety: routes are added before serving; Handle may then run on any number of threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_key.h"
#include "server/http_message.h"
#include "switchyard/status.h"

namespace switchyard::server {

class KeyRing;
class RateLimiter;
class ServerMetrics;

enum class Access {
  kPublic,   // no key (health checks)
  kProject,  // a project key, or an admin key
  kAdmin,    // an admin key only
};

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

 private:
  const Request& request_;
  std::optional<Principal> principal_;
  std::vector<std::pair<std::string, std::string>> params_;
};

using Handler = std::function<Response(RequestContext&)>;

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/projects/{project}/flags/{key}"
  Access access = Access::kPublic;
  std::string summary;
};

class Router {
 public:
  explicit Router(const KeyRing& keys) : keys_(keys) {}

  // Every authenticated request then spends a token of its key's bucket (429 when empty).
  void SetRateLimiter(RateLimiter* limiter) { limiter_ = limiter; }
  // Every request is then counted and timed under its route's pattern.
  void SetMetrics(ServerMetrics* metrics) { metrics_ = metrics; }

  void Add(std::string method, std::string pattern, Access access, std::string summary, Handler handler);
  Response Handle(const Request& request) const;
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    RouteInfo info;
    std::vector<std::string> segments;  // "{name}" segments are parameters
    Handler handler;
  };
  // Matches the path; fills params on success.
  static bool Match(const Route& route, const std::vector<std::string_view>& path,
                    std::vector<std::pair<std::string, std::string>>* params);
  // Handle without metrics; sets *pattern to the matched route's pattern, if any.
  Response Resolve(const Request& request, std::string_view* pattern) const;
  Response Dispatch(const Route& route, const Request& request,
                    std::vector<std::pair<std::string, std::string>> params) const;

  const KeyRing& keys_;
  RateLimiter* limiter_ = nullptr;
  ServerMetrics* metrics_ = nullptr;
  std::vector<Route> routes_;
};

// Shared by the router and handlers: an InvalidArgument from JsonBody is a 400, not a 422.
Response BadJsonResponse(const Status& status);

}  // namespace switchyard::server
