// ServerConfig: every setting of `switchyard serve`, resolved from (lowest precedence first)
// built-in defaults, a YAML file, SWITCHYARD_* environment variables and command-line flags,
// then validated as a whole. One table (server_config.cc) declares each setting's YAML key,
// environment variable and flag, so the three sources can never disagree about names.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "switchyard/status.h"

namespace switchyard::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string data_dir = "./data";
  std::string store = "sqlite";  // "sqlite" (data_dir/switchyard.db) or "memory"
  int threads = 0;               // 0: one per core
  std::string log_level = "info";
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_connections = 10000;
  int idle_timeout_seconds = 60;
  int request_timeout_seconds = 30;
  int shutdown_timeout_seconds = 10;
  double rate_limit = 0;  // requests per second per API key (burst: one second's worth); 0 = off
  int header_timeout_seconds = 10;
  std::size_t max_connections_per_address = 0;  // 0: no cap
  double rate_limit_per_address = 0;            // requests per second per client address; 0 = off
  std::size_t max_buffered_bytes = 256 * 1024 * 1024;
  int worker_threads = 0;  // 0: 4 per core, at least 4 (they mostly wait on SQLite and fsync)
  std::size_t worker_queue = 1024;
  std::vector<std::string> cors_origins{"*"};
  std::size_t person_cache_entries = 100000;
  // Ingestion: events (and identifies) accepted but not yet committed, before 503; raw events are
  // deleted this many days after they were received.
  std::size_t event_queue_events = 100000;
  std::size_t event_queue_bytes = 64 * 1024 * 1024;
  int event_retention_days = 30;
  // Experiment aggregation: the users one experiment's aggregate tracks at most (memory bound),
  // and how often its state is checkpointed to events.db.
  std::size_t aggregation_max_users_per_experiment = 1000000;
  int aggregation_checkpoint_seconds = 5;
  // A second address serving only GET /metrics, without a key (scrapers on a private network);
  // empty host: none, /metrics is then only on the API port with an admin key.
  std::string metrics_host;
  int metrics_port = 0;
  // The gateway's snapshot exporter: one JSON line every metrics_jsonl_interval seconds appended
  // to this file (empty: off), rotated to "<path>.1" past metrics_jsonl_max_bytes.
  std::string metrics_jsonl;
  int metrics_jsonl_interval = 10;
  std::size_t metrics_jsonl_max_bytes = 64 * 1024 * 1024;
  // The gateway's upstream calls verify TLS against the system's CA store plus this PEM bundle
  // (for upstreams behind a private CA).
  std::string upstream_ca_file;
  // Bootstrap keys: used on first start only, instead of generating random ones.
  std::optional<std::string> admin_key;
  std::optional<std::string> project_key;
};

struct ConfigSources {
  std::optional<std::string> config_file;          // --config or SWITCHYARD_CONFIG
  std::map<std::string, std::string> environment;  // the process environment
  std::map<std::string, std::string> flags;        // flag name without dashes -> value
};

// The flag names (without "--") that `serve` accepts besides --config, with their help text.
struct FlagSpec {
  std::string name;
  std::string help;
};
std::vector<FlagSpec> ConfigFlags();

// Resolves and validates. Errors name the setting and where its bad value came from, e.g.
// "threads: must be an integer from 1 to 256 (from SWITCHYARD_THREADS)".
Result<ServerConfig> ResolveServerConfig(const ConfigSources& sources);

}  // namespace switchyard::server
