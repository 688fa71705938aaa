// ExposureRecorder: the first exposure of each user to a running experiment, recorded without
// slowing evaluation down. Record (on the evaluation path) only remembers the user and queues an
// `$experiment_exposure` event in memory; Flush (on a background thread) hands the queue to the
// event pipeline in batches without waiting for their commit.
//
// De-duplication is in memory and bounded: at most kMaxRemembered (experiment, user) pairs are
// remembered (64-bit hashes, ~40 bytes each, ~20 MB at the bound); past it they are all
// forgotten and users start being recorded again. A repeat is harmless twice over: its event uuid
// is derived from (project, experiment, its start, user), so the event log stores it once, and
// the aggregator keeps each user's first exposure anyway. The same holds across restarts.
//
// Bounded queue: at most kMaxPending events wait for a flush; past it, and when the pipeline
// refuses a batch (its queue is full), exposures are dropped and counted, and their users are
// forgotten so that their next evaluation records them again.
//
// Thread-safety: every method from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/thread_annotations.h"
#include "events/event.h"
#include "experiments/experiment_directory.h"
#include "server/prometheus_text.h"

namespace switchyard::server {

struct ExposureLimits {
  std::size_t max_remembered = 500'000;
  std::size_t max_pending = 100'000;
  std::size_t batch_events = 1000;  // events per pipeline submission
};

class ExposureRecorder {
 public:
  // Hands one batch to the pipeline without waiting; false when it was refused.
  using Sink = std::function<bool(std::vector<events::Event> batch)>;

  explicit ExposureRecorder(ExposureLimits limits = {}) : limits_(limits) {}

  // `distinct_id` was served `variant` of `active`'s flag at `now_ms`: queued unless remembered.
  void Record(const experiments::ActiveExperiment& active, const std::string& variant,
              std::string_view distinct_id, std::int64_t now_ms) EXCLUDES(mu_);

  // Hands everything queued to `sink` in batches. Returns the number of events handed over.
  std::size_t Flush(const Sink& sink) EXCLUDES(mu_);

  std::uint64_t recorded() const { return recorded_.load(std::memory_order_relaxed); }
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  void AppendMetrics(PrometheusText& out) const;

 private:
  struct Pending {
    std::uint64_t digest;
    events::Event event;
  };

  void Forget(const std::vector<Pending>& pending, std::size_t from, std::size_t to) EXCLUDES(mu_);

  const ExposureLimits limits_;
  Mutex mu_;
  std::unordered_set<std::uint64_t> remembered_ GUARDED_BY(mu_);
  std::vector<Pending> pending_ GUARDED_BY(mu_);
  std::atomic<std::uint64_t> recorded_{0};  // handed to the pipeline
  std::atomic<std::uint64_t> dropped_{0};
};

// The uuid of a user's exposure event: a version-5-style uuid from SHA-1 of `identity`, so the
// same exposure always gets the same uuid (and the event log stores it once).
std::string ExposureUuid(std::string_view identity);

}  // namespace switchyard::server
