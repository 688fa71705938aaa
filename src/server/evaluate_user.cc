#include "server/evaluate_user.h"

#include <chrono>
#include <functional>
#include <map>

#include "server/blocking_work.h"
#include "server/stored_properties.h"

namespace switchyard::server {

namespace net = boost::asio;

net::awaitable<Result<UserEvaluation>> EvaluateUser(ServerContext& ctx, EvaluationTarget where,
                                                    EvaluateRequest& request) {
  auto stored = co_await StoredProperties(ctx, where.project_id, request.distinct_id);
  if (!stored.ok()) co_return stored.status();
  UserEvaluation out;
  out.context = MergedContext(std::move(request.distinct_id), *stored, std::move(request.properties));
  if (!request.groups.empty()) {
    // Only requests that name groups pay for reading the project's group types and groups.
    Result<std::map<int, EvaluationGroup>> groups = Status::Internal("not read");
    std::function<void()> job = [&] { groups = ResolveGroups(ctx.store, where.project_id, request.groups); };
    auto run = RunBlocking(ctx, std::move(job));
    const Status ran = co_await std::move(run);
    if (!ran.ok()) co_return ran;
    if (!groups.ok()) co_return groups.status();
    out.context.groups = std::move(*groups);
  }
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
