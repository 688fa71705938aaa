// EventPipeline: ingestion's durable path. Requests hand their checked events (or person updates)
// to a group committer and suspend; its one writer thread commits everything waiting in one
// transaction (events: the EventLog, then the person and group changes they carry, see
// person_events.h; identifies: Store::UpdatePersons), then resumes each request
// on its own executor with the outcome. No I/O thread waits, and a 2xx is sent only after the
// commit.
//
// Subscribers ("events committed") are how later stages (exposures, aggregation) consume the
// stream: each is called on the writer thread after every committed transaction with the events
// it stored (duplicates left out), before the requests hear back; they must be quick and
// must not block (hand heavy work to a queue of their own).
//
// Thread-safety: Subscribe before serving; Append / Identify from any coroutine; Stop once, after
// the server stopped taking requests (drains what was taken).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "events/event.h"
#include "events/event_log.h"
#include "events/group_commit.h"
#include "events/retention_job.h"
#include "server/latency_histogram.h"
#include "server/prometheus_text.h"
#include "store/store.h"

namespace switchyard::server {

class PersonCache;

struct EventPipelineOptions {
  events::GroupCommitLimits events;      // queue bounds for event batches
  events::GroupCommitLimits identifies;  // and for identifies
  events::RetentionOptions retention;
};

// Why a request was refused, for the rejection counters.
enum class EventRejection { kInvalid, kMalformed, kTooLarge, kQueueFull, kCommitFailed, kCount };

class EventPipeline {
 public:
  using Subscriber = std::function<void(const std::vector<const events::Event*>& stored)>;

  EventPipeline(events::EventLog& log, store::Store& store, PersonCache* persons,
                EventPipelineOptions options);
  ~EventPipeline();
  EventPipeline(const EventPipeline&) = delete;
  EventPipeline& operator=(const EventPipeline&) = delete;

  // Commits `batch` (whose events take `bytes` of memory) with whatever else is waiting; resumes
  // once it is durable (batch.duplicate / stored filled in). Unavailable at once when the queue
  // is full or stopping; the commit's error when the transaction failed.
  boost::asio::awaitable<Status> Append(events::EventBatch& batch, std::size_t bytes);
  // The same for one identify; the person cache forgets the person after the commit.
  boost::asio::awaitable<Status> Identify(store::PersonUpdate& update, std::size_t bytes);

  // Queues `batch` for the next group commit without waiting for it: for events the server makes
  // itself (exposures), so that evaluation never awaits a commit. `done` (optional) runs on the
  // writer thread after the commit with its outcome. False (nothing queued, `done` not called)
  // when the queue is full or stopping.
  bool Submit(std::unique_ptr<events::EventBatch> batch, std::function<void(const Status&)> done = {});

  void Subscribe(Subscriber subscriber) { subscribers_.push_back(std::move(subscriber)); }
  void CountRejection(EventRejection why);

  events::EventLog& log() { return log_; }
  // Bumped after every commit that wrote groups (new group types included): what caches of
  // the group type mapping compare.
  std::uint64_t group_generation() const { return group_generation_.load(std::memory_order_acquire); }
  // For group types declared through the management API rather than by an event.
  void NoteGroupTypesChanged() { group_generation_.fetch_add(1, std::memory_order_acq_rel); }
  bool Healthy() { return log_.Healthy(); }

  // Drains both queues and stops retention. Idempotent.
  void Stop();

  void AppendMetrics(PrometheusText& out) const;

 private:
  Status CommitEvents(std::span<events::EventBatch* const> batches);
  Status CommitIdentifies(std::span<store::PersonUpdate* const> updates);
  // The person and group changes the committed events carry (person_events.h), in one store write each.
  Status CommitPersonChanges(std::span<events::EventBatch* const> batches);
  // Drops what the updates changed from the person cache: each id, and every id of a merged person.
  void ForgetPersons(const std::vector<store::PersonUpdate>& updates);

  events::EventLog& log_;
  store::Store& store_;
  PersonCache* persons_;
  std::vector<Subscriber> subscribers_;
  LatencyHistogram event_commit_latency_;
  LatencyHistogram identify_commit_latency_;
  std::atomic<std::uint64_t> events_stored_{0};
  std::atomic<std::uint64_t> events_duplicate_{0};
  std::atomic<std::uint64_t> group_generation_{0};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(EventRejection::kCount)> rejections_{};
  // Declared last: their threads use everything above, and stop (drain) first on destruction.
  events::GroupCommitter<events::EventBatch> event_writer_;
  events::GroupCommitter<store::PersonUpdate> identify_writer_;
  std::unique_ptr<events::RetentionJob> retention_;
};

}  // namespace switchyard::server
