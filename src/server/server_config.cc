#include "server/server_config.h"

#include <charconv>
#include <filesystem>
#include <functional>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "server/api_key.h"

namespace switchyard::server {
namespace {

using Setter = std::function<std::optional<std::string>(ServerConfig&, const std::string&)>;

struct Setting {
  std::string yaml_key;  // also the flag name with '_' -> '-'
  std::string env;
  std::string help;
  Setter set;  // returns an error message, or nullopt
};

std::optional<long long> ParseInteger(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

template <typename T>
Setter IntSetter(T ServerConfig::*member, long long min, long long max) {
  return [member, min, max](ServerConfig& config, const std::string& text) -> std::optional<std::string> {
    auto value = ParseInteger(text);
    if (!value || *value < min || *value > max) {
      return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    }
    config.*member = static_cast<T>(*value);
    return std::nullopt;
  };
}

Setter ChoiceSetter(std::string ServerConfig::*member, std::vector<std::string> choices) {
  return [member, choices](ServerConfig& config, const std::string& text) -> std::optional<std::string> {
    for (const auto& choice : choices) {
      if (text == choice) {
        config.*member = text;
        return std::nullopt;
      }
    }
    std::string list;
    for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
    return "must be one of " + list;
  };
}

std::optional<std::string> ParseHostPort(const std::string& text, std::string* host_out, int* port_out) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return "must be HOST:PORT, e.g. 127.0.0.1:8000";
  auto port = ParseInteger(text.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return "port must be from 0 to 65535";
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  *host_out = host;
  *port_out = static_cast<int>(*port);
  return std::nullopt;
}

std::optional<std::string> SetListen(ServerConfig& config, const std::string& text) {
  return ParseHostPort(text, &config.host, &config.port);
}

std::optional<std::string> SetMetricsListen(ServerConfig& config, const std::string& text) {
  return ParseHostPort(text, &config.metrics_host, &config.metrics_port);
}

Setter KeySetter(std::optional<std::string> ServerConfig::*member) {
  return [member](ServerConfig& config, const std::string& text) -> std::optional<std::string> {
    if (text.size() < kMinKeyLength || text.size() > 200) return "must be 24 to 200 characters";
    for (char c : text) {
      if (c <= ' ' || c > '~') return "must be printable ASCII without spaces";
    }
    config.*member = text;
    return std::nullopt;
  };
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"listen", "SWITCHYARD_LISTEN", "HOST:PORT to listen on (default 127.0.0.1:8000)", SetListen},
      {"data_dir", "SWITCHYARD_DATA_DIR", "directory of the embedded database (default ./data)",
       [](ServerConfig& c, const std::string& t) -> std::optional<std::string> {
         if (t.empty()) return "must not be empty";
         c.data_dir = t;
         return std::nullopt;
       }},
      {"store", "SWITCHYARD_STORE", "sqlite (default) or memory (nothing persists)",
       ChoiceSetter(&ServerConfig::store, {"sqlite", "memory"})},
      {"threads", "SWITCHYARD_THREADS", "I/O worker threads (default: one per core)",
       IntSetter(&ServerConfig::threads, 1, 256)},
      {"log_level", "SWITCHYARD_LOG_LEVEL", "trace, debug, info, warn, error or off",
       ChoiceSetter(&ServerConfig::log_level, {"trace", "debug", "info", "warn", "error", "off"})},
      {"max_body_bytes", "SWITCHYARD_MAX_BODY_BYTES", "largest request body accepted (default 1 MiB)",
       IntSetter(&ServerConfig::max_body_bytes, 1024, 256LL * 1024 * 1024)},
      {"max_header_bytes", "SWITCHYARD_MAX_HEADER_BYTES", "largest request header block (default 8 KiB)",
       // Beast stores a field's length in 16 bits and throws past it: keep every field below.
       IntSetter(&ServerConfig::max_header_bytes, 1024, 60 * 1024)},
      {"max_connections", "SWITCHYARD_MAX_CONNECTIONS",
       "open connections before new ones get 503 (default 10000)",
       IntSetter(&ServerConfig::max_connections, 1, 1000000)},
      {"idle_timeout", "SWITCHYARD_IDLE_TIMEOUT",
       "seconds a keep-alive connection may stay idle (default 60)",
       IntSetter(&ServerConfig::idle_timeout_seconds, 1, 3600)},
      {"request_timeout", "SWITCHYARD_REQUEST_TIMEOUT",
       "seconds to receive a request or send a response (default 30)",
       IntSetter(&ServerConfig::request_timeout_seconds, 1, 3600)},
      {"shutdown_timeout", "SWITCHYARD_SHUTDOWN_TIMEOUT",
       "seconds in-flight requests get at shutdown (default 10)",
       IntSetter(&ServerConfig::shutdown_timeout_seconds, 0, 3600)},
      {"rate_limit", "SWITCHYARD_RATE_LIMIT",
       "requests per second per API key before 429 (default 0: no limit)",
       [](ServerConfig& c, const std::string& t) -> std::optional<std::string> {
         auto value = ParseInteger(t);
         if (!value || *value < 0 || *value > 10000000) return "must be an integer from 0 to 10000000";
         c.rate_limit = static_cast<double>(*value);
         return std::nullopt;
       }},
      {"header_timeout", "SWITCHYARD_HEADER_TIMEOUT",
       "seconds a new connection gets to send a whole request head (default 10)",
       IntSetter(&ServerConfig::header_timeout_seconds, 1, 3600)},
      {"max_connections_per_address", "SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS",
       "open connections per client address (default 0: no cap; proxies share an address)",
       IntSetter(&ServerConfig::max_connections_per_address, 0, 1000000)},
      {"rate_limit_per_address", "SWITCHYARD_RATE_LIMIT_PER_ADDRESS",
       "requests per second per client address before 429 (default 0: no limit)",
       IntSetter(&ServerConfig::rate_limit_per_address, 0, 10000000)},
      {"max_buffered_bytes", "SWITCHYARD_MAX_BUFFERED_BYTES",
       "request and response bytes held by all connections before 503 (default 256 MiB)",
       IntSetter(&ServerConfig::max_buffered_bytes, 1024 * 1024, 64LL * 1024 * 1024 * 1024)},
      {"worker_threads", "SWITCHYARD_WORKER_THREADS",
       "threads for blocking work: store reads and writes (default 4 per core, at least 4)",
       IntSetter(&ServerConfig::worker_threads, 1, 1024)},
      {"worker_queue", "SWITCHYARD_WORKER_QUEUE",
       "blocking jobs waiting or running before 503 (default 1024)",
       IntSetter(&ServerConfig::worker_queue, 1, 1000000)},
      {"cors_origins", "SWITCHYARD_CORS_ORIGINS",
       "comma-separated origins browsers may call evaluation from, or * (default *)",
       [](ServerConfig& c, const std::string& t) -> std::optional<std::string> {
         std::vector<std::string> origins;
         std::size_t start = 0;
         while (start <= t.size()) {
           std::size_t comma = t.find(',', start);
           if (comma == std::string::npos) comma = t.size();
           std::string origin = t.substr(start, comma - start);
           while (!origin.empty() && origin.front() == ' ') origin.erase(0, 1);
           while (!origin.empty() && origin.back() == ' ') origin.pop_back();
           if (!origin.empty()) {
             if (origin != "*" && origin.find("://") == std::string::npos) {
               return "each origin must be * or scheme://host[:port], not '" + origin + "'";
             }
             origins.push_back(origin);
           }
           start = comma + 1;
         }
         c.cors_origins = std::move(origins);
         return std::nullopt;
       }},
      {"person_cache_entries", "SWITCHYARD_PERSON_CACHE_ENTRIES",
       "persons kept in memory for evaluation (default 100000; 0: off)",
       IntSetter(&ServerConfig::person_cache_entries, 0, 100000000)},
      {"event_queue_events", "SWITCHYARD_EVENT_QUEUE_EVENTS",
       "events (or identifies) accepted but not yet committed before 503 (default 100000)",
       IntSetter(&ServerConfig::event_queue_events, 1, 100000000)},
      {"event_queue_bytes", "SWITCHYARD_EVENT_QUEUE_BYTES",
       "memory those may hold before 503 (default 64 MiB)",
       IntSetter(&ServerConfig::event_queue_bytes, 1024, 64LL * 1024 * 1024 * 1024)},
      {"event_retention_days", "SWITCHYARD_EVENT_RETENTION_DAYS",
       "days raw events are kept after they were received (default 30)",
       IntSetter(&ServerConfig::event_retention_days, 1, 36500)},
      {"aggregation_max_users_per_experiment", "SWITCHYARD_AGGREGATION_MAX_USERS_PER_EXPERIMENT",
       "users an experiment's aggregate tracks; later users' exposures are refused and counted (default "
       "1000000)",
       IntSetter(&ServerConfig::aggregation_max_users_per_experiment, 1, 100000000)},
      {"aggregation_checkpoint_seconds", "SWITCHYARD_AGGREGATION_CHECKPOINT_SECONDS",
       "seconds between checkpoints of the experiment aggregates (default 5)",
       IntSetter(&ServerConfig::aggregation_checkpoint_seconds, 1, 3600)},
      {"metrics_listen", "SWITCHYARD_METRICS_LISTEN",
       "HOST:PORT serving only GET /metrics without a key (default: none; /metrics needs the admin key)",
       SetMetricsListen},
      {"admin_key", "SWITCHYARD_ADMIN_KEY",
       "the admin key to create on first start (instead of a random one)",
       KeySetter(&ServerConfig::admin_key)},
      {"project_key", "SWITCHYARD_PROJECT_KEY", "the default project's key to create on first start",
       KeySetter(&ServerConfig::project_key)},
      {"metrics_jsonl", "SWITCHYARD_METRICS_JSONL",
       "file the gateway's statistics are appended to as one JSON line per interval (default: none)",
       [](ServerConfig& c, const std::string& t) -> std::optional<std::string> {
         c.metrics_jsonl = t;  // empty: off
         return std::nullopt;
       }},
      {"metrics_jsonl_interval", "SWITCHYARD_METRICS_JSONL_INTERVAL",
       "seconds between two lines of metrics_jsonl (default 10)",
       IntSetter(&ServerConfig::metrics_jsonl_interval, 1, 86400)},
      {"metrics_jsonl_max_bytes", "SWITCHYARD_METRICS_JSONL_MAX_BYTES",
       "size past which metrics_jsonl is rotated to <file>.1 (default 64 MiB)",
       IntSetter(&ServerConfig::metrics_jsonl_max_bytes, 4096, 64LL * 1024 * 1024 * 1024)},
      {"upstream_ca_file", "SWITCHYARD_UPSTREAM_CA_FILE",
       "PEM bundle trusted for the gateway's upstreams besides the system's CA store (default: none)",
       [](ServerConfig& c, const std::string& t) -> std::optional<std::string> {
         c.upstream_ca_file = t;
         return std::nullopt;
       }},
  };
  return kSettings;
}

std::string FlagName(const std::string& yaml_key) {
  std::string name = yaml_key;
  for (auto& c : name) c = c == '_' ? '-' : c;
  return name;
}

Status Apply(ServerConfig& config, const Setting& setting, const std::string& value,
             const std::string& source) {
  if (auto error = setting.set(config, value)) {
    return Status::InvalidArgument(setting.yaml_key + ": " + *error + " (from " + source + ")",
                                   setting.yaml_key);
  }
  return Status::Ok();
}

Status ApplyYaml(ServerConfig& config, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::InvalidArgument("cannot read the config file " + path, "config");
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("the config file " + path + " is not valid YAML: " + e.what(), "config");
  }
  if (root.IsNull()) return Status::Ok();
  if (!root.IsMap())
    return Status::InvalidArgument("the config file " + path + " must be a YAML mapping", "config");
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    const Setting* setting = nullptr;
    for (const auto& s : Settings()) {
      if (s.yaml_key == key) setting = &s;
    }
    if (setting == nullptr) return Status::InvalidArgument("unknown setting '" + key + "' in " + path, key);
    if (!entry.second.IsScalar()) {
      return Status::InvalidArgument(key + ": must be a single value (from " + path + ")", key);
    }
    if (Status s = Apply(config, *setting, entry.second.Scalar(), path); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

std::vector<FlagSpec> ConfigFlags() {
  std::vector<FlagSpec> out;
  for (const auto& setting : Settings()) {
    // Keys are secrets: they come from the environment or a file, never from a command line
    // that `ps` shows to every user of the machine.
    if (setting.yaml_key == "admin_key" || setting.yaml_key == "project_key") continue;
    out.push_back({FlagName(setting.yaml_key), setting.help + " [" + setting.env + "]"});
  }
  return out;
}

Result<ServerConfig> ResolveServerConfig(const ConfigSources& sources) {
  ServerConfig config;
  std::optional<std::string> file = sources.config_file;
  if (!file) {
    if (auto it = sources.environment.find("SWITCHYARD_CONFIG"); it != sources.environment.end())
      file = it->second;
  }
  if (file) {
    if (Status s = ApplyYaml(config, *file); !s.ok()) return s;
  }
  for (const auto& setting : Settings()) {
    auto it = sources.environment.find(setting.env);
    if (it == sources.environment.end()) continue;
    if (Status s = Apply(config, setting, it->second, setting.env); !s.ok()) return s;
  }
  for (const auto& setting : Settings()) {
    auto it = sources.flags.find(FlagName(setting.yaml_key));
    if (it == sources.flags.end()) continue;
    if (Status s = Apply(config, setting, it->second, "--" + it->first); !s.ok()) return s;
  }
  if (config.threads == 0)
    config.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (config.worker_threads == 0) config.worker_threads = std::max(4, 4 * config.threads);
  if (config.admin_key && config.project_key && *config.admin_key == *config.project_key) {
    return Status::InvalidArgument("admin_key and project_key must differ", "project_key");
  }
  return config;
}

}  // namespace switchyard::server
