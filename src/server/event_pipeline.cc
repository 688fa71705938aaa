#include "server/event_pipeline.h"

#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/person_cache.h"
#include "server/person_events.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// Submits `item` and suspends the calling coroutine until the writer completes it. The
// completion runs on the writer thread; it posts the coroutine's resumption to the coroutine's
// own executor (its connection's strand), so nothing of the request runs on the writer.
// `*refused` tells a full queue apart from a failed commit (both are Unavailable).
template <typename Item>
net::awaitable<Status> AwaitCommit(events::GroupCommitter<Item>& writer, Item* item, std::size_t items,
                                   std::size_t bytes, bool* refused) {
  auto initiate = [&writer, item, items, bytes, refused](auto handler) {
    using Handler = decltype(handler);
    struct Resume {
      Handler handler;
      void operator()(const Status& outcome) {
        auto executor = net::get_associated_executor(handler);
        net::post(executor, [h = std::move(handler), outcome]() mutable { std::move(h)(outcome); });
      }
    };
    std::unique_ptr<events::Completion> done = events::MakeCompletion(Resume{std::move(handler)});
    if (!writer.Submit(item, items, bytes, done)) {
      *refused = true;
      done->Complete(Status::Unavailable("the event queue is full; retry shortly"));
    }
  };
  // Named first: GCC 12 may destroy a temporary inside a co_await twice.
  auto committed = net::async_initiate<const net::use_awaitable_t<>&, void(Status)>(std::move(initiate),
                                                                                    net::use_awaitable);
  co_return co_await std::move(committed);
}

}  // namespace

EventPipeline::EventPipeline(events::EventLog& log, store::Store& store, PersonCache* persons,
                             EventPipelineOptions options)
    : log_(log),
      store_(store),
      persons_(persons),
      event_writer_(
          options.events,
          [this](std::span<events::EventBatch* const> batches) { return CommitEvents(batches); },
          [this](std::size_t, std::chrono::nanoseconds elapsed) { event_commit_latency_.Observe(elapsed); },
          "sy-event-writer"),
      identify_writer_(
          options.identifies,
          [this](std::span<store::PersonUpdate* const> updates) { return CommitIdentifies(updates); },
          [this](std::size_t, std::chrono::nanoseconds elapsed) {
            identify_commit_latency_.Observe(elapsed);
          },
          "sy-identify"),
      retention_(std::make_unique<events::RetentionJob>(log, options.retention)) {}

EventPipeline::~EventPipeline() {
  Stop();
}

void EventPipeline::Stop() {
  retention_->Stop();
  event_writer_.Stop();
  identify_writer_.Stop();
}

Status EventPipeline::CommitEvents(std::span<events::EventBatch* const> batches) {
  Status committed = log_.Append(batches);
  if (!committed.ok()) return committed;
  std::vector<const events::Event*> stored;
  for (const events::EventBatch* batch : batches) {
    events_stored_.fetch_add(batch->stored, std::memory_order_relaxed);
    events_duplicate_.fetch_add(batch->events.size() - batch->stored, std::memory_order_relaxed);
    if (subscribers_.empty()) continue;
    for (std::size_t i = 0; i < batch->events.size(); ++i) {
      if (!batch->duplicate[i]) stored.push_back(&batch->events[i]);
    }
  }
  for (const Subscriber& subscriber : subscribers_) subscriber(stored);
  return CommitPersonChanges(batches);
}

// Derived from every event of the batches, duplicates included: a retry after a failed person
// write (the request heard an error) must still change the person. Re-applying a retried
// event's $set is harmless.
Status EventPipeline::CommitPersonChanges(std::span<events::EventBatch* const> batches) {
  PersonChanges changes;
  for (const events::EventBatch* batch : batches) {
    for (const events::Event& event : batch->events) AddPersonChanges(event, &changes);
  }
  if (changes.empty()) return Status::Ok();
  Status persons = store_.UpdatePersons(changes.persons);
  Status groups = persons.ok() ? store_.UpdateGroups(changes.groups) : persons;
  if (!changes.groups.empty()) group_generation_.fetch_add(1, std::memory_order_acq_rel);
  ForgetPersons(changes.persons);
  return groups;
}

void EventPipeline::ForgetPersons(const std::vector<store::PersonUpdate>& updates) {
  if (persons_ == nullptr) return;
  for (const store::PersonUpdate& update : updates) {
    persons_->Invalidate(update.project_id, update.distinct_id);
    if (update.alias.empty()) continue;
    persons_->Invalidate(update.project_id, update.alias);
    // A merge changes what every id of the absorbed person reads: read them back (after the
    // commit, so a racing cache fill is dropped by the generation check).
    Result<store::Person> merged = store_.GetPerson(update.project_id, update.distinct_id);
    if (!merged.ok()) continue;
    for (const std::string& id : merged->distinct_ids) persons_->Invalidate(update.project_id, id);
  }
}

Status EventPipeline::CommitIdentifies(std::span<store::PersonUpdate* const> updates) {
  std::vector<store::PersonUpdate> all;
  all.reserve(updates.size());
  for (store::PersonUpdate* update : updates) all.push_back(*update);
  Status committed = store_.UpdatePersons(all);
  // Whatever the outcome (as the person routes do): evaluation must not serve what was replaced.
  ForgetPersons(all);
  return committed;
}

