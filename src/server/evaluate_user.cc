#include "server/evaluate_user.h"

#include <chrono>

#include "server/stored_properties.h"

namespace switchyard::server {

boost::asio::awaitable<Result<UserEvaluation>> EvaluateUser(ServerContext& ctx, EvaluationTarget where,
                                                            EvaluateRequest& request) {
  auto stored = co_await StoredProperties(ctx, where.project_id, request.distinct_id);
  if (!stored.ok()) co_return stored.status();
  UserEvaluation out;
  out.context = MergedContext(std::move(request.distinct_id), *stored, std::move(request.properties));
  auto snapshot = ctx.snapshots.Get(where.environment_id);
  out.results = request.flags ? snapshot->EvaluateSome(*request.flags, out.context)
                              : snapshot->EvaluateAll(out.context);
  if (ctx.experiment_gate != nullptr)
    ctx.experiment_gate->Apply(where.environment_id, *snapshot, out.context, out.results);
  if (ctx.counters != nullptr)
    ctx.counters->Record(where.environment_id, out.results, std::chrono::system_clock::now());
  co_return out;
}

}  // namespace switchyard::server
