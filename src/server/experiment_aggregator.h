// ExperimentAggregator: the server side of ingest-time aggregation. The event pipeline calls
// Notify on its writer thread after each commit (it only wakes this object's own thread); that
// thread reads the committed events after the last one it applied from the EventLog (in seq
// order, pages of kPage) and applies them to an experiments::AggregationEngine, which attributes
// them to the experiments the ExperimentDirectory lists. Reading the log instead of queueing
// copies keeps memory bounded however far behind aggregation falls, and makes start-up replay
// and live aggregation the same code.
//
// Durability: every `checkpoint_period` (and at Stop) what changed is checkpointed with the last
// seq applied (aggregate_checkpoint.h); Start loads the checkpoint and replays the log after it.
//
// Thread-safety: Notify, MetricsChanged, Aggregate and AppendMetrics from any thread; Start once
// before serving, Stop once after the pipeline stopped (it drains what the log holds).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/thread_annotations.h"
#include "events/event_log.h"
#include "experiments/aggregation_engine.h"
#include "experiments/experiment_directory.h"
#include "server/aggregate_checkpoint.h"
#include "server/prometheus_text.h"

namespace switchyard::server {

struct ExperimentAggregatorOptions {
  experiments::AggregationLimits limits;
  std::chrono::milliseconds checkpoint_period{5000};
};

class ExperimentAggregator {
 public:
  static constexpr std::size_t kPage = 2000;  // events read (and applied under the lock) at a time
  // How long a reader of aggregates waits for events acknowledged before its request to be
  // applied (read your writes); further behind, it is answered the aggregate as it stands.
  static constexpr std::chrono::milliseconds kReadYourWritesWait{2000};

  ExperimentAggregator(events::EventLog& log, const experiments::ExperimentDirectory& directory,
                       experiments::AggregationEngine::MetricSource metrics,
                       std::unique_ptr<AggregateCheckpoint> checkpoint, ExperimentAggregatorOptions options);
  ~ExperimentAggregator();
  ExperimentAggregator(const ExperimentAggregator&) = delete;
  ExperimentAggregator& operator=(const ExperimentAggregator&) = delete;

  // Loads the checkpoint, replays the log after it, then starts the thread.
  Status Start();
  // Events up to `committed_seq` were committed: wake up and read them. While no experiment
  // collects, the aggregator moves past them unread (a gateway call or a capture would otherwise
  // cost a read back of its event for nothing).
  void Notify(std::int64_t committed_seq = 0);
  // A metric definition changed (created, replaced, deleted).
  void MetricsChanged();
  // Applies what the log holds, checkpoints, stops the thread. Idempotent.
  void Stop();

  // The experiment's aggregate as of the events applied so far.
  Result<experiments::ExperimentAggregate> Aggregate(std::int64_t project_id,
                                                     const std::string& experiment_key);
  // Blocks until every event committed before the call is applied (tests, and readers that
  // must see their own writes). False if the aggregator stopped first.
  bool WaitUntilCaughtUp(std::chrono::milliseconds timeout);

  void AppendMetrics(PrometheusText& out) const;

 private:
  void Loop();
  // Applies the log after the last applied seq; returns false on a read error.
  bool CatchUp();
  void Checkpoint();

  events::EventLog& log_;
  const experiments::ExperimentDirectory& directory_;
  std::unique_ptr<AggregateCheckpoint> checkpoint_;
  ExperimentAggregatorOptions options_;

  mutable Mutex engine_mu_;  // held while events are applied and while an aggregate is read
  experiments::AggregationEngine engine_ GUARDED_BY(engine_mu_);
  std::int64_t applied_seq_ GUARDED_BY(engine_mu_) = 0;
  // Checkpoint rows not yet saved (a failed save is retried with the next one). Loop thread only.
  std::vector<experiments::EngineCheckpointRows> unsaved_;

  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool pending_ = false;   // guarded by wake_mu_: Notify since the last read
  bool stopping_ = false;  // guarded by wake_mu_
  std::atomic<bool> metrics_changed_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> notified_{0};      // Notify calls; WaitUntilCaughtUp compares rounds
  std::atomic<std::int64_t> committed_seq_{0};  // the highest seq Notify reported
  std::atomic<std::uint64_t> skipped_{0};       // events moved past unread (nothing collected)
  std::atomic<std::uint64_t> caught_up_{0};
  // Copies of the engine's figures, published after each page, so /metrics (an inline route on
  // an I/O thread) never waits for engine_mu_.
  struct Published {
    std::atomic<std::uint64_t> events{0}, values{0}, first_exposures{0}, multiple_exposures{0},
        refused_exposures{0}, ignored_exposures{0}, recent_users{0}, recent_dropped{0};
    std::atomic<std::int64_t> applied_seq{0};
  };
  void Publish() REQUIRES(engine_mu_);
  Published published_;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> checkpoint_failures_{0};
  std::atomic<std::uint64_t> read_failures_{0};
  std::thread thread_;
};

}  // namespace switchyard::server
