// GatewayMetrics: every gateway call, counted per route × variant × model (and project, and
// whether it was a shadow call), for GET /metrics, GET /api/v1/gateway/stats, the metrics.jsonl
// exporter and `switchyard top`.
//
// Record is on the gateway's hot path (~20k calls/s): finding an existing series takes a shared
// lock and no allocation, and recording is relaxed atomic additions into it (counters, Prometheus
// histograms, and ConcurrentSketch percentiles for the whole run and for a rolling window of the
// last minute, six 10-second slots, so `top` shows what is happening now). Only a new series,
// a new error type or a new route's shadow drop takes the exclusive lock.
//
// Memory is bounded: at most max_series series (~60 KB each) and 15 distinct error types (others
// count as "other"); calls of series past the cap are counted as dropped, not recorded. Label
// values come from the gateway's configuration (routes, variants, registered models), never from
// a request.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/thread_annotations.h"
#include "gateway/call_record.h"
#include "server/prometheus_text.h"
#include "store/steady_clock.h"

namespace switchyard::server {

struct GatewayMetricsOptions {
  std::size_t max_series = 1000;
};

class GatewayMetrics {
 public:
  // The rolling window Snapshot's "recent" covers: the current slot and the five before it.
  static constexpr int kWindowSlots = 6;
  static constexpr std::chrono::seconds kSlotLength{10};
  static constexpr std::size_t kMaxErrorTypes = 16;  // the last one is "other"

  explicit GatewayMetrics(GatewayMetricsOptions options = {}, SteadyClock clock = RealSteadyClock());
  ~GatewayMetrics();
  GatewayMetrics(const GatewayMetrics&) = delete;
  GatewayMetrics& operator=(const GatewayMetrics&) = delete;

  void Record(const gateway::CallRecord& call);
  // A shadow call the gateway did not make because its shadow queue was full.
  void CountShadowDropped(std::string_view route);

  // The switchyard_gateway_* families (docs/API.md, "GET /metrics").
  void AppendMetrics(PrometheusText& out) const;
  // {"window_seconds", "series": [{project_id, route, experiment, variant, model, shadow,
  //   "total": {...}, "recent": {...}, errors, retries}], "shadow_dropped": {route: n},
  //   "series_dropped": n}; see docs/API.md ("GET /api/v1/gateway/stats").
  nlohmann::json Snapshot() const;

 private:
  struct Series;
  // What a series is kept under; compared with a call's fields without copying them.
  struct SeriesKey {
    std::int64_t project_id = 0;
    std::string route, variant, model;
    bool shadow = false;
  };
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Tie(a) < Tie(b);
    }
    template <typename K>
    static auto Tie(const K& key) {
      return std::tuple<std::int64_t, std::string_view, std::string_view, std::string_view, bool>(
          key.project_id, key.route, key.variant, key.model, key.shadow);
    }
  };

  Series* FindOrAdd(const gateway::CallRecord& call);
  std::size_t ErrorTypeIndex(std::string_view type);
  std::vector<const Series*> AllSeries() const;
  std::int64_t CurrentEpoch() const;

  GatewayMetricsOptions options_;
  SteadyClock clock_;
  std::chrono::steady_clock::time_point start_;

  mutable SharedMutex series_mu_;
  // Series are never removed, so a pointer taken under the lock stays valid for the object's life.
  std::map<SeriesKey, std::unique_ptr<Series>, KeyLess> series_ GUARDED_BY(series_mu_);
  std::atomic<std::uint64_t> series_dropped_{0};

  mutable SharedMutex error_types_mu_;
  std::vector<std::string> error_types_ GUARDED_BY(error_types_mu_);  // index = counter slot

  mutable SharedMutex shadow_mu_;
  std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>, std::less<>> shadow_dropped_
      GUARDED_BY(shadow_mu_);
};

}  // namespace switchyard::server
