// GatewayService: what the gateway routes share for the life of the server: the outbound client,
// the bound on shadow work, the paired shadow comparisons, request ids, the JSON parsers calls
// lease, and the queue of call events on their way to the event pipeline.
//
// Call events are queued in memory and handed to the pipeline in batches by Flush (a periodic
// task, like exposures), so a model call never waits for a commit; past max_pending_events they
// are dropped and counted, never buffered without bound.
//
// Thread-safety: every method from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "events/event.h"
#include "events/uuid.h"
#include "gateway/json_parser_pool.h"
#include "gateway/shadow_comparison.h"
#include "outbound/outbound_client.h"
#include "server/prometheus_text.h"

namespace switchyard::server {

struct GatewayOptions {
  // Shadow calls in flight at once; past it a sampled shadow is dropped (and counted), so shadow
  // traffic can never take sockets, memory or CPU from the live path.
  std::size_t max_shadow_in_flight = 64;
  std::size_t max_pending_events = 50'000;
  // simdjson parser sets kept between calls (gateway::JsonParserPool). A parse leases one on an
  // I/O thread and gives it back before it awaits anything, so the I/O thread count is enough.
  // A kept set is at most ~1.3 MB (sized for 64 KiB of text), so this bounds what the pool holds.
  std::size_t parser_sets_kept = 2;
  outbound::Timeouts timeouts;
  outbound::RetryPolicy retry;
};

class GatewayService {
 public:
  using EventSink = std::function<bool(std::vector<events::Event>)>;

  GatewayService(outbound::OutboundClient& client, GatewayOptions options)
      : client_(client), options_(std::move(options)), parsers_(options_.parser_sets_kept) {}

  outbound::OutboundClient& client() { return client_; }
  const GatewayOptions& options() const { return options_; }

  // A shadow slot; false when max_shadow_in_flight are running.
  bool TryStartShadow();
  void FinishShadow() { shadows_in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  gateway::ShadowComparisons& comparisons() { return comparisons_; }
  // simdjson parsers the calls lease to read request bodies and upstream answers.
  gateway::JsonParserPool& parsers() { return parsers_; }

  // A request id: a UUIDv7 (sortable by time) of its own random bits. The caller sees it, so it
  // must not tell anyone the uuids of other calls' events: those ascend within a millisecond
  // (UuidV7Generator::Next), and a project-key holder who could guess one could store an event
  // under it first and have the call's own event dropped as a duplicate.
  std::string NewRequestId();
  // The uuid of a call's event (UuidV7Generator::Next: ascending, cheap for the event log's index).
  std::string NewEventUuid();

  // Queues a call event for the pipeline; false (counted) when the queue is full.
  bool RecordEvent(events::Event event);
  // Hands every queued event to `sink` in one batch; returns how many. A sink that refuses them
  // (pipeline full) loses them, counted.
  std::size_t Flush(const EventSink& sink);

  void AppendMetrics(PrometheusText& out) const;

 private:
  outbound::OutboundClient& client_;
  const GatewayOptions options_;
  gateway::ShadowComparisons comparisons_;
  gateway::JsonParserPool parsers_;
  std::atomic<std::size_t> shadows_in_flight_{0};
  std::atomic<std::uint64_t> events_dropped_{0};
  Mutex ids_mu_;
  events::UuidV7Generator ids_ GUARDED_BY(ids_mu_);
  Mutex events_mu_;
  std::vector<events::Event> pending_ GUARDED_BY(events_mu_);
};

}  // namespace switchyard::server
