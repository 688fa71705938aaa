#include "server/gateway_service.h"

#include <utility>

#include "server/wall_clock.h"

namespace switchyard::server {

bool GatewayService::TryStartShadow() {
  std::size_t running = shadows_in_flight_.load(std::memory_order_relaxed);
  while (running < options_.max_shadow_in_flight) {
    if (shadows_in_flight_.compare_exchange_weak(running, running + 1, std::memory_order_relaxed))
      return true;
  }
  return false;  // the caller counts the drop per route (GatewayMetrics::CountShadowDropped)
}

std::string GatewayService::NewRequestId() {
  const std::int64_t now_ms = NowMs();
  MutexLock lock(ids_mu_);
  return ids_.NextRandom(now_ms);
}

std::string GatewayService::NewEventUuid() {
  const std::int64_t now_ms = NowMs();
  MutexLock lock(ids_mu_);
  return ids_.Next(now_ms);
}

bool GatewayService::RecordEvent(events::Event event) {
  MutexLock lock(events_mu_);
  if (pending_.size() >= options_.max_pending_events) {
    events_dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  pending_.push_back(std::move(event));
  return true;
}

std::size_t GatewayService::Flush(const EventSink& sink) {
  std::vector<events::Event> batch;
  {
    MutexLock lock(events_mu_);
    batch.swap(pending_);
  }
  const std::size_t count = batch.size();
  if (count == 0) return 0;
  if (!sink(std::move(batch))) {
    events_dropped_.fetch_add(count, std::memory_order_relaxed);
    return 0;
  }
  return count;
}

void GatewayService::AppendMetrics(PrometheusText& out) const {
  out.Family("switchyard_gateway_shadow_in_flight", "gauge", "Shadow calls running now");
  out.Sample("switchyard_gateway_shadow_in_flight", {},
             static_cast<std::uint64_t>(shadows_in_flight_.load(std::memory_order_relaxed)));
  out.Family("switchyard_gateway_call_events_dropped_total", "counter",
             "Gateway call events lost because the queue or the event pipeline was full");
  out.Sample("switchyard_gateway_call_events_dropped_total", {},
             events_dropped_.load(std::memory_order_relaxed));
}

}  // namespace switchyard::server