net::awaitable<Status> EventPipeline::Append(events::EventBatch& batch, std::size_t bytes) {
  bool refused = false;
  auto committed = AwaitCommit(event_writer_, &batch, batch.events.size(), bytes, &refused);
  Status outcome = co_await std::move(committed);
  if (!outcome.ok()) CountRejection(refused ? EventRejection::kQueueFull : EventRejection::kCommitFailed);
  co_return outcome;
}

net::awaitable<Status> EventPipeline::Identify(store::PersonUpdate& update, std::size_t bytes) {
  bool refused = false;
  auto committed = AwaitCommit(identify_writer_, &update, 1, bytes, &refused);
  Status outcome = co_await std::move(committed);
  if (!outcome.ok()) CountRejection(refused ? EventRejection::kQueueFull : EventRejection::kCommitFailed);
  co_return outcome;
}

bool EventPipeline::Submit(std::unique_ptr<events::EventBatch> batch,
                           std::function<void(const Status&)> done) {
  std::size_t bytes = 0;
  for (const events::Event& event : batch->events)
    bytes += sizeof(event) + event.uuid.size() + event.event.size() + event.distinct_id.size() +
             event.properties.size();
  events::EventBatch* item = batch.get();
  const std::size_t count = item->events.size();
  // The completion owns the batch: it must stay valid until the writer has committed it.
  std::unique_ptr<events::Completion> completion =
      events::MakeCompletion([owned = std::move(batch), done = std::move(done)](const Status& outcome) {
        if (done) done(outcome);
      });
  // A refusal is the caller's to count: no request was refused.
  return event_writer_.Submit(item, count, bytes, completion);
}

void EventPipeline::CountRejection(EventRejection why) {
  rejections_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
}

void EventPipeline::AppendMetrics(PrometheusText& out) const {
  const events::GroupCommitStats ev = event_writer_.Stats();
  const events::GroupCommitStats id = identify_writer_.Stats();
  const auto u64 = [](auto value) { return static_cast<std::uint64_t>(value); };
  const std::pair<const char*, const events::GroupCommitStats*> pipelines[] = {{"events", &ev},
                                                                               {"identify", &id}};
  out.Family("switchyard_ingest_queue_items", "gauge",
             "Events (or identifies) accepted and not yet committed, by pipeline.");
  for (const auto& [name, stats] : pipelines)
    out.Sample("switchyard_ingest_queue_items", {{"pipeline", name}}, u64(stats->queued_items));
  out.Family("switchyard_ingest_queue_bytes", "gauge", "Memory those hold, by pipeline.");
  for (const auto& [name, stats] : pipelines)
    out.Sample("switchyard_ingest_queue_bytes", {{"pipeline", name}}, u64(stats->queued_bytes));
  out.Family("switchyard_ingest_commits_total", "counter",
             "Group-commit transactions, by pipeline (each holds every request waiting at that moment).");
  for (const auto& [name, stats] : pipelines)
    out.Sample("switchyard_ingest_commits_total", {{"pipeline", name}}, u64(stats->transactions));
  out.Family("switchyard_ingest_commit_failures_total", "counter", "Transactions that failed, by pipeline.");
  for (const auto& [name, stats] : pipelines)
    out.Sample("switchyard_ingest_commit_failures_total", {{"pipeline", name}},
               u64(stats->failed_transactions));
  out.Family("switchyard_ingest_batches_committed_total", "counter",
             "Requests whose transaction completed, by pipeline.");
  for (const auto& [name, stats] : pipelines)
    out.Sample("switchyard_ingest_batches_committed_total", {{"pipeline", name}}, u64(stats->submissions));
  out.Family(
      "switchyard_ingest_items_committed_total", "counter",
      "Events (or identifies) in completed transactions, by pipeline; divided by commits_total: items per "
      "commit.");
  for (const auto& [name, stats] : pipelines)
    out.Sample("switchyard_ingest_items_committed_total", {{"pipeline", name}}, u64(stats->items));
  out.Family("switchyard_ingest_commit_seconds", "histogram", "Time each group-commit transaction took.");
  out.Histogram("switchyard_ingest_commit_seconds", {{"pipeline", "events"}}, event_commit_latency_.Read());
  out.Histogram("switchyard_ingest_commit_seconds", {{"pipeline", "identify"}},
                identify_commit_latency_.Read());
  out.Family("switchyard_events_stored_total", "counter", "Events stored (new uuids).");
  out.Sample("switchyard_events_stored_total", {}, events_stored_.load(std::memory_order_relaxed));
  out.Family("switchyard_events_duplicate_total", "counter",
             "Events not stored again: their uuid was already held.");
  out.Sample("switchyard_events_duplicate_total", {}, events_duplicate_.load(std::memory_order_relaxed));
  out.Family(
      "switchyard_ingest_rejections_total", "counter",
      "Ingest requests refused, by reason (invalid: 422; malformed: 400; too_large: 413; queue_full and "
      "commit_failed: 503).");
  static constexpr const char* kReasons[] = {"invalid", "malformed", "too_large", "queue_full",
                                             "commit_failed"};
  for (std::size_t i = 0; i < rejections_.size(); ++i) {
    out.Sample("switchyard_ingest_rejections_total", {{"reason", kReasons[i]}},
               rejections_[i].load(std::memory_order_relaxed));
  }
  out.Family("switchyard_events_retention_deleted_total", "counter",
             "Raw events deleted for being older than the retention period.");
  out.Sample("switchyard_events_retention_deleted_total", {}, retention_->deleted_total());
}

}  // namespace switchyard::server
