// Wiring: listeners bound -> store -> bootstrap -> key ring and flag snapshots -> routes -> serve.
// Binding comes first so that a start that cannot listen creates nothing on disk. Everything is
// owned by this stack frame; when the server stops the listeners are destroyed first and the rest
// in reverse order, so the store is closed cleanly after the last request has been answered.
#include "server/run_server.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/thread_name.h"
#include "events/memory_event_log.h"
#include "events/sqlite_event_log.h"
#include "experiments/builtin_metrics.h"
#include "outbound/outbound_client.h"
#include "registry/model_catalog.h"
#include "server/aggregate_checkpoint.h"
#include "server/api_routes.h"
#include "server/bootstrap.h"
#include "server/evaluation_counters.h"
#include "server/event_pipeline.h"
#include "server/experiment_aggregator.h"
#include "server/flag_scheduler.h"
#include "server/gateway_metrics.h"
#include "server/gateway_service.h"
#include "server/http_server.h"
#include "server/metrics_jsonl_exporter.h"
#include "server/periodic_task.h"
#include "server/person_cache.h"
#include "server/rate_limiter.h"
#include "server/server_metrics.h"
#include "server/termination_signal_mask.h"
#include "server/version.h"
#include "server/worker_pool.h"
#include "store/instrumented_store.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/timestamp.h"

namespace switchyard::server {
namespace {

constexpr std::chrono::milliseconds kSchedulePollPeriod{1000};
constexpr std::chrono::milliseconds kCounterFlushPeriod{60000};
// Exposures wait at most this long in memory before they are handed to the event pipeline.
constexpr std::chrono::milliseconds kExposureFlushPeriod{1000};
// Gateway call events likewise, and much sooner. What a flush hands over, the event writer
// commits in one burst of CPU (~6 us per event): at 200 ms and ~5k calls/s that was a 5 ms burst
// five times a second, and the calls it overlapped made the gateway's p99 at one connection
// ~2.3 ms; at 20 ms it is ~1.2 ms (docs/PERFORMANCE.md). Smaller transactions cost the writer
// ~3 us more per call at saturation; a dashboard of events also follows the traffic closer.
constexpr std::chrono::milliseconds kGatewayEventFlushPeriod{20};

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("switchyard");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

Result<std::unique_ptr<store::Store>> OpenStore(const ServerConfig& config) {
  store::SqliteStoreOptions options;
  // One reader connection per worker thread: every blocking read runs on a worker.
  options.reader_connections = config.worker_threads;
  if (config.store == "memory") return store::NewMemoryStore();
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return Status::Unavailable("cannot create the data directory " + config.data_dir + ": " + ec.message());
  auto path = DatabasePath(config.data_dir);
  spdlog::info("opening the SQLite store at {}", path);
  return store::OpenSqliteStore(path, options);
}

// events.db next to switchyard.db (or in memory with the memory store).
Result<std::unique_ptr<events::EventLog>> OpenEventLog(const ServerConfig& config) {
  if (config.store == "memory")
    return std::unique_ptr<events::EventLog>(std::make_unique<events::MemoryEventLog>());
  auto path = (std::filesystem::path(config.data_dir) / "events.db").string();
  spdlog::info("opening the event log at {}", path);
  auto log = events::SqliteEventLog::Open(path, config.worker_threads);
  if (!log.ok()) return log.status();
  return std::unique_ptr<events::EventLog>(std::move(*log));
}

EventPipelineOptions PipelineOptionsOf(const ServerConfig& config) {
  EventPipelineOptions options;
  options.events = {config.event_queue_events, config.event_queue_bytes};
  options.identifies = {config.event_queue_events, config.event_queue_bytes};
  options.retention.days = config.event_retention_days;
  return options;
}

Result<std::unique_ptr<AggregateCheckpoint>> OpenAggregateCheckpoint(const ServerConfig& config) {
  if (config.store == "memory")
    return std::unique_ptr<AggregateCheckpoint>(std::make_unique<NoAggregateCheckpoint>());
  auto checkpoint =
      SqliteAggregateCheckpoint::Open((std::filesystem::path(config.data_dir) / "events.db").string());
  if (!checkpoint.ok()) return checkpoint.status();
  return std::unique_ptr<AggregateCheckpoint>(std::move(*checkpoint));
}

// A project's metric definitions as aggregation reads them: the built-in ones, then the stored.
experiments::AggregationEngine::MetricSource MetricSourceOf(store::Store& store) {
  return [&store](std::int64_t project_id) {
    std::vector<experiments::MetricDefinition> metrics = experiments::BuiltinMetrics();
    auto stored = store.ListMetrics(project_id);
    if (!stored.ok()) {
      spdlog::warn("cannot read the metric definitions of project {}: {}", project_id,
                   stored.status().ToString());
      return metrics;
    }
    metrics.insert(metrics.end(), stored->begin(), stored->end());
    return metrics;
  };
}

HttpLimits LimitsOf(const ServerConfig& config) {
  HttpLimits limits;
  limits.max_body_bytes = config.max_body_bytes;
  limits.max_header_bytes = config.max_header_bytes;
  limits.max_connections = config.max_connections;
  limits.max_connections_per_address = config.max_connections_per_address;
  limits.rate_limit_per_address = config.rate_limit_per_address;
  limits.max_buffered_bytes = config.max_buffered_bytes;
  limits.header_timeout = std::chrono::seconds(config.header_timeout_seconds);
  limits.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
  limits.request_timeout = std::chrono::seconds(config.request_timeout_seconds);
  limits.shutdown_timeout = std::chrono::seconds(config.shutdown_timeout_seconds);
  return limits;
}

int Fail(const std::string& what, const Status& status) {
  spdlog::critical("{}: {}", what, status.ToString());
  return 1;
}

HttpHandlers HandlersFor(const Router& router) {
  return HttpHandlers{
      [&router](std::string_view method, std::string_view path) { return router.BodyRulesFor(method, path); },
      [&router](Request request) { return router.HandleAsync(std::move(request)); },
      [&router](Request& request) { return router.HandleInline(request); }};
}

std::vector<std::string> RoutePatterns(const Router& router) {
  std::vector<std::string> patterns;
  for (const auto& route : router.Routes()) patterns.push_back(route.pattern);
  return patterns;
}

// The optional metrics-only listener: its own server on one thread, which stops (on the same
// signals, or when the API server stops first) before the routes it serves are torn down.
class MetricsListener {
 public:
  MetricsListener(const ServerConfig& config, const Router& router)
      : server_(LimitsOf(config), HandlersFor(router)) {}
  ~MetricsListener() {
    if (!thread_.joinable()) return;
    server_.Shutdown();
    thread_.join();
  }
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  Result<int> Listen(const std::string& host, int port) { return server_.Listen(host, port); }
  void Start() {
    thread_ = std::thread([this] {
      NameThisThread("sy-metrics");
      server_.Run();
    });
  }

