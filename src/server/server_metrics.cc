#include "server/server_metrics.h"

#include <algorithm>
#include <utility>

namespace switchyard::server {
namespace {

std::size_t MethodIndex(std::string_view method) {
  for (std::size_t i = 0; i + 1 < ServerMetrics::kMethods.size(); ++i) {
    if (ServerMetrics::kMethods[i] == method) return i;
  }
  return ServerMetrics::kMethods.size() - 1;  // "other"
}

}  // namespace

ServerMetrics::RouteSeries::~RouteSeries() {
  for (auto& slot : by_method) delete slot.load(std::memory_order_acquire);
}

ServerMetrics::StatusCounts& ServerMetrics::RouteSeries::For(std::size_t method) {
  auto& slot = by_method[method];
  StatusCounts* counts = slot.load(std::memory_order_acquire);
  if (counts != nullptr) return *counts;
  auto fresh = std::make_unique<StatusCounts>();
  // Two first requests may race: one installs its counters, the other adopts them.
  if (slot.compare_exchange_strong(counts, fresh.get(), std::memory_order_acq_rel)) return *fresh.release();
  return *counts;
}

ServerMetrics::ServerMetrics(SteadyClock clock) : clock_(std::move(clock)) {
  routes_.push_back(std::make_unique<RouteSeries>(std::string(kUnmatchedRoute)));
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::DeclareRoutes(const std::vector<std::string>& patterns) {
  for (const auto& pattern : patterns) {
    if (by_pattern_.count(pattern) != 0) continue;
    routes_.push_back(std::make_unique<RouteSeries>(pattern));
    by_pattern_.emplace(routes_.back()->pattern, routes_.back().get());
  }
}

ServerMetrics::RouteSeries& ServerMetrics::SeriesFor(std::string_view route) {
  auto it = by_pattern_.find(route);
  return it == by_pattern_.end() ? *routes_.front() : *it->second;
}

void ServerMetrics::OnConnectionOpened() {
  connections_.fetch_add(1, std::memory_order_relaxed);
}

void ServerMetrics::OnConnectionClosed() {
  connections_.fetch_sub(1, std::memory_order_relaxed);
}

ServerMetrics::TimePoint ServerMetrics::OnRequestStarted() {
  in_flight_.fetch_add(1, std::memory_order_relaxed);
  return clock_();
}

void ServerMetrics::OnRequestDeferred() {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
}

void ServerMetrics::OnRequestFinished(std::string_view route, std::string_view method, int status,
                                      TimePoint started) {
  auto elapsed = clock_() - started;
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  RouteSeries& series = SeriesFor(route);
  series.latency.Observe(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed));
  auto index = static_cast<std::size_t>(std::clamp(status, kMinStatus, kMaxStatus) - kMinStatus);
  series.For(MethodIndex(method)).by_status[index].fetch_add(1, std::memory_order_relaxed);
}

void ServerMetrics::SetWorkerQueueDepth(std::int64_t depth) {
  worker_queue_depth_.store(depth, std::memory_order_relaxed);
}

void ServerMetrics::OnStoreOperation(store::StoreOperation operation, std::chrono::nanoseconds elapsed) {
  auto index = static_cast<std::size_t>(operation);
  if (index < store_latency_.size()) store_latency_[index].Observe(elapsed);
}

void ServerMetrics::AppendRequests(PrometheusText& out) const {
  out.Family("switchyard_http_requests_total", "counter",
             "HTTP requests answered, by route pattern, method and status.");
  for (const auto& series : routes_) {
    for (std::size_t m = 0; m < kMethods.size(); ++m) {
      const StatusCounts* counts = series->by_method[m].load(std::memory_order_acquire);
      if (counts == nullptr) continue;
      for (std::size_t s = 0; s < counts->by_status.size(); ++s) {
        std::uint64_t count = counts->by_status[s].load(std::memory_order_relaxed);
        if (count == 0) continue;
        std::string status = std::to_string(kMinStatus + static_cast<int>(s));
        out.Sample("switchyard_http_requests_total",
                   {{"route", series->pattern}, {"method", kMethods[m]}, {"status", status}}, count);
      }
    }
  }
  out.Family("switchyard_http_request_duration_seconds", "histogram",
             "Time from routing a request to its response being ready, by route pattern.");
  for (const auto& series : routes_) {
    auto histogram = series->latency.Read();
    if (histogram.count == 0) continue;
    out.Histogram("switchyard_http_request_duration_seconds", {{"route", series->pattern}}, histogram);
  }
}

void ServerMetrics::AppendTo(PrometheusText& out) const {
  AppendRequests(out);
  out.Family("switchyard_http_requests_in_flight", "gauge", "Requests being handled now.");
  out.Sample("switchyard_http_requests_in_flight", {}, in_flight_.load(std::memory_order_relaxed));
  out.Family("switchyard_http_open_connections", "gauge", "Client connections open now.");
  out.Sample("switchyard_http_open_connections", {}, connections_.load(std::memory_order_relaxed));
  out.Family("switchyard_worker_queue_depth", "gauge", "Jobs waiting for a worker-pool thread.");
  out.Sample("switchyard_worker_queue_depth", {}, worker_queue_depth_.load(std::memory_order_relaxed));
  out.Family("switchyard_store_operation_duration_seconds", "histogram",
             "Time spent in the store, by operation.");
  for (std::size_t i = 0; i < store_latency_.size(); ++i) {
    auto histogram = store_latency_[i].Read();
    if (histogram.count == 0) continue;
    out.Histogram("switchyard_store_operation_duration_seconds",
                  {{"operation", store::StoreOperationName(static_cast<store::StoreOperation>(i))}},
                  histogram);
  }
}

}  // namespace switchyard::server
