// The streamed answer of POST /api/v1/evaluate/batch: NDJSON, one line per user in input order,
// each line exactly the body POST /api/v1/evaluate answers for that user.
//
// Users are evaluated as the client reads: each Next evaluates users until its piece holds about
// `piece_bytes`, so a slow reader holds back evaluation (the transport's backpressure), the I/O
// thread is handed back between pieces, and a client that disconnects stops the work. Every user
// is evaluated against the one snapshot the batch started with, so a flag changed meanwhile
// never splits a batch between two definitions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "server/evaluation_counters.h"
#include "server/experiment_gate.h"
#include "server/response_stream.h"
#include "switchyard/evaluation.h"
#include "switchyard/flag_set.h"

namespace switchyard::server {

class BatchEvaluationStream : public ResponseStream {
 public:
  static constexpr std::size_t kDefaultPieceBytes = 32 * 1024;

  BatchEvaluationStream(std::shared_ptr<const FlagSet> snapshot, std::vector<EvaluationContext> users,
                        std::optional<std::vector<std::string>> flags,
                        std::size_t piece_bytes = kDefaultPieceBytes);

  // Counts each user's evaluations in `counters` (which must outlive the stream) for the stale report.
  void CountIn(EvaluationCounters* counters, std::int64_t environment_id) {
    counters_ = counters;
    environment_id_ = environment_id;
  }

  // Passes each user's results through `gate` (which must outlive the stream): holdout, layers,
  // exposures.
  void GateWith(const ExperimentGate* gate, std::int64_t environment_id) {
    gate_ = gate;
    environment_id_ = environment_id;
  }

  boost::asio::awaitable<std::optional<std::string>> Next() override;
  void Cancel() override { cancelled_ = true; }

 private:
  std::shared_ptr<const FlagSet> snapshot_;
  std::vector<EvaluationContext> users_;
  std::optional<std::vector<std::string>> flags_;
  std::size_t piece_bytes_;
  std::size_t next_user_ = 0;
  bool cancelled_ = false;  // Next and Cancel run on the connection's strand
  EvaluationCounters* counters_ = nullptr;
  std::int64_t environment_id_ = 0;
  const ExperimentGate* gate_ = nullptr;
};

}  // namespace switchyard::server
