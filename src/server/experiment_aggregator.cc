#include "server/experiment_aggregator.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "common/thread_name.h"

namespace switchyard::server {

ExperimentAggregator::ExperimentAggregator(events::EventLog& log,
                                           const experiments::ExperimentDirectory& directory,
                                           experiments::AggregationEngine::MetricSource metrics,
                                           std::unique_ptr<AggregateCheckpoint> checkpoint,
                                           ExperimentAggregatorOptions options)
    : log_(log),
      directory_(directory),
      checkpoint_(std::move(checkpoint)),
      options_(options),
      engine_(options.limits, std::move(metrics)) {}

ExperimentAggregator::~ExperimentAggregator() {
  Stop();
}

Status ExperimentAggregator::Start() {
  {
    MutexLock lock(engine_mu_);
    auto seq = checkpoint_->Load(engine_);
    if (!seq.ok()) return seq.status();
    applied_seq_ = *seq;
  }
  if (!CatchUp()) return Status::Unavailable("cannot replay the event log into the experiment aggregates");
  Checkpoint();
  thread_ = std::thread([this] {
    NameThisThread("sy-aggregate");
    Loop();
  });
  return Status::Ok();
}

void ExperimentAggregator::Notify(std::int64_t committed_seq) {
  std::int64_t known = committed_seq_.load(std::memory_order_relaxed);
  while (committed_seq > known && !committed_seq_.compare_exchange_weak(known, committed_seq)) {
  }
  {
    std::lock_guard lock(wake_mu_);
    pending_ = true;
    notified_.fetch_add(1, std::memory_order_relaxed);
  }
  wake_.notify_all();
}

void ExperimentAggregator::MetricsChanged() {
  metrics_changed_ = true;
  Notify();
}

void ExperimentAggregator::Stop() {
  {
    std::lock_guard lock(wake_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  stopped_ = true;
  wake_.notify_all();
}

bool ExperimentAggregator::CatchUp() {
  for (;;) {
    std::int64_t after = 0;
    {
      MutexLock lock(engine_mu_);
      if (metrics_changed_.exchange(false)) engine_.InvalidateMetrics();
      engine_.UseExperiments(directory_.Current());
      // Every seq up to committed_seq_ is committed (one writer, in order), and with nothing
      // collecting, applying those events would change nothing: move past them unread.
      const std::int64_t committed = committed_seq_.load(std::memory_order_acquire);
      if (!engine_.collecting() && committed > applied_seq_) {
        skipped_.fetch_add(static_cast<std::uint64_t>(committed - applied_seq_), std::memory_order_relaxed);
        applied_seq_ = committed;
        Publish();
      }
      after = applied_seq_;
    }
    auto page = log_.ReadAfter(after, kPage);
    if (!page.ok()) {
      read_failures_.fetch_add(1, std::memory_order_relaxed);
      spdlog::error("experiment aggregation cannot read the event log (retrying): {}",
                    page.status().ToString());
      return false;
    }
    MutexLock lock(engine_mu_);
    if (metrics_changed_.exchange(false)) engine_.InvalidateMetrics();
    engine_.UseExperiments(directory_.Current());
    for (const events::Event& event : *page) engine_.Apply(event);
    if (!page->empty()) applied_seq_ = page->back().seq;
    Publish();
    if (page->size() < kPage) return true;
  }
}

void ExperimentAggregator::Checkpoint() {
  std::int64_t seq = 0;
  {
    MutexLock lock(engine_mu_);
    unsaved_.push_back(engine_.TakeCheckpointRows());
    seq = applied_seq_;
  }
  bool failed = false;
  for (const auto& rows : unsaved_) {
    // Saved oldest first; a later set overwrites what an earlier one wrote for the same rows.
    if (Status s = checkpoint_->Save(rows, seq); !s.ok()) {
      checkpoint_failures_.fetch_add(1, std::memory_order_relaxed);
      spdlog::warn("cannot checkpoint the experiment aggregates (kept for the next try): {}", s.ToString());
      failed = true;
      break;
    }
  }
  if (failed) return;
  unsaved_.clear();
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
}

void ExperimentAggregator::Loop() {
  auto next_checkpoint = std::chrono::steady_clock::now() + options_.checkpoint_period;
  for (;;) {
    std::uint64_t round = 0;
    bool stopping = false;
    {
      std::unique_lock lock(wake_mu_);
      wake_.wait_until(lock, next_checkpoint, [this] { return pending_ || stopping_; });
      pending_ = false;
      stopping = stopping_;
      round = notified_.load(std::memory_order_relaxed);
    }
    try {
      if (CatchUp()) {
        {
          std::lock_guard lock(wake_mu_);
          caught_up_.store(round, std::memory_order_relaxed);
        }
        wake_.notify_all();
      }
      if (stopping || std::chrono::steady_clock::now() >= next_checkpoint) {
        Checkpoint();
        next_checkpoint = std::chrono::steady_clock::now() + options_.checkpoint_period;
      }
    } catch (const std::exception& e) {
      // Aggregation must not take the server down; the events stay in the log for the next try.
      spdlog::error("experiment aggregation failed: {}", e.what());
    }
    if (stopping) return;
  }
}

bool ExperimentAggregator::WaitUntilCaughtUp(std::chrono::milliseconds timeout) {
  std::unique_lock lock(wake_mu_);
  const std::uint64_t target = notified_.load(std::memory_order_relaxed);
  return wake_.wait_for(lock, timeout, [&] {
    return caught_up_.load(std::memory_order_relaxed) >= target || stopped_.load();
  }) && !stopped_.load();
}

Result<experiments::ExperimentAggregate> ExperimentAggregator::Aggregate(std::int64_t project_id,
                                                                         const std::string& experiment_key) {
  MutexLock lock(engine_mu_);
  return engine_.Aggregate(project_id, experiment_key);
}

void ExperimentAggregator::Publish() {
  const experiments::AggregationCounters& counters = engine_.counters();
  constexpr auto kRelaxed = std::memory_order_relaxed;
  published_.events.store(counters.events, kRelaxed);
  published_.values.store(counters.values, kRelaxed);
  published_.first_exposures.store(counters.first_exposures, kRelaxed);
  published_.multiple_exposures.store(counters.multiple_exposures, kRelaxed);
  published_.refused_exposures.store(counters.refused_exposures, kRelaxed);
  published_.ignored_exposures.store(counters.ignored_exposures, kRelaxed);
  published_.recent_users.store(engine_.recent_users(), kRelaxed);
  published_.recent_dropped.store(engine_.recent_users_dropped(), kRelaxed);
  published_.applied_seq.store(applied_seq_, kRelaxed);
}

void ExperimentAggregator::AppendMetrics(PrometheusText& out) const {
  experiments::AggregationCounters counters;
  counters.events = published_.events.load();
  counters.values = published_.values.load();
  counters.first_exposures = published_.first_exposures.load();
  counters.multiple_exposures = published_.multiple_exposures.load();
  counters.refused_exposures = published_.refused_exposures.load();
  counters.ignored_exposures = published_.ignored_exposures.load();
  const std::uint64_t recent_users = published_.recent_users.load();
  const std::uint64_t recent_dropped = published_.recent_dropped.load();
  const std::int64_t applied = published_.applied_seq.load();
  const auto counter = [&out](const char* name, const char* help, std::uint64_t value) {
    out.Family(name, "counter", help);
    out.Sample(name, {}, value);
  };
  counter("switchyard_aggregation_events_total", "Committed events the experiment aggregator looked at.",
          counters.events);
  counter("switchyard_aggregation_events_skipped_total",
          "Committed events moved past unread because no experiment was collecting.", skipped_.load());
  counter("switchyard_aggregation_values_total", "Metric values counted for an exposed user.",
          counters.values);
  counter("switchyard_aggregation_first_exposures_total",
          "Users exposed to an experiment for the first time.", counters.first_exposures);
  counter("switchyard_aggregation_multiple_exposures_total",
          "Users seen in a second variant (moved out of every sum).", counters.multiple_exposures);
  counter("switchyard_aggregation_users_over_limit_total",
          "Exposures refused because the experiment tracked max_users_per_experiment users already.",
          counters.refused_exposures);
  counter("switchyard_aggregation_ignored_exposures_total",
          "Exposures not counted (experiment not running, another environment, unknown variant).",
          counters.ignored_exposures);
  counter("switchyard_aggregation_recent_users_dropped_total",
          "Users whose pre-exposure values were not kept (max_recent_users_per_project reached).",
          recent_dropped);
  counter("switchyard_aggregation_checkpoints_total", "Aggregate checkpoints written.", checkpoints_.load());
  counter("switchyard_aggregation_checkpoint_failures_total", "Aggregate checkpoints that failed (retried).",
          checkpoint_failures_.load());
  out.Family("switchyard_aggregation_recent_users", "gauge",
             "Users with pre-exposure values kept in memory.");
  out.Sample("switchyard_aggregation_recent_users", {}, recent_users);
  out.Family("switchyard_aggregation_applied_seq", "gauge", "The last event seq applied to the aggregates.");
  out.Sample("switchyard_aggregation_applied_seq", {}, applied);
}

}  // namespace switchyard::server
