#include "server/server_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace switchyard::server {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() / ("sy-config-" + std::to_string(counter_++) + ".yaml"))
                .string();
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

TEST(ServerConfigTest, DefaultsAreTheEmbeddedLocalServer) {
  auto config = ResolveServerConfig({});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8000);
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->store, "sqlite");
  EXPECT_GE(config->threads, 1);
  EXPECT_FALSE(config->admin_key.has_value());
}

TEST(ServerConfigTest, FileThenEnvironmentThenFlags) {
  TempFile file("listen: 0.0.0.0:9000\nthreads: 3\ndata_dir: /from/file\nlog_level: warn\n");
  ConfigSources sources;
  sources.config_file = file.path();
  sources.environment = {{"SWITCHYARD_THREADS", "5"}, {"SWITCHYARD_DATA_DIR", "/from/env"}};
  sources.flags = {{"data-dir", "/from/flag"}};
  auto config = ResolveServerConfig(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->host, "0.0.0.0");
  EXPECT_EQ(config->port, 9000);
  EXPECT_EQ(config->threads, 5);
  EXPECT_EQ(config->data_dir, "/from/flag");
  EXPECT_EQ(config->log_level, "warn");
}

TEST(ServerConfigTest, MetricsListenIsOffByDefaultAndSetFromEachSource) {
  auto defaults = ResolveServerConfig({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->metrics_host, "");

  TempFile file("metrics_listen: 10.0.0.1:9100\n");
  ConfigSources sources;
  sources.config_file = file.path();
  auto from_file = ResolveServerConfig(sources);
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(from_file->metrics_host, "10.0.0.1");
  EXPECT_EQ(from_file->metrics_port, 9100);

  sources.environment = {{"SWITCHYARD_METRICS_LISTEN", "localhost:9200"}};
  auto from_env = ResolveServerConfig(sources);
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->metrics_host, "127.0.0.1");
  EXPECT_EQ(from_env->metrics_port, 9200);

  sources.flags = {{"metrics-listen", "0.0.0.0:9300"}};
  auto from_flag = ResolveServerConfig(sources);
  ASSERT_TRUE(from_flag.ok());
  EXPECT_EQ(from_flag->metrics_host, "0.0.0.0");
  EXPECT_EQ(from_flag->metrics_port, 9300);
  // The API's own address is untouched.
  EXPECT_EQ(from_flag->port, 8000);

  sources.flags = {{"metrics-listen", "9300"}};
  auto bad = ResolveServerConfig(sources);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("metrics_listen"), std::string::npos) << bad.status().message();
}

TEST(ServerConfigTest, EventIngestionSettings) {
  auto defaults = ResolveServerConfig({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->event_retention_days, 30);
  EXPECT_EQ(defaults->event_queue_events, 100000u);
  EXPECT_EQ(defaults->event_queue_bytes, 64u * 1024 * 1024);
  ConfigSources sources;
  sources.environment["SWITCHYARD_EVENT_RETENTION_DAYS"] = "7";
  sources.flags["event-queue-events"] = "10";
  auto config = ResolveServerConfig(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->event_retention_days, 7);
  EXPECT_EQ(config->event_queue_events, 10u);
  sources.flags["event-retention-days"] = "0";
  auto refused = ResolveServerConfig(sources);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field(), "event_retention_days");
}

TEST(ServerConfigTest, MetricsJsonlIsOffByDefaultAndSetFromEachSource) {
  auto defaults = ResolveServerConfig({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->metrics_jsonl, "");
  EXPECT_EQ(defaults->metrics_jsonl_interval, 10);
  EXPECT_EQ(defaults->metrics_jsonl_max_bytes, 64u * 1024 * 1024);
  TempFile file("metrics_jsonl: /var/lib/switchyard/metrics.jsonl\nmetrics_jsonl_interval: 30\n");
  ConfigSources sources;
  sources.config_file = file.path();
  sources.environment["SWITCHYARD_METRICS_JSONL_MAX_BYTES"] = "1048576";
  sources.flags["metrics-jsonl-interval"] = "5";
  auto config = ResolveServerConfig(sources);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->metrics_jsonl, "/var/lib/switchyard/metrics.jsonl");
  EXPECT_EQ(config->metrics_jsonl_interval, 5);
  EXPECT_EQ(config->metrics_jsonl_max_bytes, 1048576u);
  sources.flags["metrics-jsonl-interval"] = "0";
  auto refused = ResolveServerConfig(sources);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().field(), "metrics_jsonl_interval");
}

TEST(ServerConfigTest, ConfigFileFromTheEnvironment) {
  TempFile file("store: memory\n");
  ConfigSources sources;
  sources.environment = {{"SWITCHYARD_CONFIG", file.path()}};
  auto config = ResolveServerConfig(sources);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->store, "memory");
}

TEST(ServerConfigTest, ErrorsNameTheSettingAndItsSource) {
  ConfigSources sources;
  sources.environment = {{"SWITCHYARD_THREADS", "zero"}};
  auto config = ResolveServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().field(), "threads");
  EXPECT_NE(config.status().message().find("SWITCHYARD_THREADS"), std::string::npos);

  sources = {};
  sources.flags = {{"listen", "nowhere"}};
  config = ResolveServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--listen"), std::string::npos);

  sources.flags = {{"listen", "127.0.0.1:70000"}};
  EXPECT_FALSE(ResolveServerConfig(sources).ok());
  sources.flags = {{"store", "postgres"}};
  EXPECT_EQ(ResolveServerConfig(sources).status().field(), "store");
}

TEST(ServerConfigTest, UnknownYamlKeysAndBadFilesAreRefused) {
  TempFile typo("lisen: 127.0.0.1:1\n");
  ConfigSources sources;
  sources.config_file = typo.path();
  auto config = ResolveServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("lisen"), std::string::npos);

  TempFile broken("listen: [unclosed\n");
  sources.config_file = broken.path();
  EXPECT_FALSE(ResolveServerConfig(sources).ok());

  sources.config_file = "/nonexistent/switchyard.yaml";
  EXPECT_FALSE(ResolveServerConfig(sources).ok());
}

TEST(ServerConfigTest, BootstrapKeysAreValidatedAndNeverFlags) {
  ConfigSources sources;
  sources.environment = {{"SWITCHYARD_ADMIN_KEY", "short"}};
  EXPECT_EQ(ResolveServerConfig(sources).status().field(), "admin_key");
  sources.environment = {{"SWITCHYARD_ADMIN_KEY", "sy_admin_0123456789abcdefghijkl"},
                         {"SWITCHYARD_PROJECT_KEY", "sy_admin_0123456789abcdefghijkl"}};
  EXPECT_FALSE(ResolveServerConfig(sources).ok());
  for (const auto& flag : ConfigFlags()) {
    EXPECT_EQ(flag.name.find("key"), std::string::npos) << flag.name;
  }
}

}  // namespace
}  // namespace switchyard::server
