#include "server/evaluate_user.h"

#include <chrono>
#include <functional>

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// From the cache, else from the store on the worker pool (then cached).
net::awaitable<Result<PersonCache::Properties>> StoredProperties(ServerContext& ctx, std::int64_t project_id,
                                                                 const std::string& distinct_id) {
  if (ctx.persons != nullptr) {
    if (auto cached = ctx.persons->Lookup(project_id, distinct_id)) co_return std::move(*cached);
  }
  std::uint64_t generation = ctx.persons != nullptr ? ctx.persons->Generation() : 0;
  Result<PersonCache::Properties> read = Status::Internal("not read");
  std::function<void()> job = [&] { read = ReadStoredProperties(ctx.store, project_id, distinct_id); };
  if (ctx.workers == nullptr) {
    job();
  } else {
    // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
    auto on_worker = ctx.workers->Execute(std::move(job));
    bool ran = co_await std::move(on_worker);
    if (!ran) co_return Status::Unavailable("the server's worker pool is full; retry shortly");
  }
  if (read.ok() && ctx.persons != nullptr) ctx.persons->Insert(project_id, distinct_id, *read, generation);
  co_return read;
}

}  // namespace

net::awaitable<Result<UserEvaluation>> EvaluateUser(ServerContext& ctx, EvaluationTarget where,
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
