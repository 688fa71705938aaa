// Wiring: store -> bootstrap -> key ring and flag snapshots -> router -> HTTP server. Everything
// is owned by this stack frame and torn down in reverse order when the server stops, so the
// store is closed cleanly after the last request has been answered.
#include "server/run_server.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "server/api_routes.h"
#include "server/bootstrap.h"
#include "server/http_server.h"
#include "server/rate_limiter.h"
#include "server/version.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"

namespace switchyard::server {
namespace {

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("switchyard");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

Result<std::unique_ptr<store::Store>> OpenStore(const ServerConfig& config) {
  if (config.store == "memory") return store::NewMemoryStore();
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return Status::Unavailable("cannot create the data directory " + config.data_dir + ": " + ec.message());
  auto path = DatabasePath(config.data_dir);
  spdlog::info("opening the SQLite store at {}", path);
  return store::OpenSqliteStore(path);
}

HttpLimits LimitsOf(const ServerConfig& config) {
  HttpLimits limits;
  limits.max_body_bytes = config.max_body_bytes;
  limits.max_header_bytes = config.max_header_bytes;
  limits.max_connections = config.max_connections;
  limits.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
  limits.request_timeout = std::chrono::seconds(config.request_timeout_seconds);
  limits.shutdown_timeout = std::chrono::seconds(config.shutdown_timeout_seconds);
  return limits;
}

int Fail(const std::string& what, const Status& status) {
  spdlog::critical("{}: {}", what, status.ToString());
  return 1;
}

}  // namespace

std::string DatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "switchyard.db").string();
}

int RunServer(const ServerConfig& config) {
  SetUpLogging(config.log_level);
  auto store = OpenStore(config);
  if (!store.ok()) return Fail("cannot open the store", store.status());
  auto bootstrap = BootstrapIfEmpty(**store, config);
  if (!bootstrap.ok()) return Fail("cannot initialise the store", bootstrap.status());
  std::cout << BootstrapBanner(*bootstrap) << std::flush;

  KeyRing keys;
  FlagSnapshots snapshots;
  if (Status s = keys.Reload(**store); !s.ok()) return Fail("cannot load the API keys", s);
  if (Status s = snapshots.ReloadAll(**store); !s.ok()) return Fail("cannot load the flags", s);
  FlagService flag_service(**store, snapshots);
  ServerContext context{**store, keys, snapshots, flag_service};
  Router router(keys);
  RegisterApiRoutes(router, context);
  std::unique_ptr<RateLimiter> limiter;
  if (config.rate_limit > 0) {
    limiter = std::make_unique<RateLimiter>(config.rate_limit, config.rate_limit);
    router.SetRateLimiter(limiter.get());
  }

  HttpServer server(LimitsOf(config), [&router](const Request& request) { return router.Handle(request); });
  auto port = server.Listen(config.host, config.port);
  if (!port.ok()) return Fail("cannot start", port.status());
  std::cout << "switchyard " << kVersion << " listening on http://" << config.host << ":" << *port
            << std::endl;
  spdlog::info("serving on {}:{} with {} threads, store: {}", config.host, *port, config.threads,
               config.store);
  server.Run(config.threads);
  spdlog::info("stopped; closing the store");
  return 0;
}

}  // namespace switchyard::server
