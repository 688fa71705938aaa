// ServerMetrics: every metric the server keeps about itself, and their Prometheus exposition.
// The transport, the router and the store decorator report events through its methods; the
// /metrics handler renders it (together with the flag snapshots' versions).
//
// Why not prometheus-cpp (Debian's prometheus-cpp-dev): its Histogram::Observe locks a mutex
// per observation, and a labelled series is found through Family::Add, which locks the family
// and hashes a label map; with every evaluate request recording into the same route's series
// that is a lock shared by all I/O threads. Here every series is pre-registered or installed
// once with a compare-and-swap, and recording is relaxed atomic additions only. (Its -dev
// package also pulls in civetweb and libcurl, which we would not use.)
//
// Label cardinality is bounded by construction: a route label is a pattern of the route table
// (declared before serving) or kUnmatchedRoute, never a raw path; methods outside a fixed set
// count as "other"; statuses are clamped to 100..599.
//
// Thread-safety: DeclareRoutes before serving (like Router::Add); every other method from any
// thread, concurrently.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/latency_histogram.h"
#include "server/prometheus_text.h"
#include "store/instrumented_store.h"
#include "store/steady_clock.h"

namespace switchyard::server {

class ServerMetrics final : public store::StoreObserver {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  // The route label of a request that matched no route (404, a malformed target, or one the
  // transport refused before routing).
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  explicit ServerMetrics(SteadyClock clock = RealSteadyClock());
  ~ServerMetrics() override;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // The route table's patterns; any other route label reported later counts as kUnmatchedRoute.
  void DeclareRoutes(const std::vector<std::string>& patterns);

  void OnConnectionOpened();
  void OnConnectionClosed();

  // A request starts: counts it in flight and returns the clock's reading, to hand back to
  // OnRequestFinished, which records its duration and status and ends it.
  TimePoint OnRequestStarted();
  void OnRequestFinished(std::string_view route, std::string_view method, int status, TimePoint started);
  // A started request handed on unanswered, to be started again (Router::HandleInline's miss).
  void OnRequestDeferred();

  // Jobs waiting in the worker pool's queue (fed by the pool whenever the depth changes).
  void SetWorkerQueueDepth(std::int64_t depth);

  void OnStoreOperation(store::StoreOperation operation, std::chrono::nanoseconds elapsed) override;

  // Writes every family held here.
  void AppendTo(PrometheusText& out) const;

  static constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                               "PATCH", "DELETE", "OPTIONS", "other"};

 private:
  static constexpr int kMinStatus = 100;
  static constexpr int kMaxStatus = 599;
  struct StatusCounts {
    std::array<std::atomic<std::uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
  };
  // One per route label. Status counters per method are allocated on a method's first request,
  // so that a route does not carry 8 × 500 counters it never uses.
  struct RouteSeries {
    explicit RouteSeries(std::string route_pattern) : pattern(std::move(route_pattern)) {}
    ~RouteSeries();
    StatusCounts& For(std::size_t method);

    const std::string pattern;
    LatencyHistogram latency;
    std::array<std::atomic<StatusCounts*>, kMethods.size()> by_method{};
  };

  RouteSeries& SeriesFor(std::string_view route);
  void AppendRequests(PrometheusText& out) const;

  SteadyClock clock_;
  std::vector<std::unique_ptr<RouteSeries>> routes_;  // [0] is kUnmatchedRoute
  std::unordered_map<std::string_view, RouteSeries*> by_pattern_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::int64_t> worker_queue_depth_{0};
  std::array<LatencyHistogram, store::kStoreOperationCount> store_latency_;
};

}  // namespace switchyard::server
