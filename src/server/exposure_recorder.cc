#include "server/exposure_recorder.h"

#include <array>
#include <functional>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

namespace switchyard::server {
namespace {

constexpr char kExposureEvent[] = "$experiment_exposure";

std::array<unsigned char, 20> Sha1(std::string_view text) {
  std::array<unsigned char, 20> digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha1(), nullptr);
  return digest;
}

// Who was exposed to what: the experiment's run (a key reused after a delete, or a restart of the
// same experiment, is another run) and the user.
std::string Identity(const experiments::ActiveExperiment& active, std::string_view distinct_id) {
  std::string identity = std::to_string(active.project_id);
  identity += '\x1f';
  identity += active.experiment.key;
  identity += '\x1f';
  identity += active.experiment.started_at;
  identity += '\x1f';
  identity += distinct_id;
  return identity;
}

}  // namespace

std::string ExposureUuid(std::string_view identity) {
  std::array<unsigned char, 20> digest = Sha1(identity);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 9562 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

void ExposureRecorder::Record(const experiments::ActiveExperiment& active, const std::string& variant,
                              std::string_view distinct_id, std::int64_t now_ms) {
  const std::string identity = Identity(active, distinct_id);
  // A 64-bit hash to remember the pair by; SHA-1 (for the uuid) only for a first exposure: an
  // EVP digest costs more than the rest of the gate together.
  const std::uint64_t key = std::hash<std::string>{}(identity);
  {
    MutexLock lock(mu_);
    if (remembered_.contains(key)) return;
    if (pending_.size() >= limits_.max_pending) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;  // not remembered: the user's next evaluation tries again
    }
    if (remembered_.size() >= limits_.max_remembered) remembered_.clear();
    remembered_.insert(key);
  }
  events::Event event;
  event.project_id = active.project_id;
  event.environment_id = active.environment_id;
  event.uuid = ExposureUuid(identity);
  event.event = kExposureEvent;
  event.distinct_id = std::string(distinct_id);
  event.properties = nlohmann::json{{"$experiment", active.experiment.key},
                                    {"$variant", variant},
                                    {"$feature_flag", active.experiment.flag_key}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  event.timestamp_ms = now_ms;
  event.received_at_ms = now_ms;
  MutexLock lock(mu_);
  pending_.push_back(Pending{key, std::move(event)});
}

void ExposureRecorder::Forget(const std::vector<Pending>& pending, std::size_t from, std::size_t to) {
  MutexLock lock(mu_);
  for (std::size_t i = from; i < to; ++i) remembered_.erase(pending[i].digest);
}

std::size_t ExposureRecorder::Flush(const Sink& sink) {
  std::vector<Pending> pending;
  {
    MutexLock lock(mu_);
    pending.swap(pending_);
  }
  std::size_t handed = 0;
  for (std::size_t from = 0; from < pending.size(); from += limits_.batch_events) {
    const std::size_t to = std::min(pending.size(), from + limits_.batch_events);
    std::vector<events::Event> batch;
    batch.reserve(to - from);
    for (std::size_t i = from; i < to; ++i) batch.push_back(pending[i].event);
    if (sink(std::move(batch))) {
      handed += to - from;
      recorded_.fetch_add(to - from, std::memory_order_relaxed);
    } else {
      dropped_.fetch_add(to - from, std::memory_order_relaxed);
      Forget(pending, from, to);
    }
  }
  return handed;
}

void ExposureRecorder::AppendMetrics(PrometheusText& out) const {
  out.Family("switchyard_experiment_exposures_recorded_total", "counter",
             "First exposures of users to running experiments handed to the event pipeline.");
  out.Sample("switchyard_experiment_exposures_recorded_total", {}, recorded());
  out.Family("switchyard_experiment_exposures_dropped_total", "counter",
             "Exposures dropped because their queue or the event pipeline's was full (recorded again on "
             "the user's next evaluation).");
  out.Sample("switchyard_experiment_exposures_dropped_total", {}, dropped());
}

}  // namespace switchyard::server
