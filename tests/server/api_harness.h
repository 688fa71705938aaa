// ApiHarness: the whole REST API over a MemoryStore, driven through Router::Handle without a
// socket. Used by the server's unit tests (and so run under ASan/UBSan).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_routes.h"
#include "server/bootstrap.h"
#include "server/router.h"
#include "store/memory_store.h"

namespace switchyard::server::testing {

inline constexpr char kAdminKey[] = "sy_admin_unit_0123456789abcdefghijklmnop";
inline constexpr char kProjectKey[] = "sy_proj_unit_0123456789abcdefghijklmnop";

class ApiHarness {
 public:
  ApiHarness() : ApiHarness(store::NewMemoryStore()) {}
  // Over `store` (e.g. a decorator that injects failures).
  explicit ApiHarness(std::unique_ptr<store::Store> store)
      : store_(std::move(store)),
        flags_(*store_, snapshots_),
        experiments_(*store_, flags_, snapshots_, directory_),
        gate_(directory_, &exposures_),
        context_{*store_, keys_, snapshots_, flags_, metrics_},
        router_(keys_) {
    ServerConfig config;
    config.admin_key = kAdminKey;
    config.project_key = kProjectKey;
    auto boot = BootstrapIfEmpty(*store_, config);
    if (!boot.ok()) throw std::runtime_error(boot.status().ToString());
    keys_.Reload(*store_);
    snapshots_.ReloadAll(*store_);
    context_.experiments = &experiments_;
    context_.experiment_gate = &gate_;
    context_.exposures = &exposures_;
    RegisterApiRoutes(router_, context_);
    std::vector<std::string> patterns;
    for (const auto& route : router_.Routes()) patterns.push_back(route.pattern);
    metrics_.DeclareRoutes(patterns);
    router_.SetMetrics(&metrics_);
  }

  Response Call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& key = kAdminKey, const std::string& content_type = "application/json") {
    Request request;
    request.method = method;
    request.target = target;
    ParseTarget(target, &request.path, &request.query);
    if (!key.empty()) request.headers.emplace_back("authorization", "Bearer " + key);
    if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
    request.body = body;
    return router_.Handle(request);
  }

  // Only for real JSON values, so that string literals pick the overload above.
  template <typename J, typename = std::enable_if_t<std::is_same_v<std::decay_t<J>, nlohmann::json>>>
  Response Call(const std::string& method, const std::string& target, J&& body,
                const std::string& key = kAdminKey) {
    return Call(method, target, body.dump(), key);
  }

  store::Store& store() { return *store_; }
  Router& router() { return router_; }
  ServerContext& context() { return context_; }
  FlagSnapshots& snapshots() { return snapshots_; }
  const experiments::ExperimentDirectory& experiment_directory() const { return directory_; }
  ExposureRecorder& exposures() { return exposures_; }

 private:
  std::unique_ptr<store::Store> store_;
  KeyRing keys_;
  FlagSnapshots snapshots_;
  FlagService flags_;
  experiments::ExperimentDirectory directory_;
  ExperimentService experiments_;
  ExposureRecorder exposures_;
  ExperimentGate gate_;
  ServerMetrics metrics_;
  ServerContext context_;
  Router router_;
};

// The value of a response header, or "" when it is absent.
inline std::string HeaderOf(const Response& response, const std::string& name) {
  for (const auto& [k, v] : response.headers) {
    if (k == name) return v;
  }
  return "";
}

inline const std::string kFlags = "/api/v1/projects/default/flags";

inline nlohmann::json Json(const Response& response) {
  return nlohmann::json::parse(response.body);
}

}  // namespace switchyard::server::testing
