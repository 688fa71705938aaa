#include "server/evaluation_counters.h"

#include <algorithm>

#include "store/timestamp.h"

namespace switchyard::server {
namespace {

std::int64_t MinuteOf(EvaluationCounters::Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::minutes>(time.time_since_epoch()).count();
}

std::string MinuteTimestamp(std::int64_t minute) {
  return store::FormatTimestamp(EvaluationCounters::Clock::time_point(std::chrono::minutes(minute)));
}

// Raises `slot` to `minute`; concurrent recorders never move it backwards.
void RaiseTo(std::atomic<std::int64_t>& slot, std::int64_t minute) {
  std::int64_t current = slot.load(std::memory_order_relaxed);
  while (current < minute && !slot.compare_exchange_weak(current, minute, std::memory_order_relaxed)) {
  }
}

}  // namespace

EvaluationCounters::Slot* EvaluationCounters::Find(std::int64_t environment_id,
                                                   const std::string& key) const {
  auto environment = environments_.find(environment_id);
  if (environment == environments_.end()) return nullptr;
  auto slot = environment->second.find(key);
  return slot == environment->second.end() ? nullptr : slot->second.get();
}

void EvaluationCounters::Record(std::int64_t environment_id, const std::vector<FlagResult>& results,
                                Clock::time_point now) {
  const std::int64_t minute = MinuteOf(now);
  std::vector<const FlagResult*> missing;
  {
    ReaderLock lock(mu_);
    for (const FlagResult& result : results) {
      if (result.reason == Reason::kFlagNotFound) continue;
      Slot* slot = Find(environment_id, result.key);
      if (slot == nullptr) {
        missing.push_back(&result);
        continue;
      }
      slot->pending.fetch_add(1, std::memory_order_relaxed);
      if (slot->last_minute.load(std::memory_order_relaxed) != minute) RaiseTo(slot->last_minute, minute);
    }
  }
  if (missing.empty()) return;
  WriterLock lock(mu_);
  Slots& slots = environments_[environment_id];
  for (const FlagResult* result : missing) {
    std::unique_ptr<Slot>& slot = slots[result->key];
    if (!slot) slot = std::make_unique<Slot>();
    slot->pending.fetch_add(1, std::memory_order_relaxed);
    RaiseTo(slot->last_minute, minute);
  }
}

Status EvaluationCounters::Flush(store::Store& store) {
  MutexLock flushing(flush_mu_);
  std::vector<store::FlagEvaluationStats> deltas;
  std::vector<Slot*> taken_from;
  {
    ReaderLock lock(mu_);
    for (const auto& [environment_id, slots] : environments_) {
      for (const auto& [key, slot] : slots) {
        const std::int64_t count = slot->pending.exchange(0, std::memory_order_relaxed);
        if (count == 0) continue;
        deltas.push_back(
            {environment_id, key, MinuteTimestamp(slot->last_minute.load(std::memory_order_relaxed)), count});
        taken_from.push_back(slot.get());
      }
    }
  }
  if (deltas.empty()) return Status::Ok();
  Status status = store.RecordFlagEvaluations(deltas);
  if (!status.ok()) {
    // Slots are never removed, so the pointers are still valid: the counts wait for the next flush.
    for (std::size_t i = 0; i < deltas.size(); ++i)
      taken_from[i]->pending.fetch_add(deltas[i].count, std::memory_order_relaxed);
  }
  return status;
}

Result<std::map<std::string, store::FlagEvaluationStats>> EvaluationCounters::Read(
    store::Store& store, std::int64_t environment_id) const {
  auto stored = store.ListFlagEvaluations(environment_id);
  if (!stored.ok()) return stored.status();
  std::map<std::string, store::FlagEvaluationStats> out;
  for (auto& stats : *stored) out[stats.flag_key] = std::move(stats);
  ReaderLock lock(mu_);
  auto environment = environments_.find(environment_id);
  if (environment == environments_.end()) return out;
  for (const auto& [key, slot] : environment->second) {
    const std::int64_t minute = slot->last_minute.load(std::memory_order_relaxed);
    if (minute == 0) continue;
    store::FlagEvaluationStats& stats = out[key];
    stats.environment_id = environment_id;
    stats.flag_key = key;
    stats.count += slot->pending.load(std::memory_order_relaxed);
    stats.last_evaluated_at = std::max(stats.last_evaluated_at, MinuteTimestamp(minute));
  }
  return out;
}

}  // namespace switchyard::server