 private:
  HttpServer server_;
  std::thread thread_;
};

}  // namespace

std::string DatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "switchyard.db").string();
}

int RunServer(const ServerConfig& config) {
  // First, before anything below starts a thread (opening the event log starts its WAL
  // checkpointer): see the header. Restored just before Run, whose I/O threads take the signal.
  TerminationSignalMask background_threads_mask;
  SetUpLogging(config.log_level);
  ServerMetrics metrics;
  KeyRing keys;
  FlagSnapshots snapshots;
  Router router(keys);
  Router metrics_router(keys);

  // Bind every listener before the store is opened: a start that fails on a port already in use
  // must leave no data directory, database or bootstrap keys behind. Nothing is accepted before
  // Run, so the routes can still be registered below.
  std::unique_ptr<MetricsListener> metrics_listener;
  int metrics_port = 0;
  if (!config.metrics_host.empty()) {
    metrics_listener = std::make_unique<MetricsListener>(config, metrics_router);
    auto bound = metrics_listener->Listen(config.metrics_host, config.metrics_port);
    if (!bound.ok()) return Fail("cannot start the metrics listener", bound.status());
    metrics_port = *bound;
  }
  auto server = std::make_unique<HttpServer>(LimitsOf(config), HandlersFor(router), config.threads);
  server->SetMetrics(&metrics);
  auto port = server->Listen(config.host, config.port);
  if (!port.ok()) return Fail("cannot start", port.status());

  auto opened = OpenStore(config);
  if (!opened.ok()) return Fail("cannot open the store", opened.status());
  auto store = std::make_unique<store::InstrumentedStore>(std::move(*opened), metrics);
  auto bootstrap = BootstrapIfEmpty(*store, config);
  if (!bootstrap.ok()) return Fail("cannot initialise the store", bootstrap.status());
  std::cout << BootstrapBanner(*bootstrap) << std::flush;

  if (Status s = keys.Reload(*store); !s.ok()) return Fail("cannot load the API keys", s);
  // A project whose flags do not load is logged and reported by /readyz; the others are served.
  if (Status s = snapshots.ReloadAll(*store); !s.ok()) return Fail("cannot list the projects", s);
  auto event_log = OpenEventLog(config);
  if (!event_log.ok()) return Fail("cannot open the event log", event_log.status());
  FlagService flag_service(*store, snapshots);
  WorkerPool workers(config.worker_threads, config.worker_queue);
  PersonCache persons(config.person_cache_entries);
  EventPipeline pipeline(**event_log, *store, &persons, PipelineOptionsOf(config));
  EvaluationCounters counters;
  experiments::ExperimentDirectory experiment_directory;
  ExperimentService experiment_service(*store, flag_service, snapshots, experiment_directory);
  if (Status s = experiment_service.Load(); !s.ok()) return Fail("cannot load the experiments", s);
  ExposureRecorder exposures;
  ExperimentGate experiment_gate(experiment_directory, &exposures);
  auto checkpoint = OpenAggregateCheckpoint(config);
  if (!checkpoint.ok()) return Fail("cannot open the aggregate checkpoints", checkpoint.status());
  ExperimentAggregatorOptions aggregator_options;
  aggregator_options.limits.max_users_per_experiment = config.aggregation_max_users_per_experiment;
  aggregator_options.checkpoint_period = std::chrono::seconds(config.aggregation_checkpoint_seconds);
  ExperimentAggregator aggregator(**event_log, experiment_directory, MetricSourceOf(*store),
                                  std::move(*checkpoint), aggregator_options);
  if (Status s = aggregator.Start(); !s.ok()) return Fail("cannot start experiment aggregation", s);
  pipeline.Subscribe([&aggregator](const std::vector<const events::Event*>& stored) {
    std::int64_t newest = 0;
    for (const events::Event* event : stored) newest = std::max(newest, event->seq);
    aggregator.Notify(newest);
  });
  ServerContext context{*store,   keys,     snapshots, flag_service, metrics,
                        &persons, &workers, &pipeline, &counters};
  context.experiments = &experiment_service;
  context.experiment_gate = &experiment_gate;
  context.exposures = &exposures;
  context.aggregator = &aggregator;
  GatewayMetrics gateway_metrics;
  context.gateway_metrics = &gateway_metrics;
  registry::ModelCatalog model_catalog;
  if (Status s = model_catalog.ReloadAll(*store); !s.ok()) return Fail("cannot load the model registry", s);
  // On the server's io_contexts, so an upstream's answer resumes its request without a thread hop;
  // reset below before the server (and its io_contexts) goes.
  outbound::ClientOptions outbound_options;
  outbound_options.ca_file = config.upstream_ca_file;
  std::unique_ptr<outbound::OutboundClient> outbound;
  try {
    outbound = std::make_unique<outbound::OutboundClient>(server->io_contexts(), outbound_options);
  } catch (const std::exception& e) {  // an unreadable or non-PEM upstream_ca_file
    return Fail("cannot set up the gateway's upstream client",
                Status::InvalidArgument(e.what(), "upstream_ca_file"));
  }
  GatewayOptions gateway_options;
  gateway_options.parser_sets_kept = server->io_contexts().size();
  GatewayService gateway(*outbound, gateway_options);
  context.models = &model_catalog;
  context.gateway = &gateway;
  // Opened now, so a path that cannot be written stops the start instead of failing every interval.
  std::unique_ptr<MetricsJsonlExporter> jsonl;
  if (!config.metrics_jsonl.empty()) {
    jsonl = std::make_unique<MetricsJsonlExporter>(
        MetricsJsonlOptions{config.metrics_jsonl, config.metrics_jsonl_max_bytes},
        [&gateway_metrics] { return gateway_metrics.Snapshot(); });
    if (Status s = jsonl->Open(); !s.ok()) return Fail("cannot open metrics_jsonl", s);
  }
  router.SetWorkerPool(&workers);
  router.SetDefaultMaxBodyBytes(config.max_body_bytes);
  router.SetCors(CorsPolicy{config.cors_origins});
  RegisterApiRoutes(router, context);
  metrics.DeclareRoutes(RoutePatterns(router));
  router.SetMetrics(&metrics);
  std::unique_ptr<RateLimiter> limiter;
  if (config.rate_limit > 0) {
    limiter = std::make_unique<RateLimiter>(config.rate_limit, config.rate_limit);
    router.SetRateLimiter(limiter.get());
  }
  RegisterMetricsRoute(metrics_router, context, Access::kPublic);

  if (metrics_listener) {
    metrics_listener->Start();
    std::cout << "switchyard metrics served at http://" << config.metrics_host << ":" << metrics_port
              << "/metrics" << std::endl;
  }
  std::cout << "switchyard " << kVersion << " listening on http://" << config.host << ":" << *port
            << std::endl;
  spdlog::info("serving on {}:{} with {} threads, store: {}", config.host, *port, config.threads,
               config.store);
  // Background work on its own threads: scheduled changes (checked every second, and at once, so
  // changes that fell due while the server was down fire now) and evaluation counters (written
  // every minute, and once more below at a clean stop).
  FlagScheduler scheduler(*store, flag_service);
  // A claim older than this belongs to a server that died while firing it (firing takes
  // milliseconds): it is fired again, which is safe since a change already applied writes nothing.
  constexpr auto kAbandonedClaim = std::chrono::minutes(5);
  PeriodicTask schedules("sy-schedules", kSchedulePollPeriod, [&] {
    const auto now = std::chrono::system_clock::now();
    scheduler.FireDue(store::FormatTimestamp(now), store::FormatTimestamp(now - kAbandonedClaim));
  });
  PeriodicTask counter_flushes("sy-counters", kCounterFlushPeriod, [&] {
    if (Status s = counters.Flush(*store); !s.ok())
      spdlog::warn("cannot record flag evaluation counts (kept for the next try): {}", s.ToString());
  });
  auto hand_exposures = [&pipeline](std::vector<events::Event> events) {
    auto batch = std::make_unique<events::EventBatch>();
    batch->events = std::move(events);
    return pipeline.Submit(std::move(batch));
  };
  PeriodicTask exposure_flushes("sy-exposures", kExposureFlushPeriod,
                                [&] { exposures.Flush(hand_exposures); });
  // The snapshot exporter writes (and flushes) on its own thread, never on an I/O thread.
  std::unique_ptr<PeriodicTask> jsonl_writes;
  if (jsonl) {
    const std::chrono::seconds interval(config.metrics_jsonl_interval);
    jsonl_writes = std::make_unique<PeriodicTask>("sy-metrics-file", interval, [&] {
      if (Status s = jsonl->Append(); !s.ok()) spdlog::warn("metrics_jsonl: {}", s.ToString());
    });
  }
  auto hand_calls = [&pipeline](std::vector<events::Event> events) {
    auto batch = std::make_unique<events::EventBatch>();
    batch->events = std::move(events);
    return pipeline.Submit(std::move(batch));
  };
  PeriodicTask gateway_event_flushes("sy-gw-events", kGatewayEventFlushPeriod,
                                     [&] { gateway.Flush(hand_calls); });
  background_threads_mask.Restore();
  server->Run();
  // The last exposures join the pipeline, then whatever was accepted is committed (its requests
  // may already be gone), before the logs close.
  exposure_flushes.Stop();
  exposures.Flush(hand_exposures);
  gateway_event_flushes.Stop();
  gateway.Flush(hand_calls);
  pipeline.Stop();
  aggregator.Stop();  // applies what the pipeline committed last, then checkpoints
  workers.Stop();     // the last blocking jobs finish before the store closes
  schedules.Stop();
  counter_flushes.Stop();
  if (jsonl_writes) {
    jsonl_writes->Stop();
    // A last line at a clean stop, so the file ends with the whole run.
    if (Status s = jsonl->Append(); !s.ok()) spdlog::warn("metrics_jsonl: {}", s.ToString());
  }
  if (Status s = counters.Flush(*store); !s.ok())
    spdlog::error("cannot record the last flag evaluation counts: {}", s.ToString());
  // The listeners were created before the store; they go first all the same, so no connection
  // outlives what its handlers use.
  outbound.reset();  // its pooled sockets belong to the server's io_contexts
  server.reset();
  metrics_listener.reset();
  spdlog::info("stopped; closing the store");
  return 0;
}

}  // namespace switchyard::server
