#include "server/batch_evaluation_stream.h"

#include <chrono>

#include "server/evaluation_json.h"

namespace switchyard::server {

BatchEvaluationStream::BatchEvaluationStream(std::shared_ptr<const FlagSet> snapshot,
                                             std::vector<EvaluationContext> users,
                                             std::optional<std::vector<std::string>> flags,
                                             std::size_t piece_bytes)
    : snapshot_(std::move(snapshot)),
      users_(std::move(users)),
      flags_(std::move(flags)),
      piece_bytes_(piece_bytes) {}

boost::asio::awaitable<std::optional<std::string>> BatchEvaluationStream::Next() {
  if (cancelled_ || next_user_ == users_.size()) co_return std::nullopt;
  std::string piece;
  while (next_user_ < users_.size() && piece.size() < piece_bytes_) {
    EvaluationContext& user = users_[next_user_++];
    std::vector<FlagResult> results =
        flags_ ? snapshot_->EvaluateSome(*flags_, user) : snapshot_->EvaluateAll(user);
    if (gate_ != nullptr) gate_->Apply(environment_id_, *snapshot_, user, results);
    if (counters_ != nullptr) counters_->Record(environment_id_, results, std::chrono::system_clock::now());
    piece += EvaluationResponseJson(user.distinct_id, results);
    piece += '\n';
    // What was evaluated is no longer needed; a batch holds its inputs only until answered.
    user = EvaluationContext{};
  }
  co_return piece;
}

}  // namespace switchyard::server
